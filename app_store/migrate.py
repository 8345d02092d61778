"""Bringing an app database to the latest layout with Alembic (migrations in app_store/migrations).

Used in two places: ``signposting serve`` upgrades before it starts any server, and every
AppStore upgrades on first use (a fresh test database, or a tool run before serve ever was).

A database made before migrations existed (tables but no ``alembic_version``) holds exactly
revision 0001's tables, so it is stamped at 0001 and upgraded from there. A database at a
revision this code does not know was made by newer code: it is refused, never written to.
"""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
FIRST_REVISION = "0001"
# Alembic keeps the running migration in module-level state: one upgrade at a time per process.
_UPGRADE_LOCK = threading.Lock()


class SchemaTooNew(RuntimeError):
    """The database was made by a newer version of this code; refusing to write to it."""


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision in app_store/migrations."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "app_store/migrations has no revisions"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database or one made before migrations)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(engine: Engine) -> str:
    """Upgrade the database to the newest revision and return it. Safe to run again and again."""
    script = ScriptDirectory.from_config(_config())
    known = {revision.revision for revision in script.walk_revisions()}
    head = head_revision()
    with _UPGRADE_LOCK, engine.begin() as connection:
        tables = set(inspect(connection).get_table_names())
        current = MigrationContext.configure(connection).get_current_revision()
        if current is not None and current not in known:
            raise SchemaTooNew(f"the app database is at migration {current}, which this code does not know")
        if current == head:
            return head
        config = _config(connection)
        if current is None and "escalations" in tables:
            command.stamp(config, FIRST_REVISION)
        command.upgrade(config, "head")
    return head
