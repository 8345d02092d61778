"""The app database as it was before migrations: escalations, feedback, schema_version.

These are exactly the tables that ``Base.metadata.create_all`` made until now, so a database made
by earlier code is stamped at this revision (app_store.migrate) and upgraded from here.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

STATUSES = ("new", "in_progress", "closed")


def upgrade() -> None:
    schema_version = op.create_table(
        "schema_version",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("audience", sa.String(16), nullable=False),
        sa.Column("contact_method", sa.String(8), nullable=True),
        sa.Column("contact_time", sa.String(100), nullable=True),
        sa.Column("transcript", sa.JSON(), nullable=False),
        sa.Column("links_given", sa.JSON(), nullable=False),
        sa.Column("safety_categories", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")", name="escalation_status_known"),
    )
    op.create_index("ix_escalations_conversation_id", "escalations", ["conversation_id"])
    op.create_index("ix_escalations_created_at", "escalations", ["created_at"])
    op.create_index("ix_escalations_status_created", "escalations", ["status", "created_at"])
    op.create_index("ix_escalations_urgent_created", "escalations", ["urgent", "created_at"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_feedback_conversation_id", "feedback", ["conversation_id"])
    op.create_index("ix_feedback_created_at", "feedback", ["created_at"])
    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # the app keeps naive UTC in SQLite (app_store.tables.UTCDateTime)
    op.bulk_insert(schema_version, [{"id": 1, "version": 1, "applied_at": now}])


def downgrade() -> None:
    op.drop_table("feedback")
    op.drop_table("escalations")
    op.drop_table("schema_version")
