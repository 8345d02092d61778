"""Each question-log turn says whether its safety response was carried on quietly from the turn before.

A turn is at risk 'quietly' when it is at risk only because the conversation's turn before was, and
names no danger of its own (safety.carried_quietly). The next message then carries the risk on
only if it names a danger. The gateway remembers this for its own conversations; this column lets
another node, which reads the question log, make the same decision.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every turn logged before now was judged the old way, where no risk was carried quietly: false.
    op.add_column(
        "question_log",
        sa.Column("risk_carried_quietly", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute("UPDATE schema_version SET version = 5 WHERE id = 1")


def downgrade() -> None:
    raise NotImplementedError("migrations are not reversed: restore a backup")
