"""Nothing that is evidence is ever deleted (DOMAIN.md sections 2, 3, 4): the database itself
refuses DELETE on every table of subjects, records, events, objections, checks, audit rows and
procurement contracts, and UPDATE on the append-only ones."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import GraphQL
from tests.graph.credit.test_mutations import FILE, FINANCE, given_subjects, reported
from tests.graph.procurement.support import MILESTONES, REGISTER, contract, milestone

NEVER_DELETED = ["subject_unit", "subject_civil_servant", "subject_employment", "credit_record",
                 "credit_record_event", "credit_objection", "access_audit_entry",
                 "restriction_check", "procurement_contract", "procurement_milestone"]
NEVER_CHANGED = {"credit_record_event": "note = 'x'", "access_audit_entry": "field = 'x'",
                 "procurement_milestone": "recorded_by = recorded_by"}
CHECK = """mutation($input: CheckRestrictionsInput!) { checkRestrictions(input: $input) {
  errors { code } } }"""


async def given_a_row_in_every_table(gql: GraphQL) -> None:
    await given_subjects(gql)
    record_id = await reported(gql, audience="CREDIT_OFFICE")
    assert (await gql.data("SUPERVISION", FILE, {"id": record_id, "reason": "事实有误"}))[
        "fileObjection"]["errors"] == []
    await gql.data("PROCUREMENT", "query($u: String!) { unit(uscc: $u) { creditFile { "
                   "records { totalCount } } } }", {"u": FINANCE})  # an audit row
    assert (await gql.data("PROCUREMENT", CHECK, {"input": {
        "subject": {"uscc": FINANCE}, "scenario": "GOVERNMENT_PROCUREMENT",
        "businessRef": "CG-1"}}))["checkRestrictions"]["errors"] == []
    assert (await gql.data("CREDIT_OFFICE", REGISTER, {"contracts": [contract(
        purchaserUscc=FINANCE)]}))["registerProcurementContracts"]["errors"] == []
    assert (await gql.data("CREDIT_OFFICE", MILESTONES, {"milestones": [
        milestone("DELIVERED", "2026-02-01")]}))["recordContractMilestones"]["errors"] == []


async def test_every_evidence_table_refuses_delete(gql: GraphQL, session: AsyncSession) -> None:
    await given_a_row_in_every_table(gql)
    for table in NEVER_DELETED:
        rows = await session.scalar(select(func.count()).select_from(text(table)))
        assert rows, f"{table} has no row to delete"
        with pytest.raises(DBAPIError, match="not allowed|never"):
            async with session.begin_nested():
                await session.execute(text(f"DELETE FROM {table}"))
        assert await session.scalar(select(func.count()).select_from(text(table))) == rows


async def test_append_only_tables_refuse_update(gql: GraphQL, session: AsyncSession) -> None:
    await given_a_row_in_every_table(gql)
    for table, assignment in NEVER_CHANGED.items():
        with pytest.raises(DBAPIError, match="not allowed|never"):
            async with session.begin_nested():
                await session.execute(text(f"UPDATE {table} SET {assignment}"))


async def test_every_evidence_table_refuses_truncate(gql: GraphQL, session: AsyncSession) -> None:
    await given_a_row_in_every_table(gql)
    for table in NEVER_DELETED:
        rows = await session.scalar(select(func.count()).select_from(text(table)))
        with pytest.raises(DBAPIError, match="not allowed|never"):
            async with session.begin_nested():
                await session.execute(text(f"TRUNCATE {table} CASCADE"))
        assert await session.scalar(select(func.count()).select_from(text(table))) == rows
