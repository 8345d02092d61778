"""Each account remembers the time step of the last authenticator code it accepted, so the same
code cannot be used twice within its window (a code seen over a shoulder or replayed).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (nullable, no default) on both SQLite and PostgreSQL: no table copy.
    op.add_column("staff_users", sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    op.execute("UPDATE schema_version SET version = 3 WHERE id = 1")


def downgrade() -> None:
    raise NotImplementedError("migrations are not reversed: restore a backup")
