"""Table-driven tests of the procurement rules (DOMAIN.md section 6) at the boundary days.

The running example: delivered 2026-03-02 with 30 acceptance days, so acceptance is due
2026-04-01; with 30 payment days the payment is due 2026-05-01 when the clock starts then.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from domains.procurement.rules import (
    Breach,
    BreachKind,
    ContractFacts,
    ContractMilestone,
    ProcurementWeights,
    acceptance_due_on,
    as_of_view,
    breaches,
    check_days,
    check_milestone_order,
    check_payment_term,
    evaluate,
    grade_for,
    payment_clock_start,
    payment_due_on,
    weights_in_force,
)

# The values the first migration seeds, valid from 1900-01-01.
WEIGHTS = ProcurementWeights(
    valid_from=date(1900, 1, 1),
    base_score=100,
    accepted_late_deduction=2,
    acceptance_overdue_deduction=5,
    paid_late_deduction=3,
    payment_overdue_deduction=8,
    general_record_deduction=10,
    serious_record_deduction=20,
    score_floor=0,
    grade_a_min_score=90,
    grade_b_min_score=75,
    grade_c_min_score=60,
    sme_daily_interest_rate=Decimal("0.0005"),
    evaluation_years=3,
    default_acceptance_days=30,
    default_payment_days=30,
    sme_max_payment_days=60,
)

DELIVERED = date(2026, 3, 2)
ACC_DUE = date(2026, 4, 1)
PAY_DUE = date(2026, 5, 1)

ACC_LATE = BreachKind.ACCEPTANCE_LATE
ACC_OVERDUE = BreachKind.ACCEPTANCE_OVERDUE
PAY_LATE = BreachKind.PAYMENT_LATE
PAY_OVERDUE = BreachKind.PAYMENT_OVERDUE


def d(text: str) -> date:
    return date.fromisoformat(text)


def contract(**changes: object) -> ContractFacts:
    base = ContractFacts(
        code="C-1",
        amount=Decimal("10000.00"),
        supplier_is_sme=False,
        signed_on=date(2026, 1, 15),
        acceptance_days=30,
        payment_days=30,
        delivered_on=DELIVERED,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


# ---------------------------------------------------------------- replay view


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (d("2026-04-09"), (DELIVERED, None, None)),
        (d("2026-04-10"), (DELIVERED, d("2026-04-10"), None)),
        (d("2026-04-20"), (DELIVERED, d("2026-04-10"), d("2026-04-20"))),
        (d("2026-03-01"), (None, None, None)),
    ],
)
def test_as_of_view_drops_milestones_after_as_of(
    as_of: date, expected: tuple[date | None, date | None, date | None]
) -> None:
    facts = contract(accepted_on=d("2026-04-10"), paid_on=d("2026-04-20"))

    view = as_of_view(facts, as_of)

    assert (view.delivered_on, view.accepted_on, view.paid_on) == expected


# ---------------------------------------------------------------- due days


@pytest.mark.parametrize(
    ("delivered_on", "acceptance_days", "expected"),
    [
        (None, 30, None),
        (DELIVERED, 30, ACC_DUE),
        (d("2026-01-31"), 1, d("2026-02-01")),
        (d("2026-12-31"), 365, d("2027-12-31")),
    ],
)
def test_acceptance_due_on(
    delivered_on: date | None, acceptance_days: int, expected: date | None
) -> None:
    facts = contract(delivered_on=delivered_on, acceptance_days=acceptance_days)

    assert acceptance_due_on(facts) == expected


@pytest.mark.parametrize(
    ("case", "delivered_on", "accepted_on", "as_of", "clock_start", "due"),
    [
        ("not delivered", None, None, d("2026-06-01"), None, None),
        ("delivered after as_of", d("2026-06-02"), None, d("2026-06-01"), None, None),
        ("unaccepted on the due day", DELIVERED, None, ACC_DUE, None, None),
        ("unaccepted the day after", DELIVERED, None, d("2026-04-02"), ACC_DUE, PAY_DUE),
        ("early", DELIVERED, d("2026-03-20"), d("2026-05-01"), d("2026-03-20"), d("2026-04-19")),
        ("accepted on the due day", DELIVERED, ACC_DUE, ACC_DUE, ACC_DUE, PAY_DUE),
        ("accepted late", DELIVERED, d("2026-04-10"), d("2026-04-10"), ACC_DUE, PAY_DUE),
        ("early, after as_of", DELIVERED, d("2026-03-20"), d("2026-03-19"), None, None),
        ("late, after as_of", DELIVERED, d("2026-04-10"), d("2026-04-05"), ACC_DUE, PAY_DUE),
    ],
)  # fmt: skip
def test_payment_clock(
    case: str,
    delivered_on: date | None,
    accepted_on: date | None,
    as_of: date,
    clock_start: date | None,
    due: date | None,
) -> None:
    facts = contract(delivered_on=delivered_on, accepted_on=accepted_on)

    assert payment_clock_start(facts, as_of) == clock_start, case
    assert payment_due_on(facts, as_of) == due, case


# ---------------------------------------------------------------- breaches

Expected = tuple[BreachKind, date, date | None, int]


@pytest.mark.parametrize(
    ("case", "accepted_on", "paid_on", "as_of", "expected"),
    [
        ("accepted on the due day", ACC_DUE, None, ACC_DUE, []),
        ("accepted the day after", d("2026-04-02"), None, d("2026-04-02"),
         [(ACC_LATE, ACC_DUE, d("2026-04-02"), 1)]),
        ("unaccepted on the due day", None, None, ACC_DUE, []),
        ("unaccepted the day after", None, None, d("2026-04-02"),
         [(ACC_OVERDUE, ACC_DUE, None, 1)]),
        ("late acceptance stays late", d("2026-04-11"), None, d("2026-04-20"),
         [(ACC_LATE, ACC_DUE, d("2026-04-11"), 10)]),
        ("paid on the due day", d("2026-04-11"), PAY_DUE, PAY_DUE,
         [(ACC_LATE, ACC_DUE, d("2026-04-11"), 10)]),
        ("paid the day after", ACC_DUE, d("2026-05-02"), d("2026-06-30"),
         [(PAY_LATE, PAY_DUE, d("2026-05-02"), 1)]),
        ("unpaid on the due day, never accepted", None, None, PAY_DUE,
         [(ACC_OVERDUE, ACC_DUE, None, 30)]),
        ("unpaid the day after, never accepted", None, None, d("2026-05-02"),
         [(ACC_OVERDUE, ACC_DUE, None, 31), (PAY_OVERDUE, PAY_DUE, None, 1)]),
        ("late acceptance does not delay payment", d("2026-04-25"), None, d("2026-05-02"),
         [(ACC_LATE, ACC_DUE, d("2026-04-25"), 24), (PAY_OVERDUE, PAY_DUE, None, 1)]),
        ("early acceptance starts the clock early", d("2026-03-20"), d("2026-04-20"),
         d("2026-04-20"), [(PAY_LATE, d("2026-04-19"), d("2026-04-20"), 1)]),
        ("paid without acceptance, on time", None, d("2026-03-10"), d("2026-05-20"),
         [(ACC_OVERDUE, ACC_DUE, None, 49)]),
        ("paid late without acceptance", None, d("2026-05-05"), d("2026-05-20"),
         [(ACC_OVERDUE, ACC_DUE, None, 49), (PAY_LATE, PAY_DUE, d("2026-05-05"), 4)]),
        ("replay: acceptance and payment after as_of ignored", d("2026-04-05"), d("2026-05-20"),
         d("2026-04-03"), [(ACC_OVERDUE, ACC_DUE, None, 2)]),
        ("replay: payment after as_of ignored", ACC_DUE, d("2026-05-20"), d("2026-05-04"),
         [(PAY_OVERDUE, PAY_DUE, None, 3)]),
    ],
)  # fmt: skip
def test_breaches(
    case: str,
    accepted_on: date | None,
    paid_on: date | None,
    as_of: date,
    expected: list[Expected],
) -> None:
    facts = contract(accepted_on=accepted_on, paid_on=paid_on)

    found = breaches(facts, as_of, WEIGHTS)

    assert [(b.kind, b.due_on, b.resolved_on, b.days_late) for b in found] == expected, case
    assert all(b.contract_code == "C-1" for b in found)
    assert all(str(b.late_interest) == "0.00" for b in found), "non-SME owes no interest"


def test_no_breach_before_delivery() -> None:
    facts = contract(delivered_on=None)

    assert breaches(facts, d("2030-01-01"), WEIGHTS) == []


# ---------------------------------------------------------------- late interest


@pytest.mark.parametrize(
    ("case", "amount", "is_sme", "paid_on", "as_of", "interest"),
    [
        # 1050.00 × 0.0005 = 0.525: half-up gives 0.53, banker's rounding 0.52.
        ("half-up, not banker's", "1050.00", True, d("2026-05-02"), d("2026-05-02"), "0.53"),
        # 1.575 once on the product; rounding each day first would give 3 × 0.53 = 1.59.
        ("rounded once, on the product", "1050.00", True, d("2026-05-04"), d("2026-05-04"), "1.58"),
        ("overdue accrues to as_of", "1050.00", True, None, d("2026-05-04"), "1.58"),
        ("tiny amount rounds up", "10.00", True, None, d("2026-05-02"), "0.01"),
        ("tiny amount rounds down", "9.99", True, None, d("2026-05-02"), "0.00"),
        ("large amount", "1234567.89", True, None, d("2026-05-31"), "18518.52"),
        ("non-SME owes nothing", "1050.00", False, None, d("2026-05-04"), "0.00"),
    ],
)  # fmt: skip
def test_late_interest(
    case: str, amount: str, is_sme: bool, paid_on: date | None, as_of: date, interest: str
) -> None:
    facts = contract(
        amount=Decimal(amount), supplier_is_sme=is_sme, accepted_on=ACC_DUE, paid_on=paid_on
    )

    [breach] = breaches(facts, as_of, WEIGHTS)

    assert breach.kind in (PAY_LATE, PAY_OVERDUE), case
    assert str(breach.late_interest) == interest, case


def test_acceptance_breach_of_sme_owes_no_interest() -> None:
    facts = contract(supplier_is_sme=True, amount=Decimal("1050.00"))

    [breach] = breaches(facts, d("2026-04-30"), WEIGHTS)

    assert breach.kind is ACC_OVERDUE
    assert str(breach.late_interest) == "0.00"


def test_late_interest_follows_the_rate_in_the_weights() -> None:
    weights = replace(WEIGHTS, sme_daily_interest_rate=Decimal("0.001"))
    facts = contract(supplier_is_sme=True, amount=Decimal("1050.00"), accepted_on=ACC_DUE)

    [breach] = breaches(facts, d("2026-05-04"), weights)

    assert breach.late_interest == Decimal("3.15")


# ---------------------------------------------------------------- evaluation window


@pytest.mark.parametrize(
    ("case", "as_of", "signed_on", "delivered_on", "evaluated"),
    [
        ("signed exactly 3 years before", d("2029-03-15"), d("2026-03-15"), d("2026-04-01"), 0),
        ("signed a day later", d("2029-03-15"), d("2026-03-16"), d("2026-04-01"), 1),
        ("signed on as_of", d("2029-03-15"), d("2029-03-15"), d("2029-03-15"), 1),
        ("signed after as_of", d("2029-03-15"), d("2029-03-16"), d("2029-03-16"), 0),
        ("delivered on as_of", d("2029-03-15"), d("2029-01-10"), d("2029-03-15"), 1),
        ("delivered after as_of", d("2029-03-15"), d("2029-01-10"), d("2029-03-16"), 0),
        ("never delivered", d("2029-03-15"), d("2029-01-10"), None, 0),
        # 2028-02-29 − 36 months is clamped to 2025-02-28 (relativedelta, DOMAIN.md section 0).
        ("leap day: 2025-02-28 is out", d("2028-02-29"), d("2025-02-28"), d("2025-03-10"), 0),
        ("leap day: 2025-03-01 is in", d("2028-02-29"), d("2025-03-01"), d("2025-03-10"), 1),
    ],
)  # fmt: skip
def test_evaluation_window(
    case: str, as_of: date, signed_on: date, delivered_on: date | None, evaluated: int
) -> None:
    facts = contract(signed_on=signed_on, delivered_on=delivered_on)

    result = evaluate([facts], as_of, WEIGHTS, 0, 0)

    assert result.contracts_evaluated == evaluated, case


def test_evaluation_window_follows_the_weights() -> None:
    facts = contract(signed_on=d("2027-03-15"), delivered_on=d("2027-04-01"))

    result = evaluate([facts], d("2029-03-15"), replace(WEIGHTS, evaluation_years=2), 0, 0)

    assert result.contracts_evaluated == 0


# ---------------------------------------------------------------- evaluation


def test_evaluate_counts_breaches_amounts_and_orders_breaches() -> None:
    as_of = d("2026-05-10")
    contracts = [
        # Unaccepted and unpaid: ACCEPTANCE_OVERDUE 39 days, PAYMENT_OVERDUE 9 days.
        contract(code="C-3", amount=Decimal("1200.50"), supplier_is_sme=True),
        # Accepted and paid on time.
        contract(code="C-1", accepted_on=d("2026-03-20"), paid_on=d("2026-04-01")),
        # Accepted late, unpaid: PAYMENT_OVERDUE 9 days (clock from acceptance due).
        contract(code="C-2", amount=Decimal("300.25"), accepted_on=d("2026-04-03")),
        # Accepted on time, paid late.
        contract(code="C-0", accepted_on=ACC_DUE, paid_on=d("2026-05-03")),
        # Delivered later, accepted on time, payment not yet due.
        contract(code="C-4", delivered_on=d("2026-04-01"), accepted_on=d("2026-04-20")),
        # Paid after as_of: still overdue on as_of.
        contract(code="C-5", amount=Decimal("0.25"), accepted_on=ACC_DUE,
                 paid_on=d("2026-05-11")),
        # Signed outside the window: not evaluated, its breaches not listed.
        contract(code="C-9", signed_on=d("2023-05-10")),
    ]  # fmt: skip

    result = evaluate(contracts, as_of, WEIGHTS, counted_general=1, counted_serious=0)

    assert result.contracts_evaluated == 6
    assert (result.accepted_on_time, result.accepted_late, result.acceptance_overdue) == (4, 1, 1)
    assert (result.paid_on_time, result.paid_late, result.payment_overdue) == (1, 1, 3)
    assert str(result.overdue_amount) == "1501.00"
    assert [(b.contract_code, b.kind, b.days_late) for b in result.breaches] == [
        ("C-0", PAY_LATE, 2),
        ("C-2", ACC_LATE, 2),
        ("C-2", PAY_OVERDUE, 9),
        ("C-3", ACC_OVERDUE, 39),
        ("C-3", PAY_OVERDUE, 9),
        ("C-5", PAY_OVERDUE, 9),
    ]
    # 1200.50 × 0.0005 × 9 = 5.40225
    assert result.breaches[4] == Breach("C-3", PAY_OVERDUE, PAY_DUE, None, 9, Decimal("5.40"))
    # 100 − 2·1 − 5·1 − 3·1 − 8·3 − 10·1 = 56
    assert (result.score, result.grade) == (56, "D")


def test_evaluate_without_contracts() -> None:
    result = evaluate([], d("2026-05-10"), WEIGHTS, 0, 0)

    assert result.contracts_evaluated == 0
    assert str(result.overdue_amount) == "0.00"
    assert result.breaches == []
    assert (result.score, result.grade) == (100, "A")


@pytest.mark.parametrize(
    ("counted_general", "counted_serious", "score"),
    [(0, 0, 100), (1, 0, 90), (0, 1, 80), (2, 4, 0), (0, 5, 0), (0, 6, 0), (10, 10, 0)],
)
def test_score_from_counted_records_never_below_zero(
    counted_general: int, counted_serious: int, score: int
) -> None:
    result = evaluate([], d("2026-05-10"), WEIGHTS, counted_general, counted_serious)

    assert result.score == score


def test_score_follows_the_weights() -> None:
    weights = replace(WEIGHTS, serious_record_deduction=25, base_score=110)

    result = evaluate([], d("2026-05-10"), weights, 0, 1)

    assert result.score == 85


@pytest.mark.parametrize(
    ("score", "grade"),
    [(100, "A"), (90, "A"), (89, "B"), (75, "B"), (74, "C"), (60, "C"), (59, "D"), (0, "D")],
)
def test_grade_thresholds(score: int, grade: str) -> None:
    assert grade_for(score, WEIGHTS) == grade


# As of 2026-05-02: C-1 on time; C-2 paid a day late; C-3 a day overdue in payment;
# C-4 delivered later, so only its acceptance is overdue.
ON_TIME = contract(code="C-1", accepted_on=ACC_DUE, paid_on=PAY_DUE)
PAID_LATE = contract(code="C-2", accepted_on=ACC_DUE, paid_on=d("2026-05-02"))
UNPAID = contract(code="C-3", accepted_on=ACC_DUE)
UNACCEPTED = contract(code="C-4", delivered_on=d("2026-03-20"))


@pytest.mark.parametrize(
    ("contracts", "general", "serious", "score", "grade"),
    [
        ([ON_TIME], 1, 0, 90, "A"),
        ([PAID_LATE, UNPAID], 0, 0, 89, "B"),
        ([UNACCEPTED], 0, 1, 75, "B"),
        ([PAID_LATE, replace(PAID_LATE, code="C-5")], 0, 1, 74, "C"),
        ([ON_TIME], 0, 2, 60, "C"),
        ([PAID_LATE, UNPAID], 1, 1, 59, "D"),
    ],
)
def test_score_and_grade_through_evaluate(
    contracts: list[ContractFacts], general: int, serious: int, score: int, grade: str
) -> None:
    result = evaluate(contracts, d("2026-05-02"), WEIGHTS, general, serious)

    assert (result.score, result.grade) == (score, grade)


# ---------------------------------------------------------------- validators


@pytest.mark.parametrize(
    ("value", "code"),
    [(-1, "INVALID_VALUE"), (0, "INVALID_VALUE"), (1, None), (365, None), (366, "INVALID_VALUE")],
)
def test_check_days(value: int, code: str | None) -> None:
    assert check_days(value) == code


@pytest.mark.parametrize(
    ("payment_days", "is_sme", "state_enterprise", "code"),
    [
        (60, True, False, None),
        (61, True, False, "PAYMENT_TERM_TOO_LONG"),
        (61, True, True, None),
        (61, False, False, None),
        (365, False, False, None),
        (366, False, False, "INVALID_VALUE"),
        (366, True, True, "INVALID_VALUE"),
        (0, True, False, "INVALID_VALUE"),
    ],
)
def test_check_payment_term(
    payment_days: int, is_sme: bool, state_enterprise: bool, code: str | None
) -> None:
    assert check_payment_term(payment_days, is_sme, state_enterprise, WEIGHTS) == code


def test_check_payment_term_follows_the_weights() -> None:
    weights = replace(WEIGHTS, sme_max_payment_days=45)

    assert check_payment_term(46, True, False, weights) == "PAYMENT_TERM_TOO_LONG"


@pytest.mark.parametrize(
    ("delivered_on", "milestone", "on", "code"),
    [
        (None, ContractMilestone.DELIVERED, DELIVERED, None),
        (DELIVERED, ContractMilestone.ACCEPTED, DELIVERED, None),
        (DELIVERED, ContractMilestone.ACCEPTED, d("2026-03-01"), "MILESTONE_OUT_OF_ORDER"),
        (None, ContractMilestone.ACCEPTED, DELIVERED, "MILESTONE_OUT_OF_ORDER"),
        (DELIVERED, ContractMilestone.PAID, d("2026-03-03"), None),
        (DELIVERED, ContractMilestone.PAID, d("2026-03-01"), "MILESTONE_OUT_OF_ORDER"),
        (None, ContractMilestone.PAID, DELIVERED, "MILESTONE_OUT_OF_ORDER"),
    ],
)
def test_check_milestone_order(
    delivered_on: date | None, milestone: ContractMilestone, on: date, code: str | None
) -> None:
    assert check_milestone_order(delivered_on, milestone, on) == code


# ---------------------------------------------------------------- rule versions


@pytest.mark.parametrize(
    ("on", "valid_from"),
    [
        (d("1900-01-01"), d("1900-01-01")),
        (d("2026-03-31"), d("1900-01-01")),
        (d("2026-04-01"), d("2026-04-01")),
        (d("2030-01-01"), d("2026-04-01")),
    ],
)
def test_weights_in_force(on: date, valid_from: date) -> None:
    later = replace(WEIGHTS, valid_from=d("2026-04-01"), paid_late_deduction=4)

    assert weights_in_force([later, WEIGHTS], on).valid_from == valid_from


def test_no_weights_in_force() -> None:
    with pytest.raises(ValueError):
        weights_in_force([WEIGHTS], d("1899-12-31"))
