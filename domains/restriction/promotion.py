"""Promotion eligibility (职务职级晋升), DOMAIN.md section 5: pure functions, no I/O.

Periods, chaining groups and the chaining cap are rule data: versions of `SanctionPeriods`
seeded by a migration, the one applying to a record being the version in force on its
`decided_on`. Records come replayed for `as_of` (DOMAIN.md section 0).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, or_

from domains.core.dates import ONE_DAY, last_day_of_period
from domains.credit.enums import RecordCategory, RecordNature, RecordStatus, Sanction, Severity
from domains.credit.facts import RecordFacts
from domains.credit.lifecycle import FINDING_SEVERITIES, IN_FORCE_STATUSES
from domains.restriction.rules import Decision
from domains.restriction.texts import factor_text


@dataclass(frozen=True)
class SanctionPeriods:
    """One version of the promotion rule values, for records decided from `valid_from` on.

    `months`: the standard period of each Sanction, None for open-ended (DISMISSAL,
    UNDER_INVESTIGATION); `chain_groups`: Sanction -> group, sanctions of one group chain
    (《行政机关公务员处分条例》第十条); `chain_cap_months`: the longest chained period;
    `incompetent_months` / `basic_months`: how long a SERIOUS (不称职) blocks and a GENERAL
    (基本称职) PERFORMANCE_ASSESSMENT record cautions.
    """

    valid_from: date
    months: Mapping[str, int | None]
    chain_groups: Mapping[str, str]
    chain_cap_months: int
    incompetent_months: int
    basic_months: int


@dataclass(frozen=True)
class PeriodEntry:
    """A row of the sanction period table: from `valid_from`, `sanction` blocks `months`."""

    valid_from: date
    sanction: str
    months: int | None
    chain_group: str | None


@dataclass(frozen=True)
class PromotionValues:
    """A row of the promotion rule table: the chaining cap and the assessment periods."""

    valid_from: date
    chain_cap_months: int
    incompetent_months: int
    basic_months: int


def build_versions(
    entries: Iterable[PeriodEntry], values: Iterable[PromotionValues]
) -> list[SanctionPeriods]:
    """The versions of the promotion rules, one from each day either table changes.

    A version takes, per sanction, its latest entry from that day or before (a new law may
    change a single sanction) and the latest promotion values; days before the first promotion
    values have no version.
    """
    entries, values = list(entries), list(values)
    days = sorted({e.valid_from for e in entries} | {v.valid_from for v in values})
    versions = []
    for day in days:
        current = [v for v in values if v.valid_from <= day]
        if not current:
            continue
        rule = max(current, key=lambda v: v.valid_from)
        latest: dict[str, PeriodEntry] = {}
        for entry in sorted(entries, key=lambda e: e.valid_from):
            if entry.valid_from <= day:
                latest[entry.sanction] = entry
        versions.append(SanctionPeriods(
            valid_from=day,
            months={s: e.months for s, e in latest.items()},
            chain_groups={s: e.chain_group for s, e in latest.items() if e.chain_group},
            chain_cap_months=rule.chain_cap_months,
            incompetent_months=rule.incompetent_months,
            basic_months=rule.basic_months,
        ))
    return versions


def periods_on(versions: Sequence[SanctionPeriods], day: date) -> SanctionPeriods:
    """The version in force on `day`: the latest whose `valid_from` is on or before it."""
    applicable = [v for v in versions if v.valid_from <= day]
    if not applicable:
        raise LookupError(f"no sanction periods in force on {day.isoformat()}")
    return max(applicable, key=lambda v: v.valid_from)


@dataclass(frozen=True)
class Factor:
    """One eligibility factor; its basis is the one record behind it."""

    code: str
    description: str
    until: date | None
    legal_basis: str
    basis: list[RecordFacts]


@dataclass(frozen=True)
class PromotionResult:
    as_of: date
    decision: Decision
    eligible_from: date | None
    blockers: list[Factor]
    cautions: list[Factor]
    incentives: list[Factor]


def sanction_last_days(
    records: Iterable[RecordFacts], periods: Sequence[SanctionPeriods]
) -> dict[uuid.UUID, date | None]:
    """Last day each sanction blocks promotion (None: open-ended), chaining applied.

    A record has no entry when it has no sanction, is REVOKED, or is an UNDER_INVESTIGATION
    record no longer ACTIVE or UNDER_OBJECTION: it does not block at all.
    """
    last_days: dict[uuid.UUID, date | None] = {}
    chains: dict[str, list[tuple[date, date]]] = {}
    for record in sorted(filter(_sanction_blocks, records), key=lambda r: (r.decided_on, r.id)):
        version = periods_on(periods, record.decided_on)
        months = _months(record, version)
        if months is None:
            last_days[record.id] = None
            continue
        group = version.chain_groups.get(record.sanction or "")
        chain = chains.setdefault(group, []) if group is not None else []
        last = _last_day(record, months, version.chain_cap_months, _blocking_on(chain, record))
        chain.append((record.decided_on, last))
        last_days[record.id] = last
    return last_days


def sanction_ends_on(
    record: RecordFacts,
    records_of_person: Iterable[RecordFacts],
    periods: Sequence[SanctionPeriods],
) -> date | None:
    """CreditRecord.sanctionEndsOn: null without a sanction, while open-ended, or not blocking."""
    if record.sanction is None:
        return None
    others = [r for r in records_of_person if r.id != record.id]
    return sanction_last_days([*others, record], periods).get(record.id)


def acts_through_period(record: RecordFacts) -> bool:
    """Whether the record can act on promotion through a period of its own rather than while
    in force: a sanction (it blocks, and lengthens the chained sanctions decided after it,
    whatever its validity) or a GENERAL or SERIOUS PERFORMANCE_ASSESSMENT record, not REVOKED.

    Every other record acts on promotion only while counted or in force (cautions,
    incentives), so a reader may leave out a record that neither acts through a period nor is
    in force on the day (domains.restriction.assessing.may_decide). A superset of the records
    `_sanction_blocks` and `_assessment_factor` look at, on purpose: the periods are rule data,
    so which of these records still blocks is decided here, not by the reader.
    """
    if record.status == RecordStatus.REVOKED:
        return False
    return record.sanction is not None or (
        record.category == RecordCategory.PERFORMANCE_ASSESSMENT
        and record.severity in FINDING_SEVERITIES)


def acts_through_period_sql(category: SQLColumnExpression[str],
                            severity: SQLColumnExpression[str | None],
                            sanction: SQLColumnExpression[str | None],
                            status: SQLColumnExpression[str]) -> ColumnElement[bool]:
    """`acts_through_period` as SQL (never NULL: a NULL severity or sanction is none). The
    status comes last, as in `in_force_sql`: it may be a replayed status's subquery."""
    assessed = and_(category == RecordCategory.PERFORMANCE_ASSESSMENT.value,
                    severity.is_not(None), severity.in_(sorted(FINDING_SEVERITIES)))
    return and_(or_(sanction.is_not(None), assessed), status != RecordStatus.REVOKED.value)


def _sanction_blocks(record: RecordFacts) -> bool:
    """REVOKED never blocks; UNDER_INVESTIGATION only while pending; REPAIRED/EXEMPTED do."""
    if record.sanction is None or record.status == RecordStatus.REVOKED:
        return False
    return record.sanction != Sanction.UNDER_INVESTIGATION or record.status in IN_FORCE_STATUSES


def _months(record: RecordFacts, version: SanctionPeriods) -> int | None:
    if record.sanction_months is not None:
        return record.sanction_months
    sanction = record.sanction or ""
    if sanction not in version.months:
        raise LookupError(f"no period for sanction {sanction!r} from {version.valid_from}")
    return version.months[sanction]


def _blocking_on(chain: Sequence[tuple[date, date]], record: RecordFacts) -> date | None:
    """The latest last day of a group sanction decided earlier and still blocking.

    `chain` holds (decided_on, last day); a same-day sanction is not "decided while" the other
    blocks, so the two run independently.
    """
    day = record.decided_on
    return max((last for decided, last in chain if decided < day <= last), default=None)


def _last_day(record: RecordFacts, months: int, cap_months: int, earlier: date | None) -> date:
    if earlier is None:
        return last_day_of_period(record.decided_on, months)
    chained = last_day_of_period(earlier + ONE_DAY, months)
    return min(chained, last_day_of_period(record.decided_on, cap_months))


def evaluate_promotion(
    records: Iterable[RecordFacts], as_of: date, periods: Sequence[SanctionPeriods]
) -> PromotionResult:
    """Blockers, cautions, incentives, decision and first eligible day on `as_of`."""
    known = [r for r in records if r.decided_on <= as_of and r.status != RecordStatus.REVOKED]
    last_days = sanction_last_days(known, periods)
    blockers: list[Factor] = []
    cautions: list[Factor] = []
    for record in known:
        found = _negative_factor(record, as_of, last_days, periods)
        if found is not None:
            (blockers if found[1] else cautions).append(found[0])
    incentives: list[Factor] = []
    if not blockers and not cautions:
        incentives = [
            _factor("TRUSTWORTHY_RECORD", r.valid_until, r)
            for r in known
            if r.nature == RecordNature.TRUSTWORTHY and r.in_force(as_of)
        ]
    return PromotionResult(
        as_of=as_of,
        decision=_decision(blockers, cautions, incentives),
        eligible_from=_eligible_from(blockers, as_of),
        blockers=sort_factors(blockers),
        cautions=sort_factors(cautions),
        incentives=sort_factors(incentives),
    )


def _negative_factor(
    record: RecordFacts,
    as_of: date,
    last_days: Mapping[uuid.UUID, date | None],
    periods: Sequence[SanctionPeriods],
) -> tuple[Factor, bool] | None:
    """The blocker (True) or caution (False) a record raises on `as_of`, if any.

    Sanction-bearing and PERFORMANCE_ASSESSMENT records act only through their periods
    (《公务员法》第六十五条); any other counted GENERAL or SERIOUS record cautions.
    """
    if record.sanction is not None:
        if record.id not in last_days:
            return None
        code = f"SANCTION_{record.sanction}"
        return _period_factor(record, code, last_days[record.id], as_of, blocks=True)
    if record.category == RecordCategory.PERFORMANCE_ASSESSMENT:
        return _assessment_factor(record, as_of, periods)
    if record.severity in FINDING_SEVERITIES and record.counted(as_of):
        return _factor("DISHONEST_RECORD", record.valid_until, record), False
    return None


def _assessment_factor(
    record: RecordFacts, as_of: date, periods: Sequence[SanctionPeriods]
) -> tuple[Factor, bool] | None:
    """不称职 (SERIOUS) blocks, 基本称职 (GENERAL) cautions, each for its period."""
    if record.severity not in FINDING_SEVERITIES:
        return None
    version = periods_on(periods, record.decided_on)
    serious = record.severity == Severity.SERIOUS
    months = version.incompetent_months if serious else version.basic_months
    code = "ASSESSMENT_INCOMPETENT" if serious else "ASSESSMENT_BASIC"
    until = last_day_of_period(record.decided_on, months)
    return _period_factor(record, code, until, as_of, blocks=serious)


def _period_factor(
    record: RecordFacts, code: str, until: date | None, as_of: date, *, blocks: bool
) -> tuple[Factor, bool] | None:
    """A factor while `decided_on <= as_of <= until`; a blocker under objection cautions."""
    if as_of < record.decided_on or (until is not None and until < as_of):
        return None
    return _factor(code, until, record), blocks and record.status != RecordStatus.UNDER_OBJECTION


def _factor(code: str, until: date | None, record: RecordFacts) -> Factor:
    description, legal_basis = factor_text(code)
    return Factor(code, description, until, legal_basis, [record])


def sort_factors(factors: Iterable[Factor]) -> list[Factor]:
    """By `until` asc (open last), then code, then the basis record (decidedOn, id)."""
    return sorted(
        factors,
        key=lambda f: (
            f.until is None,
            f.until or date.min,
            f.code,
            [(r.decided_on, r.id) for r in f.basis],
        ),
    )


def _decision(blockers: list[Factor], cautions: list[Factor], incentives: list[Factor]) -> Decision:
    if blockers:
        return Decision.DENY
    if cautions:
        return Decision.REVIEW
    if incentives:
        return Decision.ALLOW_WITH_PRIORITY
    return Decision.ALLOW


def _eligible_from(blockers: Sequence[Factor], as_of: date) -> date | None:
    """`as_of` without blockers; None while one is open-ended; else after the last one ends."""
    ends = [f.until for f in blockers]
    if not ends:
        return as_of
    if any(end is None for end in ends):
        return None
    return max(end for end in ends if end is not None) + ONE_DAY
