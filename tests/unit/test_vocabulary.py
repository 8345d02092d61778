"""Every place, need, age word and audience the bot knows comes from the one vocabulary (vocabulary/).

Rasa's lookup tables and synonyms are generated from it (signposting.bot_vocabulary), the entity
values the bot is trained on are its words, and no other module keeps its own district list or
audience type.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
import yaml

from settings import REPO_ROOT
from signposting.bot_vocabulary import (
    GENERATED_FILE,
    HEADER,
    bot_vocabulary,
    district_synonyms,
    is_current,
    need_synonyms,
    write,
)
from signposting.cli import main
from vocabulary.ages import NUMBER_WORDS, age_in_school_year, ages_in_school_years
from vocabulary.audiences import AUDIENCE_WORDS, AUDIENCES
from vocabulary.needs import ANY_NEED, ANY_NEED_WORDS, CASE_SENSITIVE_NEEDS, NEED_SYNONYMS, NEEDS, RECORD_WORDS
from vocabulary.places import (
    AMBIGUOUS_PLACES,
    ANYWHERE,
    ANYWHERE_WORDS,
    DISTRICTS,
    NEVER_A_NAME,
    PLACES,
    PLACES_IN_CONTEXT,
)

BOT_DATA = REPO_ROOT / "bot"
VOCABULARY_ENTITIES = ("district", "need", "age", "audience")
# [text](entity) and [text]{"entity": "district", "value": "Stroud"} in Rasa's training data.
_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<entity>\w+)\)|(?P<json>\{[^}]*\}))")
# Button payloads: /inform{"district": "Gloucester"}.
_PAYLOAD_VALUE = re.compile(r'"(?P<entity>district|need|audience)":\s*"(?P<value>[^"]+)"')


def _bot_files() -> list[Path]:
    return sorted(p for p in BOT_DATA.rglob("*.yml") if p != GENERATED_FILE)


def test_bot_vocabulary_file_is_generated_from_the_vocabulary() -> None:
    text = GENERATED_FILE.read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    assert text == bot_vocabulary(), "bot/ drifted from vocabulary/: run `python -m signposting vocabulary generate`"


def test_a_drifted_file_is_caught_and_generate_repairs_it(tmp_path: Path) -> None:
    copy = tmp_path / "vocabulary.yml"
    drifted = GENERATED_FILE.read_text(encoding="utf-8").replace("    - tewksbury\n", "")
    assert drifted != GENERATED_FILE.read_text(encoding="utf-8")
    copy.write_text(drifted, encoding="utf-8")
    assert not is_current(copy)
    assert write(copy)
    assert is_current(copy)
    assert not write(copy)


def test_the_cli_check_passes_on_the_committed_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["vocabulary", "generate", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_no_other_bot_file_lists_places_needs_ages_or_audiences() -> None:
    values = {*DISTRICTS, ANYWHERE, *NEEDS, ANY_NEED, *AUDIENCES}
    for path in _bot_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu", []):
            assert item.get("lookup") not in VOCABULARY_ENTITIES, (
                f"{path}: lookup {item['lookup']} belongs in vocabulary/"
            )
            synonym = str(item.get("synonym", ""))
            assert synonym not in values, f"{path}: synonym {synonym} belongs in vocabulary/"
            assert not synonym.isdigit(), f"{path}: age synonym {synonym} belongs in vocabulary/"


def _generated_synonyms() -> dict[str, str]:
    """Lower-case text -> the value Rasa's synonyms give it, from the generated file."""
    data = yaml.safe_load(GENERATED_FILE.read_text(encoding="utf-8"))
    mapping: dict[str, str] = {}
    for item in data["nlu"]:
        if "synonym" in item:
            for line in item["examples"].splitlines():
                mapping[line.removeprefix("- ").strip()] = str(item["synonym"])
    return mapping


def _canonical(entity: str, text: str, synonyms: dict[str, str]) -> str | None:
    lowered = text.lower()
    value = synonyms.get(lowered, text)
    known: dict[str, set[str]] = {
        "district": {*DISTRICTS, ANYWHERE, *AMBIGUOUS_PLACES},
        "need": {*NEEDS, ANY_NEED},
        "audience": set(AUDIENCES),
        "age": {f"{age}" for age in range(26)},
    }
    return value if value in known[entity] else None


def test_every_entity_value_the_bot_is_trained_on_comes_from_the_vocabulary() -> None:
    synonyms = _generated_synonyms()
    seen: dict[str, int] = dict.fromkeys(VOCABULARY_ENTITIES, 0)
    for path in [*_bot_files(), *sorted((BOT_DATA / "tests").glob("*.yml"))]:
        text = path.read_text(encoding="utf-8")
        for match in _ANNOTATION.finditer(text):
            if match["json"]:
                annotation = json.loads(match["json"])
                entity, value = annotation.get("entity"), annotation.get("value", match["text"])
            else:
                entity, value = match["entity"], match["text"]
            if entity in VOCABULARY_ENTITIES:
                seen[entity] += 1
                assert _canonical(entity, value, synonyms), f"{path}: [{match['text']}]({entity}) is not in vocabulary/"
        for match in _PAYLOAD_VALUE.finditer(text):
            assert _canonical(match["entity"], match["value"], synonyms), (
                f"{path}: {match.group()} is not in vocabulary/"
            )
    assert all(seen.values()), seen


def test_generated_synonyms_cover_every_place_and_need_word() -> None:
    districts = district_synonyms()
    for district, names in PLACES.items():
        assert set(names) <= set(districts[district])
        assert {name.replace("-", " ") for name in names} <= set(districts[district])
    needs = need_synonyms()
    for need, words in NEED_SYNONYMS.items():
        assert set(words) - {need} <= set(needs[need])
    for acronym, need in CASE_SENSITIVE_NEEDS.items():
        assert acronym.lower() in needs[need]
    synonyms = _generated_synonyms()
    for word, value in NUMBER_WORDS.items():
        if value >= 1:
            assert synonyms[word] == f"{value:g}"
    for audience, words in AUDIENCE_WORDS.items():
        assert all(synonyms[word] == audience for word in words)
    assert all(synonyms[word] == ANYWHERE for word in ANYWHERE_WORDS if word != ANYWHERE)
    assert all(synonyms[word] == ANY_NEED for word in ANY_NEED_WORDS if word != ANY_NEED)


def test_the_vocabulary_is_consistent() -> None:
    assert tuple(PLACES) == DISTRICTS
    assert set(PLACES_IN_CONTEXT) <= set(DISTRICTS)
    assert tuple(NEED_SYNONYMS) == NEEDS == tuple(RECORD_WORDS)
    assert set(CASE_SENSITIVE_NEEDS.values()) <= set(NEEDS)
    # Every district's own name is a place word privacy never takes for a person's name.
    assert {
        word.lower() for d in DISTRICTS for word in d.split() if word not in ("of", "Forest", "Dean")
    } <= NEVER_A_NAME
    # No place phrase belongs to two districts.
    owners: dict[str, str] = {}
    for district, names in PLACES.items():
        for name in names:
            assert owners.setdefault(name, district) == district, name


def test_one_school_year_rule() -> None:
    assert age_in_school_year(7) == 11.0
    assert age_in_school_year(0) == 4.0  # Reception
    assert ages_in_school_years(7, 11) == (11.0, 16.0)


_PROJECT_PACKAGES = (
    "actions",
    "app_store",
    "bench",
    "demo_site",
    "gateway",
    "glossary",
    "ingestion",
    "insights",
    "knowledge_base",
    "language",
    "privacy",
    "safety",
    "signposting",
    "staff_console",
)


def _project_sources() -> list[Path]:
    return sorted(path for package in _PROJECT_PACKAGES for path in (REPO_ROOT / package).rglob("*.py"))


def _string_tuples(tree: ast.AST) -> list[set[str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            strings = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            if strings:
                found.append(strings)
    return found


def test_grep_finds_one_district_list_and_one_audience_type() -> None:
    districts = set(DISTRICTS)
    audience_values = set(AUDIENCES)
    for path in _project_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for strings in _string_tuples(tree):
            assert len(strings & districts) < 2, f"{path}: a second list of districts; import vocabulary.places"
        for node in ast.walk(tree):
            if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "Literal":
                literal = ast.literal_eval(node.slice) if not isinstance(node.slice, ast.Name) else ()
                values = set(literal) if isinstance(literal, tuple) else {literal}
                assert not audience_values <= values, f"{path}: a second audience type; import vocabulary.audiences"
