"""What the family writes after the safety response: carried on, or in hand? Scored turn by turn.

Each conversation of bench/safety/followups_*.yml opens with a message at risk, then one or two
turns labelled ``safety`` (the danger is still going on) or ``not_safety`` (help reached, the person
safe, thanks, or a new question). ``followups_5.yml`` and ``followups_6.yml`` are the other way
round: each conversation opens with an ordinary question, and in 40 of their 60 the risk appears only
in a later turn (often short, or leaning on the turns before; in ``followups_6`` said inside small
talk); those turns are counted apart ('risk appears later').

The turns are read as the gateway reads them: ``safety.assess``, then ``safety.carry_on`` when the
turn before was at risk. The baseline in the same run reads every turn alone, as if the conversation
had no history, which shows what reading the conversation adds.
``followups_holdout.yml`` is blind: only its figures are printed.

Run: ``python -m bench safety-follow-ups [--set followups_dev] [--show]`` (``--show`` refuses a blind set).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import yaml
from pydantic import BaseModel

from bench.results_file import write_results
from safety.detector import assess, carried_quietly, carry_on
from safety.model_file import get_classifier
from settings import REPO_ROOT, get_settings

SETS_DIR = REPO_ROOT / "bench" / "safety"
SETS = ("followups_dev", "followups_holdout", "followups_3", "followups_4", "followups_5", "followups_6")
BLIND = frozenset({"followups_holdout"})


class FollowUpTurn(BaseModel):
    text: str
    label: Literal["safety", "not_safety"]


class FollowUpConversation(BaseModel):
    id: str
    writer: str
    risk: str
    turns: list[FollowUpTurn]


@dataclass
class Tally:
    opening: int = 0
    opening_caught: int = 0
    appears: int = 0
    appears_caught: int = 0
    at_risk: int = 0
    caught: int = 0
    no_risk: int = 0
    false_alarms: int = 0

    def figures(self) -> dict[str, float | int]:
        return {
            "openings": self.opening,
            "openings_caught": self.opening_caught,
            "risk_appears_later": self.appears,
            "risk_appears_later_caught": self.appears_caught,
            "follow_ups_at_risk": self.at_risk,
            "follow_up_recall": round(self.caught / self.at_risk, 3) if self.at_risk else 0.0,
            "follow_ups_no_risk": self.no_risk,
            "false_alarms": self.false_alarms,
            "false_alarm_rate": round(self.false_alarms / self.no_risk, 3) if self.no_risk else 0.0,
        }


def load(name: str) -> list[FollowUpConversation]:
    raw = yaml.safe_load((SETS_DIR / f"{name}.yml").read_text(encoding="utf-8"))
    return [FollowUpConversation.model_validate(c) for c in raw["conversations"]]


def score(conversations: list[FollowUpConversation], with_history: bool, show: bool = False) -> Tally:
    classifier = get_classifier(get_settings().models_dir)
    tally = Tally()
    for conversation in conversations:
        before_at_risk, quietly = False, False
        for index, turn in enumerate(conversation.turns):
            assessment = assess(turn.text, classifier)
            if with_history and before_at_risk:
                assessment = carry_on(assessment, turn.text, quietly_before=quietly)
            if index == 0 and turn.label == "safety":
                tally.opening += 1
                tally.opening_caught += assessment.at_risk
            elif turn.label == "safety":
                tally.at_risk += 1
                tally.caught += assessment.at_risk
                # A risk that appears after an ordinary turn, where nothing is carried over.
                if conversation.turns[index - 1].label == "not_safety":
                    tally.appears += 1
                    tally.appears_caught += assessment.at_risk
                if show and not assessment.at_risk:
                    print(f"  missed       {conversation.id}.{index + 1}: {turn.text}")
            else:
                tally.no_risk += 1
                tally.false_alarms += assessment.at_risk
                if show and assessment.at_risk:
                    print(f"  false alarm  {conversation.id}.{index + 1} {assessment.rule_matches}: {turn.text}")
            before_at_risk, quietly = assessment.at_risk, carried_quietly(assessment)
    return tally


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench safety-follow-ups", description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=SETS, default=None, help="one set (default: all)")
    parser.add_argument("--show", action="store_true", help="print the turns judged wrongly (not on a blind set)")
    args = parser.parse_args(argv)
    names = [args.set] if args.set else list(SETS)
    if args.show and BLIND & set(names):
        parser.error("--show prints messages: not on a blind set (followups_holdout)")
    results: dict[str, dict[str, dict[str, float | int]]] = {}
    header = (
        f"{'set':20} {'reading':22} {'openings caught':>16} {'follow-up recall':>17}"
        f" {'risk appears later':>19} {'false alarms':>14}"
    )
    print(header)
    for name in names:
        conversations = load(name)
        results[name] = {}
        for label, with_history in (("each turn alone", False), ("in the conversation", True)):
            tally = score(conversations, with_history, show=args.show and with_history)
            figures = tally.figures()
            results[name][label] = figures
            print(
                f"{name:20} {label:22} {tally.opening_caught:>8} of {tally.opening:<5}"
                f" {figures['follow_up_recall']:>9.3f} of {tally.at_risk:<4}"
                f" {tally.appears_caught:>10} of {tally.appears:<4}"
                f" {tally.false_alarms:>5} of {tally.no_risk:<3} ({figures['false_alarm_rate']:.0%})"
            )
    print(f"Figures written to {write_results('safety-follow-ups', {'sets': results})}")
    return 0
