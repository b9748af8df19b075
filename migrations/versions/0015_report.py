"""Drop the plain index on credit_record_event.record_id: the replay index covers its reads.

Revision ID: 0015_report
Revises: 0014_replay_indexes

Why: every reported record writes two events, and each event is an entry in every index of
credit_record_event. ix_credit_record_event_record_id (record_id) is the leading column of
ix_credit_record_event_replay (record_id, seq DESC) INCLUDE (at, status_after), so every read
that probed it can probe the replay index instead. Checked with EXPLAIN ANALYZE on the scale-1
data (2,000,000 records), the index dropped inside a rolled-back transaction:
- a record's history (loaders.credit EVENTS_BY_RECORD, record_id = ANY(...)): an Index Scan
  using ix_credit_record_event_replay, the same Index Cond, 282 searches for a unit's 284
  records;
- the replayed status and later corrections (domains.credit.queries) already probe the replay
  and the partial CORRECTED indexes; corrections_of keeps the CORRECTED one;
- the foreign key from credit_record_event to credit_record checks credit_record's primary
  key; a credit_record row is never deleted (a trigger refuses it), so nothing looks events up
  by record_id to enforce it.
A 1,000-row report's events INSERT: 8,100 WAL records instead of 10,100, and 32-71 ms against
46-231 ms in three alternating EXPLAIN ANALYZE runs.
"""

from __future__ import annotations

from alembic import op

revision = "0015_report"
down_revision = "0014_replay_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP INDEX ix_credit_record_event_record_id")


def downgrade() -> None:
    op.execute("CREATE INDEX ix_credit_record_event_record_id ON credit_record_event "
               "(record_id)")
