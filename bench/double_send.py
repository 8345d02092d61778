"""One conversation's messages sent to two nodes at the same moment, against a baseline in the same run.

``python -m bench double-send [--rounds N] [--messages N] [--baseline REF | --baseline none]``

A family who double-sends, or whose turns a load balancer shares between nodes, makes two Rasa
servers work on one conversation at once; the lock store must make them take turns (ADR 0016).
Each round is a new conversation whose messages are all sent at once, alternately to the two
nodes' gateways. Afterwards each message must have had a reply with text and be in the shared
tracker store. Two nodes (bench/cluster.py: PostgreSQL, Redis and nginx from Debian's packages,
on loopback) run this tree, then two run the baseline (default ea6383d, the last commit with
Rasa's own RedisLockStore), on the same knowledge-base build, Rasa model and fresh databases.
Run ``python -m signposting build`` and ``train`` first.
"""

from __future__ import annotations

import argparse
import asyncio
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench import services
from bench.cluster import Cluster, cluster, require_build_and_model, shared_stores
from bench.results_file import write_results
from bench.stack_runner import baseline_tree
from settings import REPO_ROOT, get_settings

BASELINE_REF = "ea6383d"
MESSAGES = ["hello", "what is a SENCO", "thank you", "what is an EHCP", "hi again", "what does SEN support mean"]


@dataclass
class Outcome:
    stack: str
    rounds: int = 0
    sent: int = 0
    no_reply: int = 0  # an error status, or a 200 with no text: Rasa could not take the lock
    lost: int = 0  # sent but not in the tracker store

    def figures(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "rounds": self.rounds,
            "messages_sent": self.sent,
            "messages_without_a_reply": self.no_reply,
            "messages_missing_from_tracker_store": self.lost,
        }


async def send_at_once(running: Cluster, sender: str, messages: list[str]) -> list[httpx.Response]:
    async with httpx.AsyncClient(timeout=120) as client:
        return await asyncio.gather(
            *(
                client.post(
                    f"{running.nodes[index % 2].gateway_url}/api/chat",
                    json={"sender_id": sender, "message": message},
                )
                for index, message in enumerate(messages)
            )
        )


def has_reply(response: httpx.Response) -> bool:
    return response.status_code == 200 and any(m.get("text") for m in response.json().get("messages", []))


def measure(outcome: Outcome, running: Cluster, rounds: int, messages: list[str]) -> Outcome:
    for number in range(1, rounds + 1):
        sender = uuid.uuid4().hex
        replies = asyncio.run(send_at_once(running, sender, messages))
        outcome.rounds += 1
        outcome.sent += len(messages)
        outcome.no_reply += sum(not has_reply(r) for r in replies)
        stored = running.user_messages(sender)
        outcome.lost += sum(max(0, messages.count(m) - stored.count(m)) for m in set(messages))
        print(f"  {outcome.stack}: round {number}/{rounds}, {outcome.lost} lost so far", flush=True)
    return outcome


def table(outcomes: list[Outcome]) -> str:
    header = f"{'stack':<10} {'rounds':>6} {'sent':>5} {'no reply':>8} {'lost':>5}"
    lines = [header, "-" * len(header)]
    for o in outcomes:
        lines.append(f"{o.stack:<10} {o.rounds:>6} {o.sent:>5} {o.no_reply:>8} {o.lost:>5}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench double-send", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=25, help="conversations, each sent all at once (default 25)")
    parser.add_argument("--messages", type=int, default=len(MESSAGES), help=f"messages per round, 2-{len(MESSAGES)}")
    parser.add_argument(
        "--baseline", default=BASELINE_REF, help=f"commit to compare with, or 'none' (default {BASELINE_REF})"
    )
    args = parser.parse_args(argv)
    if not 2 <= args.messages <= len(MESSAGES) or args.rounds < 1:
        parser.error(f"--messages must be 2-{len(MESSAGES)} and --rounds at least 1")
    settings = get_settings()
    require_build_and_model(settings)
    models = REPO_ROOT / "models"
    trees: list[tuple[str, Path]] = [("this tree", REPO_ROOT)]
    if args.baseline != "none":
        trees.append((f"{args.baseline[:8]}", baseline_tree(args.baseline)))
    outcomes: list[Outcome] = []
    try:
        with shared_stores() as (postgres, redis):
            for label, root in trees:
                print(f"Starting two nodes of {label} behind nginx ...", flush=True)
                base = REPO_ROOT / "var" / "bench" / f"double-send-{len(outcomes)}"
                with cluster(
                    base,
                    2,
                    postgres,
                    redis,
                    settings.kb_dir,
                    root=root,
                    models_dir=models,
                    # Six turns of one conversation take turns: what is measured is what is kept, not speed.
                    rasa_timeout_seconds=30.0,
                    language_low_memory=True,
                ) as running:
                    outcomes.append(measure(Outcome(label), running, args.rounds, MESSAGES[: args.messages]))
    except services.ServiceError as exc:
        raise SystemExit(str(exc)) from exc
    print(table(outcomes))
    out = write_results("double_send", {"results": [o.figures() for o in outcomes]})
    print(f"\nwritten to {out}")
    return 0
