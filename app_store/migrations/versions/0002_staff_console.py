"""The SENDIASS staff console: accounts, sessions, casework, history, audit log, the off switch.

Escalations gain an assignee, a closing outcome, the time of the first response (for the
service-level targets) and the state of their duty-inbox alert. The statuses become new, assigned,
contacted, waiting (for the family) and closed; 'in_progress' becomes 'assigned'.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OLD_STATUSES = ("new", "in_progress", "closed")
STATUSES = ("new", "assigned", "contacted", "waiting", "closed")
OUTCOMES = ("information_given", "signposted", "advice_session_booked", "no_contact_possible", "other")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _old_escalations() -> sa.Table:
    """Revision 0001's escalations table, so SQLite's copy of it needs no reflection."""
    return sa.Table(
        "escalations",
        sa.MetaData(),
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
        sa.CheckConstraint(_in("status", OLD_STATUSES), name="escalation_status_known"),
        sa.Index("ix_escalations_conversation_id", "conversation_id"),
        sa.Index("ix_escalations_created_at", "created_at"),
        sa.Index("ix_escalations_status_created", "status", "created_at"),
        sa.Index("ix_escalations_urgent_created", "urgent", "created_at"),
    )


def _timestamp(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "staff_users",
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
        sa.CheckConstraint(_in("role", ("caseworker", "admin")), name="staff_role_known"),
    )
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("staff_users.id"), nullable=False, index=True),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        _timestamp("created_at"),
        _timestamp("last_seen_at"),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("fully_signed_in", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("pending_totp_encrypted", sa.Text(), nullable=True),
    )

    # Two steps on escalations, because SQLite checks the copied rows against the new table:
    # first loosen (drop the old status check, add columns), then move 'in_progress', then check.
    with op.batch_alter_table("escalations", copy_from=_old_escalations(), recreate="auto") as batch:
        batch.drop_constraint("escalation_status_known", type_="check")
        batch.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("outcome", sa.String(32), nullable=True))
        batch.add_column(_timestamp("closed_at", nullable=True))
        batch.add_column(_timestamp("first_response_at", nullable=True))
        batch.add_column(sa.Column("alert_state", sa.String(16), nullable=True))
        batch.add_column(sa.Column("alert_attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("alert_last_error", sa.String(300), nullable=True))
        batch.add_column(_timestamp("alert_next_try_at", nullable=True))
        batch.add_column(_timestamp("alert_claimed_until", nullable=True))
        batch.add_column(_timestamp("alert_sent_at", nullable=True))
        batch.create_foreign_key("fk_escalations_assignee", "staff_users", ["assignee_id"], ["id"])
        batch.create_index("ix_escalations_assignee_id", ["assignee_id"])
        batch.create_index("ix_escalations_alert_state", ["alert_state"])
    op.execute("UPDATE escalations SET status = 'assigned' WHERE status = 'in_progress'")
    with op.batch_alter_table("escalations") as batch:
        batch.create_check_constraint("escalation_status_known", _in("status", STATUSES))
        batch.create_check_constraint("escalation_outcome_known", "outcome IS NULL OR " + _in("outcome", OUTCOMES))

    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("escalation_id", sa.Integer(), sa.ForeignKey("escalations.id"), nullable=False, index=True),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("staff_users.id"), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _timestamp("created_at"),
    )
    op.create_table(
        "contact_attempts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("escalation_id", sa.Integer(), sa.ForeignKey("escalations.id"), nullable=False, index=True),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("staff_users.id"), nullable=False),
        _timestamp("attempted_at"),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        _timestamp("created_at"),
    )
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("escalation_id", sa.Integer(), sa.ForeignKey("escalations.id"), nullable=False, index=True),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("staff_users.id"), nullable=True),
        _timestamp("at"),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("detail", sa.String(300), nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _timestamp("at"),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False, index=True),
        sa.Column("target", sa.String(64), nullable=True),
        sa.Column("detail", sa.String(500), nullable=False),
        sa.Column("ip", sa.String(64), nullable=True),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    # Nothing may change an audit entry; only retention deletes old ones.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_refuse_update() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'the audit log cannot be changed'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_update()"
        )
    else:
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END"
        )
    service_state = op.create_table(
        "service_state",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("changed_by", sa.String(64), nullable=True),
        _timestamp("changed_at", nullable=True),
    )
    op.bulk_insert(service_state, [{"id": 1, "paused": False}])
    op.execute("UPDATE schema_version SET version = 2 WHERE id = 1")


def downgrade() -> None:
    # Going back would throw away casework and the audit log; restore a backup instead.
    raise NotImplementedError("the staff console's tables cannot be removed by a migration: restore a backup")
