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

from domains.core.dates import ONE_DAY, last_day_of_period
from domains.restriction.rules import (
    FINDING_SEVERITIES,
    IN_FORCE_STATUSES,
    UNDER_INVESTIGATION,
    UNDER_OBJECTION,
    Decision,
    RecordFacts,
    counted,
    in_force,
)

REVOKED = "REVOKED"
PERFORMANCE_ASSESSMENT = "PERFORMANCE_ASSESSMENT"


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


def _sanction_blocks(record: RecordFacts) -> bool:
    """REVOKED never blocks; UNDER_INVESTIGATION only while pending; REPAIRED/EXEMPTED do."""
    if record.sanction is None or record.status == REVOKED:
        return False
    return record.sanction != UNDER_INVESTIGATION or record.status in IN_FORCE_STATUSES


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
    known = [r for r in records if r.decided_on <= as_of and r.status != REVOKED]
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
            if r.nature == "TRUSTWORTHY" and in_force(r, as_of)
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
    if record.category == PERFORMANCE_ASSESSMENT:
        return _assessment_factor(record, as_of, periods)
    if record.severity in FINDING_SEVERITIES and counted(record, as_of):
        return _factor("DISHONEST_RECORD", record.valid_until, record), False
    return None


def _assessment_factor(
    record: RecordFacts, as_of: date, periods: Sequence[SanctionPeriods]
) -> tuple[Factor, bool] | None:
    """不称职 (SERIOUS) blocks, 基本称职 (GENERAL) cautions, each for its period."""
    if record.severity not in FINDING_SEVERITIES:
        return None
    version = periods_on(periods, record.decided_on)
    serious = record.severity == "SERIOUS"
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
    return _factor(code, until, record), blocks and record.status != UNDER_OBJECTION


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


_ADMINISTRATIVE = (
    "《公职人员政务处分法》第七条、第八条；《公务员法》第六十四条、第六十五条；"
    "处分期间再受处分的，处分期合并计算，最长不超过48个月（《行政机关公务员处分条例》第十条）"
)
_PARTY = (
    "《中国共产党纪律处分条例》（警告一年内、严重警告一年半内不得在党内提升职务，"
    "撤销党内职务二年内不得担任相当职务）；影响期内再受处分的合并计算"
    "（平台规则，参照《行政机关公务员处分条例》第十条）"
)
_ORGANISATIONAL = (
    "《关于对党员领导干部进行组织处理的规定（试行）》（调整职务一年内、降职二年内不得提拔）"
)
_ASSESSMENT = "《公务员法》第三十七条；《公务员考核规定》；期限为平台默认（12个月）"
_PLAN = "金府发〔2018〕12号《金山区加强政务诚信建设的实施方案》二.2"

_FACTOR_TEXTS: dict[str, tuple[str, str]] = {
    "SANCTION_WARNING": ("政务处分 警告 / administrative sanction: warning", _ADMINISTRATIVE),
    "SANCTION_DEMERIT": ("政务处分 记过 / administrative sanction: demerit", _ADMINISTRATIVE),
    "SANCTION_MAJOR_DEMERIT": ("政务处分 记大过 / administrative: major demerit", _ADMINISTRATIVE),
    "SANCTION_DEMOTION": ("政务处分 降级 / administrative sanction: demotion", _ADMINISTRATIVE),
    "SANCTION_REMOVAL": ("政务处分 撤职 / administrative sanction: removal", _ADMINISTRATIVE),
    "SANCTION_DISMISSAL": (
        "政务处分 开除 / administrative sanction: dismissal (open-ended)",
        "《公职人员政务处分法》第七条、第八条；《公务员法》第六十二条",
    ),
    "SANCTION_PARTY_WARNING": ("党纪处分 警告 / party discipline: warning", _PARTY),
    "SANCTION_PARTY_SERIOUS_WARNING": ("党纪 严重警告 / party discipline: serious warning", _PARTY),
    "SANCTION_PARTY_POST_REVOCATION": ("党纪 撤销党内职务 / party: post revoked", _PARTY),
    "SANCTION_ADMONISHMENT": (
        "诫勉 / admonishment",
        "《关于对党员领导干部进行诫勉的规定》（受到诫勉的，六个月内不得提拔或者重用）",
    ),
    "SANCTION_POST_ADJUSTMENT": ("组织处理 调整职务 / post adjusted", _ORGANISATIONAL),
    "SANCTION_RANK_REDUCTION": ("组织处理 降职 / rank reduced", _ORGANISATIONAL),
    "SANCTION_UNDER_INVESTIGATION": (
        "正在接受审查调查 / under disciplinary review or supervisory investigation",
        "《党政领导干部选拔任用工作条例》（正在接受纪律审查、监察调查的，不得列为考察对象）",
    ),
    "ASSESSMENT_INCOMPETENT": ("年度考核不称职 / annual assessment: incompetent", _ASSESSMENT),
    "ASSESSMENT_BASIC": ("年度考核基本称职 / annual assessment: basically competent", _ASSESSMENT),
    "DISHONEST_RECORD": (
        "政务失信记录 / dishonesty record in force",
        f"{_PLAN}（对存在政务失信记录的公务员在职级晋升等环节采取限制措施）；"
        "《上海市社会信用条例》第三十条",
    ),
    "TRUSTWORTHY_RECORD": (
        "守信记录 / trustworthiness record in force",
        f"{_PLAN}（诚实守信的公务员在职务晋升中同等条件下予以优先考虑）",
    ),
}


def factor_text(code: str) -> tuple[str, str]:
    """The description and legal basis of a factor code."""
    return _FACTOR_TEXTS[code]
