"""What happens to a record after it is reported (DOMAIN.md sections 0, 2 and 3), pure rules:
status changes, repair dates, replay as of a day, being in force or counted, who sees it, and
objection due dates.

"In force", "counted", "expired" and "visible" are decided here and only here: each is a pure
function, and where SQL needs the rule, one SQL expression built beside it from the same
constants (`*_sql`, over whatever columns the caller passes). tests/domains/credit/
test_rule_sql.py evaluates both in PostgreSQL over the same cases and requires them to agree.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Final, NamedTuple, Protocol

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, any_, case, false, literal, or_
from sqlalchemy import true as sql_true

from domains.core.clock import local_date
from domains.core.dates import add_months, add_working_days
from domains.credit.defaults import RepairRule, repair_rule_for
from domains.credit.enums import (
    Audience,
    Disclosure,
    RecordEventKind,
    RecordNature,
    RecordStatus,
    Sanction,
    Severity,
)

INVALID_STATE: Final = "INVALID_STATE"
REPAIR_TOO_EARLY: Final = "REPAIR_TOO_EARLY"
# 条例第三十六条: 1 working day to flag, then 5, or 2 + 5 via the providing unit.
OBJECTION_WORKING_DAYS: Final = 7

_ST = RecordStatus
_EV = RecordEventKind
IN_FORCE_STATUSES: Final = frozenset({_ST.ACTIVE, _ST.UNDER_OBJECTION})
# A finding (GENERAL or SERIOUS): MINOR records trigger no measure, caution no promotion and
# lower no procurement score (DOMAIN.md sections 4, 5 and 6).
FINDING_SEVERITIES: Final = frozenset({Severity.GENERAL, Severity.SERIOUS})
# Events with the same time replay in RecordEventKind order (DOMAIN.md section 0): the
# contract's enum order, which is also the order `history` lists them in.
EVENT_TIE_ORDER: Final[Mapping[str, int]] = MappingProxyType(
    {kind: n for n, kind in enumerate(RecordEventKind)})


class RecordAction(StrEnum):
    """The mutations that change a reported record."""

    FILE_OBJECTION = "FILE_OBJECTION"
    UPHOLD_OBJECTION = "UPHOLD_OBJECTION"
    REJECT_OBJECTION = "REJECT_OBJECTION"
    CORRECT = "CORRECT"
    REVOKE = "REVOKE"
    REPAIR = "REPAIR"
    EXEMPT = "EXEMPT"


@dataclass(frozen=True)
class Transition:
    """From which stored statuses an action is allowed, the status after it and its event."""

    sources: frozenset[RecordStatus]
    target: RecordStatus | None  # None: unchanged
    event: RecordEventKind
    dishonest_only: bool = False


_A = RecordAction
TRANSITIONS: Final[Mapping[RecordAction, Transition]] = MappingProxyType(
    {
        _A.FILE_OBJECTION: Transition(
            frozenset({_ST.ACTIVE}), _ST.UNDER_OBJECTION, _EV.OBJECTION_FILED
        ),
        _A.UPHOLD_OBJECTION: Transition(
            frozenset({_ST.UNDER_OBJECTION}), _ST.REVOKED, _EV.OBJECTION_UPHELD
        ),
        _A.REJECT_OBJECTION: Transition(
            frozenset({_ST.UNDER_OBJECTION}), _ST.ACTIVE, _EV.OBJECTION_REJECTED
        ),
        _A.CORRECT: Transition(IN_FORCE_STATUSES, None, _EV.CORRECTED),
        _A.REVOKE: Transition(IN_FORCE_STATUSES, _ST.REVOKED, _EV.REVOKED),
        _A.REPAIR: Transition(frozenset({_ST.ACTIVE}), _ST.REPAIRED, _EV.REPAIRED, True),
        _A.EXEMPT: Transition(IN_FORCE_STATUSES, _ST.EXEMPTED, _EV.EXEMPTED, True),
    }
)
# What each event leaves the stored status at, for replay.
EVENT_STATUS: Final[Mapping[RecordEventKind, RecordStatus]] = MappingProxyType(
    {t.event: t.target for t in TRANSITIONS.values() if t.target is not None}
)


def resolution_action(upheld: bool) -> RecordAction:
    """resolveObjection(upheld) as an action."""
    return RecordAction.UPHOLD_OBJECTION if upheld else RecordAction.REJECT_OBJECTION


def next_status(
    current: RecordStatus, action: RecordAction, nature: RecordNature
) -> tuple[RecordStatus | None, str | None]:
    """(status after the action, None), or (None, INVALID_STATE) when the table refuses it.

    `current` is the stored status: an expired record is stored ACTIVE.
    """
    if current == _ST.EXPIRED:
        raise ValueError("EXPIRED is derived: pass the stored status")
    transition = TRANSITIONS[action]
    refused = transition.dishonest_only and nature != RecordNature.DISHONEST
    if current not in transition.sources or refused:
        return None, INVALID_STATE
    return (current if transition.target is None else transition.target), None


def repair_allowed_from(decided_on: date, severity: Severity, repair_rule: RepairRule) -> date:
    """First day a record may be repaired: decidedOn + the severity's minimum months."""
    if repair_rule.severity != severity:
        raise ValueError(f"the rule is for {repair_rule.severity}")
    return add_months(decided_on, repair_rule.minimum_months)


def check_repair(
    decided_on: date, severity: Severity, repaired_on: date, repair_rules: Iterable[RepairRule]
) -> str | None:
    """REPAIR_TOO_EARLY before the first allowed day (rule version of the repair day)."""
    rule = repair_rule_for(repair_rules, severity, repaired_on)
    if rule is None:
        raise LookupError(f"no repair rule for {severity} on {repaired_on}")
    if repaired_on < repair_allowed_from(decided_on, severity, rule):
        return REPAIR_TOO_EARLY
    return None


# ---------------------------------------------------------------- replay


class EventLike(Protocol):
    """A record event as replay needs it (a `ReplayEvent` or a stored event row)."""

    @property
    def kind(self) -> RecordEventKind: ...

    @property
    def at(self) -> datetime: ...


class ReplayEvent(NamedTuple):
    kind: RecordEventKind
    at: datetime


def status_as_of(events: Iterable[EventLike], as_of: date) -> RecordStatus:
    """The stored status by the end of `as_of` (Asia/Shanghai) of a record decided by then.

    Reporting is not a later event: the record is ACTIVE from its decidedOn whenever it was
    reported. Events after `as_of` are ignored; ties in time go in RecordEventKind order.
    """
    status = _ST.ACTIVE
    for event in sorted(events, key=lambda e: (e.at, EVENT_TIE_ORDER[e.kind])):
        if event.at.utcoffset() is None:
            raise ValueError("event times must carry an offset")
        if local_date(event.at) <= as_of:
            status = EVENT_STATUS.get(event.kind, status)
    return status


def effective_status(stored: str, valid_until: date | None, as_of: date) -> RecordStatus:
    """The status shown on `as_of`: EXPIRED for an ACTIVE record past its validUntil.

    An UNDER_OBJECTION record past its validUntil stays UNDER_OBJECTION: the objection is still
    open and must be resolved; it is no longer in force either way.
    """
    if stored == _ST.ACTIVE and valid_until is not None and valid_until < as_of:
        return _ST.EXPIRED
    return RecordStatus(stored)


def effective_status_sql(stored: SQLColumnExpression[str],
                         valid_until: SQLColumnExpression[date | None],
                         as_of: date) -> ColumnElement[str]:
    """`effective_status` as SQL (a NULL validUntil compares as unknown: not expired)."""
    expired = and_(stored == _ST.ACTIVE.value, valid_until < as_of)
    return case((expired, _ST.EXPIRED.value), else_=stored)


def in_force(status: str, valid_from: date, valid_until: date | None, day: date) -> bool:
    """ACTIVE or UNDER_OBJECTION (as of `day`) and validFrom ≤ day ≤ validUntil (open: no end)."""
    if status not in IN_FORCE_STATUSES or day < valid_from:
        return False
    return valid_until is None or day <= valid_until


def in_force_sql(status: SQLColumnExpression[str], valid_from: SQLColumnExpression[date],
                 valid_until: SQLColumnExpression[date | None],
                 day: date) -> ColumnElement[bool]:
    """`in_force` as SQL, over the status and validUntil the record had on `day` (stored, or
    replayed by domains.credit.queries). The dates come first: PostgreSQL evaluates an AND's
    arguments in order, and a replayed status is a subquery it need not run for a record
    outside its period."""
    return and_(
        valid_from <= day,
        or_(valid_until.is_(None), valid_until >= day),
        status.in_(sorted(IN_FORCE_STATUSES)),
    )


def counted(
    nature: str,
    sanction: str | None,
    status: str,
    valid_from: date,
    valid_until: date | None,
    day: date,
) -> bool:
    """DISHONEST and in force on `day`; UNDER_INVESTIGATION is not a finding and never counts."""
    if nature != RecordNature.DISHONEST or sanction == Sanction.UNDER_INVESTIGATION:
        return False
    return in_force(status, valid_from, valid_until, day)


def counted_sql(nature: SQLColumnExpression[str], sanction: SQLColumnExpression[str | None],
                status: SQLColumnExpression[str], valid_from: SQLColumnExpression[date],
                valid_until: SQLColumnExpression[date | None], day: date) -> ColumnElement[bool]:
    """`counted` as SQL (a NULL sanction is no sanction, not unknown)."""
    return and_(
        nature == RecordNature.DISHONEST.value,
        or_(sanction.is_(None), sanction != Sanction.UNDER_INVESTIGATION.value),
        in_force_sql(status, valid_from, valid_until, day),
    )


# ---------------------------------------------------------------- visibility, objections


def visible_to(
    audience: str,
    disclosure: str,
    share_scope: Collection[str],
    status_today: str,
    valid_from: date,
    valid_until: date | None,
    today: date,
) -> bool:
    """Whether a client of `audience` may see the record's details today.

    CREDIT_OFFICE sees everything; others only a record in force today that is PUBLIC, or
    GOVERNMENT_SHARED with their audience in the share scope. `status_today` is stored status.
    An audience that is not an `Audience` sees nothing.
    """
    if audience == Audience.CREDIT_OFFICE:
        return True
    if audience not in _AUDIENCES or not in_force(status_today, valid_from, valid_until, today):
        return False
    if disclosure == Disclosure.PUBLIC:
        return True
    return disclosure == Disclosure.GOVERNMENT_SHARED and audience in share_scope


def visible_sql(audience: str, disclosure: SQLColumnExpression[str],
                share_scope: SQLColumnExpression[list[str]], status_today: SQLColumnExpression[str],
                valid_from: SQLColumnExpression[date],
                valid_until: SQLColumnExpression[date | None], today: date) -> ColumnElement[bool]:
    """`visible_to` as a WHERE condition for a client of `audience`."""
    if audience == Audience.CREDIT_OFFICE:
        return sql_true()
    if audience not in _AUDIENCES:
        return false()
    shared = and_(disclosure == Disclosure.GOVERNMENT_SHARED.value,
                  literal(audience) == any_(share_scope))
    return and_(in_force_sql(status_today, valid_from, valid_until, today),
                or_(disclosure == Disclosure.PUBLIC.value, shared))


_AUDIENCES: Final = frozenset(Audience)


def objection_due_on(filed_on: date, overrides: Mapping[date, bool]) -> date:
    """7 working days after the filing day (not counted), on the working calendar."""
    return add_working_days(filed_on, OBJECTION_WORKING_DAYS, overrides)


# What each action does, in the words of DOMAIN.md section 2 (not the internal action names).
ACTION_WORDS: Final = {
    RecordAction.FILE_OBJECTION: "an objection may be filed only on an ACTIVE record",
    RecordAction.UPHOLD_OBJECTION: "an objection can be upheld only while the record is "
                                   "UNDER_OBJECTION",
    RecordAction.REJECT_OBJECTION: "an objection can be rejected only while the record is "
                                   "UNDER_OBJECTION",
    RecordAction.CORRECT: "only an ACTIVE or UNDER_OBJECTION record can be corrected",
    RecordAction.REVOKE: "only an ACTIVE or UNDER_OBJECTION record can be revoked",
    RecordAction.REPAIR: "only an ACTIVE DISHONEST record can be repaired (信用修复)",
    RecordAction.EXEMPT: "only an ACTIVE or UNDER_OBJECTION DISHONEST record can be exempted "
                         "(免责)",
}


def state_message(status: RecordStatus, nature: RecordNature, action: RecordAction) -> str:
    """Why the status table refuses `action`, e.g. "the record is REVOKED; an objection may be
    filed only on an ACTIVE record"."""
    what = f"{status.value} {nature.value}" if action in (
        RecordAction.REPAIR, RecordAction.EXEMPT) else status.value
    return f"the record is {what}; {ACTION_WORDS[action]}"
