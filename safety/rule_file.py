"""The rule file's schema, checked when it is read: safety/data/rules.yml becomes compiled rules.

The rules are data, so that adding a phrasing is an edit to one YAML file, reviewed like any other
change, and a mistake in it (an unknown category, a duplicate id, a regular expression that does
not compile, a word group that does not exist) stops the detector from loading instead of quietly
matching nothing. The file's own header says how a pattern is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from safety.models import CATEGORIES

RULES_FILE = Path(__file__).resolve().parent / "data" / "rules.yml"

# A pattern is one string, or a list of pieces joined with nothing between them (for long ones).
Pattern = str | list[str]

_GAP = re.compile(r"<GAP(\d+)>")
_SAFE_GAP = re.compile(r"<SAFEGAP(\d+)>")
_GROUP = re.compile(r"<([A-Z]+)>")


class RuleFileError(ValueError):
    """The rule file is malformed; the message names the file and what is wrong."""


def _joined(pattern: Pattern) -> str:
    return pattern if isinstance(pattern, str) else "".join(pattern)


class RuleSpec(BaseModel):
    """One rule as written in the file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z_]+\.[a-z_]+$")
    category: str | None = None
    patterns: list[Pattern] = Field(min_length=1)

    @field_validator("category")
    @classmethod
    def _known_category(cls, category: str | None) -> str | None:
        if category is not None and category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r}; the categories are {', '.join(CATEGORIES)}")
        return category


class RuleFile(BaseModel):
    """The whole file: word groups, the words a safe gap never steps over, then the two lists of rules."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    groups: dict[Annotated[str, Field(pattern=r"^[A-Z]+$")], Pattern]
    threat_words: Pattern
    hard_negatives: list[RuleSpec] = Field(min_length=1)
    risk: list[RuleSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> RuleFile:
        ids = [rule.id for rule in (*self.hard_negatives, *self.risk)]
        if repeated := sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1}):
            raise ValueError(f"rule ids must be unique: {repeated}")
        for rule in self.hard_negatives:
            if not rule.id.startswith("hn.") or rule.category is not None:
                raise ValueError(f"hard negative {rule.id}: ids start with 'hn.' and there is no category")
        if masks := [rule.id for rule in self.risk if rule.id.startswith("hn.")]:
            raise ValueError(f"risk rules cannot have hard-negative ids: {masks}")
        return self


@dataclass(frozen=True)
class Rule:
    """One named pattern. ``category`` is None for hard negatives and for risk rules of no one kind."""

    id: str
    category: str | None
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class RuleSet:
    """The compiled rules: hard-negative masks first, then the risk rules."""

    hard_negatives: tuple[Rule, ...]
    risk: tuple[Rule, ...]


def _expand(pattern: str, groups: dict[str, str], threat_words: str) -> str:
    pattern = _GAP.sub(lambda m: rf"(?: [a-z0-9]+){{0,{m.group(1)}}}", pattern)
    pattern = _SAFE_GAP.sub(lambda m: rf"(?: (?!{threat_words}\b)[a-z0-9]+){{0,{m.group(1)}}}", pattern)
    # Groups may name other groups (CHILD inside a subject), so expand until nothing changes.
    while match := _GROUP.search(pattern):
        if match.group(1) not in groups:
            raise ValueError(f"unknown word group <{match.group(1)}>")
        pattern = _GROUP.sub(lambda m: groups.get(m.group(1), m.group(0)), pattern)
    return pattern


def _compile(rule: RuleSpec, groups: dict[str, str], threat_words: str) -> Rule:
    alternatives = []
    for number, pattern in enumerate(rule.patterns, start=1):
        try:
            expanded = _expand(_joined(pattern), groups, threat_words)
            re.compile(expanded)
        except (ValueError, re.error) as error:
            raise RuleFileError(f"rule {rule.id}, pattern {number}: {error}") from error
        alternatives.append(f"(?:{expanded})")
    return Rule(rule.id, rule.category, re.compile("|".join(alternatives)))


def load_rules(path: Path = RULES_FILE) -> RuleSet:
    """Read, check and compile the rule file; raise RuleFileError naming what is wrong."""
    try:
        spec = RuleFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as error:
        raise RuleFileError(f"{path}: {error}") from error
    groups = {name: _joined(group) for name, group in spec.groups.items()}
    threat_words = _joined(spec.threat_words)
    try:
        return RuleSet(
            tuple(_compile(rule, groups, threat_words) for rule in spec.hard_negatives),
            tuple(_compile(rule, groups, threat_words) for rule in spec.risk),
        )
    except RuleFileError as error:
        raise RuleFileError(f"{path}: {error}") from error
