"""Loaded by Python at start-up in the Rasa server's process only (its PYTHONPATH starts here).

Two changes to how Rasa 3.6 spends its time, neither changing what it does.

The response check. Rasa 3.6 checks every custom action's response with ``jsonschema.validate``, which checks the
schema against its meta-schema and builds a new validator on every call, the largest single cost
of a turn in Rasa (figures in ADR 0008 and docs/performance.md). This replaces ``jsonschema.validate`` with
one that keeps a validator per distinct schema, and otherwise behaves exactly as the original
(same schema check, the same error raised). Rasa imports ``validate`` inside the function that
uses it, so replacing the module's attribute is enough. See docs/decisions/0008-rasa-schema-check.md.

The tracker store on SQLite. Rasa saves each turn with a commit on its event loop; in SQLite's
default rollback-journal mode that commit waits for several fsyncs, and every family's turn waits
behind it. Each SQLite connection is put in WAL mode with synchronous=NORMAL, as the app database
already is (app_store/engine.py): a commit then waits for no fsync, a crash of Rasa loses nothing
committed, and only a power cut can lose the last turns. A busy timeout lets retention and erasure
(another process) wait their turn instead of failing. SQLAlchemy 1.4 opens and closes a connection
for every session on a SQLite file, and closing the last connection checkpoints the WAL (with
fsyncs) and deletes it, so engines on a SQLite file keep one connection per thread open instead.
See docs/decisions/0012-lean-rasa-turn.md.

Nothing here imports Rasa or the project's code: this runs in .venv-rasa (Python 3.10).
"""

from __future__ import annotations

import json
import threading
from typing import Any

try:
    import jsonschema
    from jsonschema import exceptions, validators
except ImportError:  # not the Rasa environment: leave everything as it is
    jsonschema = None

try:
    import sqlite3

    import sqlalchemy
    from sqlalchemy import event
    from sqlalchemy.engine import Engine, make_url
    from sqlalchemy.pool import SingletonThreadPool
except ImportError:
    Engine = None

_MAX_SCHEMAS = 64
_built: dict[tuple[Any, str], Any] = {}
_lock = threading.Lock()


def _validator(schema: Any, cls: Any) -> Any:
    try:
        key = (cls, json.dumps(schema, sort_keys=True))
    except (TypeError, ValueError):
        return None
    with _lock:
        found = _built.get(key)
    if found is not None:
        return found
    klass = cls if cls is not None else validators.validator_for(schema)
    klass.check_schema(schema)
    built = klass(schema)
    with _lock:
        if len(_built) < _MAX_SCHEMAS:
            _built[key] = built
    return built


if jsonschema is not None:
    _original_validate = jsonschema.validate

    def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
        validator = None if args or kwargs else _validator(schema, cls)
        if validator is None:
            _original_validate(instance, schema, cls, *args, **kwargs)
            return
        error = exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error

    validate.__doc__ = _original_validate.__doc__
    jsonschema.validate = validate


SQLITE_BUSY_TIMEOUT_MS = 10_000

if Engine is not None:

    @event.listens_for(Engine, "connect")
    def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return  # PostgreSQL: nothing to do
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not an in-memory database
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    _original_create_engine = sqlalchemy.create_engine

    def create_engine(url: Any, *args: Any, **kwargs: Any) -> Any:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            kwargs.setdefault("poolclass", SingletonThreadPool)
        return _original_create_engine(url, *args, **kwargs)

    create_engine.__doc__ = _original_create_engine.__doc__
    sqlalchemy.create_engine = create_engine
