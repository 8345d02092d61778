"""What signposting/rasa_startup/sitecustomize.py does inside the Rasa environment, with Rasa's own classes.

Each check runs .venv-rasa's Python with the start-up directory first on its path, as the stack
starts Rasa, and reads the result back as JSON.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from signposting.environment import RASA_VENV, rasa_env
from signposting.stack import RASA_STARTUP_DIR

TRACKER_STORE_PRAGMAS = """
import json, os, sys
from rasa.core.tracker_store import SQLTrackerStore
store = SQLTrackerStore(dialect="sqlite", db=sys.argv[1])
with store.engine.connect() as connection:
    read = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
    found = {name: read(name) for name in ("journal_mode", "synchronous", "busy_timeout")}
# Once a session is over its connection stays open, so SQLite keeps its write-ahead log.
found["wal_kept"] = os.path.exists(sys.argv[1] + "-wal")
found["pool"] = type(store.engine.pool).__name__
print(json.dumps(found))
"""


def run_in_rasa(code: str, *args: str, startup: bool = True) -> Any:
    env = rasa_env()
    env["PYTHONPATH"] = str(RASA_STARTUP_DIR) if startup else ""
    done = subprocess.run(
        [str(RASA_VENV / "bin" / "python"), "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_rasas_sqlite_tracker_store_commits_without_waiting_for_the_disk(tmp_path: Path) -> None:
    tuned = run_in_rasa(TRACKER_STORE_PRAGMAS, str(tmp_path / "tracker.sqlite"))
    # synchronous 1 is NORMAL: in WAL mode a commit no longer waits for fsync.
    assert tuned == {
        "journal_mode": "wal",
        "synchronous": 1,
        "busy_timeout": 10_000,
        "wal_kept": True,
        "pool": "SingletonThreadPool",
    }


def test_without_the_start_up_file_rasa_keeps_sqlites_defaults(tmp_path: Path) -> None:
    # The check above is only worth something if the defaults differ: they do.
    plain = run_in_rasa(TRACKER_STORE_PRAGMAS, str(tmp_path / "tracker.sqlite"), startup=False)
    assert plain["journal_mode"] == "delete"
    assert plain["synchronous"] == 2
    assert plain["pool"] == "NullPool"


def test_an_in_memory_database_is_left_in_memory() -> None:
    code = """
import json
import sqlalchemy as sa
with sa.create_engine("sqlite://").connect() as connection:
    print(json.dumps(connection.exec_driver_sql("PRAGMA journal_mode").scalar()))
"""
    assert run_in_rasa(code) == "memory"
