"""A purchaser's evaluation (domains.procurement.evaluation) over an in-memory reader: what it
reads, in which order, and how the read values become a score (DOMAIN.md section 6)."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date

from domains.credit.facts import RecordFacts
from domains.procurement.evaluation import PurchasedContract, evaluate_purchaser, weights_on
from tests.domains.procurement.test_rules import WEIGHTS, contract
from tests.domains.support import FakeReader

UNIT = uuid.UUID(int=1)
TODAY = date(2026, 6, 15)


def record(n: int, severity: str, domain: str = "PROCUREMENT",
           decided_on: date = date(2026, 3, 1)) -> RecordFacts:
    return RecordFacts(id=uuid.UUID(int=100 + n), nature="DISHONEST",
                       category="ADMINISTRATIVE_PENALTY", severity=severity, sanction=None,
                       sanction_months=None, decided_on=decided_on, valid_from=decided_on,
                       valid_until=date(2027, 2, 28), status="ACTIVE", domain=domain)


def purchaser(*records: RecordFacts) -> FakeReader:
    """Two contracts (one accepted late and paid on time, one never accepted nor paid, from an
    SME) and the given records."""
    late = contract(code="C-LATE", accepted_on=date(2026, 4, 3), paid_on=date(2026, 4, 20))
    open_ = contract(code="C-OPEN", supplier_is_sme=True)
    return FakeReader(
        records={UNIT: list(records)},
        contracts={UNIT: [PurchasedContract(uuid.UUID(int=11), late),
                          PurchasedContract(uuid.UUID(int=12), open_)]})


async def test_breaches_and_counted_procurement_records_make_the_score() -> None:
    # given a GENERAL PROCUREMENT record, a SERIOUS one of another domain, a MINOR one
    general = record(1, "GENERAL")
    reader = purchaser(general, record(2, "SERIOUS", domain="PPP"), record(3, "MINOR"))
    # when evaluated today
    credit = await evaluate_purchaser(reader, UNIT, TODAY)
    # then accepted late −2, acceptance overdue −5, payment overdue −8, the GENERAL record −10
    assert (credit.score, credit.grade) == (100 - 2 - 5 - 8 - 10, "B")
    assert credit.records == [general]
    assert credit.contract_ids == {"C-LATE": uuid.UUID(int=11), "C-OPEN": uuid.UUID(int=12)}
    assert [(b.contract_code, b.kind.value) for b in credit.evaluation.breaches] == [
        ("C-LATE", "ACCEPTANCE_LATE"), ("C-OPEN", "ACCEPTANCE_OVERDUE"),
        ("C-OPEN", "PAYMENT_OVERDUE")]


async def test_reads_come_in_one_fixed_order() -> None:
    """Evaluations running side by side then ask the same loader in the same tick, which is
    what keeps a list of fifty purchasers at the statements of one."""
    reader = purchaser()
    await evaluate_purchaser(reader, UNIT, TODAY)
    assert reader.reads == ["weights_versions", "contracts_of", "record_facts"]


async def test_a_past_day_sees_neither_later_milestones_nor_later_records() -> None:
    reader = purchaser(record(1, "SERIOUS", decided_on=date(2026, 4, 20)))
    # when evaluated on 2026-04-02, before C-LATE was accepted (2026-04-03)
    credit = await evaluate_purchaser(reader, UNIT, date(2026, 4, 2))
    # then both acceptances are a day overdue, and the record does not exist yet
    assert [(b.kind.value, b.days_late) for b in credit.evaluation.breaches] == [
        ("ACCEPTANCE_OVERDUE", 1), ("ACCEPTANCE_OVERDUE", 1)]
    assert (credit.records, credit.score, credit.grade) == ([], 90, "A")


async def test_a_unit_without_contracts_or_records_scores_the_base() -> None:
    credit = await evaluate_purchaser(FakeReader(), UNIT, TODAY)
    assert (credit.score, credit.grade, credit.evaluation.contracts_evaluated) == (100, "A", 0)
    assert credit.contract_ids == {}


async def test_the_weights_are_those_in_force_on_the_day() -> None:
    # given a second version from 2026-04-01 where late acceptance costs 4
    later = dataclasses.replace(WEIGHTS, valid_from=date(2026, 4, 1), accepted_late_deduction=4)
    reader = FakeReader(weights=[WEIGHTS, later])
    # then each day gets its version, and a day before every version the first one
    assert await weights_on(reader, date(2026, 3, 31)) == WEIGHTS
    assert await weights_on(reader, date(2026, 4, 1)) == later
    first_only = FakeReader(weights=[later])
    assert await weights_on(first_only, date(2000, 1, 1)) == later
