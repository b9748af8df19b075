"""Measures (应用清单) and decisions, DOMAIN.md sections 0 and 4: pure functions, no I/O.

The caller replays every record for `as_of` first (DOMAIN.md section 0, "Replay") and passes
the measure rows it loaded from the rule table; nothing here knows a period or a measure.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

from domains.credit.enums import RecordNature, RecordStatus, Severity
from domains.credit.facts import RecordFacts, basis_order
from domains.credit.lifecycle import FINDING_SEVERITIES
from domains.subject.enums import SubjectKind

if TYPE_CHECKING:
    from domains.restriction.promotion import Factor, PromotionResult


class Scenario(StrEnum):
    """Where a restriction or an incentive applies (the plan's 应用清单 scenarios)."""

    GOVERNMENT_PROCUREMENT = "GOVERNMENT_PROCUREMENT"
    PPP = "PPP"
    PILOT_APPLICATION = "PILOT_APPLICATION"
    BOND_ISSUANCE = "BOND_ISSUANCE"
    INVESTMENT_APPROVAL = "INVESTMENT_APPROVAL"
    SUBSIDY_APPLICATION = "SUBSIDY_APPLICATION"
    AWARDS = "AWARDS"
    PERFORMANCE_ASSESSMENT = "PERFORMANCE_ASSESSMENT"
    HIRING = "HIRING"
    PROMOTION = "PROMOTION"


class CheckOutcomeKind(StrEnum):
    """What the client did with a formal check's measures (反馈)."""

    MEASURES_APPLIED = "MEASURES_APPLIED"
    NOT_APPLIED = "NOT_APPLIED"


class Decision(StrEnum):
    """From the mildest to the most severe; compare with `rank` (DECISION_RANK), never with
    `<` or the declaration order."""

    ALLOW = "ALLOW"
    ALLOW_WITH_PRIORITY = "ALLOW_WITH_PRIORITY"
    REVIEW = "REVIEW"
    DENY = "DENY"

    @property
    def rank(self) -> int:
        return DECISION_RANK[self]


# How severe each decision is (DOMAIN.md section 4: DENY over REVIEW over ALLOW_WITH_PRIORITY
# over ALLOW), named member by member so that reordering the enum changes nothing.
DECISION_RANK: Mapping[Decision, int] = MappingProxyType({
    Decision.ALLOW: 0,
    Decision.ALLOW_WITH_PRIORITY: 1,
    Decision.REVIEW: 2,
    Decision.DENY: 3,
})


def most_severe(decisions: Iterable[Decision]) -> Decision:
    """The most severe decision; ALLOW when there is none."""
    return max(decisions, key=lambda d: d.rank, default=Decision.ALLOW)


class MeasureEffect(StrEnum):
    PRIORITY = "PRIORITY"
    WRITTEN_EXPLANATION = "WRITTEN_EXPLANATION"
    RECTIFICATION = "RECTIFICATION"
    RESTRICT = "RESTRICT"
    PROHIBIT = "PROHIBIT"


MEASURE_ORDER: tuple[MeasureEffect, ...] = (
    MeasureEffect.PROHIBIT,
    MeasureEffect.RESTRICT,
    MeasureEffect.RECTIFICATION,
    MeasureEffect.WRITTEN_EXPLANATION,
    MeasureEffect.PRIORITY,
)

EFFECT_DECISION: dict[MeasureEffect, Decision] = {
    MeasureEffect.PROHIBIT: Decision.DENY,
    MeasureEffect.RESTRICT: Decision.REVIEW,
    MeasureEffect.RECTIFICATION: Decision.REVIEW,
    MeasureEffect.WRITTEN_EXPLANATION: Decision.REVIEW,
    MeasureEffect.PRIORITY: Decision.ALLOW_WITH_PRIORITY,
}


class Condition(StrEnum):
    GENERAL = "GENERAL"
    SERIOUS = "SERIOUS"
    DISHONEST = "DISHONEST"
    TRUSTWORTHY = "TRUSTWORTHY"
    GRADE_C = "GRADE_C"
    GRADE_D = "GRADE_D"
    PROMOTION_FACTOR = "PROMOTION_FACTOR"


GRADE_CONDITIONS: dict[str, str] = {Condition.GRADE_C: "C", Condition.GRADE_D: "D"}


def measure_code(scenario: str, condition: str, effect: MeasureEffect) -> str:
    return f"{scenario}.{condition}.{effect.value}"


@dataclass(frozen=True)
class MeasureRow:
    """A row of the published measure list; a version is valid from `valid_from` to `valid_to`.

    `domains` empty: the row sees every record; otherwise only records of these source domains
    (条例第三十条: a measure must relate to the dishonesty).
    """

    code: str
    name: str
    scenario: str
    subject_kind: SubjectKind
    condition: str
    effect: MeasureEffect
    legal_basis: str
    valid_from: date
    valid_to: date | None = None
    domains: tuple[str, ...] = ()
    published_on: date | None = None  # the day the row was published; None before it is stored

    def __post_init__(self) -> None:
        if self.condition not in set(Condition):
            raise ValueError(f"unknown measure condition {self.condition!r}")
        if self.subject_kind not in set(SubjectKind):
            raise ValueError(f"unknown subject kind {self.subject_kind!r}")


def is_published(row: MeasureRow, day: date) -> bool:
    """Whether the row is on the published list on `day` (条例第三十二条: else not applied)."""
    return row.valid_from <= day and (row.valid_to is None or day <= row.valid_to)


def published_rows(rows: Iterable[MeasureRow], day: date) -> list[MeasureRow]:
    return [row for row in rows if is_published(row, day)]


@dataclass(frozen=True)
class Applied:
    """One applied measure: one per row (or per promotion factor), never merged."""

    code: str
    name: str
    effect: MeasureEffect
    legal_basis: str
    grade: str | None
    until: date | None
    basis: list[RecordFacts] = field(default_factory=list)
    # A joint-punishment memorandum's measure: the version it comes from, the signatories
    # applying it (domains.memorandum.rules.joint_measures).
    memorandum_id: uuid.UUID | None = None
    applied_by: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True)
class Assessment:
    decision: Decision
    measures: list[Applied]


def assess(
    scenario: str,
    subject_kind: str,
    records: Sequence[RecordFacts],
    as_of: date,
    rows: Sequence[MeasureRow],
    grade: str | None = None,
    promotion: PromotionResult | None = None,
    joint: Sequence[Applied] = (),
) -> Assessment:
    """The decision and the measures for a subject in a scenario on `as_of`.

    `grade` is the subject's procurement grade (section 6) or None; `promotion` the section 5
    result, required when the scenario has PROMOTION_FACTOR rows for the subject kind; `joint`
    the measures of joint-punishment memoranda whose actions are open against the subject
    (domains.memorandum.rules.joint_measures), which decide like any other measure.
    """
    own = [r for r in rows if r.scenario == scenario and r.subject_kind == subject_kind]
    factor_rows = [r for r in own if r.condition == Condition.PROMOTION_FACTOR]
    standing = Standing.of(records, as_of)
    applied = [
        measure
        for row in published_rows(own, as_of)
        if row.condition != Condition.PROMOTION_FACTOR
        and (measure := _apply_row(row, standing, as_of, grade)) is not None
    ]
    applied += joint
    decisions = [measure_decision(measure) for measure in applied]
    if factor_rows:
        factors = _assess_promotion(factor_rows, as_of, promotion)
        applied += factors.measures
        decisions.append(factors.decision)
    return Assessment(most_severe(decisions), sort_measures(applied))


def sort_measures(measures: Iterable[Applied]) -> list[Applied]:
    """PROHIBIT, RESTRICT, RECTIFICATION, WRITTEN_EXPLANATION, PRIORITY, then code (stable)."""
    return sorted(measures, key=lambda m: (MEASURE_ORDER.index(m.effect), m.code))


def measure_decision(measure: Applied) -> Decision:
    """The measure's effect as a decision; a basis entirely under objection stops at REVIEW."""
    decision = EFFECT_DECISION[measure.effect]
    disputed = bool(measure.basis) and all(r.status == RecordStatus.UNDER_OBJECTION
                                             for r in measure.basis)
    if disputed and decision.rank > Decision.REVIEW.rank:
        return Decision.REVIEW
    return decision


def _apply_row(
    row: MeasureRow, standing: Standing, as_of: date, grade: str | None
) -> Applied | None:
    if row.condition in GRADE_CONDITIONS:
        if grade != GRADE_CONDITIONS[row.condition]:
            return None
        return _applied(row, grade=grade, until=as_of, basis=[])
    basis = condition_basis(row.condition, standing.related(row.domains))
    if not basis:
        return None
    return _applied(row, grade=None, until=latest_until(basis), basis=basis_order(basis))


def _applied(
    row: MeasureRow, *, grade: str | None, until: date | None, basis: list[RecordFacts]
) -> Applied:
    return Applied(row.code, row.name, row.effect, row.legal_basis, grade, until, basis)


@dataclass(frozen=True)
class Standing:
    """A subject's records as the record conditions read them on one day, judged once per
    assessment rather than once per measure row (a scenario has several rows, a unit hundreds
    of records): the counted GENERAL and SERIOUS findings (MINOR findings never meet a
    condition) and the TRUSTWORTHY records in force, each in the records' order."""

    findings: list[RecordFacts]
    trustworthy: list[RecordFacts]

    @classmethod
    def of(cls, records: Sequence[RecordFacts], as_of: date) -> Standing:
        return cls(
            [r for r in records if r.severity in FINDING_SEVERITIES and r.counted(as_of)],
            [r for r in records if r.nature == RecordNature.TRUSTWORTHY and r.in_force(as_of)])

    def related(self, domains: Sequence[str]) -> Standing:
        """The standing of the records of these domains (all of them for none)."""
        if not domains:
            return self
        return Standing([r for r in self.findings if r.domain in domains],
                        [r for r in self.trustworthy if r.domain in domains])


def condition_basis(condition: str, standing: Standing) -> list[RecordFacts]:
    """The records meeting a record condition; empty when it does not hold.

    TRUSTWORTHY needs no counted GENERAL or SERIOUS finding.
    """
    findings = standing.findings
    serious = [r for r in findings if r.severity == Severity.SERIOUS]
    if condition == Condition.GENERAL:
        return [] if serious else findings
    if condition == Condition.SERIOUS:
        return serious
    if condition == Condition.DISHONEST:
        return findings
    if condition == Condition.TRUSTWORTHY:
        return [] if findings else standing.trustworthy
    raise ValueError(f"{condition!r} is not a record condition")


def latest_until(records: Iterable[RecordFacts]) -> date | None:
    """The latest `valid_until` of the records; None when one of them is open-ended."""
    ends = [r.valid_until for r in records]
    if any(end is None for end in ends):
        return None
    return max(end for end in ends if end is not None)


def _assess_promotion(
    rows: Sequence[MeasureRow], as_of: date, promotion: PromotionResult | None
) -> Assessment:
    """One measure per factor whose effect row is published; the decision is section 5's."""
    if promotion is None or promotion.as_of != as_of:
        raise ValueError("a PROMOTION assessment needs the promotion result for the same day")
    effects = {
        row.effect
        for row in published_rows(rows, as_of)
        if row.condition == Condition.PROMOTION_FACTOR
    }
    groups: tuple[tuple[MeasureEffect, list[Factor]], ...] = (
        (MeasureEffect.PROHIBIT, promotion.blockers),
        (MeasureEffect.RESTRICT, promotion.cautions),
        (MeasureEffect.PRIORITY, promotion.incentives),
    )
    applied = [
        _factor_measure(factor, effect)
        for effect, factors in groups
        if effect in effects
        for factor in factors
    ]
    return Assessment(promotion.decision, sort_measures(applied))


def _factor_measure(factor: Factor, effect: MeasureEffect) -> Applied:
    return Applied(
        code=f"PROMOTION.{factor.code}",
        name=factor.description,
        effect=effect,
        legal_basis=factor.legal_basis,
        grade=None,
        until=factor.until,
        basis=basis_order(factor.basis),
    )
