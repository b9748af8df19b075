"""Units, civil servants, employment history, and the working calendar.

Revision ID: 0002_subject
Revises: 0001_access

The calendar is seeded from the State Council holiday notices: 2025 (国办发明电〔2024〕12号)
and 2026 (国办发明电〔2025〕7号). Later years: `integrity calendar load FILE`.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0002_subject"
down_revision = "0001_access"
branch_labels = None
depends_on = None

# (first day, last day, working?, note)
CALENDAR = [
    ("2025-01-01", "2025-01-01", False, "元旦"),
    ("2025-01-26", "2025-01-26", True, "春节调休上班"),
    ("2025-01-28", "2025-02-04", False, "春节"),
    ("2025-02-08", "2025-02-08", True, "春节调休上班"),
    ("2025-04-04", "2025-04-06", False, "清明节"),
    ("2025-04-27", "2025-04-27", True, "劳动节调休上班"),
    ("2025-05-01", "2025-05-05", False, "劳动节"),
    ("2025-05-31", "2025-06-02", False, "端午节"),
    ("2025-09-28", "2025-09-28", True, "国庆节调休上班"),
    ("2025-10-01", "2025-10-08", False, "国庆节、中秋节"),
    ("2025-10-11", "2025-10-11", True, "国庆节调休上班"),
    ("2026-01-01", "2026-01-03", False, "元旦"),
    ("2026-01-04", "2026-01-04", True, "元旦调休上班"),
    ("2026-02-14", "2026-02-14", True, "春节调休上班"),
    ("2026-02-15", "2026-02-23", False, "春节"),
    ("2026-02-28", "2026-02-28", True, "春节调休上班"),
    ("2026-04-04", "2026-04-06", False, "清明节"),
    ("2026-05-01", "2026-05-05", False, "劳动节"),
    ("2026-05-09", "2026-05-09", True, "劳动节调休上班"),
    ("2026-06-19", "2026-06-21", False, "端午节"),
    ("2026-09-20", "2026-09-20", True, "国庆节调休上班"),
    ("2026-09-25", "2026-09-27", False, "中秋节"),
    ("2026-10-01", "2026-10-07", False, "国庆节"),
    ("2026-10-10", "2026-10-10", True, "国庆节调休上班"),
]


def calendar_rows() -> list[dict[str, object]]:
    rows = []
    for first, last, working, note in CALENDAR:
        day, end = date.fromisoformat(first), date.fromisoformat(last)
        while day <= end:
            rows.append({"day": day, "is_working": working, "note": note})
            day += timedelta(days=1)
    return rows


def upgrade() -> None:
    calendar = op.create_table(
        "working_calendar",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("is_working", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(200), nullable=False),
    )
    op.bulk_insert(calendar, calendar_rows())
    op.create_table(
        "subject_unit",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("uscc", sa.String(18), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("region_code", sa.String(12)),
        sa.Column("parent_id", sa.Uuid(), sa.ForeignKey("subject_unit.id"), index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
    )
    op.create_index("ix_subject_unit_name_lower", "subject_unit", [sa.text("lower(name)")])
    op.create_table(
        "subject_civil_servant",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("id_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("masked_id_number", sa.String(18), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
    )
    op.create_table(
        "subject_employment",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("civil_servant_id", sa.Uuid(), sa.ForeignKey("subject_civil_servant.id"),
                  nullable=False, index=True),
        sa.Column("unit_id", sa.Uuid(), sa.ForeignKey("subject_unit.id"), nullable=False,
                  index=True),
        sa.Column("position", sa.String(200)),
        sa.Column("rank", sa.String(100)),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date()),
        sa.UniqueConstraint("civil_servant_id", "started_on"),
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="period"),
    )
    for table in ("subject_unit", "subject_civil_servant", "subject_employment"):
        op.execute(f"""
            CREATE TRIGGER {table}_never_deleted BEFORE DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION refuse_change();
        """)


def downgrade() -> None:
    op.drop_table("subject_employment")
    op.drop_table("subject_civil_servant")
    op.drop_table("subject_unit")
    op.drop_table("working_calendar")
