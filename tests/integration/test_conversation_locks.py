"""Two Rasa servers taking one conversation's lock at the same moment (ADR 0016).

Processes in Rasa's environment, each like a Rasa server, run many turns of one conversation at
once through a lock store on a real Redis (Debian's package, started on loopback). The store the
stack configures lets one turn in at a time and loses none; Rasa's own RedisLockStore, the
control, lets turns in together and loses most of them under the same load.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bench import services
from signposting.environment import RASA_VENV, rasa_env
from signposting.stack import LOCK_STORE_CLASS, RASA_STARTUP_DIR

CONTENTION = Path(__file__).resolve().parents[1] / "rasa_lock_contention.py"


@pytest.fixture(scope="module")
def redis() -> Iterator[services.RedisServer]:
    try:
        with services.redis_server() as server:
            yield server
    except services.ServiceError as exc:
        pytest.fail(str(exc))


def contend(redis: services.RedisServer, store_type: str, processes: int, turns: int) -> dict[str, int]:
    url = make_url(redis.url())
    env = rasa_env()
    env["PYTHONPATH"] = str(RASA_STARTUP_DIR)
    arguments = [store_type, str(url.host), str(url.port), str(url.password), str(processes), str(turns)]
    done = subprocess.run(
        [str(RASA_VENV / "bin" / "python"), str(CONTENTION), *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_turns_from_two_servers_take_the_lock_one_at_a_time_and_none_is_lost(redis: services.RedisServer) -> None:
    assert contend(redis, LOCK_STORE_CLASS, processes=2, turns=40) == {"done": 80, "overlapped": 0, "failed": 0}


def test_rasas_own_redis_lock_store_loses_turns_under_the_same_load(redis: services.RedisServer) -> None:
    # The control: the check above fails for the store Rasa 3.6 ships.
    result = contend(redis, "redis", processes=2, turns=40)
    assert result["overlapped"] + result["failed"] > 0, result
