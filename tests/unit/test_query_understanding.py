from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge_base.query_understanding import QueryFacts, understand
from vocabulary.needs import NEED_SYNONYMS, NEEDS
from vocabulary.places import DISTRICTS, PLACES

# --- places -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "districts", "places"),
    [
        ("autism group in cheltnam for my 7 year old", ("Cheltenham",), ("cheltnam",)),
        ("anything in Cheltenham?", ("Cheltenham",), ("Cheltenham",)),
        ("chelt", ("Cheltenham",), ("chelt",)),
        ("Cheltenham's autism groups", ("Cheltenham",), ("Cheltenham",)),
        ("groups in Charlton Kings", ("Cheltenham",), ("Charlton Kings",)),
        ("we live in up hatherley", ("Cheltenham",), ("up hatherley",)),
        ("Hester's Way children's centre", ("Cheltenham",), ("Hester's Way",)),
        ("hesters way", ("Cheltenham",), ("hesters way",)),
        ("Prestbury or Leckhampton", ("Cheltenham",), ("Prestbury", "Leckhampton")),
        ("the Cotswolds", ("Cotswold",), ("Cotswolds",)),
        ("cirenchester", ("Cotswold",), ("cirenchester",)),
        ("Moreton in Marsh", ("Cotswold",), ("Moreton in Marsh",)),
        ("moreton-in-marsh", ("Cotswold",), ("moreton-in-marsh",)),
        ("Stow-on-the-Wold", ("Cotswold",), ("Stow-on-the-Wold",)),
        ("we live in stow", ("Cotswold",), ("stow",)),
        ("Bourton on the Water", ("Cotswold",), ("Bourton on the Water",)),
        ("Tetbury, Fairford and Lechlade", ("Cotswold",), ("Tetbury", "Fairford", "Lechlade")),
        ("chipping campden or northleach", ("Cotswold",), ("chipping campden", "northleach")),
        ("forest of dean", ("Forest of Dean",), ("forest of dean",)),
        ("forrest of dean", ("Forest of Dean",), ("forrest of dean",)),
        ("anything in FoD?", ("Forest of Dean",), ("FoD",)),
        ("anything in the forest for dyslexia?", ("Forest of Dean",), ("the forest",)),
        ("Cinderford, Coleford or Lydney", ("Forest of Dean",), ("Cinderford", "Coleford", "Lydney")),
        ("newent and mitcheldean", ("Forest of Dean",), ("newent", "mitcheldean")),
        ("Newnham", ("Forest of Dean",), ("Newnham",)),
        ("glouster", ("Gloucester",), ("glouster",)),
        ("gloster", ("Gloucester",), ("gloster",)),
        ("Gloucester city", ("Gloucester",), ("Gloucester",)),
        ("Quedgeley, Tuffley and Hucclecote", ("Gloucester",), ("Quedgeley", "Tuffley", "Hucclecote")),
        ("barnwood abbeydale kingsway", ("Gloucester",), ("barnwood", "abbeydale", "kingsway")),
        ("longlevens or matson", ("Gloucester",), ("longlevens", "matson")),
        ("stroud", ("Stroud",), ("stroud",)),
        ("stroude", ("Stroud",), ("stroude",)),
        ("Stonehouse and Nailsworth", ("Stroud",), ("Stonehouse", "Nailsworth")),
        ("dursley", ("Stroud",), ("dursley",)),
        ("Wotton-under-Edge", ("Stroud",), ("Wotton-under-Edge",)),
        ("we live in cam", ("Stroud",), ("cam",)),
        ("near cam", ("Stroud",), ("cam",)),
        ("cam and dursley", ("Stroud",), ("cam", "dursley")),
        ("Minchinhampton, Painswick, Berkeley", ("Stroud",), ("Minchinhampton", "Painswick", "Berkeley")),
        ("tewksbury", ("Tewkesbury",), ("tewksbury",)),
        ("tewkesbry", ("Tewkesbury",), ("tewkesbry",)),
        ("im 17 live in tewksbury", ("Tewkesbury",), ("tewksbury",)),
        ("Bishop's Cleeve", ("Tewkesbury",), ("Bishop's Cleeve",)),
        ("bishops cleeve", ("Tewkesbury",), ("bishops cleeve",)),
        ("cleeve", ("Tewkesbury",), ("cleeve",)),
        ("winchcombe or churchdown", ("Tewkesbury",), ("winchcombe", "churchdown")),
        ("Brockworth, Innsworth, Northway", ("Tewkesbury",), ("Brockworth", "Innsworth", "Northway")),
        ("cheltenhem", ("Cheltenham",), ("cheltenhem",)),
        ("we moved from Stroud to Cheltenham", ("Stroud", "Cheltenham"), ("Stroud", "Cheltenham")),
        ("I live on Gloucester Road in Cheltenham", ("Cheltenham",), ("Cheltenham",)),
        # Forest Green is part of Nailsworth, not the Forest of Dean.
        ("a club at Forest Green", ("Stroud",), ("Forest Green",)),
    ],
)
def test_places_map_to_their_district(text: str, districts: tuple[str, ...], places: tuple[str, ...]) -> None:
    facts = understand(text)
    assert facts.districts == districts
    assert facts.places == places


@pytest.mark.parametrize(
    "text",
    [
        "Gloucestershire",
        "Gloucestershire County Council",
        "anywhere in the county",
        "glocestershire",
        "my car needs a cam belt",
        "the forest school movement",
        "is there a forest school near us",
        "in the forest school",
        "stow the bags in the car",
        "a storehouse",
        "he is strong",
        "Leicester",
        "Dean is his key worker",
    ],
)
def test_not_a_district(text: str) -> None:
    facts = understand(text)
    assert facts.districts == ()
    assert facts.places == ()


@pytest.mark.parametrize(
    ("text", "ambiguous"),
    [("anything in glos?", ("glos",)), ("Glos families directory", ("Glos",)), ("Wotton", ("Wotton",))],
)
def test_places_that_name_no_single_district_are_ambiguous(text: str, ambiguous: tuple[str, ...]) -> None:
    facts = understand(text)
    assert facts.ambiguous_places == ambiguous
    assert facts.districts == ()


def test_a_full_town_name_is_not_ambiguous() -> None:
    facts = understand("we live in Wotton under Edge")
    assert facts.districts == ("Stroud",)
    assert facts.ambiguous_places == ()


@pytest.mark.parametrize(
    ("district", "name"), [(district, name) for district, names in PLACES.items() for name in names]
)
def test_every_gazetteer_place_is_recognised(district: str, name: str) -> None:
    assert understand(f"is there anything near {name}?").districts == (district,)


def test_gazetteer_uses_the_six_districts() -> None:
    assert set(PLACES) == set(DISTRICTS)


# --- needs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "needs"),
    [
        ("he is autistic", ("autism",)),
        ("waiting for an ASD assessment", ("autism",)),
        ("ASC diagnosis", ("autism",)),
        ("my son has Asperger's", ("autism",)),
        ("she is on the spectrum", ("autism",)),
        ("autisum", ("autism",)),
        ("austism support", ("autism",)),
        ("ADHD", ("adhd",)),
        ("a.d.h.d", ("adhd",)),
        ("he has ADD", ("adhd",)),
        ("attention deficit", ("adhd",)),
        ("very hyperactive", ("adhd",)),
        ("SLCN", ("speech and language",)),
        ("SALT referral", ("speech and language",)),
        ("speech therapy", ("speech and language",)),
        ("he is not talking yet", ("speech and language",)),
        ("non-verbal", ("speech and language",)),
        ("a stammer", ("speech and language",)),
        ("selective mutism", ("speech and language",)),
        ("anxiety", ("semh",)),
        ("mental health", ("semh",)),
        ("social emotional", ("semh",)),
        ("behaviour at school", ("semh",)),
        ("low self-esteem", ("semh",)),
        ("school refusal", ("semh",)),
        ("EBSA", ("semh",)),
        ("dyslexic", ("dyslexia",)),
        ("dislexia", ("dyslexia",)),
        ("dyspraxia", ("dyslexia",)),
        ("DCD", ("dyslexia",)),
        ("dyscalculia", ("dyslexia",)),
        ("SpLD", ("dyslexia",)),
        ("specific learning difficulties", ("dyslexia",)),
        ("wheelchair", ("physical",)),
        ("mobility", ("physical",)),
        ("cerebral palsy", ("physical",)),
        ("cerebal palsy", ("physical",)),
        ("physical disability", ("physical",)),
        ("deaf", ("sensory",)),
        ("hearing impairment", ("sensory",)),
        ("hearing impairments", ("sensory",)),
        ("my son has HI", ("sensory",)),
        ("HI support", ("sensory",)),
        ("the VI team", ("sensory",)),
        ("visual impairment", ("sensory",)),
        ("blind", ("sensory",)),
        ("partially sighted", ("sensory",)),
        ("MSI", ("sensory",)),
        ("sensory processing", ("sensory",)),
        ("LD", ("learning disability",)),
        ("Down syndrome", ("learning disability",)),
        ("Down's syndrome", ("learning disability",)),
        ("global developmental delay", ("learning disability",)),
        ("GDD", ("learning disability",)),
        ("learning difficulties", ("learning disability",)),
        ("specific learning difficulties and learning difficulties", ("dyslexia", "learning disability")),
        ("ADHD and autism", ("adhd", "autism")),
    ],
)
def test_needs_and_their_synonyms(text: str, needs: tuple[str, ...]) -> None:
    assert understand(text).needs == needs


@pytest.mark.parametrize(
    ("need", "phrase"), [(need, phrase) for need, phrases in NEED_SYNONYMS.items() for phrase in phrases]
)
def test_every_need_synonym_is_recognised(need: str, phrase: str) -> None:
    assert need in understand(f"help with {phrase} please").needs


def test_need_groups_are_the_ingestion_groups() -> None:
    assert tuple(NEED_SYNONYMS) == NEEDS


@pytest.mark.parametrize(
    "text",
    [
        "can you add me to the list",
        "PLEASE ADD ME TO THE LIST",
        "Hi, can I get some help",
        "HI, can I get some help",
        "I'm killing it at school",
        "i can't cope",
        "a salt and pepper shaker",
        "I'm learning to drive",
        "we're not talking about school",
        # SLT at school is the senior leadership team, not speech and language therapy.
        "SLT said no",
    ],
)
def test_no_need_in_everyday_words(text: str) -> None:
    assert understand(text).needs == ()


# --- ages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("my 7 year old", 7),
        ("7yo", 7),
        ("my 7 yr old", 7),
        ("my 7-year-old", 7),
        ("my 7 years old son", 7),
        ("seven year old", 7),
        ("16 y/o", 16),
        ("she's 16", 16),
        ("he is 4", 4),
        ("Tom is 7", 7),
        ("my daughter (12) has anxiety", 12),
        ("aged 12", 12),
        ("age 3", 3),
        ("im 17", 17),
        ("i'm 17", 17),
        ("I’m 17", 17),
        ("i am seventeen", 17),
        ("I am twenty-one", 21),
        ("turning 18", 18),
        ("she's 6 and a half", 6.5),
        ("my 18 month old", 1.5),
        ("she is 6 months old", 0.5),
        ("year 9", 13),
        ("in Year 3", 7),
        ("y9", 13),
        ("yr 10", 14),
        ("year 13", 17),
        ("reception", 4),
        ("starting reception in September", 4),
        ("nursery", 3),
        ("pre-school", 3),
        ("sixth form", 16),
        ("post 16", 16),
        ("post-16 options", 16),
        ("toddler group", 2),
        ("baby group", 0),
        ("my 7 year old and my 12 year old", 7),
        ("she's 16 and in year 11", 16),
        ("he is in year 6, he's 11", 11),
        ("i'm 35 and my son is 7", 7),
    ],
)
def test_ages(text: str, age: float) -> None:
    assert understand(text).age == pytest.approx(age)


@pytest.mark.parametrize(
    "text",
    [
        "2 years ago",
        "we waited 18 months",
        "20 weeks",
        "within 6 weeks",
        "for 3 years",
        "in the year 2025",
        "it costs £16",
        "20 hours a week",
        "aged 30",
        "he is 2 years behind",
        "she has a reading age of 6",
        "I'm 20 weeks pregnant",
        "it is 16 miles away",
        "the appointment is at 3",
        "he is one of the best",
        "ask at reception",
        "secondary school",
        "primary school",
    ],
)
def test_not_an_age(text: str) -> None:
    assert understand(text).age is None


# --- the writer ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "young_person"),
    [
        ("im 17 live in tewksbury", True),
        ("i am seventeen", True),
        ("I'm 16 and autistic, what help is there at college?", True),
        ("i'm at college and need help", True),
        ("can i get help at college", True),
        ("I want to change my EHCP, can I ask for a review?", True),
        ("i am in year 12", True),
        ("i go to college in stroud", True),
        ("i'm at college and need help with my ehcp", True),
        ("my plan is to move to Stroud, I think", False),
        ("can i get help with transport", False),
        ("i can't cope", False),
        ("my son is 17 and wants to go to college", False),
        ("can i get help at college for my daughter", False),
        ("she's 16 and in year 11, anything in the forest for dyslexia?", False),
        ("I'm looking at colleges for him", False),
        ("i'm 35 and at college", False),
        ("im 12 and have adhd", False),
        ("i am in year 9 and want help", False),
        ("turning 18", False),
        ("my grandson is at college", False),
        ("our lad has autism, I'm at my wits' end", False),
        ("I'm 17, my brother is 7 and has autism", True),
    ],
)
def test_young_person(text: str, young_person: bool) -> None:
    assert understand(text).young_person is young_person


def test_a_young_persons_age_is_their_own() -> None:
    assert understand("i'm 19 and want to find an apprenticeship").age == 19


def test_a_parents_own_age_is_not_the_childs() -> None:
    assert understand("I'm 19 and my son is 2").age == 2


# --- whole messages -----------------------------------------------------------------------------

RAMBLING = (
    "Hi there, sorry this is a long one. We moved to Bishops Cleeve last spring from Bristol and "
    "honestly it has been a really hard year for all of us. My daughter is 9 and she is in Year 4 at "
    "the local primary. The school have been quite good but she still comes home every day upset "
    "and exhausted. We waited 18 months for an assessment and in the end she was diagnosed with "
    "autism and ADHD about 2 years ago, but nobody told us what happens next. Her teacher thinks "
    "she might be dyslexic as well because she struggles so much with reading and spelling. She "
    "gets very anxious in the mornings and some days she just won't go in at all, which the school "
    "calls school refusal, and I have had to give up two days of work a week to cope with it. My "
    "husband works long hours in Gloucester so it is mostly me at home. I have heard about EHCPs "
    "and the Graduated Pathway but I do not really understand the difference or whether she would "
    "even qualify for one. Are there any groups or clubs near us for girls like her, where she "
    "could make friends, and is there anyone I could talk to about what to ask the school for "
    "before her next review? We can drive to Cheltenham or Tewkesbury if needed. Thank you so much "
    "for reading this far."
)


def test_a_long_rambling_message_is_understood() -> None:
    assert 200 <= len(RAMBLING.split()) <= 250
    facts = understand(RAMBLING)
    assert facts.districts == ("Tewkesbury", "Gloucester", "Cheltenham")
    assert facts.places == ("Bishops Cleeve", "Gloucester", "Cheltenham", "Tewkesbury")
    assert facts.age == 9
    assert facts.needs == ("autism", "adhd", "dyslexia", "semh")
    assert facts.young_person is False


def test_the_example_questions() -> None:
    assert understand("autism group in cheltnam for my 7 year old") == QueryFacts(
        districts=("Cheltenham",),
        age=7.0,
        needs=("autism",),
        young_person=False,
        ambiguous_places=(),
        places=("cheltnam",),
    )
    facts = understand("she's 16 and in year 11, anything in the forest for dyslexia?")
    assert (facts.districts, facts.age, facts.needs, facts.young_person) == (
        ("Forest of Dean",),
        16.0,
        ("dyslexia",),
        False,
    )


@pytest.mark.parametrize("text", ["", "   ", "?!", "🙂🙂", "x" * 20_000, "year " * 3000, "0" * 50])
def test_odd_input_gives_empty_facts(text: str) -> None:
    assert understand(text) == QueryFacts((), None, (), False, (), ())


def test_facts_are_frozen() -> None:
    facts = understand("stroud")
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.age = 3  # type: ignore[misc]


def test_importing_the_module_does_not_import_spacy() -> None:
    # spaCy brings torch with it; the action server must load it in its worker, not at import.
    code = "import sys, knowledge_base.query_understanding; sys.exit('spacy' in sys.modules)"
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=root, check=False).returncode == 0
