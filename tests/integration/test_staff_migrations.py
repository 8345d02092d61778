"""Alembic migrations of the app database, on a SQLite file and on a real PostgreSQL server.

The newest migration must leave exactly the tables app_store/tables.py describes; a database made
before migrations existed is stamped and upgraded with its rows kept; newer databases are refused;
the audit log refuses any UPDATE whatever the caller.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from app_store import SCHEMA_VERSION, AppStore, SchemaTooNew
from app_store.engine import make_engine
from app_store.migrate import _config, current_revision, head_revision, upgrade_to_head
from app_store.tables import Base
from tests.integration.test_app_store import postgres_server, postgres_url  # noqa: F401  (fixtures)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = (
        f"sqlite:///{tmp_path / 'app.sqlite'}"
        if request.param == "sqlite"
        else str(request.getfixturevalue("postgres_url"))
    )
    made = make_engine(url)
    yield made
    made.dispose()


def test_head_matches_the_tables_the_code_describes(engine: Engine) -> None:
    assert upgrade_to_head(engine) == head_revision()
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert current_revision(engine) == head_revision()
    # Again: nothing to do, nothing breaks.
    assert upgrade_to_head(engine) == head_revision()


def test_a_database_from_before_migrations_is_stamped_and_upgraded(engine: Engine) -> None:
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(_config(connection), "0001")
        connection.execute(text("DROP TABLE alembic_version"))
        connection.execute(
            text(
                "INSERT INTO escalations (conversation_id, reason, urgent, status, audience, transcript, links_given,"
                " safety_categories, created_at, updated_at) VALUES ('old-1', 'personal_case', false, 'in_progress',"
                " 'parent', '[]', '[]', '[]', '2026-01-05 10:00:00', '2026-01-05 10:00:00')"
            )
        )
    assert current_revision(engine) is None

    store = AppStore(engine.url.render_as_string(hide_password=False))
    try:
        [kept] = store.list_escalations()
        assert (kept.conversation_id, kept.status) == ("old-1", "assigned")
        assert store.schema_version() == SCHEMA_VERSION
    finally:
        store.close()
    assert current_revision(engine) == head_revision()


def test_a_database_at_an_unknown_revision_is_refused(engine: Engine) -> None:
    upgrade_to_head(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaTooNew):
        upgrade_to_head(engine)


def test_the_audit_log_refuses_updates(engine: Engine) -> None:
    upgrade_to_head(engine)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO audit_log (at, actor, action, detail) VALUES ('2026-01-05 10:00:00', 'a', 'sign_in', '')")
        )
    with pytest.raises(DBAPIError, match="cannot be changed"), engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'someone else'"))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT actor FROM audit_log")).scalar_one() == "a"


def test_serve_style_upgrade_of_a_fresh_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'app.sqlite'}"
    engine = make_engine(url)
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()
    plain = create_engine(url)
    try:
        with plain.connect() as connection:
            names = {row[0] for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    finally:
        plain.dispose()
    assert {"escalations", "feedback", "staff_users", "audit_log", "service_state", "alembic_version"} <= names
