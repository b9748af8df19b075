"""Procurement acceptance credit (DOMAIN.md section 6) as pure functions over plain values.

Nothing here reads a clock, a table or the database: the service loads the contracts, the
rule values in force (`ProcurementWeights`, one row of a migration-seeded table) and the
counted PROCUREMENT records, and passes them in. Dates are `date`, money is `Decimal`.

Replay: every function that takes `as_of` first drops the milestones dated after it
(`as_of_view`), so a computation for a past day sees the contract as it stood then.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from sqlalchemy import ColumnElement, SQLColumnExpression, and_

from domains.core.dates import add_months
from domains.credit.enums import Severity, SourceDomain
from domains.credit.facts import RecordFacts, basis_order
from domains.credit.lifecycle import FINDING_SEVERITIES

CENT = Decimal("0.01")
ZERO_MONEY = Decimal("0.00")

# Input bounds of acceptanceDays/paymentDays (INVALID_VALUE), not a rule value that changes
# with the law: a term outside them is a typing mistake, whatever version is in force.
MIN_TERM_DAYS = 1
MAX_TERM_DAYS = 365

INVALID_VALUE = "INVALID_VALUE"
PAYMENT_TERM_TOO_LONG = "PAYMENT_TERM_TOO_LONG"
MILESTONE_OUT_OF_ORDER = "MILESTONE_OUT_OF_ORDER"


class BreachKind(StrEnum):
    """Kinds of breach, declared in the order the contract lists them (the sort order)."""

    ACCEPTANCE_LATE = "ACCEPTANCE_LATE"
    ACCEPTANCE_OVERDUE = "ACCEPTANCE_OVERDUE"
    PAYMENT_LATE = "PAYMENT_LATE"
    PAYMENT_OVERDUE = "PAYMENT_OVERDUE"


_KIND_ORDER = {kind: position for position, kind in enumerate(BreachKind)}


class CreditGrade(StrEnum):
    """A purchaser's grade, best first (`grade_for` gives one of these values)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class ContractMilestone(StrEnum):
    """The milestones a purchaser records, as in the GraphQL enum of the same name."""

    DELIVERED = "DELIVERED"
    ACCEPTED = "ACCEPTED"
    PAID = "PAID"


@dataclass(frozen=True)
class ContractFacts:
    """What the rules need of one contract; milestone dates as recorded (None: not yet)."""

    code: str
    amount: Decimal
    supplier_is_sme: bool
    signed_on: date
    acceptance_days: int
    payment_days: int
    delivered_on: date | None = None
    accepted_on: date | None = None
    paid_on: date | None = None


@dataclass(frozen=True)
class Breach:
    """One breach of a contract on `as_of`; `resolved_on` is None while it is still open."""

    contract_code: str
    kind: BreachKind
    due_on: date
    resolved_on: date | None
    days_late: int
    late_interest: Decimal


@dataclass(frozen=True)
class ProcurementWeights:
    """One version of the rule values, in force from `valid_from` (seeded by a migration).

    No defaults on purpose: the values live in the rule table, never in code.
    """

    valid_from: date
    base_score: int
    accepted_late_deduction: int
    acceptance_overdue_deduction: int
    paid_late_deduction: int
    payment_overdue_deduction: int
    general_record_deduction: int
    serious_record_deduction: int
    score_floor: int
    grade_a_min_score: int
    grade_b_min_score: int
    grade_c_min_score: int
    sme_daily_interest_rate: Decimal
    evaluation_years: int
    default_acceptance_days: int
    default_payment_days: int
    sme_max_payment_days: int


@dataclass(frozen=True)
class CreditEvaluation:
    """A purchaser's procurement credit on one day: the counters, breaches, score and grade."""

    contracts_evaluated: int
    accepted_on_time: int
    accepted_late: int
    acceptance_overdue: int
    paid_on_time: int
    paid_late: int
    payment_overdue: int
    overdue_amount: Decimal
    breaches: list[Breach]
    score: int
    grade: str


def weights_in_force(versions: Iterable[ProcurementWeights], on: date) -> ProcurementWeights:
    """The version with the latest `valid_from` on or before `on` (score weights go by asOf)."""
    candidates = [version for version in versions if version.valid_from <= on]
    if not candidates:
        raise ValueError(f"no procurement rule values in force on {on.isoformat()}")
    return max(candidates, key=lambda version: version.valid_from)


def as_of_view(facts: ContractFacts, as_of: date) -> ContractFacts:
    """The contract as it stood at the end of `as_of`: later milestones have not happened."""

    def known(on: date | None) -> date | None:
        return on if on is not None and on <= as_of else None

    return replace(
        facts,
        delivered_on=known(facts.delivered_on),
        accepted_on=known(facts.accepted_on),
        paid_on=known(facts.paid_on),
    )


def acceptance_due_on(facts: ContractFacts) -> date | None:
    """deliveredOn + acceptanceDays days; None until delivered.

    Takes no `as_of`: pass `as_of_view(facts, as_of)` when replaying a past day.
    """
    if facts.delivered_on is None:
        return None
    return facts.delivered_on + timedelta(days=facts.acceptance_days)


def payment_clock_start(facts: ContractFacts, as_of: date) -> date | None:
    """When the payment term starts counting, as known on `as_of`; None before it starts.

    Once accepted: min(acceptedOn, acceptanceDueOn). Not accepted: acceptanceDueOn once that
    is before `as_of`. A late or missing acceptance never delays payment (保障中小企业款项
    支付条例), so the clock never starts later than acceptanceDueOn.
    """
    view = as_of_view(facts, as_of)
    due = acceptance_due_on(view)
    if due is None:
        return None
    if view.accepted_on is not None:
        return min(view.accepted_on, due)
    return due if due < as_of else None


def payment_due_on(facts: ContractFacts, as_of: date) -> date | None:
    """Payment clock start + paymentDays days; None before the clock starts."""
    start = payment_clock_start(facts, as_of)
    if start is None:
        return None
    return start + timedelta(days=facts.payment_days)


def late_interest(facts: ContractFacts, days_late: int, weights: ProcurementWeights) -> Decimal:
    """Interest owed to an SME supplier for `days_late` days of late payment; 0.00 otherwise.

    amount × daily rate × days, rounded half-up to the cent once, on the whole product (not
    day by day), so the figure matches a hand calculation on the 条例's 0.05% a day.
    """
    if not facts.supplier_is_sme:
        return ZERO_MONEY
    product = facts.amount * weights.sme_daily_interest_rate * days_late
    return product.quantize(CENT, rounding=ROUND_HALF_UP)


def breaches(facts: ContractFacts, as_of: date, weights: ProcurementWeights) -> list[Breach]:
    """The contract's breaches on `as_of`, in `BreachKind` order.

    A duty done after its due day is LATE (resolved that day); not done with `as_of` after the
    due day is OVERDUE (open). The due day itself is never late. Payment is judged even
    without acceptance, since its clock runs from acceptanceDueOn anyway.
    """
    view = as_of_view(facts, as_of)
    duties = (
        (acceptance_due_on(view), view.accepted_on, BreachKind.ACCEPTANCE_LATE),
        (payment_due_on(view, as_of), view.paid_on, BreachKind.PAYMENT_LATE),
    )
    found: list[Breach] = []
    for due, done_on, late in duties:
        if due is None:
            continue
        if done_on is not None and done_on > due:
            found.append(_breach(view, late, due, done_on, (done_on - due).days, weights))
        elif done_on is None and as_of > due:
            overdue = _OVERDUE_OF_LATE[late]
            found.append(_breach(view, overdue, due, None, (as_of - due).days, weights))
    return found


_OVERDUE_OF_LATE = {
    BreachKind.ACCEPTANCE_LATE: BreachKind.ACCEPTANCE_OVERDUE,
    BreachKind.PAYMENT_LATE: BreachKind.PAYMENT_OVERDUE,
}
_PAYMENT_KINDS = frozenset({BreachKind.PAYMENT_LATE, BreachKind.PAYMENT_OVERDUE})


def _breach(
    view: ContractFacts,
    kind: BreachKind,
    due: date,
    resolved_on: date | None,
    days: int,
    weights: ProcurementWeights,
) -> Breach:
    # The 条例's interest is owed on late payment only, never on late acceptance.
    is_payment = kind in _PAYMENT_KINDS
    interest = late_interest(view, days, weights) if is_payment else ZERO_MONEY
    return Breach(view.code, kind, due, resolved_on, days, interest)


def evaluation_window_start(as_of: date, weights: ProcurementWeights) -> date:
    """`as_of − evaluation_years years`, the exclusive lower bound of signedOn.

    Computed as `add_months(as_of, -12 × years)` (relativedelta, clamped to the month's end,
    DOMAIN.md section 0), which equals `relativedelta(years=years)`: from 2028-02-29 back 3
    years is 2025-02-28, so a contract signed 2025-02-28 is out and 2025-03-01 is in.
    """
    return add_months(as_of, -12 * weights.evaluation_years)


def is_evaluated(facts: ContractFacts, as_of: date, weights: ProcurementWeights) -> bool:
    """`as_of − N years < signedOn ≤ as_of` and delivered on or before `as_of`."""
    window_start = evaluation_window_start(as_of, weights)
    if not window_start < facts.signed_on <= as_of:
        return False
    return facts.delivered_on is not None and facts.delivered_on <= as_of


def is_evaluated_sql(signed_on: SQLColumnExpression[date],
                     delivered_on: SQLColumnExpression[date | None], as_of: date,
                     weights: ProcurementWeights) -> ColumnElement[bool]:
    """`is_evaluated` as SQL, over the stored signedOn and the recorded DELIVERED date (null:
    not delivered, never evaluated), so that a purchaser's evaluation reads only the contracts
    it counts. signedOn comes first: the index on (purchaser, signedOn) bounds the range
    before the DELIVERED milestone is read (queries.evaluated_contracts joins it)."""
    return and_(
        signed_on > evaluation_window_start(as_of, weights),
        signed_on <= as_of,
        delivered_on <= as_of,
    )


def evaluate(
    contracts: Iterable[ContractFacts],
    as_of: date,
    weights: ProcurementWeights,
    counted_general: int,
    counted_serious: int,
) -> CreditEvaluation:
    """A purchaser's procurement credit on `as_of` from its contracts and counted records.

    `counted_general`/`counted_serious`: the unit's DISHONEST PROCUREMENT records counted on
    `as_of` (section 0), which the caller finds in the credit domain.
    """
    evaluated = [as_of_view(c, as_of) for c in contracts if is_evaluated(c, as_of, weights)]
    found = [breach for c in evaluated for breach in breaches(c, as_of, weights)]
    found.sort(key=lambda breach: (breach.contract_code, _KIND_ORDER[breach.kind]))
    kinds = Counter(breach.kind for breach in found)
    overdue_codes = {b.contract_code for b in found if b.kind is BreachKind.PAYMENT_OVERDUE}
    overdue = sum((c.amount for c in evaluated if c.code in overdue_codes), ZERO_MONEY)
    accepted = sum(1 for c in evaluated if c.accepted_on is not None)
    paid = sum(1 for c in evaluated if c.paid_on is not None)
    score = credit_score(kinds, counted_general, counted_serious, weights)
    return CreditEvaluation(
        contracts_evaluated=len(evaluated),
        accepted_on_time=accepted - kinds[BreachKind.ACCEPTANCE_LATE],
        accepted_late=kinds[BreachKind.ACCEPTANCE_LATE],
        acceptance_overdue=kinds[BreachKind.ACCEPTANCE_OVERDUE],
        paid_on_time=paid - kinds[BreachKind.PAYMENT_LATE],
        paid_late=kinds[BreachKind.PAYMENT_LATE],
        payment_overdue=kinds[BreachKind.PAYMENT_OVERDUE],
        overdue_amount=overdue.quantize(CENT, rounding=ROUND_HALF_UP),
        breaches=found,
        score=score,
        grade=grade_for(score, weights),
    )


def records_lowering_score(records: Iterable[RecordFacts], as_of: date) -> list[RecordFacts]:
    """The unit's records that lower its score on `as_of`, `decidedOn` asc then id.

    DISHONEST GENERAL or SERIOUS records of domain PROCUREMENT counted on `as_of` (in force,
    status replayed by the caller); UNDER_INVESTIGATION is never counted.
    """
    found = [
        record
        for record in records
        if record.domain == SourceDomain.PROCUREMENT
        and record.severity in FINDING_SEVERITIES
        and record.counted(as_of)
    ]
    return basis_order(found)


def record_counts(records: Iterable[RecordFacts]) -> tuple[int, int]:
    """(GENERAL, SERIOUS) among records that lower the score."""
    severities = Counter(record.severity for record in records)
    return severities[Severity.GENERAL], severities[Severity.SERIOUS]


def credit_score(
    breach_counts: Counter[BreachKind],
    counted_general: int,
    counted_serious: int,
    weights: ProcurementWeights,
) -> int:
    """base − a deduction per breach kind and per counted record, never below the floor.

    `breach_counts` counts contracts per kind: a contract has at most one breach of a kind.
    """
    deductions = (
        weights.accepted_late_deduction * breach_counts[BreachKind.ACCEPTANCE_LATE]
        + weights.acceptance_overdue_deduction * breach_counts[BreachKind.ACCEPTANCE_OVERDUE]
        + weights.paid_late_deduction * breach_counts[BreachKind.PAYMENT_LATE]
        + weights.payment_overdue_deduction * breach_counts[BreachKind.PAYMENT_OVERDUE]
        + weights.general_record_deduction * counted_general
        + weights.serious_record_deduction * counted_serious
    )
    return max(weights.score_floor, weights.base_score - deductions)


def grade_for(score: int, weights: ProcurementWeights) -> str:
    """'A', 'B', 'C' or 'D': each threshold is the lowest score of its grade."""
    if score >= weights.grade_a_min_score:
        return "A"
    if score >= weights.grade_b_min_score:
        return "B"
    if score >= weights.grade_c_min_score:
        return "C"
    return "D"


def check_days(value: int) -> str | None:
    """INVALID_VALUE for an acceptance or payment term outside 1..365 days, else None."""
    if MIN_TERM_DAYS <= value <= MAX_TERM_DAYS:
        return None
    return INVALID_VALUE


def check_payment_term(
    payment_days: int,
    supplier_is_sme: bool,
    purchaser_is_state_enterprise: bool,
    weights: ProcurementWeights,
) -> str | None:
    """An error code for the payment term, or None.

    The SME limit binds 机关、事业单位 and not state enterprises (保障中小企业款项支付条例),
    hence the exemption.
    """
    invalid = check_days(payment_days)
    if invalid is not None:
        return invalid
    too_long = supplier_is_sme and payment_days > weights.sme_max_payment_days
    if too_long and not purchaser_is_state_enterprise:
        return PAYMENT_TERM_TOO_LONG
    return None


def check_milestone_order(
    delivered_on: date | None, milestone: ContractMilestone, on: date
) -> str | None:
    """MILESTONE_OUT_OF_ORDER when ACCEPTED or PAID has no DELIVERED on or before `on`.

    PAID without ACCEPTED is allowed: payment is due even when acceptance is missing.
    """
    if milestone == ContractMilestone.DELIVERED:
        return None
    if delivered_on is None or delivered_on > on:
        return MILESTONE_OUT_OF_ORDER
    return None
