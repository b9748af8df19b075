"""Evidence tables refuse TRUNCATE too.

The never-delete triggers of the earlier revisions fire per row, and TRUNCATE fires no row
trigger: `TRUNCATE credit_record CASCADE` would have emptied the credit files. A statement-level
trigger on each evidence table closes that gap (DOMAIN.md section 2: records are never deleted).
"""

from __future__ import annotations

from alembic import op

revision = "0006_truncate_guard"
down_revision = "0005_restriction"
branch_labels = None
depends_on = None

EVIDENCE = ("subject_unit", "subject_civil_servant", "subject_employment", "credit_record",
            "credit_record_event", "credit_objection", "access_audit_entry", "restriction_check",
            "procurement_contract", "procurement_milestone")


def upgrade() -> None:
    for table in EVIDENCE:
        op.execute(f"""
            CREATE TRIGGER {table}_never_truncated BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
        """)


def downgrade() -> None:
    for table in EVIDENCE:
        op.execute(f"DROP TRIGGER {table}_never_truncated ON {table}")
