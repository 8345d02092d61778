"""The safety rule file: the real one loads, and a malformed one stops the detector with a clear message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from safety.models import CATEGORIES
from safety.rule_file import RULES_FILE, RuleFileError, load_rules


def _good() -> dict[str, Any]:
    return {
        "groups": {"SELF": "(?:my ?self|him ?self)", "HURT": ["(?:hurt", "|harm)"]},
        "threat_words": "(?:me|us)",
        "hard_negatives": [{"id": "hn.idiom", "patterns": [r"\bkilling it\b"]}],
        "risk": [
            {"id": "suicide.kill_self", "category": "suicide_self_harm", "patterns": [r"\bkill <SELF>"]},
            {"id": "harm.hurt", "patterns": [[r"\b<HURT>", r"<GAP2> me\b"]]},
        ],
    }


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "rules.yml"
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data)
    return path


def test_the_projects_rule_file_loads() -> None:
    rules = load_rules(RULES_FILE)
    assert rules.hard_negatives
    assert rules.risk
    assert {rule.category for rule in rules.risk} - {None} == set(CATEGORIES)


def test_groups_gaps_and_pieces_are_expanded(tmp_path: Path) -> None:
    rules = load_rules(_write(tmp_path, _good()))
    assert [rule.id for rule in rules.hard_negatives] == ["hn.idiom"]
    kill_self, hurt = rules.risk
    assert kill_self.pattern.search("i want to kill myself")
    assert kill_self.category == "suicide_self_harm"
    assert hurt.pattern.search("he will harm all of me")
    assert hurt.category is None
    assert not hurt.pattern.search("he will harm all of them now me")


def _broken(change: str) -> dict[str, Any]:
    data = _good()
    risk = data["risk"]
    if change == "unknown key":
        risk[0]["severity"] = "high"
    elif change == "unknown category":
        risk[0]["category"] = "bad_weather"
    elif change == "duplicate id":
        risk[1]["id"] = "suicide.kill_self"
    elif change == "no patterns":
        risk[0]["patterns"] = []
    elif change == "regex that does not compile":
        risk[0]["patterns"] = [r"\bkill (?:my"]
    elif change == "unknown word group":
        risk[0]["patterns"] = [r"\bkill <SOMEONE>"]
    elif change == "hard negative with a category":
        data["hard_negatives"][0]["category"] = "suicide_self_harm"
    elif change == "risk rule with a hard-negative id":
        risk[1]["id"] = "hn.hurt"
    elif change == "lower-case group name":
        data["groups"]["self"] = "(?:me)"
    elif change == "id without a family":
        risk[0]["id"] = "kill_self"
    elif change == "no threat words":
        del data["threat_words"]
    return data


@pytest.mark.parametrize(
    "change",
    [
        "unknown key",
        "unknown category",
        "duplicate id",
        "no patterns",
        "regex that does not compile",
        "unknown word group",
        "hard negative with a category",
        "risk rule with a hard-negative id",
        "lower-case group name",
        "id without a family",
        "no threat words",
    ],
)
def test_a_malformed_rule_file_is_refused(tmp_path: Path, change: str) -> None:
    path = _write(tmp_path, _broken(change))
    with pytest.raises(RuleFileError, match=str(path)):
        load_rules(path)


def test_a_regex_error_names_the_rule_and_pattern(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match=r"rule suicide\.kill_self, pattern 1"):
        load_rules(_write(tmp_path, _broken("regex that does not compile")))


def test_a_file_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError):
        load_rules(_write(tmp_path, "risk: [unclosed"))
