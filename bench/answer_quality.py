"""Play a family-message set through the running stack and judge every reply, against a baseline.

``python -m bench answers [--set blind_15] [--baseline REF | --baseline none] [--gateway URL]``

Every message goes through ``POST /api/chat`` (gateway -> safety -> Rasa -> actions -> knowledge
base), each single message in a conversation of its own and each conversation's turns in order.
Printed, per expected behaviour and overall: right behaviour, key-fact coverage, the answer rate
and 'not sure' rate on answerable questions, the wrong-page rate among answers, safety recall, and
false alarms (the safety response to a turn with no risk, over every turn). The baseline (by
default the assistant as it was before the answer-first routing, commit BASELINE_REF) is started
from a git worktree and judged in the same run by the same rules (bench/answer_scoring.py).

The blind set's items are never printed; ``--show-failures`` works only on sets already read.
"""

from __future__ import annotations

import argparse
import statistics
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.answer_scoring import (
    ACCEPTED,
    Markers,
    Observed,
    cited_page,
    fact_coverage,
    is_answerable,
    observed_behaviour,
    page_matches,
)
from bench.answer_set import BLIND_SET, BLIND_SETS, AnswerSet, Behaviour, Turn, load_answer_set
from bench.results_file import write_results
from bench.stack_runner import baseline_tree, running_stack
from settings import get_settings

# The assistant before issue 10's answer-first routing: the baseline every run is compared with.
BASELINE_REF = "eff7010"
WORKERS = 3
BEHAVIOURS: tuple[Behaviour, ...] = (
    "answer",
    "answer_and_signpost",
    "handoff",
    "safety",
    "clarify",
    "out_of_scope",
    "small_talk",
)


@dataclass
class Judged:
    """One turn as played: what was expected, what the assistant did, and how well."""

    item: str
    turn: Turn
    in_conversation: bool
    later_turn: bool  # a conversation's second turn or after: read in the light of what came before
    observed: Observed
    reply: list[dict[str, Any]]
    coverage: float | None
    cited: str | None

    @property
    def right(self) -> bool:
        return self.observed in ACCEPTED[self.turn.expected]

    @property
    def answered(self) -> bool:
        return self.observed in ("answer", "answer_and_signpost")

    @property
    def wrong_page(self) -> bool:
        pages = self.turn.pages
        return self.answered and bool(pages) and self.cited is not None and not page_matches(self.cited, pages or [])


@dataclass
class Figures:
    label: str
    judged: list[Judged] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        turns = self.judged
        answerable = [j for j in turns if is_answerable(j.turn.expected, j.turn.pages)]
        answers = [j for j in turns if j.answered and j.turn.pages]
        safety = [j for j in turns if j.turn.expected == "safety"]
        no_risk = [j for j in turns if j.turn.expected != "safety"]
        no_risk_conv = [j for j in no_risk if j.in_conversation]
        coverages = [j.coverage for j in answerable if j.coverage is not None]
        by_label = {}
        for label in BEHAVIOURS:
            group = [j for j in turns if j.turn.expected == label]
            if group:
                by_label[label] = {"n": len(group), "right": _share(sum(j.right for j in group), len(group))}
        observed: dict[str, int] = defaultdict(int)
        # What a wrong turn got instead, as counts ('small_talk -> answer'): figures only, safe on a blind set.
        mistakes: dict[str, int] = defaultdict(int)
        for j in turns:
            observed[j.observed] += 1
            if not j.right:
                mistakes[f"{j.turn.expected} -> {j.observed}"] += 1
        return {
            "turns": len(turns),
            "right_behaviour": _share(sum(j.right for j in turns), len(turns)),
            "by_expected": by_label,
            "key_fact_coverage": statistics.fmean(coverages) if coverages else None,
            "answerable": len(answerable),
            "answer_rate": _share(sum(j.answered for j in answerable), len(answerable)),
            "not_sure_rate": _share(sum(j.observed == "not_sure" for j in answerable), len(answerable)),
            "wrong_page_rate": _share(sum(j.wrong_page for j in answers), len(answers)),
            "safety_recall": _share(sum(j.observed == "safety" for j in safety), len(safety)),
            "false_alarm_rate": _share(sum(j.observed == "safety" for j in no_risk), len(no_risk)),
            "false_alarm_rate_conversations": _share(
                sum(j.observed == "safety" for j in no_risk_conv), len(no_risk_conv)
            ),
            "observed": dict(observed),
            "mistakes": dict(sorted(mistakes.items(), key=lambda kv: (-kv[1], kv[0]))),
            "gaps": _gaps(answers, answerable),
        }


def _gaps(answers: list[Judged], answerable: list[Judged]) -> dict[str, float | None]:
    """Where the wrong pages and missing key facts are, as figures only (safe on a blind set).

    Wrong pages split between opening messages and later conversation turns; key-fact coverage
    split by what the reply did: quoted a right page, quoted a wrong one, or gave no answer.
    """
    openers = [j for j in answers if not j.later_turn]
    later = [j for j in answers if j.later_turn]
    with_facts = [j for j in answerable if j.coverage is not None]
    right_page = [j for j in with_facts if j.answered and j.cited is not None and not j.wrong_page]
    wrong_page = [j for j in with_facts if j.wrong_page]
    unanswered = [j for j in with_facts if not j.answered]

    def coverage(group: list[Judged]) -> float | None:
        return statistics.fmean(j.coverage or 0.0 for j in group) if group else None

    return {
        "answers_opening": len(openers),
        "wrong_page_rate_opening": _share(sum(j.wrong_page for j in openers), len(openers)),
        "answers_later_turns": len(later),
        "wrong_page_rate_later_turns": _share(sum(j.wrong_page for j in later), len(later)),
        "answerable_with_facts": len(with_facts),
        "share_right_page": _share(len(right_page), len(with_facts)),
        "key_facts_right_page": coverage(right_page),
        "share_wrong_page": _share(len(wrong_page), len(with_facts)),
        "key_facts_wrong_page": coverage(wrong_page),
        "share_unanswered": _share(len(unanswered), len(with_facts)),
        "key_facts_unanswered": coverage(unanswered),
    }


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _audience(who: str) -> str:
    return "young_person" if who == "young_person" else "parent"


def _send(client: httpx.Client, sender: str, text: str, audience: str) -> list[dict[str, Any]]:
    response = client.post("/api/chat", json={"sender_id": sender, "message": text, "audience": audience})
    if response.status_code != 200:
        return [{"text": f"HTTP {response.status_code}", "kind": "error"}]
    messages: list[dict[str, Any]] = response.json().get("messages", [])
    return messages


def play(answer_set: AnswerSet, gateway_url: str, label: str, markers: Markers) -> Figures:
    """Every message and conversation of the set through one running stack."""
    figures = Figures(label)
    run = uuid.uuid4().hex[:8]

    def judge(item: str, turn: Turn, reply: list[dict[str, Any]], in_conversation: bool, later: bool) -> Judged:
        observed = observed_behaviour(reply, markers)
        return Judged(
            item,
            turn,
            in_conversation,
            later,
            observed,
            reply,
            fact_coverage(turn.key_facts, reply),
            cited_page(reply, markers),
        )

    def single(index: int) -> list[Judged]:
        message = answer_set.messages[index]
        with httpx.Client(base_url=gateway_url, timeout=60) as client:
            reply = _send(client, f"bench-{run}-{message.id}", message.text, _audience(message.audience))
        return [judge(message.id, message, reply, False, False)]

    def conversation(index: int) -> list[Judged]:
        talk = answer_set.conversations[index]
        judged = []
        with httpx.Client(base_url=gateway_url, timeout=60) as client:
            for number, turn in enumerate(talk.turns, 1):
                reply = _send(client, f"bench-{run}-{talk.id}", turn.text, _audience(talk.audience))
                judged.append(judge(f"{talk.id}.{number}", turn, reply, True, number > 1))
        return judged

    with ThreadPoolExecutor(WORKERS) as pool:
        jobs = [pool.submit(single, i) for i in range(len(answer_set.messages))]
        jobs += [pool.submit(conversation, i) for i in range(len(answer_set.conversations))]
        for done, job in enumerate(jobs, 1):
            figures.judged += job.result()
            if done % 50 == 0:
                print(f"  {label}: {done} of {len(jobs)} items played", flush=True)
    return figures


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:5.1f}%"


def print_table(results: list[Figures]) -> None:
    summaries = [(f.label, f.summary()) for f in results]
    width = 12
    print(f"\n{'right behaviour by expected':34}" + "".join(f"{label:>{width}}" for label, _ in summaries))
    for behaviour in BEHAVIOURS:
        cells = []
        for _, s in summaries:
            row = s["by_expected"].get(behaviour)
            cells.append(f"{_pct(row['right']) if row else '-':>{width}}")
        n = next((s["by_expected"][behaviour]["n"] for _, s in summaries if behaviour in s["by_expected"]), 0)
        print(f"  {behaviour + f' ({n})':32}" + "".join(cells))
    rows = [
        ("right behaviour, all turns", "right_behaviour", "gate >= 90%"),
        ("key-fact coverage (answerable)", "key_fact_coverage", "gate >= 60%"),
        ("answer rate (answerable)", "answer_rate", ""),
        ("'not sure' (answerable)", "not_sure_rate", "gate <= 10%"),
        ("wrong page among answers", "wrong_page_rate", "gate <= 5%"),
        ("safety recall", "safety_recall", "gate 100%"),
        ("false alarms, turns with no risk", "false_alarm_rate", "gate <= 2%"),
        ("  of which conversation turns", "false_alarm_rate_conversations", ""),
    ]
    print()
    for title, key, gate in rows:
        print(f"{title:34}" + "".join(f"{_pct(s[key]):>{width}}" for _, s in summaries) + f"   {gate}")
    print("\nwhere the gaps are")
    gap_rows = [
        ("wrong page, opening messages", "wrong_page_rate_opening", "answers_opening"),
        ("wrong page, later turns", "wrong_page_rate_later_turns", "answers_later_turns"),
        ("answerable turns quoting a right page", "share_right_page", "answerable_with_facts"),
        ("  key facts in them", "key_facts_right_page", ""),
        ("answerable turns quoting a wrong page", "share_wrong_page", ""),
        ("  key facts in them", "key_facts_wrong_page", ""),
        ("answerable turns not answered", "share_unanswered", ""),
        ("  key facts in them", "key_facts_unanswered", ""),
    ]
    for title, key, count in gap_rows:
        cells = []
        for _, s in summaries:
            gaps = s["gaps"]
            cells.append(_pct(gaps[key]) + (f" of {gaps[count]}" if count else ""))
        print(f"  {title:38}" + "".join(f"{cell:>{width + 4}}" for cell in cells))
    print("\nwhat the assistant did (turns)")
    kinds = sorted({k for _, s in summaries for k in s["observed"]})
    for kind in kinds:
        print(f"  {kind:32}" + "".join(f"{s['observed'].get(kind, 0):>{width}}" for _, s in summaries))
    print("\nwrong turns: expected -> got (turns)")
    pairs = sorted(
        {p for _, s in summaries for p in s["mistakes"]}, key=lambda p: -summaries[0][1]["mistakes"].get(p, 0)
    )
    for pair in pairs:
        print(f"  {pair:38}" + "".join(f"{s['mistakes'].get(pair, 0):>{width}}" for _, s in summaries))


def print_failures(figures: Figures) -> None:
    for j in figures.judged:
        if j.right and not j.wrong_page and (j.coverage is None or j.coverage >= 0.5):
            continue
        first = " | ".join(str(m.get("text", ""))[:160].replace("\n", " ") for m in j.reply[:2])
        cov = "-" if j.coverage is None else f"{j.coverage:.2f}"
        print(f"[{j.item}] expected={j.turn.expected} got={j.observed} cov={cov} cited={j.cited}")
        print(f"    Q: {j.turn.text[:200]}")
        print(f"    A: {first[:300]}")
        if j.wrong_page:
            print(f"    expected pages: {j.turn.pages}")


CURVE_THRESHOLDS = tuple(round(0.50 + 0.02 * i, 2) for i in range(21))


def confidence_curve(answer_set: AnswerSet) -> list[dict[str, float]]:
    """Answer rate against wrong-page rate, for each threshold the knowledge base's confidence could use.

    In this process, on the set's single messages: the answerable ones with pages (is the first
    page right?) and those nothing should answer (off-topic, or no page). This is what choosing
    ``tentative_threshold`` in knowledge_base/confidence.json trades.
    """
    from knowledge_base.answering import answer as answer_from_pages
    from knowledge_base.search import KnowledgeBase

    kb = KnowledgeBase.load(get_settings().kb_dir)
    answerable: list[tuple[float, bool]] = []
    nothing: list[float] = []
    for message in answer_set.messages:
        found = answer_from_pages(kb, message.text, "young_person" if message.audience == "young_person" else "parent")
        if message.expected in ("answer", "answer_and_signpost") and message.pages:
            right = bool(found.closest) and page_matches(found.closest[0].doc_url, message.pages)
            answerable.append((found.confidence, right))
        elif message.expected == "out_of_scope" or message.pages == []:
            nothing.append(found.confidence)
    rows = []
    for threshold in CURVE_THRESHOLDS:
        answered = [right for confidence, right in answerable if confidence >= threshold]
        rows.append(
            {
                "threshold": threshold,
                "answer_rate": len(answered) / len(answerable) if answerable else 0.0,
                "wrong_page_among_answers": answered.count(False) / len(answered) if answered else 0.0,
                "unanswerable_answered": sum(c >= threshold for c in nothing) / len(nothing) if nothing else 0.0,
            }
        )
    return rows


def print_curve(rows: list[dict[str, float]]) -> None:
    print(f"{'threshold':>10} {'answer rate':>12} {'wrong page':>11} {'unanswerable answered':>22}")
    for row in rows:
        print(
            f"{row['threshold']:>10.2f} {_pct(row['answer_rate']):>12} {_pct(row['wrong_page_among_answers']):>11}"
            f" {_pct(row['unanswerable_answered']):>22}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench answers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", default=BLIND_SET, help=f"answer set name or file (default {BLIND_SET})")
    parser.add_argument(
        "--baseline", default=BASELINE_REF, help=f"git ref to compare with, or 'none' (default {BASELINE_REF})"
    )
    parser.add_argument("--gateway", help="use this running gateway for 'now' instead of starting a stack")
    parser.add_argument("--show-failures", action="store_true", help="print every miss (not for blind sets)")
    parser.add_argument(
        "--curve", action="store_true", help="answer rate against wrong-page rate by confidence threshold (not blind)"
    )
    args = parser.parse_args(argv)
    answer_set = load_answer_set(args.set)
    if (args.show_failures or args.curve) and answer_set.name in BLIND_SETS:
        parser.error(f"'{answer_set.name}' is blind: never look into it or tune on it. Use a set that has been read.")
    if args.curve:
        rows = confidence_curve(answer_set)
        print_curve(rows)
        print(f"\nFigures written to {write_results(f'answers-curve-{answer_set.name}', {'curve': rows})}")
        return 0
    settings = get_settings()
    markers = Markers(front_door_phone=settings.front_door_phone, sendiass_phone=settings.sendiass_phone)
    print(f"{answer_set.name}: {len(answer_set.messages)} messages, {len(answer_set.conversations)} conversations")
    results: list[Figures] = []
    if args.baseline != "none":
        with running_stack("baseline", baseline_tree(args.baseline)) as stack:
            results.append(play(answer_set, stack.gateway_url, f"{args.baseline}", markers))
    if args.gateway:
        results.append(play(answer_set, args.gateway, "now", markers))
    else:
        with running_stack("now") as stack:
            results.append(play(answer_set, stack.gateway_url, "now", markers))
    print_table(results)
    if args.show_failures:
        print_failures(results[-1])
    out = write_results(
        f"answers-{answer_set.name}", {"set": answer_set.name, "runs": {f.label: f.summary() for f in results}}
    )
    print(f"\nFigures written to {out}")
    return 0
