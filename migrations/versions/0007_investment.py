"""Government investment projects, their approvals and violations (DOMAIN.md section 8).

Revision ID: 0007_investment
Revises: 0006_truncate_guard

Projects, approvals and violations are evidence: never deleted or truncated (triggers, as in
0003 and 0006). An approval may be updated only while it is unapproved; a violation never
changes. credit_record.investment_project_id now refers to a project.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_investment"
down_revision = "0006_truncate_guard"
branch_labels = None
depends_on = None

CREDIT_RECORD_FK = "fk_credit_record_investment_project_id_investment_project"
TABLES = ("investment_project", "investment_approval", "investment_violation")


def _stamps() -> list[sa.Column[object]]:
    return [sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                      nullable=False)]


def upgrade() -> None:
    op.create_table(
        "investment_project",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("code", sa.String(100), nullable=False, unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("supervising_department_id", sa.Uuid(), sa.ForeignKey("subject_unit.id"),
                  nullable=False, index=True),
        sa.Column("reported_by", sa.String(100), nullable=False),
        *_stamps(),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
    )
    op.create_table(
        "investment_approval",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("project_id", sa.Uuid(), sa.ForeignKey("investment_project.id"),
                  nullable=False),
        sa.Column("document", sa.String(24), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("approved_on", sa.Date()),
        sa.Column("approval_number", sa.String(200)),
        sa.Column("estimated_total", sa.Numeric(18, 2)),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        *_stamps(),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.UniqueConstraint("project_id", "document", "submitted_on"),
        sa.CheckConstraint("approved_on IS NULL OR approved_on >= submitted_on",
                           name="approved_after_submission"),
        sa.CheckConstraint("estimated_total IS NULL OR estimated_total > 0",
                           name="estimate_positive"),
        sa.CheckConstraint("document IN ('PROJECT_PROPOSAL','FEASIBILITY_STUDY',"
                           "'PRELIMINARY_DESIGN')", name="document_kind"),
    )
    _violations()
    op.create_foreign_key(CREDIT_RECORD_FK, "credit_record", "investment_project",
                          ["investment_project_id"], ["id"])
    _protect()


def _violations() -> None:
    op.create_table(
        "investment_violation",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("project_id", sa.Uuid(), sa.ForeignKey("investment_project.id"),
                  nullable=False),
        sa.Column("source_ref", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), sa.ForeignKey("subject_unit.id")),
        sa.Column("civil_servant_id", sa.Uuid(), sa.ForeignKey("subject_civil_servant.id")),
        sa.Column("record_id", sa.Uuid(), sa.ForeignKey("credit_record.id"), nullable=False,
                  unique=True),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        *_stamps(),
        sa.UniqueConstraint("project_id", "source_ref"),
        sa.CheckConstraint("(unit_id IS NULL) <> (civil_servant_id IS NULL)",
                           name="one_subject"),
    )


def _protect() -> None:
    """Never deleted or truncated; an approved approval and a violation never change."""
    triggers = [(f"{table}_never_deleted", table, "BEFORE DELETE", "FOR EACH ROW")
                for table in TABLES]
    triggers += [(f"{table}_never_truncated", table, "BEFORE TRUNCATE", "FOR EACH STATEMENT")
                 for table in TABLES]
    triggers += [
        ("investment_approval_frozen_once_approved", "investment_approval", "BEFORE UPDATE",
         "FOR EACH ROW WHEN (OLD.approved_on IS NOT NULL)"),
        ("investment_violation_never_changed", "investment_violation", "BEFORE UPDATE",
         "FOR EACH ROW"),
    ]
    for name, table, when, each in triggers:
        op.execute(f"CREATE TRIGGER {name} {when} ON {table} {each} "
                   "EXECUTE FUNCTION refuse_change()")


def downgrade() -> None:
    op.drop_constraint(CREDIT_RECORD_FK, "credit_record", type_="foreignkey")
    for table in reversed(TABLES):
        op.drop_table(table)
