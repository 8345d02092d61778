"""The SEND glossary: its content (count, length, pages, phone numbers) and its lookup.

The phone-number check compares against docs/facts.md, the project's checked list of public
contacts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from demo_site.server import snapshot_files
from glossary import DEFAULT_PATH, Glossary, GlossaryEntry, GlossaryError, load_glossary
from settings import Settings
from tests.facts import public_contacts

# Counted here independently of glossary.models, so a change there cannot hide a long definition.
WORD = re.compile(r"\S+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# UK phone numbers as written in prose: 0800 158 3603, 01452 426565, 116 123, 999.
PHONE = re.compile(r"\b(?:0\d{2,4}(?: ?\d){5,8}|116 ?\d{3}|999|111|101)\b")


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(contacts=Settings().contact_numbers())


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


# --- content ----------------------------------------------------------------------------------


def test_at_least_90_entries(glossary: Glossary) -> None:
    assert len(glossary) >= 90


def test_every_entry_in_the_file_is_valid() -> None:
    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    entries = [GlossaryEntry.model_validate(item) for item in raw["entries"]]
    assert len(entries) == len(raw["entries"])
    assert all(entry.definition and entry.see for entry in entries)


def test_every_see_page_is_a_page_of_the_demo_snapshot(glossary: Glossary) -> None:
    # The snapshot is what a demo build holds; at run time the check is against the build itself.
    advice = [path.stem for path in snapshot_files() if path.parent.name == "advice"]
    served = [f"http://127.0.0.1:8080/kb5/gloucs/glosfamilies/advice.page?id={page}" for page in advice]
    assert [entry.term for entry in glossary.unlinked(served)] == []


def test_see_pages_are_advice_pages_with_kb5_links(glossary: Glossary) -> None:
    for entry in glossary:
        kind, page_id = entry.see.split("/")
        assert kind == "advice"
        assert entry.see_page == f"advice.page?id={page_id}"


@pytest.mark.parametrize("field", ["definition", "young_person"])
def test_texts_are_short_plain_sentences(glossary: Glossary, field: str) -> None:
    for entry in glossary:
        text = getattr(entry, field)
        if text is None:
            continue
        sentences = [s for s in SENTENCE_END.split(text) if s]
        assert len(WORD.findall(text)) <= 40, entry.term
        assert 1 <= len(sentences) <= 2, entry.term
        for sentence in sentences:
            assert len(WORD.findall(sentence)) <= 25, (entry.term, sentence)
        assert text[-1] in ".!?", entry.term


def test_young_people_get_their_own_version_where_it_matters(glossary: Glossary) -> None:
    with_version = {entry.term for entry in glossary if entry.young_person}
    assert {"EHC plan", "Preparing for adulthood (PfA)", "Supported internship", "PIP", "SENDIASS"} <= with_version
    for entry in glossary:
        if entry.young_person:
            assert re.search(r"\byou(r)?\b", entry.young_person, re.IGNORECASE), entry.term
            assert entry.text_for(young_person=True) == entry.young_person
        assert entry.text_for(young_person=False) == entry.definition


def test_phone_numbers_in_definitions_are_only_those_in_facts(glossary: Glossary) -> None:
    known = {digits(number) for number in public_contacts().values()}
    used = {
        digits(number)
        for entry in glossary
        for text in (entry.definition, entry.young_person or "")
        for number in PHONE.findall(text)
    }
    assert used, "the glossary should give at least the SENDIASS number"
    assert used <= known, used - known


def test_the_phone_pattern_finds_the_forms_used() -> None:
    # The check above is only as good as this pattern.
    text = "Call 0800 158 3603, 01452 426565 or 0800 542 02 02; Samaritans 116 123; 999."
    assert [digits(n) for n in PHONE.findall(text)] == ["08001583603", "01452426565", "08005420202", "116123", "999"]


def test_the_brief_s_terms_are_all_there(glossary: Glossary) -> None:
    asked = [
        "EHCP", "EHC needs assessment", "SENCO", "SEN support", "SEND", "SEMH", "SLCN", "SALT", "OT",
        "physio", "CAMHS", "ASD", "ADHD", "SpLD", "MLD", "SLD", "PMLD", "VI", "MSI", "PD", "PfA",
        "TAF", "TAC", "LOI", "graduated pathway", "My Plan", "My Plan+", "annual review", "phase transfer",
        "section B", "section E", "section F", "section I", "section J", "named school", "draft plan",
        "final plan", "SENDIST", "mediation", "mediation certificate", "SENDIASS", "IPSEA",
        "parent carer forum", "local offer", "personal budget", "direct payment", "short breaks", "EOTAS",
        "EHE", "alternative provision", "PRU", "hospital education", "DSL", "safeguarding", "suspension",
        "permanent exclusion", "part-time timetable", "reasonable adjustments", "Equality Act 2010",
        "Children and Families Act 2014", "SEND Code of Practice", "local authority", "DfE", "Ofsted",
        "post-16", "supported internship", "apprenticeship", "DLA", "Personal Independence Payment",
        "Carer's Allowance", "carer's assessment", "Mental Capacity Act", "transition", "Ready Steady Go",
        "Future Me", "MOMO", "educational psychologist", "HNF", "element 3", "notional SEN budget",
        "statutory", "20-week timescale",
    ]  # fmt: skip
    missing = [term for term in asked if glossary.find(f"what is {term}") is None]
    assert missing == []


# --- lookup ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "term"),
    [
        # The brief's own examples.
        ("what does SENCO mean", "SENCO"),
        ("whats a ehcp", "EHC plan"),
        ("meaning of pfa", "Preparing for adulthood (PfA)"),
        ("what is section i of an ehcp", "Section I"),
        ("sendco?", "SENCO"),
        ("what's my plan plus", "My Plan+"),
        ("define SEMH", "SEMH"),
        ("what does it mean when they say graduated pathway", "Graduated Pathway"),
        # Case, punctuation, spacing, dots, curly apostrophes and plurals.
        ("WHAT IS AN EHCP???", "EHC plan"),
        ("e.h.c.p", "EHC plan"),
        ("What\u2019s a SENCo?", "SENCO"),
        ("myplan+", "My Plan+"),
        ("what is a special educational needs co-ordinator", "SENCO"),
        ("how many EHCPs are there", "EHC plan"),
        ("carers' allowance", "Carer's Allowance"),
        ("what is a post-16 placement", "Post-16"),
        ("PfA??", "Preparing for adulthood (PfA)"),
        ("what's the graduated pathway", "Graduated Pathway"),
        ("whats an ehcp", "EHC plan"),
        # The longest match wins.
        ("is an ehc needs assessment the same as an ehcp", "EHC needs assessment"),
        ("what does ehc stand for", "EHC plan"),
        ("what is the difference between My Plan and My Plan+", "My Plan+"),
        ("my son's school wants a parent carer needs assessment", "Carer's assessment"),
        # Other abbreviations and local names.
        ("what is CYPS", "CYPS"),
        ("what does LOI mean", "Levels of intervention (LOI)"),
        ("what is a TAF meeting", "Team Around the Family (TAF)"),
        ("what is element 3 funding", "Element 1, 2 and 3 funding"),
        ("is sendist the same as the tribunal", "SEND Tribunal"),
        ("what is momo", "MOMO (Mind Of My Own)"),
        ("they said my child is on a reduced timetable", "Part-time timetable"),
        ("school keeps sending him home, is that an informal exclusion", "Informal exclusion"),
        # Everyday words are terms only in capitals or when the question asks what they mean.
        ("what does send mean", "SEND"),
        ("what is SALT", "Speech and language therapy (SALT or SLT)"),
        ("my son has HI, what help can he get", "HI"),
        ("can my daughter get PIP", "PIP"),
        # One typo in a term of 5 or more letters.
        ("what is a sencoo", "SENCO"),
        ("graduated pathwya", "Graduated Pathway"),
        ("how long does an ehc needs asessment take", "EHC needs assessment"),
        ("what is camsh", "CAMHS"),
        ("what is dyslexa", "Dyslexia"),
        ("apprentiseship", "Apprenticeship"),
        ("my son got a suspention", "Suspension"),
        ("what does ofstead do", "Ofsted"),
        ("what is a tribunel", "SEND Tribunal"),
        ("educational psycologist", "Educational psychologist (EP)"),
        # Nothing asked about.
        ("how do i apply", None),
        ("my son is 7", None),
        ("hello", None),
        ("hi", None),
        ("HI", None),
        ("thanks", None),
        ("", None),
        ("how do i send the form", None),
        ("HOW DO I SEND THE FORM", None),
        ("is salt bad for children", None),
        # A real word is not a typo: "medication" is not "mediation".
        ("what is medication", None),
        # No typos in short terms: "ehcpp" is not "ehcp", "pfaa" is not "pfa".
        ("ehcpp", None),
        ("pfaa", None),
    ],
)
def test_find(glossary: Glossary, question: str, term: str | None) -> None:
    found = glossary.find(question)
    assert (found.term if found else None) == term


def test_every_term_and_alias_is_found_when_asked_about(glossary: Glossary) -> None:
    wrong = []
    for entry in glossary:
        for name in (entry.term, *entry.aliases):
            found = glossary.find(f"what does {name} mean?")
            if found is not entry:
                wrong.append((name, found.term if found else None))
    assert wrong == []


@pytest.mark.parametrize(
    ("message", "term"),
    [
        ("DLA", "DLA"),
        ("portage", "Portage"),
        ("EHCPs", "EHC plan"),
        ("Team Around the Child (TAC)", "Team Around the Child (TAC)"),
        ("  co-production! ", "Co-production"),
        # More than the name, a near miss, or an everyday word alone: not a bare name.
        ("what is dla", None),
        ("dla for my son", None),
        ("portge", None),
        ("hi", None),
        ("send", None),
        ("", None),
    ],
)
def test_named_matches_only_a_message_that_is_just_a_term(glossary: Glossary, message: str, term: str | None) -> None:
    entry = glossary.named(message)
    assert (entry.term if entry else None) == term


def test_terms_in_lists_each_term_once_in_order(glossary: Glossary) -> None:
    passage = (
        "Talk to the SENCO first. If SEN support is not enough, ask for an EHC needs assessment. "
        "The SENCO can help you send the request. Section F of the EHC plan sets out the help."
    )
    assert [entry.term for entry in glossary.terms_in(passage)] == [
        "SENCO",
        "SEN support",
        "EHC needs assessment",
        "Section F",
        "EHC plan",
    ]


def test_terms_in_reads_everyday_words_only_in_capitals(glossary: Glossary) -> None:
    assert [e.term for e in glossary.terms_in("Children with SEND get help.")] == ["SEND"]
    assert glossary.terms_in("Please send the form and say hi.") == []


def test_terms_in_does_not_guess_typos(glossary: Glossary) -> None:
    assert glossary.terms_in("Ask the sencoo.") == []


# --- validation --------------------------------------------------------------------------------


def entry_yaml(term: str, aliases: str = "[]", definition: str = "A short plain definition.") -> str:
    return f"  - term: {term}\n    aliases: {aliases}\n    definition: {definition}\n    see: advice/glossary\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "terms.yml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_small_file_loads(tmp_path: Path) -> None:
    path = write(tmp_path, "entries:\n" + entry_yaml("SENCO", "[sendco]") + entry_yaml("EHC plan", "[ehcp]"))
    glossary = load_glossary(path, known_words=frozenset())
    assert [entry.term for entry in glossary] == ["SENCO", "EHC plan"]
    assert glossary.find("sendco?") is glossary.entries[0]


def test_an_alias_shared_by_two_entries_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "entries:\n" + entry_yaml("SENCO", "[senco]") + entry_yaml("SENDCO", "[S.E.N.C.O.]"))
    with pytest.raises(GlossaryError, match="alias of both"):
        load_glossary(path)


def test_a_term_whose_page_the_build_lacks_is_unlinked(tmp_path: Path) -> None:
    body = entry_yaml("SENCO") + entry_yaml("EHC plan", "[ehcp]").replace("advice/glossary", "advice/no-such-page")
    glossary = load_glossary(write(tmp_path, "entries:\n" + body), known_words=frozenset())
    build = ["http://x/kb5/advice.page?id=glossary", "http://x/kb5/advice.page?id=my-no-such-page"]

    assert [entry.term for entry in glossary.unlinked(build)] == ["EHC plan"]
    assert [entry.term for entry in glossary.unlinked([])] == ["SENCO", "EHC plan"]


@pytest.mark.parametrize(
    "definition",
    [
        " ".join(["word"] * 41) + ".",  # over 40 words
        " ".join(["word"] * 26) + ". Short.",  # a sentence over 25 words
        "One. Two. Three.",  # over 2 sentences
    ],
)
def test_a_long_definition_is_refused(tmp_path: Path, definition: str) -> None:
    path = write(tmp_path, "entries:\n" + entry_yaml("SENCO", definition=definition))
    with pytest.raises(GlossaryError, match="definition"):
        load_glossary(path)


def test_an_everyday_word_must_be_an_alias(tmp_path: Path) -> None:
    path = write(tmp_path, "everyday_words: [send]\nentries:\n" + entry_yaml("SENCO"))
    with pytest.raises(GlossaryError, match="everyday_words"):
        load_glossary(path)


def test_an_unreadable_file_is_a_glossary_error(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="cannot read"):
        load_glossary(tmp_path / "missing.yml")
    with pytest.raises(GlossaryError):
        load_glossary(write(tmp_path, "entries: [{term: SENCO}]\n"))


def test_phone_numbers_come_from_the_settings_not_the_terms_file(tmp_path: Path) -> None:
    assert not PHONE.search(
        DEFAULT_PATH.read_text(encoding="utf-8").split("entries:", 1)[1].replace("$emergency_phone", "")
    )
    numbers = {name: f"01632 960{i:03d}" for i, name in enumerate(Settings().contact_numbers())}
    sendiass = load_glossary(contacts=numbers).find("what is sendiass")
    assert sendiass is not None
    assert numbers["sendiass_phone"] in sendiass.definition
    path = tmp_path / "terms.yml"
    path.write_text(
        "entries:\n  - term: Helpline\n    aliases: [helpline]\n    definition: >-\n"
        "      Call the helpline on $no_such_phone.\n    see: advice/glossary\n"
    )
    with pytest.raises(GlossaryError, match="no_such_phone"):
        load_glossary(path, known_words=frozenset(), contacts=numbers)
