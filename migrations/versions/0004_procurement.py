"""Procurement contracts, their milestones, and the procurement rule values (DOMAIN.md section 6).

Revision ID: 0004_procurement
Revises: 0003_credit

Contracts and milestones are never deleted (trigger); a recorded milestone is never changed
either (the same date again is a no-op, another date CONFLICT). The rule values are one row
per version, the first valid from 1900-01-01; a later law is a new row from its own date.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = "0004_procurement"
down_revision = "0003_credit"
branch_labels = None
depends_on = None

EPOCH = date(1900, 1, 1)
SOURCE = ("《保障中小企业款项支付条例》(60-day limit for 机关、事业单位; default interest 0.05% "
          "a day); score, grades, 3-year window and 30-day terms: platform defaults")
FIRST_VERSION = {
    "valid_from": EPOCH,
    "base_score": 100,
    "accepted_late_deduction": 2,
    "acceptance_overdue_deduction": 5,
    "paid_late_deduction": 3,
    "payment_overdue_deduction": 8,
    "general_record_deduction": 10,
    "serious_record_deduction": 20,
    "score_floor": 0,
    "grade_a_min_score": 90,
    "grade_b_min_score": 75,
    "grade_c_min_score": 60,
    "sme_daily_interest_rate": Decimal("0.0005"),
    "evaluation_years": 3,
    "default_acceptance_days": 30,
    "default_payment_days": 30,
    "sme_max_payment_days": 60,
    "source": SOURCE,
}
CREDIT_RECORD_FK = "fk_credit_record_procurement_contract_id_procurement_contract"


def upgrade() -> None:
    op.create_table(
        "procurement_contract",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("code", sa.String(100), nullable=False, unique=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("purchaser_id", sa.Uuid(), sa.ForeignKey("subject_unit.id"), nullable=False),
        sa.Column("responsible_person_id", sa.Uuid(),
                  sa.ForeignKey("subject_civil_servant.id"), index=True),
        sa.Column("supplier_name", sa.String(300), nullable=False),
        sa.Column("supplier_uscc", sa.String(18)),
        sa.Column("supplier_is_sme", sa.Boolean(), nullable=False),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("acceptance_days", sa.Integer(), nullable=False),
        sa.Column("payment_days", sa.Integer(), nullable=False),
        sa.Column("reported_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.CheckConstraint("acceptance_days BETWEEN 1 AND 365", name="acceptance_days_range"),
        sa.CheckConstraint("payment_days BETWEEN 1 AND 365", name="payment_days_range"),
    )
    # Unit.procurementContracts pages a purchaser's contracts newest first.
    op.create_index("ix_procurement_contract_purchaser", "procurement_contract",
                    ["purchaser_id", sa.text("signed_on DESC"), "code"])
    op.create_table(
        "procurement_milestone",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("contract_id", sa.Uuid(), sa.ForeignKey("procurement_contract.id"),
                  nullable=False),
        sa.Column("milestone", sa.String(16), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.UniqueConstraint("contract_id", "milestone"),
        sa.CheckConstraint("milestone IN ('DELIVERED','ACCEPTED','PAID')", name="milestone_kind"),
    )
    _weights()
    op.create_foreign_key(CREDIT_RECORD_FK, "credit_record", "procurement_contract",
                          ["procurement_contract_id"], ["id"])
    _protect()


def _weights() -> None:
    weights = op.create_table(
        "procurement_weights",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("valid_from", sa.Date(), nullable=False, unique=True),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in FIRST_VERSION
          if name not in ("valid_from", "sme_daily_interest_rate", "source")),
        sa.Column("sme_daily_interest_rate", sa.Numeric(8, 6), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
    )
    op.bulk_insert(weights, [FIRST_VERSION])


def _protect() -> None:
    """Contracts are never deleted; milestones are never changed or deleted."""
    for table, operations in (("procurement_contract", "DELETE"),
                              ("procurement_milestone", "UPDATE OR DELETE")):
        op.execute(f"""
            CREATE TRIGGER {table}_protected BEFORE {operations} ON {table}
            FOR EACH ROW EXECUTE FUNCTION refuse_change();
        """)


def downgrade() -> None:
    op.drop_constraint(CREDIT_RECORD_FK, "credit_record", type_="foreignkey")
    op.drop_table("procurement_weights")
    op.drop_table("procurement_milestone")
    op.drop_table("procurement_contract")
