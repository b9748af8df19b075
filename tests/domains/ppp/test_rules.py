"""The section 7 rules as pure functions: periods, the trace, overlaps and gaps."""

from __future__ import annotations

from datetime import date

import pytest

from domains.credit.enums import RecordNature, Severity
from domains.ppp import rules
from domains.ppp.rules import Gap, Period, PppEventKind

D = date.fromisoformat
JAN1, JUN30, JUL1 = D("2025-01-01"), D("2025-06-30"), D("2025-07-01")
TODAY = D("2026-06-15")


@pytest.mark.parametrize(("period", "day", "covered"), [
    (Period(JAN1, JUN30), D("2024-12-31"), False),   # the day before the first
    (Period(JAN1, JUN30), JAN1, True),               # first day
    (Period(JAN1, JUN30), JUN30, True),              # last day
    (Period(JAN1, JUN30), JUL1, False),              # the day after
    (Period(JAN1, None), D("2099-12-31"), True),     # an open end never ends
    (Period(JAN1, JAN1), JAN1, True),                # a one-day period
])
def test_a_period_covers_its_days_inclusively(period: Period, day: date, covered: bool) -> None:
    assert period.covers(day) is covered


@pytest.mark.parametrize(("a", "b", "share"), [
    (Period(JAN1, JUN30), Period(JUL1, None), False),         # hand-over: no shared day
    (Period(JAN1, JUN30), Period(JUN30, None), True),         # one shared day
    (Period(JAN1, None), Period(D("2030-01-01"), None), True),  # open end reaches it
    (Period(JUL1, None), Period(JAN1, JUN30), False),
    (Period(JAN1, D("2025-03-31")), Period(D("2025-02-01"), D("2025-02-28")), True),
])
def test_periods_sharing_a_day(a: Period, b: Period, share: bool) -> None:
    assert a.shares_a_day_with(b) is share
    assert b.shares_a_day_with(a) is share


def test_overlapping_names_the_later_of_each_pair() -> None:
    periods = [Period(JAN1, JUN30), Period(JUL1, None), Period(JUN30, JUL1)]
    assert rules.overlapping(periods) == {2}
    assert rules.overlapping([Period(JAN1, JUN30), Period(JUL1, None)]) == set()


def test_reversed_periods() -> None:
    assert rules.is_reversed(Period(JUL1, JUN30))
    assert not rules.is_reversed(Period(JUL1, JUL1))
    assert not rules.is_reversed(Period(JUL1, None))


def test_trace_of_a_hand_over() -> None:
    periods = [("李", Period(JAN1, JUN30)), ("张", Period(JUL1, None)),
               ("王", Period(D("2025-06-01"), D("2025-06-30")))]
    assert rules.traced(periods, JUN30) == ["李", "王"]
    assert rules.traced(periods, JUL1) == ["张"]
    assert rules.traced(periods, D("2024-12-31")) == []


@pytest.mark.parametrize(("periods", "first", "last", "stretches"), [
    ([], JAN1, JUN30, [(JAN1, JUN30)]),
    ([Period(JAN1, None)], JAN1, TODAY, []),
    ([Period(JAN1, D("2025-03-31")), Period(D("2025-05-01"), None)], JAN1, TODAY,
     [(D("2025-04-01"), D("2025-04-30"))]),
    ([Period(D("2025-02-01"), JUN30)], JAN1, D("2025-12-31"),
     [(JAN1, D("2025-01-31")), (JUL1, D("2025-12-31"))]),
    # overlapping periods of different people cover the union
    ([Period(JAN1, JUN30), Period(D("2025-03-01"), D("2025-08-31"))], JAN1, D("2025-09-30"),
     [(D("2025-09-01"), D("2025-09-30"))]),
])
def test_uncovered_stretches(periods: list[Period], first: date, last: date,
                             stretches: list[tuple[date, date]]) -> None:
    assert rules.uncovered(periods, first, last) == stretches


def test_gaps_of_the_current_stage_run_to_today() -> None:
    # an assignment closed on 2025-06-30 and nobody since: a gap from 07-01 up to today
    gaps = rules.stage_gaps([Period(JAN1, JUN30)], [], reached=True, is_current=True,
                            today=TODAY)
    assert gaps == [Gap(from_on=JUL1, until=TODAY, ongoing=True)]


def test_gaps_of_a_past_stage_end_with_its_last_assignment_or_event() -> None:
    periods = [Period(JAN1, D("2025-03-31")), Period(D("2025-05-01"), JUN30)]
    gaps = rules.stage_gaps(periods, [D("2025-08-15")], reached=True, is_current=False,
                            today=TODAY)
    assert gaps == [Gap(D("2025-04-01"), D("2025-04-30"), False),
                    Gap(JUL1, D("2025-08-15"), False)]


def test_an_event_before_any_assignment_opens_the_stage() -> None:
    gaps = rules.stage_gaps([Period(D("2025-03-01"), None)], [D("2025-02-10")], reached=True,
                            is_current=True, today=TODAY)
    assert gaps == [Gap(D("2025-02-10"), D("2025-02-28"), False)]


def test_a_reached_stage_nothing_dates_is_one_gap_without_a_start() -> None:
    assert rules.stage_gaps([], [], reached=True, is_current=False, today=TODAY) == [
        Gap(from_on=None, until=TODAY, ongoing=True)]
    assert rules.stage_gaps([], [], reached=False, is_current=False, today=TODAY) == []


@pytest.mark.parametrize(("gap", "from_on", "to_on", "shown"), [
    (Gap(JAN1, JUN30, False), None, None, Gap(JAN1, JUN30, False)),
    (Gap(JAN1, JUN30, False), D("2025-03-01"), None, Gap(D("2025-03-01"), JUN30, False)),
    (Gap(JAN1, TODAY, True), None, D("2025-12-31"), Gap(JAN1, D("2025-12-31"), False)),
    (Gap(JAN1, JUN30, False), JUL1, None, None),
    (Gap(JAN1, JUN30, False), None, D("2024-12-31"), None),
    (Gap(None, TODAY, True), D("2026-01-01"), None, Gap(D("2026-01-01"), TODAY, True)),
])
def test_clipping_a_gap(gap: Gap, from_on: date | None, to_on: date | None,
                        shown: Gap | None) -> None:
    assert rules.clipped(gap, from_on, to_on) == shown


def test_what_an_event_writes() -> None:
    assert rules.record_nature(PppEventKind.COMMITMENT_BROKEN) == RecordNature.DISHONEST
    assert rules.record_nature(PppEventKind.COMMITMENT_KEPT) == RecordNature.TRUSTWORTHY
    assert rules.record_severity(PppEventKind.COMMITMENT_BROKEN, Severity.SERIOUS) == (
        Severity.SERIOUS)
    assert rules.record_severity(PppEventKind.COMMITMENT_KEPT, None) is None
    assert rules.generated_source_ref("P-1", "E/7", "VW5pdDox") == "P-1/E/7/VW5pdDox"


def test_stages_are_declared_in_the_plans_order() -> None:
    assert [s.value for s in rules.PppStage] == [
        "PREPARATION", "TENDERING", "PROCUREMENT", "FINANCING", "IMPLEMENTATION"]
