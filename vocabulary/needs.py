"""SEND needs: the Local Offer's broad need groups, and the words that name each one.

Two lists per group, for two kinds of text. Families write everyday words, misspellings and
phrases ('on the spectrum', 'isnt talking'): :data:`NEED_SYNONYMS`, matched on whole words.
Service records are short and written in a controlled vocabulary: :data:`RECORD_WORDS`, matched
on word starts ('dyslexi' covers 'dyslexia' and 'dyslexic').
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

# Need group -> words that name it in a service record (lower case; matched on word starts).
RECORD_WORDS: Final = MappingProxyType(
    {
        "autism": ("autism", "autistic", "asd", "asc"),
        "adhd": ("adhd", "attention deficit"),
        "speech and language": ("speech", "language", "slcn", "communication", "stammer"),
        "semh": ("semh", "mental health", "emotional", "wellbeing", "anxiety", "anxious"),
        "dyslexia": ("dyslexi", "dyscalculi", "dyspraxi", "specific learning"),
        "physical": ("physical", "mobility", "wheelchair", "cerebral palsy"),
        "sensory": ("sensory", "hearing", "deaf", "vision", "visual", "visually", "sight", "blind"),
        "learning disability": ("learning disabilit", "down syndrome", "down's syndrome"),
    }
)

# The need groups, in the order search filters number them.
NEEDS: Final = tuple(RECORD_WORDS)

# Need group -> words and phrases families use for it.
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
            "wheelchair users",
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


# What a family answers when asked about needs and none fits ('not sure', 'something else').
ANY_NEED: Final = "any"
ANY_NEED_WORDS: Final = (
    "any",
    "any need",
    "something else",
    "not sure",
    "don't know",
    "dont know",
    "anything",
    "other",
    "all",
)
