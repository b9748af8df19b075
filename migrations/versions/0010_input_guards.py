"""An index for the owner check of reportCreditRecords (issue 7).

A client reports only under a sourceSystem that no other client (the credit office aside) has
reported under, so that CONFLICT never tells it that a record it may not see exists. The check
asks which other clients reported under the batch's systems; (source_system, reported_by)
answers it from the index alone, however many records a system holds.
"""

from __future__ import annotations

from alembic import op

revision = "0010_input_guards"
down_revision = "0009_identity_lookup"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_credit_record_source_system_reported_by", "credit_record",
                    ["source_system", "reported_by"])


def downgrade() -> None:
    op.drop_index("ix_credit_record_source_system_reported_by", table_name="credit_record")
