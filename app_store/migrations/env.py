"""Alembic's environment: runs the migrations on the connection app_store.migrate hands in.

There is no alembic.ini: app_store.migrate builds the configuration in code, so the database URL
comes from the one settings module and never from a second file.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from app_store.tables import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run the app database's migrations through app_store.migrate, which passes a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode copies the table instead.
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
