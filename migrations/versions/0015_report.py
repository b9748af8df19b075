"""Cheaper index upkeep for reported records (issue 13, reportCreditRecords in batches).

Revision ID: 0015_report
Revises: 0014_replay_indexes

1. Drop the plain index on credit_record_event.record_id: the replay index covers its reads.
Every reported record writes two events, and each event is an entry in every index of
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

2. credit_record's indexes on procurement_contract_id, ppp_event_id and investment_project_id
become partial (WHERE the column IS NOT NULL). Most records link to none of them (on the
scale-1 data 21,000, 2,000 and 32,000 of 2,536,000 records), yet every new record added a NULL
entry to each of the three. Every read of these columns compares them with a value
(`ppp_event_id IN (...)`, the foreign keys' checks `= $1`), which implies NOT NULL, so the
partial index serves it: EXPLAIN shows an Index Scan of it for `ppp_event_id IN (SELECT ...)`
and an Index Only Scan for the generic plan of `ppp_event_id = $1`. A 1,000-row report's
records INSERT: 6,050 WAL records instead of 9,060, 60-151 ms against 127-225 ms (three
alternating EXPLAIN ANALYZE runs, indexes swapped inside a rolled-back transaction).
The DROP INDEX locks credit_record until the migration's transaction ends (the partial indexes
are built from a scan of the table, about a second per index at scale 1).
"""

from __future__ import annotations

from alembic import op

revision = "0015_report"
down_revision = "0014_replay_indexes"
branch_labels = None
depends_on = None


LINKS = ("procurement_contract_id", "ppp_event_id", "investment_project_id")


def upgrade() -> None:
    op.execute("DROP INDEX ix_credit_record_event_record_id")
    for column in LINKS:
        op.execute(f"DROP INDEX ix_credit_record_{column}")
        op.execute(f"CREATE INDEX ix_credit_record_{column} ON credit_record ({column}) "
                   f"WHERE {column} IS NOT NULL")


def downgrade() -> None:
    for column in LINKS:
        op.execute(f"DROP INDEX ix_credit_record_{column}")
        op.execute(f"CREATE INDEX ix_credit_record_{column} ON credit_record ({column})")
    op.execute("CREATE INDEX ix_credit_record_event_record_id ON credit_record_event "
               "(record_id)")
