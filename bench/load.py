"""Many simulated families talking to the running stack at once, against a baseline in the same run.

``python -m bench load [--baseline REF | --baseline none] [--scenarios single,10x0,150x10] [--turns N]
[--max-requests N] [--max-seconds S] [--interleave ROUNDS]``

Each family holds one multi-turn conversation through ``POST /api/chat`` (a greeting, questions,
a follow-up, a service search, a definition, thanks), with or without think time between turns.
A scenario ``FxT`` is F families with T seconds of think time (0: back to back); ``single`` is one
family back to back. Every run is bounded in requests and in time, and talks to loopback only.

It reports, per stack and scenario: turns/s, p50/p95/p99 latency overall and per kind of turn,
errors, CPU milliseconds per turn for each server (read from /proc for each server's whole process
group), and afterwards whether every message sent is in Rasa's tracker store. The baseline (by
default the commit where this branch left main, so that only this branch's changes differ) is
started from a git worktree and measured in the same run as this tree, one stack after the
other, because absolute times on a shared 2-core machine move with its load. With
``--interleave ROUNDS`` both stacks run at once (the idle one costs next to nothing) and each
scenario is played on one, then the other, in alternating order, ROUNDS times: when other work
on the machine comes and goes, both stacks meet it alike.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
from sqlalchemy import create_engine, text

from bench.results_file import write_results
from bench.stack_runner import RunningStack, baseline_tree, running_stack
from settings import REPO_ROOT
from signposting.stack import process_stats

BASELINE_REF = "fork-point"  # where this branch left main: the same code without this branch's changes
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# name: (families, think seconds, conversations each)
SCENARIOS = {"single": (1, 0.0, 5), "10x0": (10, 0.0, 3), "150x10": (150, 10.0, 1)}
DEFAULT_SCENARIOS = "single,10x0,150x10"

# (kind of turn, messages to pick from): one conversation is these in order.
CONVERSATION: list[tuple[str, list[str]]] = [
    ("greeting", ["hello", "hi there", "good morning"]),
    (
        "question",
        [
            "How do I ask for an EHC needs assessment?",
            "what happens at the annual review",
            "can i appeal if they say no to an ehcp",
            "do i need a diagnosis to get help at school",
        ],
    ),
    ("follow_up", ["how long does it take", "who decides", "what happens next"]),
    ("service", ["any autism groups in stroud", "speech therapy for my 3 year old in gloucester"]),
    ("definition", ["what does SENCO mean", "whats a ehcp"]),
    ("thanks", ["thank you", "thanks, that helps"]),
]


@dataclass(frozen=True)
class Target:
    """What the families talk to and what is measured: one stack, or nodes behind a front."""

    label: str
    gateway_url: str
    var_dirs: tuple[Path, ...]  # each server's process group is found by its node's state directory
    tracker_url: str  # Rasa's tracker store, read afterwards for lost messages

    @classmethod
    def of(cls, stack: RunningStack) -> Target:
        return cls(stack.label, stack.gateway_url, (stack.settings.var_dir,), stack.settings.tracker_url)


@dataclass
class Turn:
    sender: str
    kind: str
    seconds: float
    status: int  # 0: no HTTP answer at all


@dataclass
class Outcome:
    stack: str
    scenario: str
    turns: list[Turn] = field(default_factory=list)
    wall_seconds: float = 0.0
    cpu_ms: dict[str, float] = field(default_factory=dict)
    sent: Counter[str] = field(default_factory=Counter)
    lost: int = 0

    def figures(self) -> dict[str, Any]:
        ok = [t.seconds for t in self.turns if t.status == 200]
        by_kind: dict[str, list[float]] = defaultdict(list)
        for turn in self.turns:
            if turn.status == 200:
                by_kind[turn.kind].append(turn.seconds)
        count = len(self.turns)
        return {
            "stack": self.stack,
            "scenario": self.scenario,
            "turns": count,
            "turns_per_second": round(count / self.wall_seconds, 2) if self.wall_seconds else 0.0,
            **{k: round(v, 1) for k, v in percentiles(ok).items()},
            "errors": sum(t.status != 200 for t in self.turns),
            "error_statuses": dict(Counter(str(t.status) for t in self.turns if t.status != 200)),
            "per_kind": {kind: {k: round(v, 1) for k, v in percentiles(s).items()} for kind, s in by_kind.items()},
            "cpu_ms_per_turn": {name: round(ms / count, 1) for name, ms in self.cpu_ms.items()} if count else {},
            "messages_sent": sum(self.sent.values()),
            "messages_missing_from_tracker_store": self.lost,
        }


def percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0}
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000

    return {"p50_ms": statistics.median(ordered) * 1000, "p95_ms": at(0.95), "p99_ms": at(0.99)}


# --- CPU per server, from /proc ------------------------------------------------------------------

_SERVER_MARKERS = (("rasa", " run --model"), ("actions", "rasa_sdk"), ("gateway", "uvicorn"))


def server_groups(var_dir: Path) -> dict[str, int]:
    """Each server's process group (its main process's pid), found by the stack's state directory."""
    marker = str(var_dir).encode()
    groups: dict[str, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker not in (entry / "environ").read_bytes():
                continue
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            pid = int(entry.name)
            if os.getpgid(pid) != pid:
                continue
        except OSError:
            continue
        for name, marker_text in _SERVER_MARKERS:
            if marker_text in cmdline:
                groups[name] = pid
    return groups


def group_cpu_ms(pgid: int) -> float:
    """User plus system CPU of every live process in the group, in milliseconds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = sum(int(f[11]) + int(f[12]) for _, f in process_stats() if int(f[2]) == pgid)
    return total * 1000 / tick


# --- the families --------------------------------------------------------------------------------


async def family(
    client: httpx.AsyncClient,
    gateway: str,
    turns_each: int,
    think: float,
    budget: Budget,
    outcome: Outcome,
    rng: random.Random,
) -> None:
    sender = f"load-{uuid.uuid4().hex}"
    if think:
        await asyncio.sleep(rng.uniform(0, think))  # families arrive spread out, not all at once
    for index in range(turns_each):
        if not budget.take():
            return
        kind, messages = CONVERSATION[index % len(CONVERSATION)]
        started = time.perf_counter()
        try:
            response = await client.post(
                f"{gateway}/api/chat", json={"sender_id": sender, "message": rng.choice(messages)}
            )
            status = response.status_code
        except httpx.HTTPError:
            status = 0
        outcome.turns.append(Turn(sender, kind, time.perf_counter() - started, status))
        outcome.sent[sender] += 1
        if think:
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))


@dataclass
class Budget:
    """At most ``requests`` turns, none started after ``deadline``."""

    requests: int
    deadline: float

    def take(self) -> bool:
        if self.requests <= 0 or time.monotonic() > self.deadline:
            return False
        self.requests -= 1
        return True


async def run_scenario(
    target: Target, scenario: str, turns_each: int, max_requests: int, max_seconds: float
) -> Outcome:
    families, think, conversations = SCENARIOS[scenario]
    outcome = Outcome(target.label, scenario)
    # (kind of server, process group) of every node: CPU is added up per kind.
    groups = [(name, pgid) for var_dir in target.var_dirs for name, pgid in server_groups(var_dir).items()]
    cpu_before = [group_cpu_ms(pgid) for _, pgid in groups]
    budget = Budget(max_requests, time.monotonic() + max_seconds)
    rng = random.Random(12)  # the same messages for every stack
    limits = httpx.Limits(max_connections=families + 10, max_keepalive_connections=families + 10)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(
            *(
                family(client, target.gateway_url, turns_each * conversations, think, budget, outcome, rng)
                for _ in range(families)
            )
        )
        outcome.wall_seconds = time.perf_counter() - started
    for (name, pgid), before in zip(groups, cpu_before, strict=True):
        outcome.cpu_ms[name] = outcome.cpu_ms.get(name, 0.0) + group_cpu_ms(pgid) - before
    outcome.lost = missing_from_tracker_store(target.tracker_url, outcome.sent)
    return outcome


def missing_from_tracker_store(tracker_url: str, sent: Counter[str]) -> int:
    """How many of the messages sent have no user event in Rasa's tracker store (after a settling wait).

    A turn the gateway gave up on (502) still reaches Rasa, which records it when it gets to it,
    so the count is taken once Rasa has had time to catch up.
    """
    engine = create_engine(tracker_url)
    deadline = time.monotonic() + 30
    try:
        while True:
            with engine.connect() as db:
                rows = db.execute(
                    text(
                        "SELECT sender_id, COUNT(*) FROM events WHERE type_name = 'user' AND sender_id LIKE 'load-%' "
                        "GROUP BY sender_id"
                    )
                ).fetchall()
            stored = {str(sender): int(count) for sender, count in rows}
            missing = int(sum(max(0, count - stored.get(sender, 0)) for sender, count in sent.items()))
            if missing == 0 or time.monotonic() > deadline:
                return missing
            time.sleep(2)
    finally:
        engine.dispose()


# --- the run --------------------------------------------------------------------------------------


def _warm_up(target: Target, conversations: int = 1) -> None:
    host = urlparse(target.gateway_url).hostname
    if host not in LOOPBACK:
        raise SystemExit(f"bench load talks to loopback only, not {host}")
    # The first turns load models, which no family should be measured on.
    for _ in range(conversations):
        asyncio.run(run_scenario(target, "single", len(CONVERSATION), len(CONVERSATION), 120))


def measure_one(target: Target, scenario: str, args: argparse.Namespace, round_: int = 0) -> Outcome:
    name = f"{scenario}#{round_}" if round_ else scenario
    print(f"  {target.label}: {name} ...", flush=True)
    outcome = asyncio.run(run_scenario(target, scenario, args.turns, args.max_requests, args.max_seconds))
    outcome.scenario = name
    return outcome


def measure(target: Target, scenarios: list[str], args: argparse.Namespace, warm_up: int = 1) -> list[Outcome]:
    """``warm_up`` conversations first (one per node behind a front), then each scenario."""
    _warm_up(target, warm_up)
    return [measure_one(target, scenario, args) for scenario in scenarios]


def measure_interleaved(
    starting: Sequence[AbstractContextManager[RunningStack]], scenarios: list[str], args: argparse.Namespace
) -> list[Outcome]:
    """Start every stack at once, then play each scenario on each stack in turn, ``args.interleave`` times."""
    entered: list[AbstractContextManager[RunningStack]] = []

    def start(manager: AbstractContextManager[RunningStack]) -> RunningStack:
        stack = manager.__enter__()
        entered.append(manager)
        return stack

    try:
        with ThreadPoolExecutor(len(starting)) as pool:
            targets = [Target.of(stack) for stack in pool.map(start, starting)]
        for target in targets:
            _warm_up(target)
        outcomes = []
        for round_ in range(1, args.interleave + 1):
            for index, scenario in enumerate(scenarios):
                # Alternate which stack goes first, so that neither always meets the machine first.
                order = targets if (round_ + index) % 2 else targets[::-1]
                outcomes += [measure_one(target, scenario, args, round_) for target in order]
        return outcomes
    finally:
        for manager in entered:
            manager.__exit__(None, None, None)


def table(outcomes: list[Outcome]) -> str:
    header = (
        f"{'stack':<10} {'scenario':<8} {'turns':>5} {'turns/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'lost':>4}  CPU ms per turn (rasa / actions / gateway)"
    )
    lines = [header, "-" * len(header)]
    for outcome in outcomes:
        f = outcome.figures()
        cpu = f["cpu_ms_per_turn"]
        lines.append(
            f"{f['stack']:<10} {f['scenario']:<8} {f['turns']:>5} {f['turns_per_second']:>7} {f['p50_ms']:>7} "
            f"{f['p95_ms']:>7} {f['p99_ms']:>7} {f['errors']:>6} {f['messages_missing_from_tracker_store']:>4}  "
            f"{cpu.get('rasa', '-')} / {cpu.get('actions', '-')} / {cpu.get('gateway', '-')}"
        )
    lines.append("")
    lines.append("p95 ms per kind of turn:")
    kinds = [kind for kind, _ in CONVERSATION]
    lines.append(f"{'stack':<10} {'scenario':<8} " + " ".join(f"{k:>10}" for k in kinds))
    for outcome in outcomes:
        per_kind = outcome.figures()["per_kind"]
        lines.append(
            f"{outcome.stack:<10} {outcome.scenario:<8} "
            + " ".join(f"{per_kind.get(k, {}).get('p95_ms', '-'):>10}" for k in kinds)
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--baseline",
        default=BASELINE_REF,
        help="git ref to compare with, 'none', or 'fork-point' (the default: where this branch left main)",
    )
    parser.add_argument("--scenarios", default=DEFAULT_SCENARIOS, help=f"of {', '.join(SCENARIOS)}")
    parser.add_argument("--turns", type=int, default=6, help="turns in one conversation (default 6: the whole script)")
    parser.add_argument("--max-requests", type=int, default=2000, help="turns per scenario at most (default 2000)")
    parser.add_argument("--max-seconds", type=float, default=180, help="no turn starts after this (default 180)")
    parser.add_argument(
        "--interleave",
        type=int,
        default=0,
        metavar="ROUNDS",
        help="run both stacks at once and alternate them, scenario by scenario, ROUNDS times",
    )
    args = parser.parse_args(argv)
    scenarios = [s for s in args.scenarios.split(",") if s]
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        raise SystemExit(f"unknown scenarios: {', '.join(sorted(unknown))}")
    outcomes: list[Outcome] = []
    if args.baseline == "fork-point":
        args.baseline = subprocess.run(
            ["git", "merge-base", "HEAD", "main"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()[:12]
    if args.interleave and args.baseline != "none":
        # Each stack with this tree's settings: only the code differs.
        starting = [running_stack("baseline", baseline_tree(args.baseline)), running_stack("now")]
        outcomes = measure_interleaved(starting, scenarios, args)
    elif args.baseline != "none":
        # The baseline's own default timeout (30 s), not this tree's, which would otherwise reach it
        # through the environment: what is compared is each version as it ships.
        with running_stack("baseline", baseline_tree(args.baseline), rasa_timeout_seconds=30.0) as stack:
            outcomes += measure(Target.of(stack), scenarios, args)
    if not args.interleave or args.baseline == "none":
        with running_stack("now") as stack:
            outcomes += measure(Target.of(stack), scenarios, args)
    print(table(outcomes))
    out = write_results("load", {"baseline": args.baseline, "results": [o.figures() for o in outcomes]})
    print(f"\nwritten to {out}")
    return 0
