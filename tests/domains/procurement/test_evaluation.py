"""A purchaser's evaluation through the loaders (`loaders.procurement.procurement_evaluation`):
stored contracts and milestones, counted PROCUREMENT records, the rule values of asOf."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from loaders.base import Loaders, Scope
from loaders.procurement import procurement_evaluation
from tests.domains.procurement.helpers import (
    PURCHASER,
    TODAY,
    contract,
    procurement_record,
    units,
)


def registry(session: AsyncSession) -> Loaders:
    return Loaders(Scope(session=session, today=TODAY, audience="CREDIT_OFFICE"))


async def test_evaluation_counts_breaches_and_procurement_records(session: AsyncSession) -> None:
    # given one contract accepted late and paid on time, one never accepted nor paid
    ids = await units(session)
    unit = ids[PURCHASER]
    await contract(session, "C-LATE", delivered=date(2026, 3, 2), accepted=date(2026, 4, 3),
                   paid=date(2026, 4, 20))
    await contract(session, "C-OPEN", delivered=date(2026, 3, 2), sme=True)
    # and one GENERAL PROCUREMENT record, one of another domain (ignored)
    general = await procurement_record(session, unit, "GENERAL")
    await procurement_record(session, unit, "SERIOUS", domain="PPP")
    # when evaluated today
    credit = await procurement_evaluation(registry(session), unit, TODAY)
    # then accepted late −2, acceptance overdue −5, payment overdue −8, the record −10
    result = credit.evaluation
    assert (result.contracts_evaluated, result.accepted_late, result.acceptance_overdue,
            result.paid_on_time, result.payment_overdue) == (2, 1, 1, 1, 1)
    assert credit.score == 100 - 2 - 5 - 8 - 10 == 75 and credit.grade == "B"
    assert [r.id for r in credit.records] == [general]
    assert set(credit.contract_ids) == {"C-LATE", "C-OPEN"}


async def test_evaluation_replays_as_of(session: AsyncSession) -> None:
    # given a contract accepted and paid late, and a record decided after the asOf asked for
    unit = (await units(session))[PURCHASER]
    await contract(session, "C-1", delivered=date(2026, 3, 2), accepted=date(2026, 4, 10),
                   paid=date(2026, 6, 1))
    await procurement_record(session, unit, "SERIOUS", decided_on=date(2026, 4, 20))
    # when evaluated on 2026-04-05: not yet accepted, the record does not exist yet
    credit = await procurement_evaluation(registry(session), unit, date(2026, 4, 5))
    # then the only breach is the overdue acceptance (4 days after 2026-04-01)
    assert [(b.kind, b.days_late) for b in credit.evaluation.breaches] == [
        ("ACCEPTANCE_OVERDUE", 4)]
    assert credit.records == [] and credit.score == 95 and credit.grade == "A"


async def test_evaluation_of_a_unit_without_contracts(session: AsyncSession) -> None:
    unit = (await units(session))[PURCHASER]
    credit = await procurement_evaluation(registry(session), unit, TODAY)
    assert (credit.score, credit.grade, credit.evaluation.contracts_evaluated) == (100, "A", 0)
