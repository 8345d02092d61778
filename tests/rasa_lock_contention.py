"""Run in Rasa's environment (.venv-rasa) by tests/integration/test_conversation_locks.py: several
processes, each like a Rasa server, take turns on one conversation through a lock store on Redis.

Usage: python tests/rasa_lock_contention.py TYPE HOST PORT PASSWORD PROCESSES TURNS
TYPE is the lock store's type as endpoints.yml gives it: ``redis`` (Rasa's RedisLockStore) or
``conversation_locks.AtomicRedisLockStore`` (run with PYTHONPATH=signposting/rasa_startup, as Rasa is).

Each turn holds the lock while it counts itself in and out of a Redis counter, as a Rasa turn holds
it while it reads and writes the tracker. Prints one JSON line: turns done, turns that found
another turn inside (two turns at once), and turns that ended in an error or never got the lock
(a lost message).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import sys
import uuid
from typing import Any

TURN_LIMIT_SECONDS = 30


def make_store(kind: str, host: str, port: int, password: str) -> Any:
    """The lock store as Rasa makes it from endpoints.yml's ``lock_store`` block of type ``kind``."""
    from rasa.core.lock_store import LockStore  # type: ignore[import-not-found]  # in .venv-rasa only
    from rasa.utils.endpoints import EndpointConfig  # type: ignore[import-not-found]

    return LockStore.create(
        EndpointConfig(url=host, type=kind, port=port, db=0, password=password, key_prefix="contention")
    )


async def turns(kind: str, host: str, port: int, password: str, conversation: str, count: int) -> dict[str, int]:
    store = make_store(kind, host, port, password)
    result = {"done": 0, "overlapped": 0, "failed": 0}

    async def take_turn() -> None:
        async with store.lock(conversation, wait_time_in_seconds=0.01):
            if store.red.incr(f"inside:{conversation}") > 1:
                result["overlapped"] += 1
            await asyncio.sleep(0.005)  # the turn's own work, during which another could step in
            store.red.decr(f"inside:{conversation}")

    async def one_turn() -> None:
        try:
            # A lost ticket can leave a turn waiting for the lock's lifetime (60 s) or longer.
            await asyncio.wait_for(take_turn(), TURN_LIMIT_SECONDS)
            result["done"] += 1
        except Exception:  # any error or wait here is a turn Rasa would have lost
            result["failed"] += 1

    await asyncio.gather(*(one_turn() for _ in range(count)))
    return result


def run_process(args: tuple[str, str, int, str, str, int]) -> dict[str, int]:
    return asyncio.run(turns(*args))


def main() -> None:
    kind, host, port, password, processes, count = sys.argv[1:7]
    conversation = uuid.uuid4().hex
    jobs = [(kind, host, int(port), password, conversation, int(count))] * int(processes)
    with multiprocessing.get_context("spawn").Pool(int(processes)) as pool:
        results = pool.map(run_process, jobs)
    print(json.dumps({key: sum(r[key] for r in results) for key in ("done", "overlapped", "failed")}))


if __name__ == "__main__":
    main()
