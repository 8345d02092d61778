"""What families call things, and the words the pages use for them: 'ehcp' -> 'EHC plan'.

``with_page_words`` adds the pages' words to a question before it is searched, so a family's own
words meet the page that answers them. The words for places and needs that filter a search are
in :mod:`vocabulary`.
"""

from __future__ import annotations

import re
from functools import cache
from types import MappingProxyType
from typing import Final

# What families write -> the words the pages use for it. Added to a question before it is searched
# (knowledge_base.answering), so 'can we apply for an ehcp' meets the page about asking for an EHC
# needs assessment. Regular expressions, matched case-insensitively on whole words.
PAGE_WORDS_FOR: Final = MappingProxyType(
    {
        r"e\.?h\.?c\.?p'?s?|echp|ehc ?plans?|education,? health and care plans?": "EHC plan",
        r"ehcna|ehc needs assessment": "EHC needs assessment",
        # Families 'apply for an EHCP'; the pages say you ask the council for an EHC needs assessment.
        r"(apply|applying|application|applied|request|requesting|get|getting|qualify|need|needs)\b[^.?!]{0,40}"
        r"\b(e\.?h\.?c\.?p|echp|ehc ?plan)|(e\.?h\.?c\.?p|echp|ehc ?plan)\b[^.?!]{0,40}"
        r"\b(apply|applying|application|applied|request|requesting)": "ask the council for an EHC needs assessment",
        r"salt|speech therap(y|ist)|speech and language": "speech and language therapy",
        r"o\.?t\.?|occupational therap(y|ist)": "occupational therapy",
        r"physio": "physiotherapy",
        r"dla": "Disability Living Allowance",
        r"pip": "Personal Independence Payment",
        r"camhs|cyps": "mental health support for children and young people",
        r"sendist|tribunal": "SEND Tribunal appeal",
        r"senco": "SENCO special educational needs coordinator",
        r"sen support|send support": "SEN support",
        r"fis": "Family Information Service",
        r"pfa": "preparing for adulthood",
        r"ta|1:1|one to one": "teaching assistant support",
        r"asc|asd": "autism",
        r"home ?school(ing|ed)?|home ?ed|ehe": "elective home education",
        r"taxi|bus pass|school bus|transport": "travel to school transport",
        # 'short brakes' is a real word, so the spelling pass (knowledge_base.spelling) leaves it.
        r"respite|short brakes?": "short breaks",
        r"part[- ]time timetable|reduced timetable": "part-time timetable",
        r"excluded|exclusion|suspended|suspension": "exclusion from school",
        r"complain|complaint|complaints|complaining": "making a complaint to the school or the council",
    }
)


@cache
def _page_word_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(rf"(?<![\w'])(?:{pattern})(?![\w'])", re.I), words) for pattern, words in PAGE_WORDS_FOR.items()
    )


@cache
def family_words() -> frozenset[str]:
    """The single words families use that ``with_page_words`` gives the pages' words for ('respite', 'physio').

    The spelling pass (knowledge_base.spelling) corrects a misspelt word to one of these as well as to
    the pages' own words: no page says 'respite', so 'respit' found nothing until it could become
    'respite' (and so 'short breaks').
    """
    words: set[str] = set()
    for (compiled, _), pattern in zip(_page_word_patterns(), PAGE_WORDS_FOR, strict=True):
        words.update(w for w in re.findall(r"[a-z]+", pattern) if compiled.fullmatch(w))
    return frozenset(words)


def with_page_words(question: str) -> str:
    """The question with the pages' words added for what families call things ('ehcp' -> 'EHC plan')."""
    added = [words for pattern, words in _page_word_patterns() if pattern.search(question)]
    lowered = question.lower()
    added = [words for words in dict.fromkeys(added) if words.lower() not in lowered]
    return f"{question} ({'; '.join(added)})" if added else question
