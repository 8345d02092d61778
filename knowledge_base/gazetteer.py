"""Word lists for reading a family's message: the county's places and the words people use for SEND needs.

Data, and the one rewrite that reads it directly (``with_page_words``: a family's words for a thing
followed by the pages' words for it); :mod:`knowledge_base.query_understanding` turns the other
lists into spaCy token patterns.

Places map to one of the six district councils' areas. A town is listed only where we are sure
which district it lies in, because a wrong mapping would send a family to the wrong services.
Phrases are written in lower case. Hyphens and spaces are interchangeable ('moreton-in-marsh'
also matches 'moreton in marsh'). Long words (8 letters or more) also match common misspellings
through spaCy's FUZZY operator, so only misspellings of shorter words need listing here.
"""

from __future__ import annotations

import re
from functools import cache
from types import MappingProxyType
from typing import Final

DISTRICTS: Final = ("Cheltenham", "Cotswold", "Forest of Dean", "Gloucester", "Stroud", "Tewkesbury")

# District -> names (and misspellings) of the district and of places within it.
PLACES: Final = MappingProxyType(
    {
        "Cheltenham": (
            "cheltenham",
            "cheltnam",
            "cheltnham",
            "chelt",
            "cheltenam",
            "charlton kings",
            "prestbury",
            "leckhampton",
            "up hatherley",
            "hesters way",
            "hester's way",
            "pittville",
            "warden hill",
            "benhall",
            "swindon village",
        ),
        "Cotswold": (
            "cotswold",
            "cotswolds",
            "cotswald",
            "cotswalds",
            "cirencester",
            "ciren",
            "tetbury",
            "moreton-in-marsh",
            "stow-on-the-wold",
            "bourton-on-the-water",
            "bourton",
            "fairford",
            "lechlade",
            "chipping campden",
            "campden",
            "northleach",
            "south cerney",
            "kemble",
            "andoversford",
            "bibury",
        ),
        "Forest of Dean": (
            "forest of dean",
            "forrest of dean",
            "forest of dene",
            "fod",
            "cinderford",
            "coleford",
            "lydney",
            "lidney",
            "newent",
            "mitcheldean",
            "newnham",
            "newnham on severn",
            "drybrook",
            "ruardean",
            "lydbrook",
            "tidenham",
            "sedbury",
        ),
        "Gloucester": (
            "gloucester",
            "glouster",
            "gloster",
            "glocester",
            "quedgeley",
            "tuffley",
            "hucclecote",
            "barnwood",
            "abbeydale",
            "abbeymead",
            "kingsway",
            "longlevens",
            "matson",
            "kingsholm",
            "tredworth",
            "hempsted",
            "podsmead",
            "coney hill",
            "robinswood",
        ),
        "Stroud": (
            "stroud",
            "stroude",
            "strowd",
            "stonehouse",
            "nailsworth",
            "dursley",
            "wotton-under-edge",
            "minchinhampton",
            "painswick",
            "berkeley",
            "berkley",
            "chalford",
            "brimscombe",
            "rodborough",
            "slimbridge",
            "sharpness",
            "eastington",
            "frampton on severn",
            "forest green",
        ),
        "Tewkesbury": (
            "tewkesbury",
            "tewksbury",
            "tewkesbry",
            "tewksbry",
            "tewkes",
            "bishop's cleeve",
            "bishops cleeve",
            "cleeve",
            "winchcombe",
            "churchdown",
            "brockworth",
            "innsworth",
            "northway",
            "ashchurch",
        ),
    }
)

# Places whose name is also an everyday word ('a cam belt', 'stow the bags', 'forest school'):
# they count only where the text reads as a place (see query_understanding for the test).
PLACES_IN_CONTEXT: Final = MappingProxyType(
    {
        "Stroud": ("cam",),
        "Cotswold": ("stow",),
        "Forest of Dean": ("the forest", "forest"),
    }
)

# Words that may name a place but not one district. 'Glos' is the county to some writers and the
# city to others; 'Wotton' is both Wotton-under-Edge (Stroud) and an area of Gloucester; 'Moreton'
# is both Moreton-in-Marsh (Cotswold) and Moreton Valence (Stroud).
AMBIGUOUS_PLACES: Final = ("glos", "gloucs", "wotton", "moreton")

# Words after a place name that make it a road or a team rather than where a family lives
# ('Gloucester Road' runs through Cheltenham).
NOT_A_PLACE_AFTER: Final = frozenset({"road", "rd", "street", "st", "lane", "avenue", "ave"})

# Need group (a key of ingestion.needs.NEED_WORDS) -> words and phrases families use for it.
# Matched case-insensitively on whole words; acronyms that are also everyday words are in
# CASE_SENSITIVE_NEEDS instead.
NEED_SYNONYMS: Final = MappingProxyType(
    {
        "autism": (
            "autism",
            "autistic",
            "asd",
            "asc",
            "asperger",
            "aspergers",
            "asperger's",
            "asbergers",
            "on the spectrum",
            "autisum",
            "austism",
            "autisim",
            "austim",
            "autsim",
            "awtism",
        ),
        "adhd": (
            "adhd",
            "ahdh",
            "a.d.h.d",
            "a.d.h.d.",
            "attention deficit",
            "hyperactive",
            "hyperactivity",
            "hyper active",
        ),
        "speech and language": (
            "speech",
            "speech and language",
            "speech therapy",
            "speech therapist",
            "speech delay",
            "language delay",
            "slcn",
            "salt therapy",
            "salt team",
            "salt referral",
            # Not 'not talking' alone: "we're not talking about school" is no speech need.
            "not talking yet",
            "still not talking",
            "is not talking",
            "isn't talking",
            "isnt talking",
            "'s not talking",
            "does not talk",
            "doesn't talk",
            "doesnt talk",
            "not speaking yet",
            "isn't speaking",
            "speach",
            "non-verbal",
            "nonverbal",
            "pre-verbal",
            "preverbal",
            "stammer",
            "stammers",
            "stammering",
            "stutter",
            "stutters",
            "stuttering",
            "selective mutism",
            "selectively mute",
            "communication needs",
            "communication difficulties",
            "communication difficulty",
            "communication problems",
        ),
        "semh": (
            "semh",
            "anxiety",
            "anxious",
            "anxiaty",
            "anxeity",
            "mental health",
            "emotional",
            "social emotional",
            "behaviour",
            "behaviours",
            "behavioural",
            "behavior",
            "behavioral",
            "self-esteem",
            "selfesteem",
            "school refusal",
            "school refuser",
            "refusing school",
            "refusing to go to school",
            "ebsa",
            "emotionally based school avoidance",
            "school avoidance",
            "depression",
            "depressed",
            "low mood",
            "panic attacks",
            "wellbeing",
            "well-being",
        ),
        "dyslexia": (
            "dyslexia",
            "dyslexic",
            "dislexia",
            "dislexic",
            "dyslexsia",
            "dyspraxia",
            "dyspraxic",
            "dcd",
            "developmental coordination disorder",
            "dyscalculia",
            "dyscalculic",
            "spld",
            "specific learning difficulty",
            "specific learning difficulties",
        ),
        "physical": (
            "wheelchair",
            "wheelchair user",
            "mobility",
            "cerebral palsy",
            "physical disability",
            "physical disabilities",
            "physically disabled",
            "physical needs",
            "spina bifida",
            "muscular dystrophy",
        ),
        "sensory": (
            # 'Sensory processing' goes here, not under autism: service records are grouped by the
            # word 'sensory' (ingestion.needs), so a family asking about sensory processing finds
            # the services that describe themselves that way.
            "sensory",
            "sensory processing",
            "deaf",
            "deafness",
            "hard of hearing",
            "hearing impairment",
            "hearing impaired",
            "hearing loss",
            "hearing aid",
            "hearing aids",
            "visual impairment",
            "visually impaired",
            "vision impairment",
            "blind",
            "partially sighted",
            "msi",
            "multi-sensory impairment",
        ),
        "learning disability": (
            "learning disability",
            "learning disabilities",
            "learning disabled",
            "learning difficulty",
            "learning difficulties",
            "intellectual disability",
            "down syndrome",
            "down's syndrome",
            "downs syndrome",
            "down syndrom",
            "global developmental delay",
            "global development delay",
            "gdd",
            "pmld",
            "mld",
        ),
    }
)

# Acronyms that are also everyday words ('add', 'hi', 'salt'), matched only in capitals.
CASE_SENSITIVE_NEEDS: Final = MappingProxyType(
    {
        "ADD": "adhd",
        "SALT": "speech and language",
        "HI": "sensory",
        "VI": "sensory",
        "LD": "learning disability",
        "SLD": "learning disability",
    }
)

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
        r"respite": "short breaks",
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


def with_page_words(question: str) -> str:
    """The question with the pages' words added for what families call things ('ehcp' -> 'EHC plan')."""
    added = [words for pattern, words in _page_word_patterns() if pattern.search(question)]
    lowered = question.lower()
    added = [words for words in dict.fromkeys(added) if words.lower() not in lowered]
    return f"{question} ({'; '.join(added)})" if added else question
