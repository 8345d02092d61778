"""Cut Documents into passages that follow headings and sentence boundaries.

Passages aim at 80-200 words: long enough to carry an answer, short enough that the embedding
model (which reads at most 256 word pieces) sees all of it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from urllib.parse import quote

import spacy
from spacy.language import Language

from ingestion.ages import AgeRange
from ingestion.models import Chunk, Document, Section, ServiceRecord

TARGET_WORDS = 120
MAX_WORDS = 200
MIN_TAIL_WORDS = 40


@lru_cache(maxsize=1)
def sentencizer() -> Language:
    """A blank English pipeline with the rule-based sentencizer (no model download)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage; each list item (a line starting "- ") counts as one sentence."""
    # List items are kept whole: each is a line of its own, usually a short fact.
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if line.startswith("- "):
            out.append(line)
        else:
            out.extend(s.text.strip() for s in sentencizer()(line).sents if s.text.strip())
    return out


def _bounded(sentences: list[str]) -> Iterator[str]:
    # Text without full stops (a table cell, a run-on list) can be one "sentence" of hundreds of
    # words; cut it into TARGET_WORDS pieces so that no passage passes MAX_WORDS.
    for sentence in sentences:
        words = sentence.split()
        if len(words) <= MAX_WORDS:
            yield sentence
            continue
        for start in range(0, len(words), TARGET_WORDS):
            yield " ".join(words[start : start + TARGET_WORDS])


def _group(sentences: list[str]) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    words = 0
    for sentence in _bounded(sentences):
        n = len(sentence.split())
        if groups[-1] and (words >= TARGET_WORDS or words + n > MAX_WORDS):
            groups.append([])
            words = 0
        groups[-1].append(sentence)
        words += n
    # A short tail reads better joined to the passage before it.
    if len(groups) > 1 and sum(len(s.split()) for s in groups[-1]) < MIN_TAIL_WORDS:
        tail = groups.pop()
        groups[-1].extend(tail)
    return [g for g in groups if g]


def section_url(doc_url: str, section: Section) -> str:
    """The page URL with a text fragment that scrolls a browser to the section's heading."""
    if len(section.heading_path) < 2:
        return doc_url
    return f"{doc_url}#:~:text={quote(section.heading_path[-1], safe='')}"


def _chunk_id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


def _join(sentences: Iterable[str]) -> str:
    """Sentences as a passage: a list item on a line of its own, and so is the sentence after a list,
    so that ``split_sentences`` gives the same sentences back (a sentence run onto the last item
    would read as part of it: '- the mediator You can bring someone')."""
    text = ""
    in_list = False
    for s in sentences:
        item = s.startswith("- ")
        sep = "\n" if (item or in_list or text.endswith(":")) and text else " "
        text = f"{text}{sep}{s}" if text else s
        in_list = item
    return text


def chunk_document(doc: Document) -> Iterator[Chunk]:
    """Passages of one document; a service record also gets one passage that reads as a summary."""
    if doc.service is not None:
        yield service_summary_chunk(doc, doc.service)
    for section in doc.sections:
        heading = " > ".join(section.heading_path[1:])
        for group in _group(split_sentences(section.text)):
            text = _join(group)
            context = " - ".join(p for p in (doc.title, heading) if p)
            yield Chunk(
                chunk_id=_chunk_id(doc.url, heading, text),
                doc_url=doc.url,
                url=section_url(doc.url, section),
                title=doc.title,
                section=heading,
                text=text,
                page_type=doc.page_type,
                last_updated=doc.last_updated,
                embed_text=f"{context}: {text}",
                audience=doc.audience,
            )


def service_summary(record: ServiceRecord) -> str:
    """One plain paragraph about a service, built only from the record's own fields.

    It reads as 'X offers Y for children aged A to B in AREA. Cost: C. How to get it: D.
    Phone: P.', leaving out whatever the record does not say. Ages come from the parsed
    min_age and max_age; when the record's age text could not be parsed it is quoted as
    'Ages: <text>.' instead, so nothing is lost or guessed.
    """
    who = _audience(record)
    where = _place(record.area_served)
    reach = " ".join(p for p in (who, where) if p)
    # One paragraph: the description's own paragraphs and list items run on.
    description = " ".join(record.description.split())
    first, rest = _first_sentence(description)
    if first and _INDEFINITE.match(first):
        # 'A weekly group for ...' reads on from 'X offers'.
        offer = first.rstrip(".!? ")
        lead = f"{record.name} offers {offer[0].lower()}{offer[1:]}"
        parts = [f"{lead}, {reach}." if reach else f"{lead}.", rest]
    else:
        # A description that names its own subject ('The Family Information Service gives ...')
        # stands as written; the ages and area follow in a sentence of their own.
        opening = description if _names_itself(description, record.name) else ""
        if description and not opening:
            opening = f"{record.name}: {description}"
        if opening:
            parts = [opening, f"It is {reach}." if reach else ""]
        else:
            parts = [f"{record.name} is {reach}." if reach else f"{record.name}."]
    if record.age_range and record.min_age is None:
        parts.append(f"Ages: {record.age_range}")
    if record.cost:
        parts.append(f"Cost: {record.cost}")
    if record.referral:
        parts.append(f"How to get it: {record.referral}")
    if record.phone:
        parts.append(f"Phone: {record.phone}")
    return " ".join(p if p.endswith((".", "!", "?")) else f"{p}." for p in parts if p)


# A description that opens with an indefinite noun phrase: 'A weekly group ...', 'An evening course ...'.
_INDEFINITE = re.compile(r"^(?:A|An)\s")


def _first_sentence(text: str) -> tuple[str, str]:
    if not text:
        return "", ""
    sentences = split_sentences(text)
    return sentences[0], " ".join(sentences[1:])


def _names_itself(description: str, name: str) -> bool:
    """Whether the description opens with the service's own name ('(example)' and all aside).

    The name must be in the summary for a search by name to find it, so a description that
    only half-names its service ('The Family Information Service gives ...' for 'Gloucestershire
    Family Information Service') is still introduced by the full name.
    """
    bare = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip().lower()
    return bool(bare) and description.lower().startswith(bare)


def _audience(record: ServiceRecord) -> str:
    """'for children aged 5 to 11': children under 16, young people 16 to 25, as the SEND Code of Practice says."""
    if record.min_age is None or record.max_age is None:
        return ""
    ages = AgeRange(record.min_age, record.max_age)
    if ages.max_years < 16:
        people = "children"
    elif ages.min_years >= 16:
        people = "young people"
    else:
        people = "children and young people"
    return f"for {people} aged {ages.describe()}"


def _place(area: str | None) -> str:
    if not area:
        return ""
    # 'All of Gloucestershire' reads as 'across Gloucestershire'.
    whole = re.match(r"(?i)^(?:all\s+(?:of\s+)?|the\s+whole\s+of\s+)(.+)$", area)
    return f"across {whole.group(1)}" if whole else f"in {area}"


def service_summary_chunk(doc: Document, record: ServiceRecord) -> Chunk:
    """The summary passage of a service record (see service_summary)."""
    text = service_summary(record)
    return Chunk(
        chunk_id=_chunk_id(doc.url, "summary", text),
        doc_url=doc.url,
        url=doc.url,
        title=doc.title,
        section="",
        text=text,
        page_type="service",
        last_updated=doc.last_updated,
        embed_text=text,
    )
