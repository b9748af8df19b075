"""Shared set-up of the procurement tests: units, contracts and milestones through the services,
PROCUREMENT-domain credit records stored directly (the credit write side is another domain's)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from domains.credit.models import CreditRecord
from domains.procurement import service as procurement
from domains.procurement.rules import ContractMilestone
from domains.subject import service as subjects
from tests.conftest import TEST_SECRET
from tests.support import unit_code

TODAY = date(2026, 6, 15)
PURCHASER = unit_code(101)
STATE_FIRM = unit_code(102, prefix="91")


async def units(session: AsyncSession) -> dict[str, uuid.UUID]:
    rows = [subjects.UnitRow(uscc=PURCHASER, name="金山区教育局", kind="GOVERNMENT_ORGAN"),
            subjects.UnitRow(uscc=STATE_FIRM, name="金山城投", kind="STATE_ENTERPRISE")]
    ids = await subjects.register_units(session, rows)
    return {PURCHASER: ids[0], STATE_FIRM: ids[1]}


def contract_row(code: str, *, purchaser: str = PURCHASER, sme: bool = False,
                 amount: str = "10000.00", signed_on: date = date(2026, 1, 15),
                 acceptance_days: int | None = None,
                 payment_days: int | None = None) -> procurement.ContractRow:
    return procurement.ContractRow(
        code=code, title="课桌椅", purchaser_uscc=purchaser, supplier_name="某家具厂",
        supplier_is_sme=sme, amount=Decimal(amount), signed_on=signed_on,
        acceptance_days=acceptance_days, payment_days=payment_days)


async def contract(session: AsyncSession, code: str, *, delivered: date | None = None,
                   accepted: date | None = None, paid: date | None = None,
                   **row: object) -> uuid.UUID:
    """One contract (30/30-day terms unless given) and the milestones given."""
    [contract_id] = await procurement.register_contracts(
        session, [contract_row(code, **row)], secret=TEST_SECRET,  # type: ignore[arg-type]
        today=TODAY, reported_by="test")
    marks = [(ContractMilestone.DELIVERED, delivered), (ContractMilestone.ACCEPTED, accepted),
             (ContractMilestone.PAID, paid)]
    rows = [procurement.MilestoneRow(code, kind, on) for kind, on in marks if on is not None]
    if rows:
        await procurement.record_milestones(session, rows, today=TODAY, recorded_by="test")
    return contract_id


async def procurement_record(session: AsyncSession, unit_id: uuid.UUID, severity: str, *,
                             decided_on: date = date(2026, 3, 1), domain: str = "PROCUREMENT",
                             valid_until: date | None = date(2027, 2, 28),
                             status: str = "ACTIVE",
                             contract_id: uuid.UUID | None = None) -> uuid.UUID:
    """A DISHONEST CONTRACT_PERFORMANCE record of the unit, stored as it is (no events)."""
    record = CreditRecord(
        id=uuid.uuid4(), unit_id=unit_id, nature="DISHONEST", category="CONTRACT_PERFORMANCE",
        severity=severity, domain=domain, title="验收拖延", decided_on=decided_on,
        valid_from=decided_on, valid_until=valid_until, disclosure="PUBLIC",
        share_scope=["PROCUREMENT", "PROJECT_APPROVAL", "PERSONNEL", "SUPERVISION",
                     "CREDIT_OFFICE"],
        status=status, source_system="test", source_ref=uuid.uuid4().hex, reported_by="test",
        procurement_contract_id=contract_id)
    session.add(record)
    await session.flush()
    return record.id
