"""Recall and false positives of the safeguarding detector on its labelled set.

Scores the rules alone, the classifier alone and the two combined (what ``safety.assess`` does) on
bench/safety/labelled.yml; prints per-category recall, every miss and every false positive (the
messages are our own, written for the set), the classifier's training time (at build time), its
loading time (at start-up) and the warm latency of ``assess``; writes bench/results/safety.json.
Trains the saved classifier first if its training data or code changed, as ``signposting train`` does.

Run: ``python -m bench.safety_eval [--repeat N]`` (or ``python -m bench safety``).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.results_file import write_results
from safety.classifier import THRESHOLD, LabelledMessage, load_training_set, train
from safety.detector import assess, warm_up
from safety.model_file import get_classifier, load_classifier
from safety.models import CATEGORIES
from safety.rules import apply_rules
from safety.semantic import SentenceEncoder
from settings import REPO_ROOT, get_settings
from signposting.training import ensure_safety_trained

LABELLED_FILE = REPO_ROOT / "bench" / "safety" / "labelled.yml"
# Written blind (its author never saw the rules, the training data or the labelled set); never tune on it.
HOLDOUT_FILE = REPO_ROOT / "bench" / "safety" / "holdout.yml"
# A second blind set, written 2026-11-24 after the first had been read to add a rule (so the first
# is no longer blind). Never read its items to change the detector; write a new set instead.
HOLDOUT2_FILE = REPO_ROOT / "bench" / "safety" / "holdout2.yml"
# Written 2026-12-04 by two new writers each (parents and professionals; young people and those near
# them) after the answer set blind_test missed 7 of its 36 at-risk messages. holdout3 was scored once,
# figures only, and then read to learn from; holdout4 is blind: score it with --figures-only.
HOLDOUT3_FILE = REPO_ROOT / "bench" / "safety" / "holdout3.yml"
HOLDOUT4_FILE = REPO_ROOT / "bench" / "safety" / "holdout4.yml"
# Written later on 2026-12-04 by four more writers (formal and case-note professionals, English as a
# second language and grandparents; quick replies mid-chat, adults with learning disabilities and
# young carers): holdout5 scored once, figures only, then read; holdout6 blind.
HOLDOUT5_FILE = REPO_ROOT / "bench" / "safety" / "holdout5.yml"
HOLDOUT6_FILE = REPO_ROOT / "bench" / "safety" / "holdout6.yml"
# Written 2026-12-05 by two more writers (risks buried in long SEND stories, young people, short
# replies mid-chat; staff describing what they see without naming it): scored once, then read.
HOLDOUT7_FILE = REPO_ROOT / "bench" / "safety" / "holdout7.yml"
# Written 2026-12-05 (evening) by two more writers (risk mentioned in passing mid-conversation or in a
# short reply; professionals' quick notes and young people writing literally): scored once, then read.
HOLDOUT8_FILE = REPO_ROOT / "bench" / "safety" / "holdout8.yml"
# Written 2026-12-06 by two more writers (long tired stories, slang, kinship carers, later lines of a
# chat; professionals' notes, adults with learning disabilities, English as a second language,
# siblings): scored once, figures only, then read.
HOLDOUT9_FILE = REPO_ROOT / "bench" / "safety" / "holdout9.yml"
# Written 2026-12-06 (midday) by two more writers after blind_14 missed two risks that fresh rules did
# not catch (risks one clause in a long story, typos, young people; professionals' notes, siblings,
# later lines of a chat, questions mixed with something else): scored once, figures only, then read.
HOLDOUT10_FILE = REPO_ROOT / "bench" / "safety" / "holdout10.yml"
# Written the same afternoon by two more writers, to judge holdout10's changes on messages nobody had
# read (later turns of a conversation, exhausted carers, asides; early years and school staff, foster
# carers, complex medical needs, young carers): scored once, figures only, then read.
HOLDOUT11_FILE = REPO_ROOT / "bench" / "safety" / "holdout11.yml"
# Written at the end of that day by two more writers (bench/safety/HOLDOUT_BRIEF.md), to judge the
# holdout10 and holdout11 rules on messages nobody has read: blind, scored with --figures-only.
HOLDOUT12_FILE = REPO_ROOT / "bench" / "safety" / "holdout12.yml"
# Written 2026-12-06 (evening) by two more writers with the same brief, before the classifier was
# trained on the read sets: blind, scored with --figures-only.
HOLDOUT13_FILE = REPO_ROOT / "bench" / "safety" / "holdout13.yml"
# Written the same evening by two more writers (U and V) with that brief and more long SEND questions
# holding a risk as one clause, as training messages: scored once (figures only), then read.
HOLDOUT14_FILE = REPO_ROOT / "bench" / "safety" / "holdout14.yml"
# Written 2026-12-07 by two more writers (W and X) with holdout14's brief, after blind_16 missed
# three risks: training messages, scored once (figures only), then read.
HOLDOUT15_FILE = REPO_ROOT / "bench" / "safety" / "holdout15.yml"
# Written the same day by two more writers (Y and Z) with the same brief and new voices: training
# messages, scored once (figures only), then read.
HOLDOUT16_FILE = REPO_ROOT / "bench" / "safety" / "holdout16.yml"
# Written that evening by two more writers (AA and AB) with the same brief, new voices and risks told
# understated (hedged, matter-of-fact, a practical problem): training messages, scored once (figures
# only), then read.
HOLDOUT17_FILE = REPO_ROOT / "bench" / "safety" / "holdout17.yml"
# Written the next day by two more writers (AC and AD) with the same brief, new voices and risks told
# understated, some through what someone did: training messages, scored once (figures only), then read.
HOLDOUT18_FILE = REPO_ROOT / "bench" / "safety" / "holdout18.yml"
# Written the next evening by two more writers (AE and AF), likewise, with risks also told as a worry
# about logistics or what the writer noticed: training messages, scored once (figures only), then read.
HOLDOUT19_FILE = REPO_ROOT / "bench" / "safety" / "holdout19.yml"
# Written later that evening by two more writers (AG and AH), likewise, with most risks said inside the
# small talk of a chat (a thank-you, a goodbye, a one-line reply): training messages, scored once
# (figures only), then read.
HOLDOUT20_FILE = REPO_ROOT / "bench" / "safety" / "holdout20.yml"
SETS = {
    "labelled": LABELLED_FILE,
    "holdout": HOLDOUT_FILE,
    "holdout2": HOLDOUT2_FILE,
    "holdout3": HOLDOUT3_FILE,
    "holdout4": HOLDOUT4_FILE,
    "holdout5": HOLDOUT5_FILE,
    "holdout6": HOLDOUT6_FILE,
    "holdout7": HOLDOUT7_FILE,
    "holdout8": HOLDOUT8_FILE,
    "holdout9": HOLDOUT9_FILE,
    "holdout10": HOLDOUT10_FILE,
    "holdout11": HOLDOUT11_FILE,
    "holdout12": HOLDOUT12_FILE,
    "holdout13": HOLDOUT13_FILE,
    "holdout14": HOLDOUT14_FILE,
    "holdout15": HOLDOUT15_FILE,
    "holdout16": HOLDOUT16_FILE,
    "holdout17": HOLDOUT17_FILE,
    "holdout18": HOLDOUT18_FILE,
    "holdout19": HOLDOUT19_FILE,
    "holdout20": HOLDOUT20_FILE,
}
# Sets no one changing the detector has read: their messages are never printed or written out.
BLIND_SAFETY_SETS = ("holdout4", "holdout6", "holdout12", "holdout13")
# The sets that have been read (all but the labelled floor and the blind ones): the safety classifier
# also learns from them (bench/safety_examples.py), so their figures are no longer a measure of unseen
# messages; the blind sets are.
READ_SAFETY_SETS = tuple(name for name in SETS if name != "labelled" and name not in BLIND_SAFETY_SETS)
RESULT_NAMES = {name: "safety" if name == "labelled" else f"safety-{name}" for name in SETS}
METHODS = ("rules", "classifier", "combined")


def load_labelled_set(path: Path = LABELLED_FILE) -> list[LabelledMessage]:
    """Read the evaluation set; raise ValueError on an item that breaks the file's rules."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
    messages = []
    for number, item in enumerate(items, start=1):
        if set(item) != {"text", "at_risk", "category", "hard_negative"}:
            raise ValueError(f"{path} item {number}: needs exactly text, at_risk, category, hard_negative")
        at_risk, category, hard = bool(item["at_risk"]), item["category"], bool(item["hard_negative"])
        if at_risk and category not in CATEGORIES:
            raise ValueError(f"{path} item {number}: at-risk items need a category from {CATEGORIES}")
        if not at_risk and category is not None:
            raise ValueError(f"{path} item {number}: not-at-risk items have category null")
        if at_risk and hard:
            raise ValueError(f"{path} item {number}: hard_negative is for not-at-risk items only")
        messages.append(LabelledMessage(" ".join(str(item["text"]).split()), at_risk, category, hard))
    return messages


@dataclass(frozen=True)
class Verdicts:
    """What each method said about one message."""

    message: LabelledMessage
    rules: bool
    classifier: bool
    combined: bool
    score: float
    rule_ids: tuple[str, ...]
    categories: tuple[str, ...]


def judge(messages: Sequence[LabelledMessage]) -> list[Verdicts]:
    """Run the rules, the classifier and the combined detector on every message."""
    classifier = get_classifier(get_settings().models_dir)
    verdicts = []
    for message in messages:
        outcome = apply_rules(message.text)
        score = classifier.score(outcome.masked)
        assessment = assess(message.text, classifier)
        verdicts.append(
            Verdicts(
                message,
                rules=bool(outcome.matches),
                classifier=score >= THRESHOLD,
                combined=assessment.at_risk,
                score=score,
                rule_ids=outcome.matches,
                categories=assessment.categories,
            )
        )
    return verdicts


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def metrics(verdicts: Sequence[Verdicts], method: str) -> dict[str, float]:
    """Recall, false-positive rate (all negatives and hard negatives) and precision of one method."""
    flagged = [getattr(v, method) for v in verdicts]
    labels = [v.message.at_risk for v in verdicts]
    hard = [v.message.hard_negative for v in verdicts]
    true_pos = sum(f and y for f, y in zip(flagged, labels, strict=True))
    false_pos = sum(f and not y for f, y in zip(flagged, labels, strict=True))
    hard_false_pos = sum(f and h for f, h in zip(flagged, hard, strict=True))
    positives = sum(labels)
    return {
        "recall": _ratio(true_pos, positives),
        "false_positive_rate": _ratio(false_pos, len(labels) - positives),
        "hard_negative_false_positive_rate": _ratio(hard_false_pos, sum(hard)),
        "precision": _ratio(true_pos, true_pos + false_pos),
        "false_positives": false_pos,
        "misses": positives - true_pos,
    }


def category_recall(verdicts: Sequence[Verdicts], method: str) -> dict[str, dict[str, float]]:
    """Recall of one method within each labelled category."""
    rows = {}
    for category in CATEGORIES:
        in_category = [v for v in verdicts if v.message.category == category]
        caught = sum(getattr(v, method) for v in in_category)
        rows[category] = {"messages": len(in_category), "recall": _ratio(caught, len(in_category))}
    return rows


def _percentiles(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000,
        "max_ms": ordered[-1] * 1000,
    }


def latency(messages: Sequence[LabelledMessage], repeat: int) -> dict[str, float]:
    """Warm per-message time of ``assess`` over the set, ``repeat`` times each."""
    classifier = get_classifier(get_settings().models_dir)
    warm_up(classifier)
    samples = []
    for _ in range(repeat):
        for message in messages:
            started = time.perf_counter()
            assess(message.text, classifier)
            samples.append(time.perf_counter() - started)
    return _percentiles(samples)


def training_seconds() -> float:
    """Time to train the classifier from the training file (what ``signposting train`` spends)."""
    # The training vectors come from the models directory, as for `signposting train`.
    encoder = SentenceEncoder(cache_dir=get_settings().models_dir)
    started = time.perf_counter()
    train(load_training_set(), encoder=encoder)
    return time.perf_counter() - started


def _print_items(misses: Sequence[Verdicts], false_positives: Sequence[Verdicts], rescued: Sequence[Verdicts]) -> None:
    print(f"\nMisses ({len(misses)}):")
    for v in misses:
        print(f"  [{v.message.category}] score {v.score:.2f}: {v.message.text}")
    print(f"False positives ({len(false_positives)}):")
    for v in false_positives:
        found = ", ".join(v.rule_ids) or f"classifier {v.score:.2f}"
        print(f"  ({found}): {v.message.text}")
    print(f"Caught by the classifier only ({len(rescued)}):")
    for v in rescued:
        print(f"  score {v.score:.2f}: {v.message.text}")


def loading_seconds() -> float:
    """Time to check and load the saved classifier (what the gateway's start-up spends on it)."""
    ensure_safety_trained(get_settings().models_dir)
    started = time.perf_counter()
    load_classifier(get_settings().models_dir)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation and write bench/results/safety.json; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bench.safety_eval", description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the set (default 5)")
    parser.add_argument(
        "--set",
        choices=tuple(SETS),
        default="labelled",
        help=(
            "labelled: the evaluation set; holdout: written blind, since read once to add a rule; "
            "holdout2: written blind later, since read once; holdout3: written 2026-12-04, read after "
            "its first scoring; holdout4: written with holdout3 and never read (figures only); holdout5 "
            "and holdout6: written later that day, holdout5 read after its first scoring, holdout6 never read; "
            "holdout7 and holdout8: written 2026-12-05, each read after its first scoring; holdout9: "
            "written 2026-12-06, read after its first scoring; holdout10 and holdout11: written later that "
            "day, likewise; holdout12 and holdout13: written after them, never read (figures only); holdout14: written "
            "with more risks inside long SEND questions, read after its first scoring; holdout15: written 2026-12-07 "
            "with the same brief by two more writers, likewise; holdout16: two more writers later that day, likewise; "
            "holdout17: two more, with understated risks, likewise; holdout18 and holdout19: two more each, likewise; "
            "holdout20: two more, with risks said inside small talk, likewise"
        ),
    )
    parser.add_argument(
        "--figures-only",
        action="store_true",
        help="print and write the figures without any message: for a blind set, whose items must stay unread",
    )
    args = parser.parse_args(argv)
    if args.set in BLIND_SAFETY_SETS and not args.figures_only:
        print(f"{args.set} is blind: showing figures only.")
        args.figures_only = True

    messages = load_labelled_set(SETS[args.set])
    train_time = training_seconds()
    load_time = loading_seconds()
    verdicts = judge(messages)
    table = {method: metrics(verdicts, method) for method in METHODS}
    per_category = {method: category_recall(verdicts, method) for method in METHODS}
    timing = latency(messages, args.repeat)
    positives = [v for v in verdicts if v.message.at_risk]
    category_agreement = _ratio(
        sum(v.message.category in v.categories for v in positives if v.combined), len(positives)
    )

    hard = sum(m.hard_negative for m in messages)
    print(
        f"Safety detector on {len(messages)} labelled messages: {len(positives)} at risk, "
        f"{len(messages) - len(positives)} not ({hard} hard negatives); classifier threshold {THRESHOLD}"
    )
    print(f"{'method':12} {'recall':>7} {'FPR':>7} {'hard FPR':>9} {'precision':>10} {'misses':>7} {'false +':>8}")
    for method, row in table.items():
        print(
            f"{method:12} {row['recall']:7.3f} {row['false_positive_rate']:7.3f} "
            f"{row['hard_negative_false_positive_rate']:9.3f} {row['precision']:10.3f} "
            f"{row['misses']:7d} {row['false_positives']:8d}"
        )
    print(f"\n{'category':20} {'n':>3} " + " ".join(f"{m:>10}" for m in METHODS))
    for category in CATEGORIES:
        n = per_category["combined"][category]["messages"]
        cells = " ".join(f"{per_category[m][category]['recall']:10.3f}" for m in METHODS)
        print(f"{category:20} {n:3.0f} {cells}")
    print(f"\nCombined: the labelled category is among those named for {category_agreement:.1%} of at-risk messages")

    misses = [v for v in verdicts if v.message.at_risk and not v.combined]
    false_positives = [v for v in verdicts if v.combined and not v.message.at_risk]
    rescued = [v for v in positives if v.combined and not v.rules]
    if args.figures_only:
        print(
            f"\n{len(misses)} misses, {len(false_positives)} false positives, "
            f"{len(rescued)} caught by the classifier only (messages not shown: --figures-only)"
        )
    else:
        _print_items(misses, false_positives, rescued)
    print(
        f"\nClassifier training {train_time * 1000:.0f} ms (build time), loading {load_time * 1000:.0f} ms (start-up); "
        f"assess() warm latency p50 {timing['p50_ms']:.2f} ms, "
        f"p95 {timing['p95_ms']:.2f} ms, max {timing['max_ms']:.2f} ms ({len(messages)} messages x {args.repeat})"
    )

    def listed(verdicts: Sequence[Verdicts]) -> int | list[str]:
        # A blind set's messages are never written out: only how many.
        return len(verdicts) if args.figures_only else [v.message.text for v in verdicts]

    figures: dict[str, Any] = {
        "messages": len(messages),
        "at_risk": len(positives),
        "hard_negatives": hard,
        "threshold": THRESHOLD,
        "methods": table,
        "category_recall": per_category,
        "category_agreement": category_agreement,
        "misses": listed(misses),
        "false_positives": listed(false_positives),
        "classifier_only_catches": listed(rescued),
        "training_seconds": train_time,
        "loading_seconds": load_time,
        "latency": {**timing, "repeat": args.repeat},
    }
    print(f"Wrote {write_results(RESULT_NAMES[args.set], figures)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
