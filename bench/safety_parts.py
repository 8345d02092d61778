"""How high a long message's one sentence must score to raise the alarm (``safety.classifier.PART_THRESHOLD``).

``assess`` judges a long message whole and, when neither the rules nor the whole-message score find
a risk, judges each sentence (and each pair of neighbours) alone. This prints, for thresholds from
0.90 to 1.00, what that second look adds on the read sets: at-risk messages caught that would have
been missed, and false alarms on messages without risk. The row 'off' is the detector without it,
in the same run. Sources: the safety sets that have been read (every set in bench/safety/ but the
blind ones, BLIND_SAFETY_SETS) and every turn of the read family-message sets (bench/answers/sets, ALL_READ_SETS), whose
ordinary turns are the false alarms families would meet. Blind sets are never read here.

Choose the threshold where the added false alarms on the families' turns stay at about 1 in 500
(0.2%, a tenth of the issue's 2% budget for false alarms) and say why in docs/safety.md.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

import numpy as np

from bench.answer_set import ALL_READ_SETS, load_answer_set
from bench.results_file import write_results
from bench.safety_eval import BLIND_SAFETY_SETS, SETS, load_labelled_set
from safety.classifier import PART_THRESHOLD
from safety.detector import assess
from safety.model_file import get_classifier
from settings import get_settings

GRID = tuple(float(t) for t in np.round(np.arange(0.90, 1.001, 0.01), 2))


@dataclass(frozen=True)
class Judged:
    """One message: its label, whether the detector without parts flags it, and its strongest part's score."""

    source: str
    at_risk: bool
    flagged_whole: bool
    part_score: float


def judge_all() -> list[Judged]:
    """Every read message, judged whole and by parts."""
    classifier = get_classifier(get_settings().models_dir)
    labelled: list[tuple[str, bool, str]] = []
    for name, path in SETS.items():
        if name not in BLIND_SAFETY_SETS:
            labelled += [(name, m.at_risk, m.text) for m in load_labelled_set(path)]
    for name in ALL_READ_SETS:
        labelled += [(name, t.expected == "safety", t.text) for t in load_answer_set(name).turns]
    judged = []
    for source, at_risk, text in labelled:
        # The detector itself: it scores parts only when the rules and the whole message were not enough,
        # so a message it flags with no part score was flagged whole.
        verdict = assess(text, classifier)
        whole = verdict.at_risk and verdict.part_score == 0.0
        judged.append(Judged(source, at_risk, whole, verdict.part_score))
    return judged


def curve(judged: list[Judged], sources: tuple[str, ...]) -> list[dict[str, Any]]:
    """For 'off' and each threshold: recall and false alarms over the messages from ``sources``."""
    chosen = [j for j in judged if j.source in sources]
    positives = sum(j.at_risk for j in chosen)
    negatives = len(chosen) - positives
    rows = []
    for threshold in (None, *GRID):
        flagged = [j.flagged_whole or (threshold is not None and j.part_score >= threshold) for j in chosen]
        caught = sum(f and j.at_risk for f, j in zip(flagged, chosen, strict=True))
        alarms = sum(f and not j.at_risk for f, j in zip(flagged, chosen, strict=True))
        rows.append(
            {
                "threshold": "off" if threshold is None else threshold,
                "recall": caught / positives if positives else 0.0,
                "caught": caught,
                "at_risk": positives,
                "false_alarms": alarms,
                "false_alarm_rate": alarms / negatives if negatives else 0.0,
                "without_risk": negatives,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print both curves and write bench/results/safety-parts.json."""
    parser = argparse.ArgumentParser(prog="python -m bench safety-parts", description=__doc__)
    parser.parse_args(argv)
    judged = judge_all()
    safety_sets = tuple(name for name in SETS if name not in BLIND_SAFETY_SETS)
    curves = {"safety sets (read)": curve(judged, safety_sets), "families' turns (read)": curve(judged, ALL_READ_SETS)}
    for title, rows in curves.items():
        print(f"\n{title}: current PART_THRESHOLD {PART_THRESHOLD}")
        print(f"{'threshold':>9} {'recall':>7} {'caught':>10} {'false alarms':>13} {'rate':>7}")
        for row in rows:
            threshold = row["threshold"] if row["threshold"] == "off" else f"{row['threshold']:.2f}"
            print(
                f"{threshold:>9} {row['recall']:7.3f} {row['caught']:>4}/{row['at_risk']:<5} "
                f"{row['false_alarms']:>5}/{row['without_risk']:<7} {row['false_alarm_rate']:7.2%}"
            )
    print(f"Wrote {write_results('safety-parts', {'part_threshold': PART_THRESHOLD, 'curves': curves})}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
