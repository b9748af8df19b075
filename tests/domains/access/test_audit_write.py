"""`write_audit` stores one row per field path with its sorted subject ids, in one INSERT whose
SQL text is the same whatever the number of rows (compiled once, prepared once per connection:
issue 13)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access import service as access
from domains.access.models import AuditEntry


async def _sent(session: AsyncSession, count_statements: Any,
                reads: dict[tuple[str | None, str], set[str]], request_id: str) -> list[str]:
    await session.connection()  # the session's SAVEPOINT is sent before, not counted
    with count_statements() as counter:
        await access.write_audit(session, client_name="audit-probe", request_id=request_id,
                                 reads=reads)
    statements: list[str] = counter.statements
    return statements


async def test_one_statement_of_one_text_for_any_number_of_rows(
        session: AsyncSession, count_statements: Any) -> None:
    one = await _sent(session, count_statements,
                      {("Files", "unit.creditFile"): {"U2", "U1"}}, "req-one")
    three = await _sent(session, count_statements, {
        ("Files", "units.edges.node.name"): {"U1"},
        (None, "node"): {'a "quoted", comma', "back\\slash"},
        ("Files", "units.edges.node.creditFile"): set()}, "req-three")

    assert len(one) == len(three) == 1 and one == three
    rows = (await session.execute(
        select(AuditEntry.request_id, AuditEntry.client_name, AuditEntry.operation,
               AuditEntry.field, AuditEntry.subject_ids, AuditEntry.at)
        .where(AuditEntry.client_name == "audit-probe")
        .order_by(AuditEntry.request_id, AuditEntry.field))).all()
    assert [tuple(row[:5]) for row in rows] == [
        ("req-one", "audit-probe", "Files", "unit.creditFile", ["U1", "U2"]),
        ("req-three", "audit-probe", None, "node", ["a \"quoted\", comma", "back\\slash"]),
        ("req-three", "audit-probe", "Files", "units.edges.node.creditFile", []),
        ("req-three", "audit-probe", "Files", "units.edges.node.name", ["U1"])]
    assert len({row.at for row in rows if row.request_id == "req-three"}) == 1
    assert all(row.at.tzinfo is not None for row in rows)


async def test_no_reads_write_nothing(session: AsyncSession, count_statements: Any) -> None:
    assert await _sent(session, count_statements, {}, "req-none") == []
