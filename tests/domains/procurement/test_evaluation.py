"""A purchaser's evaluation read through the loaders (`domains.procurement.evaluation` over
`loaders.reader.RequestReader`):
stored contracts and milestones, counted PROCUREMENT records, the rule values of asOf."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.errors import DomainError
from domains.procurement import service as procurement
from domains.procurement.evaluation import PurchaserCredit, evaluate_purchaser
from domains.procurement.models import ProcurementContract, ProcurementWeightsRow
from loaders.base import Loaders, Scope
from loaders.reader import RequestReader
from tests.conftest import TEST_SECRET
from tests.domains.procurement.support import (
    PURCHASER,
    TODAY,
    contract,
    contract_row,
    procurement_record,
    units,
)
from tests.domains.procurement.test_rules import WEIGHTS


def registry(session: AsyncSession) -> Loaders:
    return Loaders(Scope(session=session, today=TODAY, audience="CREDIT_OFFICE"))


async def procurement_evaluation(loaders: Loaders, unit_id: uuid.UUID,
                                 as_of: date) -> PurchaserCredit:
    """The domain's evaluation, read through the request's loaders as the API reads it."""
    return await evaluate_purchaser(RequestReader(loaders), unit_id, as_of)


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


async def a_later_version(session: AsyncSession) -> None:
    """A new law from 2026-04-01: late acceptance costs 4 points, acceptance is due in 20 days,
    SMEs are paid within 45 days."""
    session.add(ProcurementWeightsRow(
        valid_from=date(2026, 4, 1), base_score=100, accepted_late_deduction=4,
        acceptance_overdue_deduction=5, paid_late_deduction=3, payment_overdue_deduction=8,
        general_record_deduction=10, serious_record_deduction=20, score_floor=0,
        grade_a_min_score=90, grade_b_min_score=75, grade_c_min_score=60,
        sme_daily_interest_rate=Decimal("0.0005"), evaluation_years=3,
        default_acceptance_days=20, default_payment_days=30, sme_max_payment_days=45,
        source="test"))
    await session.flush()


async def test_score_weights_are_those_in_force_on_as_of(session: AsyncSession) -> None:
    # given a late acceptance and a version of the weights from 2026-04-01
    unit = (await units(session))[PURCHASER]
    await contract(session, "C-1", delivered=date(2026, 2, 1), accepted=date(2026, 3, 5),
                   paid=date(2026, 3, 10))
    await a_later_version(session)
    # when evaluated before and after the new version
    before = await procurement_evaluation(registry(session), unit, date(2026, 3, 31))
    after = await procurement_evaluation(registry(session), unit, TODAY)
    # then the deduction of the version in force on asOf applies
    assert (before.score, after.score) == (98, 96)


async def test_term_defaults_and_sme_limit_are_those_in_force_at_signing(
        session: AsyncSession) -> None:
    await units(session)
    await a_later_version(session)
    ids = await procurement.register_contracts(session, [
        contract_row("OLD", signed_on=date(2026, 3, 31), sme=True, payment_days=60),
        contract_row("NEW", signed_on=date(2026, 4, 1))],
        secret=TEST_SECRET, today=TODAY, reported_by="test")
    stored = {c.id: c for c in await session.scalars(select(ProcurementContract))}
    assert [(stored[i].code, stored[i].acceptance_days) for i in ids] == [("OLD", 30),
                                                                         ("NEW", 20)]
    with pytest.raises(DomainError) as refused:
        await procurement.register_contracts(session, [
            contract_row("NEW-SME", signed_on=date(2026, 4, 1), sme=True, payment_days=46)],
            secret=TEST_SECRET, today=TODAY, reported_by="test")
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("paymentDays", "PAYMENT_TERM_TOO_LONG")]


async def test_the_seeded_rule_values_are_the_domain_values(session: AsyncSession) -> None:
    """The pure-rule tests' WEIGHTS are exactly what the first migration seeds (section 6)."""
    assert await procurement.weights_versions(session) == [WEIGHTS]
