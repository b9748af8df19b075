"""Joint-punishment memoranda (联合惩戒备忘录): versions, signatories, joint actions and their
responses; clients bound to the units they act for.

Revision ID: 0012_memoranda
Revises: 0006_truncate_guard

Everything here is evidence of who agreed to punish what and who did what (金府发〔2018〕12号
二.2: 发起、响应、反馈): versions, signatories and responses are append-only, an action is
never deleted and only its closing columns are written, once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012_memoranda"
down_revision = "0011_ops"
branch_labels = None
depends_on = None

APPEND_ONLY = ("memorandum_version", "memorandum_signatory", "memorandum_response",
               "access_client_unit")
EVIDENCE = (*APPEND_ONLY, "memorandum_joint_action")


def upgrade() -> None:
    op.create_table(
        "access_client_unit",
        sa.Column("client_id", sa.Uuid(), sa.ForeignKey("access_client.id"), primary_key=True),
        sa.Column("unit_id", sa.Uuid(), sa.ForeignKey("subject_unit.id"), primary_key=True),
        sa.Column("bound_at", sa.DateTime(timezone=True), nullable=False),
    )
    _memoranda()
    _actions()
    _protect()


def _memoranda() -> None:
    op.create_table(
        "memorandum_version",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("number", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("scenario", sa.String(40), nullable=False),
        sa.Column("subject_kind", sa.String(8), nullable=False),
        sa.Column("categories", postgresql.ARRAY(sa.String(40)), nullable=False),
        sa.Column("severities", postgresql.ARRAY(sa.String(16)), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date()),
        sa.Column("response_working_days", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("number", "version", name="uq_memorandum_version_number"),
        sa.UniqueConstraint("number", "effective_from", name="uq_memorandum_version_day"),
        sa.CheckConstraint("subject_kind IN ('UNIT','PERSON')", name="subject_kind"),
        sa.CheckConstraint("valid_until IS NULL OR valid_until >= effective_from",
                           name="period"),
        sa.CheckConstraint("response_working_days BETWEEN 1 AND 60", name="response_days"),
    )
    op.create_table(
        "memorandum_signatory",
        sa.Column("version_id", sa.Uuid(), sa.ForeignKey("memorandum_version.id"),
                  primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("unit_id", sa.Uuid(), sa.ForeignKey("subject_unit.id"), nullable=False),
        sa.Column("measures", postgresql.JSONB(), nullable=False),
        sa.UniqueConstraint("version_id", "unit_id", name="uq_memorandum_signatory_unit"),
    )
    op.create_index("ix_memorandum_signatory_unit_id", "memorandum_signatory", ["unit_id"])


def _actions() -> None:
    op.create_table(
        "memorandum_joint_action",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("version_id", sa.Uuid(), sa.ForeignKey("memorandum_version.id"),
                  nullable=False),
        sa.Column("initiator_unit_id", sa.Uuid(), sa.ForeignKey("subject_unit.id"),
                  nullable=False),
        sa.Column("case_ref", sa.String(200), nullable=False),
        sa.Column("initiated_by", sa.String(100), nullable=False),
        sa.Column("unit_id", sa.Uuid(), sa.ForeignKey("subject_unit.id")),
        sa.Column("civil_servant_id", sa.Uuid(), sa.ForeignKey("subject_civil_servant.id")),
        sa.Column("subject_id", sa.Uuid(),
                  sa.Computed("coalesce(unit_id, civil_servant_id)", persisted=True),
                  nullable=False),
        sa.Column("basis_record_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("initiated_on", sa.Date(), nullable=False),
        sa.Column("initiated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("response_due_on", sa.Date(), nullable=False),
        sa.Column("closing", sa.String(16)),
        sa.Column("closed_on", sa.Date()),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("closed_by", sa.String(100)),
        sa.Column("withdrawal_reason", sa.Text()),
        sa.UniqueConstraint("initiator_unit_id", "case_ref", name="uq_memorandum_action_key"),
        sa.CheckConstraint("(unit_id IS NULL) <> (civil_servant_id IS NULL)",
                           name="one_subject"),
        sa.CheckConstraint("(closing IS NULL) = (closed_at IS NULL) AND "
                           "(closed_at IS NULL) = (closed_on IS NULL)", name="closing"),
        sa.CheckConstraint("(closing = 'WITHDRAWN') = (withdrawal_reason IS NOT NULL)",
                           name="withdrawal_reason"),
    )
    op.create_index("ix_memorandum_joint_action_subject_id", "memorandum_joint_action",
                    ["subject_id"])
    op.create_index("ix_memorandum_joint_action_open", "memorandum_joint_action",
                    ["initiated_at", "id"], postgresql_where=sa.text("closed_at IS NULL"))
    op.create_table(
        "memorandum_response",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("action_id", sa.Uuid(), sa.ForeignKey("memorandum_joint_action.id"),
                  nullable=False),
        sa.Column("unit_id", sa.Uuid(), sa.ForeignKey("subject_unit.id"), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("codes", postgresql.ARRAY(sa.String(160)), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("responded_by", sa.String(100), nullable=False),
        sa.Column("responded_on", sa.Date(), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("action_id", "unit_id", name="uq_memorandum_response_key"),
    )


def _protect() -> None:
    """Never deleted nor truncated; versions, signatories, responses and bindings never
    changed; an action changes once, when it closes, and only in its closing columns."""
    for table in APPEND_ONLY:
        op.execute(f"""
            CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION refuse_change();
        """)
    op.execute("""
        CREATE FUNCTION memorandum_action_closes_once() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (NEW.id, NEW.version_id, NEW.initiator_unit_id, NEW.case_ref, NEW.initiated_by,
                NEW.unit_id, NEW.civil_servant_id, NEW.basis_record_ids, NEW.note,
                NEW.initiated_on, NEW.initiated_at, NEW.response_due_on)
               IS DISTINCT FROM
               (OLD.id, OLD.version_id, OLD.initiator_unit_id, OLD.case_ref, OLD.initiated_by,
                OLD.unit_id, OLD.civil_servant_id, OLD.basis_record_ids, OLD.note,
                OLD.initiated_on, OLD.initiated_at, OLD.response_due_on) THEN
                RAISE EXCEPTION 'a joint action is never changed, only closed';
            END IF;
            IF OLD.closed_at IS NOT NULL THEN
                RAISE EXCEPTION 'a joint action is closed once and never reopened';
            END IF;
            RETURN NEW;
        END $$;
    """)
    op.execute("""
        CREATE TRIGGER memorandum_joint_action_closes_once BEFORE UPDATE
        ON memorandum_joint_action FOR EACH ROW EXECUTE FUNCTION memorandum_action_closes_once();
    """)
    op.execute("""
        CREATE TRIGGER memorandum_joint_action_never_deleted BEFORE DELETE
        ON memorandum_joint_action FOR EACH ROW EXECUTE FUNCTION refuse_change();
    """)
    for table in EVIDENCE:
        op.execute(f"""
            CREATE TRIGGER {table}_never_truncated BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
        """)


def downgrade() -> None:
    op.drop_table("memorandum_response")
    op.drop_table("memorandum_joint_action")
    op.execute("DROP FUNCTION memorandum_action_closes_once()")
    op.drop_table("memorandum_signatory")
    op.drop_table("memorandum_version")
    op.drop_table("access_client_unit")
