"""PPP accountability tracing (项目责任回溯, DOMAIN.md section 7) as pure functions.

Nothing here reads a clock or the database: the service loads the periods and events and passes
them in. A period is inclusive on both ends and an open end (None) never ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar

from domains.credit.enums import RecordCategory, RecordNature, Severity
from domains.credit.rules import PPP_SOURCE_SYSTEM

T = TypeVar("T")
SOURCE_SYSTEM = PPP_SOURCE_SYSTEM  # reserved for the records events write (DOMAIN.md section 2)


class PppStage(StrEnum):
    """The plan's stages, declared in their order (项目筹备 → 实施)."""

    PREPARATION = "PREPARATION"
    TENDERING = "TENDERING"
    PROCUREMENT = "PROCUREMENT"
    FINANCING = "FINANCING"
    IMPLEMENTATION = "IMPLEMENTATION"


# The plan's stage order, each stage named: which stages a project has reached, and the order
# of responsibilities, follow it (a rule, not the enum's declaration order).
STAGE_ORDER: Mapping[PppStage, int] = MappingProxyType({
    PppStage.PREPARATION: 0,
    PppStage.TENDERING: 1,
    PppStage.PROCUREMENT: 2,
    PppStage.FINANCING: 3,
    PppStage.IMPLEMENTATION: 4,
})


class PppEventKind(StrEnum):
    """A commitment of the government side kept (守信) or broken (失信)."""

    COMMITMENT_KEPT = "COMMITMENT_KEPT"
    COMMITMENT_BROKEN = "COMMITMENT_BROKEN"


# What each kind writes: a CONTRACT_PERFORMANCE (履约) record of this nature.
EVENT_NATURE = {PppEventKind.COMMITMENT_KEPT: RecordNature.TRUSTWORTHY,
                PppEventKind.COMMITMENT_BROKEN: RecordNature.DISHONEST}
EVENT_CATEGORY = RecordCategory.CONTRACT_PERFORMANCE


@dataclass(frozen=True)
class Period:
    """A stretch of days, both ends inclusive; `ended_on` None never ends."""

    started_on: date
    ended_on: date | None

    def covers(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)

    def shares_a_day_with(self, other: Period) -> bool:
        return (other.ended_on is None or self.started_on <= other.ended_on) and (
            self.ended_on is None or other.started_on <= self.ended_on)


def is_reversed(period: Period) -> bool:
    """`endedOn < startedOn` (INVALID_VALUE)."""
    return period.ended_on is not None and period.ended_on < period.started_on


def overlapping(periods: Sequence[Period]) -> set[int]:
    """Positions of the periods that share a day with an earlier one (OVERLAPPING_ASSIGNMENT
    on the later of each pair). The periods are those of one project, stage and person."""
    return {later for later in range(len(periods)) for earlier in range(later)
            if periods[later].shares_a_day_with(periods[earlier])}


def traced(periods: Iterable[tuple[T, Period]], day: date) -> list[T]:
    """The accountability trace: the owners of every period with startedOn ≤ day ≤ endedOn."""
    return [owner for owner, period in periods if period.covers(day)]


@dataclass(frozen=True)
class Gap:
    """Days from `from_on` to `until` (inclusive) in which nobody answered for a stage.

    `from_on` None: nothing dates the stage (no assignment, no event) although the project has
    reached it. `ongoing`: the stretch lasts until today (the stage's window is still open).
    """

    from_on: date | None
    until: date
    ongoing: bool


def stage_window(periods: Sequence[Period], event_days: Sequence[date], *,
                 is_current: bool, today: date) -> tuple[date, date] | None:
    """The days a stage should have had someone responsible: from its first assignment or
    event to today for the project's current stage, else to its last assignment's end (today
    when open) or last event. None when nothing dates the stage."""
    starts = [p.started_on for p in periods] + list(event_days)
    if not starts:
        return None
    if is_current:
        return min(starts), today
    ends = [today if p.ended_on is None else p.ended_on for p in periods] + list(event_days)
    return min(starts), min(max(ends), today)


def uncovered(periods: Sequence[Period], first: date, last: date) -> list[tuple[date, date]]:
    """The stretches of [first, last] that no period covers, in order."""
    stretches: list[tuple[date, date]] = []
    cursor = first
    for period in sorted(periods, key=lambda p: p.started_on):
        if cursor > last:
            break
        if period.started_on > cursor:
            stretches.append((cursor, min(period.started_on - timedelta(days=1), last)))
        if period.ended_on is None:
            return stretches
        cursor = max(cursor, period.ended_on + timedelta(days=1))
    if cursor <= last:
        stretches.append((cursor, last))
    return stretches


def stage_gaps(periods: Sequence[Period], event_days: Sequence[date], *, reached: bool,
               is_current: bool, today: date) -> list[Gap]:
    """The gaps of one stage of one project as of `today`.

    A stage the project has reached (up to its current stage) with nothing that dates it is one
    gap without a start; a stage not reached is judged only on what dates it.
    """
    window = stage_window(periods, event_days, is_current=is_current, today=today)
    if window is None:
        return [Gap(from_on=None, until=today, ongoing=True)] if reached else []
    first, last = window
    return [Gap(from_on=start, until=end, ongoing=is_current and end == today)
            for start, end in uncovered(periods, first, last)]


def clipped(gap: Gap, from_on: date | None, to_on: date | None) -> Gap | None:
    """The part of a gap inside [from_on, to_on] (either end optional); None when outside."""
    start = gap.from_on
    if from_on is not None and (start is None or start < from_on):
        start = from_on
    until = gap.until if to_on is None else min(gap.until, to_on)
    if start is not None and start > until:
        return None
    return Gap(from_on=start, until=until, ongoing=gap.ongoing and until == gap.until)


def record_nature(kind: PppEventKind) -> RecordNature:
    return EVENT_NATURE[kind]


def record_severity(kind: PppEventKind, severity: Severity | None) -> Severity | None:
    """The severity of the records an event writes (TRUSTWORTHY records have none)."""
    return severity if kind == PppEventKind.COMMITMENT_BROKEN else None


def generated_source_ref(project_code: str, event_source_ref: str, subject_gid: str) -> str:
    """`<projectCode>/<event sourceRef>/<subject global id>` (DOMAIN.md section 7)."""
    return f"{project_code}/{event_source_ref}/{subject_gid}"
