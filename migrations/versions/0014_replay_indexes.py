"""Indexes for replaying a record's status on a day, chosen from EXPLAIN ANALYZE at scale 1.

Revision ID: 0014_replay_indexes
Revises: 0013_rule_notify

Why: every assessment reads each record of its subject with its status replayed for the day
(the newest event on or before it) and the corrections made after it
(loaders.credit.facts_statement). On the scale-1 dataset (`integrity generate --scale 1`:
2,000,000 records, 4,450,000 events) a unit with about 300 records spent 45 ms in that
statement from a cold cache and about 7 ms warm, nearly all of it in one index probe plus one
heap page per record for the replay subquery: events of a record lie on scattered pages.
- ix_credit_record_event_replay (record_id, seq DESC) INCLUDE (at, status_after): the replay
  becomes an index-only scan (no heap page per record once the visibility map is set, which
  VACUUM does; `integrity generate` runs it after its load, autovacuum otherwise). Measured on
  a unit of 305 records: 17 ms cold, against 45 ms for a comparable unit before.
- ix_credit_record_event_corrected (record_id, seq DESC) WHERE kind = 'CORRECTED': the later
  corrections subquery probes a tiny partial index instead of filtering every event of the
  record on its heap page.
"""

from __future__ import annotations

from alembic import op

revision = "0014_replay_indexes"
down_revision = "0013_rule_notify"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""CREATE INDEX ix_credit_record_event_replay ON credit_record_event
                  (record_id, seq DESC) INCLUDE (at, status_after)""")
    op.execute("""CREATE INDEX ix_credit_record_event_corrected ON credit_record_event
                  (record_id, seq DESC) WHERE kind = 'CORRECTED'""")


def downgrade() -> None:
    op.execute("DROP INDEX ix_credit_record_event_corrected")
    op.execute("DROP INDEX ix_credit_record_event_replay")
