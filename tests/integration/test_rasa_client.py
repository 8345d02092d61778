"""The gateway's Rasa client against a slow Rasa on loopback: the family is not kept waiting, and
the turn is not dropped (Rasa stores a turn only when it finishes it)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from gateway.rasa_client import RasaClient, RasaUnavailable
from tests.rasa_webhook import rasa_webhook

RASA_SECONDS = 1.2  # how long the slow Rasa takes over a turn


@contextmanager
def slow_rasa() -> Iterator[tuple[int, list[str]]]:
    """A webhook that takes RASA_SECONDS, then notes whether the caller was still there to be answered."""
    seen: list[str] = []
    late = [{"recipient_id": "family-0001", "text": "late reply"}]
    with rasa_webhook(lambda body: late, delay_seconds=RASA_SECONDS, outcomes=seen) as port:
        yield port, seen


async def _late_turn(port: int, finish_seconds: float | None) -> float:
    client = RasaClient(f"http://127.0.0.1:{port}", timeout_seconds=0.3, finish_seconds=finish_seconds)
    started = time.monotonic()
    with pytest.raises(RasaUnavailable, match="in time"):
        await client.send("family-0001", "how long does it take", "parent")
    waited = time.monotonic() - started
    await client.close()  # waits (briefly) for the turn Rasa is still finishing
    return waited


def test_a_late_turn_is_not_waited_for_but_rasa_finishes_it() -> None:
    with slow_rasa() as (port, seen):
        waited = asyncio.run(_late_turn(port, finish_seconds=10))
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
    assert waited < RASA_SECONDS
    assert seen == ["how long does it take: answered"]


def test_without_time_to_finish_the_turn_is_dropped() -> None:
    # The same slow Rasa, with no time given to finish: the caller hangs up, which is what lost
    # turns under load before (and shows the check above can fail).
    with slow_rasa() as (port, seen):
        asyncio.run(_late_turn(port, finish_seconds=None))
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
    assert seen == ["how long does it take: caller gone"]
