"""High-recall phrase rules for risk, and the hard-negative phrases set aside before them.

The rules themselves are data (safety/data/rules.yml, checked by ``safety.rule_file``); this module
applies them. They run on the normalised text (``safety.text.normalise``).

Hard negatives come first: idioms ("the wait is killing me"), SEND or safeguarding jargon ("at risk
of exclusion"), game and pretend violence, schoolwork about a risky topic and process words are
replaced by ``#`` so that neither the risk rules nor the classifier see them. Masking a phrase,
rather than vetoing the whole message, keeps a real risk found elsewhere in the same message: "he
is killing it at school but he told me he wants to kill himself" is still caught.

After the phrase masks, ``safety.context`` sets aside whole clauses whose harm is clearly over ("she
self harmed years ago and is doing well now") or was never harm (marks that turned out to be eczema),
unless anything in the message says a harm is here now.

Rules without a category ("someone hits me", "said he will kill us") are clear about risk but not
about its kind; the detector asks the classifier to name the kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from safety.context import MASK, set_aside_past_and_benign
from safety.rule_file import Rule, load_rules
from safety.text import normalise

_RULES = load_rules()
HARD_NEGATIVE_RULES: tuple[Rule, ...] = _RULES.hard_negatives
RISK_RULES: tuple[Rule, ...] = _RULES.risk


@dataclass(frozen=True)
class RuleOutcome:
    """What the rules found in one message, and the text with hard negatives masked."""

    masked: str
    matches: tuple[str, ...]
    categories: tuple[str, ...]
    hard_negatives: tuple[str, ...]


def mask_hard_negatives(normalised: str) -> tuple[str, tuple[str, ...]]:
    """Replace every hard-negative phrase by MASK; return the text and the ids of the phrases found."""
    found = []
    for rule in HARD_NEGATIVE_RULES:
        masked, count = rule.pattern.subn(f" {MASK} ", normalised)
        if count:
            found.append(rule.id)
            normalised = masked
    return " ".join(normalised.split()), tuple(found)


def prepare(text: str) -> tuple[str, tuple[str, ...]]:
    """The form both rules and classifier read, and the ids of what was set aside on the way.

    ``text`` is normalised, its hard-negative phrases are masked, then clauses whose harm is clearly
    over (or was never harm) are masked too (``safety.context``), unless anything in the message says
    a harm is here now.
    """
    masked, hard_negatives = mask_hard_negatives(normalise(text))
    context = set_aside_past_and_benign(masked)
    return context.text, hard_negatives + context.reasons


def apply_rules(text: str) -> RuleOutcome:
    """Run the hard-negative masks and the context pass, then every risk rule, on one message."""
    masked, hard_negatives = prepare(text)
    matches: list[str] = []
    categories: list[str] = []
    for rule in RISK_RULES:
        if rule.pattern.search(masked):
            matches.append(rule.id)
            if rule.category and rule.category not in categories:
                categories.append(rule.category)
    return RuleOutcome(masked, tuple(matches), tuple(categories), hard_negatives)
