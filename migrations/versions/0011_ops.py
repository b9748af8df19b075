"""Operating: the allow-list of persisted operations; the measure list's publication day and
legal bases that hold only the basis.

Revision ID: 0011_ops
Revises: 0006_truncate_guard

- `access_persisted_operation`: documents that may run when the server enforces the allow-list
  (`integrity operations add|list|remove`). Keyed by the SHA-256 of the document and holding its
  text, so that a later version can let clients send the hash alone (automatic persisted
  queries) without another migration.
- `restriction_measure_rule.published_on`: the day a row was published (条例第二十二条). The
  seeded default rows were published when this platform put its list in force: the day this
  migration runs (Asia/Shanghai). `valid_from` stays the version's first day (1900-01-01 for the
  seeded defaults, which apply to every record of the past, DOMAIN.md section 4).
- The seeded legal bases carried remarks about platform defaults ("条件与措施为平台默认", ...):
  they now hold the basis only; the defaults are documented in README and DOMAIN.md.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_ops"
down_revision = "0010_input_guards"
branch_labels = None
depends_on = None

SHANGHAI_TODAY = sa.text("((now() AT TIME ZONE 'Asia/Shanghai')::date)")
# (remark removed from the seeded legal bases, what it was replaced with)
REMARKS = (
    ("；条件与措施为平台默认", ""),
    ("；评分与等级为平台默认", ""),
    ("；平台默认", ""),
    ("；按晋升考量因素逐项适用，各因素另列其法律依据", ""),
)


def upgrade() -> None:
    op.create_table(
        "access_persisted_operation",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("operation_names", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),
    )
    # A row added later is published the day it is added, unless its insert says otherwise.
    op.add_column("restriction_measure_rule", sa.Column(
        "published_on", sa.Date(), nullable=False, server_default=SHANGHAI_TODAY))
    for remark, replacement in REMARKS:
        op.execute(sa.text("UPDATE restriction_measure_rule "
                           "SET legal_basis = replace(legal_basis, :remark, :replacement) "
                           "WHERE valid_from = DATE '1900-01-01'")
                   .bindparams(remark=remark, replacement=replacement))


def downgrade() -> None:
    op.drop_column("restriction_measure_rule", "published_on")
    op.drop_table("access_persisted_operation")
