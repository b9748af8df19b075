"""reportCreditRecords stores its records and events by COPY (`domains.core.bulk.copy_columns`):
a COPY that fails fails the report as an INSERT did, with the same error code, and nothing of
the batch is stored."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from tests.conftest import GraphQL
from tests.graph.credit.test_mutations import REPORT, counts, given_subjects, record

# Each COPY into credit_record_event outlasts the statement timeout set below (the trigger,
# the function and the setting go with the test's outer transaction).
SLOW_EVENTS = ("""
CREATE FUNCTION test_slow_copy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_sleep(5); RETURN NULL; END $$""", """
CREATE TRIGGER test_slow_copy BEFORE INSERT ON credit_record_event
FOR EACH STATEMENT EXECUTE FUNCTION test_slow_copy()""", "SET LOCAL statement_timeout = 1000")


async def test_a_copy_over_the_statement_timeout_answers_it_and_writes_nothing(
        gql: GraphQL, session: AsyncSession, connection: AsyncConnection) -> None:
    # given subjects, and a COPY of events that takes longer than the statement timeout
    await given_subjects(gql)
    before = await counts(session)
    for statement in SLOW_EVENTS:
        await connection.execute(text(statement))
    # when a client reports two records
    body = await gql("PROCUREMENT", REPORT, {"records": [record("CG-1"), record("CG-2")]})
    # then it gets STATEMENT_TIMEOUT (graph.errors found the SQLSTATE in the DBAPIError), and
    # neither the records, copied before the events, nor any event is stored
    assert body["data"] is None
    assert [error["extensions"]["code"] for error in body["errors"]] == ["STATEMENT_TIMEOUT"]
    assert await counts(session) == before
    assert await session.scalar(text(
        "SELECT count(*) FROM credit_record WHERE source_ref IN ('CG-1', 'CG-2')")) == 0
