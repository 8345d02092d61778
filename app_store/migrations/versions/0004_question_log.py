"""Insights for Local Offer editors: the question log, content exclusions and the editor role.

The question log keeps one row per family turn: the redacted question, what the assistant did, the
page it cited, its confidence and the family's feedback (never the raw text). Content exclusions
name pages the next knowledge-base build leaves out; lifting one keeps the row, so the history of
who excluded what, when and why stays. Staff accounts may now have the role 'editor'.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OUTCOMES = (
    "answer",
    "tentative",
    "not_sure",
    "answer_and_signpost",
    "handoff",
    "safety",
    "out_of_scope",
    "fallback",
    "small_talk",
)
FEEDBACK_REASONS = ("off_topic", "not_answered", "hard_to_understand", "out_of_date", "something_else")
EXCLUSION_REASONS = ("personal_data", "wrong", "other")
OLD_ROLES = ("caseworker", "admin")
ROLES = ("caseworker", "admin", "editor")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _timestamp(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _old_staff_users() -> sa.Table:
    """Revision 0003's staff_users table, so SQLite's copy of it needs no reflection."""
    return sa.Table(
        "staff_users",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("totp_secret_encrypted", sa.Text(), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False, server_default="0"),
        _timestamp("locked_until", nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        _timestamp("last_sign_in_at", nullable=True),
        sa.Column("totp_last_step", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(_in("role", OLD_ROLES), name="staff_role_known"),
    )


def upgrade() -> None:
    op.create_table(
        "question_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        _timestamp("asked_at"),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(24), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("page_url", sa.String(1000), nullable=True),
        sa.Column("page_title", sa.String(300), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("helpful", sa.Boolean(), nullable=True),
        sa.Column("feedback_reason", sa.String(24), nullable=True),
        _timestamp("feedback_at", nullable=True),
        sa.Column("embedding", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint(_in("outcome", OUTCOMES), name="question_outcome_known"),
        sa.CheckConstraint(
            "feedback_reason IS NULL OR " + _in("feedback_reason", FEEDBACK_REASONS), name="question_reason_known"
        ),
    )
    op.create_index("ix_question_log_conversation_id", "question_log", ["conversation_id"])
    op.create_index("ix_question_log_asked_at", "question_log", ["asked_at"])
    op.create_table(
        "content_exclusions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("url", sa.String(1000), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("reason", sa.String(24), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("excluded_by", sa.String(64), nullable=False),
        _timestamp("excluded_at"),
        sa.Column("lifted_by", sa.String(64), nullable=True),
        _timestamp("lifted_at", nullable=True),
        sa.CheckConstraint(_in("reason", EXCLUSION_REASONS), name="exclusion_reason_known"),
    )
    op.create_index("ix_content_exclusions_url", "content_exclusions", ["url"])
    with op.batch_alter_table("staff_users", copy_from=_old_staff_users(), recreate="auto") as batch:
        batch.drop_constraint("staff_role_known", type_="check")
        batch.create_check_constraint("staff_role_known", _in("role", ROLES))
    op.execute("UPDATE schema_version SET version = 4 WHERE id = 1")


def downgrade() -> None:
    raise NotImplementedError("migrations are not reversed: restore a backup")
