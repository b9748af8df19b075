"""Credit records, their events and objections, and the validity and repair rule tables.

Revision ID: 0003_credit
Revises: 0002_subject

Records and events are never deleted (trigger); events are never changed either. The first
version of each rule table is valid from 1900-01-01; a later law is a new row from its date.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003_credit"
down_revision = "0002_subject"
branch_labels = None
depends_on = None

EPOCH = date(1900, 1, 1)
VALIDITY_SOURCE = "国办发〔2025〕22号; 国家发展改革委《信用修复管理办法》(2026-04-01)"
VALIDITY = [  # nature, severity, default, min, max (months from decidedOn)
    ("DISHONEST", "MINOR", 3, None, 3),
    ("DISHONEST", "GENERAL", 12, 3, 12),
    ("DISHONEST", "SERIOUS", 36, 12, 36),
    ("TRUSTWORTHY", None, 36, None, 60),
]
REPAIR = [("MINOR", 0), ("GENERAL", 3), ("SERIOUS", 12)]


def upgrade() -> None:
    op.create_table(
        "credit_record",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("unit_id", sa.Uuid(), sa.ForeignKey("subject_unit.id")),
        sa.Column("civil_servant_id", sa.Uuid(), sa.ForeignKey("subject_civil_servant.id")),
        sa.Column("subject_id", sa.Uuid(),
                  sa.Computed("coalesce(unit_id, civil_servant_id)", persisted=True),
                  nullable=False),
        sa.Column("nature", sa.String(16), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("severity", sa.String(16)),
        sa.Column("sanction", sa.String(40)),
        sa.Column("sanction_months", sa.Integer()),
        sa.Column("domain", sa.String(40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text()),
        sa.Column("decision_number", sa.String(200)),
        sa.Column("decided_by_id", sa.Uuid(), sa.ForeignKey("subject_unit.id")),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date()),
        sa.Column("act_ended_on", sa.Date()),
        sa.Column("disclosure", sa.String(24), nullable=False),
        sa.Column("share_scope", postgresql.ARRAY(sa.String(24)), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("source_system", sa.String(100), nullable=False),
        sa.Column("source_ref", sa.String(300), nullable=False),
        sa.Column("procurement_contract_id", sa.Uuid()),
        sa.Column("ppp_event_id", sa.Uuid()),
        sa.Column("investment_project_id", sa.Uuid()),
        sa.Column("reported_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.UniqueConstraint("source_system", "source_ref"),
        sa.CheckConstraint("(unit_id IS NULL) <> (civil_servant_id IS NULL)",
                           name="one_subject"),
        sa.CheckConstraint("status IN ('ACTIVE','UNDER_OBJECTION','REVOKED','REPAIRED',"
                           "'EXEMPTED')", name="stored_status"),
    )
    for column in ("subject_id", "procurement_contract_id", "ppp_event_id",
                   "investment_project_id"):
        op.create_index(f"ix_credit_record_{column}", "credit_record", [column])
    op.create_index("ix_credit_record_listing", "credit_record",
                    [sa.text("decided_on DESC"), sa.text("id DESC")])
    op.create_table(
        "credit_record_event",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("seq", sa.BigInteger(), sa.Identity(), nullable=False, unique=True),
        sa.Column("record_id", sa.Uuid(), sa.ForeignKey("credit_record.id"), nullable=False,
                  index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("status_after", sa.String(24), nullable=False),
        sa.Column("changes", postgresql.JSONB()),
    )
    op.create_table(
        "credit_objection",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("record_id", sa.Uuid(), sa.ForeignKey("credit_record.id"), nullable=False,
                  index=True),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filed_by", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True)),
        sa.Column("resolved_by", sa.String(100)),
        sa.Column("upheld", sa.Boolean()),
        sa.Column("resolution_note", sa.Text()),
    )
    _rule_tables()
    _protect()


def _rule_tables() -> None:
    validity = op.create_table(
        "credit_validity_rule",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("nature", sa.String(16), nullable=False),
        sa.Column("severity", sa.String(16)),
        sa.Column("default_months", sa.Integer(), nullable=False),
        sa.Column("min_months", sa.Integer()),
        sa.Column("max_months", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
    )
    repair = op.create_table(
        "credit_repair_rule",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("minimum_months", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
    )
    op.bulk_insert(validity, [
        {"valid_from": EPOCH, "nature": n, "severity": s, "default_months": d,
         "min_months": lo, "max_months": hi, "source": VALIDITY_SOURCE}
        for n, s, d, lo, hi in VALIDITY])
    op.bulk_insert(repair, [
        {"valid_from": EPOCH, "severity": s, "minimum_months": m, "source": VALIDITY_SOURCE}
        for s, m in REPAIR])


def _protect() -> None:
    """Nothing is ever deleted; events are never rewritten either."""
    for table, operations in (("credit_record", "DELETE"), ("credit_objection", "DELETE"),
                              ("credit_record_event", "UPDATE OR DELETE")):
        op.execute(f"""
            CREATE TRIGGER {table}_protected BEFORE {operations} ON {table}
            FOR EACH ROW EXECUTE FUNCTION refuse_change();
        """)


def downgrade() -> None:
    op.drop_table("credit_repair_rule")
    op.drop_table("credit_validity_rule")
    op.drop_table("credit_objection")
    op.drop_table("credit_record_event")
    op.drop_table("credit_record")
