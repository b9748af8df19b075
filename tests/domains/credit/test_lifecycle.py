"""Lifecycle rules (DOMAIN.md sections 0, 2, 3): status changes, repair, replay, visibility."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone

import pytest

from domains.credit import lifecycle, rules
from domains.credit.defaults import DEFAULT_REPAIR_RULES, RepairRule
from domains.credit.enums import (
    Audience,
    Disclosure,
    RecordEventKind,
    RecordNature,
    RecordStatus,
    Sanction,
    Severity,
)
from domains.credit.lifecycle import (
    TRANSITIONS,
    RecordAction,
    ReplayEvent,
    check_repair,
    counted,
    effective_status,
    in_force,
    next_status,
    objection_due_on,
    repair_allowed_from,
    resolution_action,
    status_as_of,
    visible_to,
)

D = date.fromisoformat
ST = RecordStatus
EV = RecordEventKind
ACT = RecordAction
N = RecordNature
CST = timezone(timedelta(hours=8))

# (from stored status, action) -> to; "same" for unchanged; DISHONEST-only actions marked.
ALLOWED = {
    (ST.ACTIVE, ACT.FILE_OBJECTION): ST.UNDER_OBJECTION,
    (ST.UNDER_OBJECTION, ACT.UPHOLD_OBJECTION): ST.REVOKED,
    (ST.UNDER_OBJECTION, ACT.REJECT_OBJECTION): ST.ACTIVE,
    (ST.ACTIVE, ACT.CORRECT): ST.ACTIVE,
    (ST.UNDER_OBJECTION, ACT.CORRECT): ST.UNDER_OBJECTION,
    (ST.ACTIVE, ACT.REVOKE): ST.REVOKED,
    (ST.UNDER_OBJECTION, ACT.REVOKE): ST.REVOKED,
    (ST.ACTIVE, ACT.REPAIR): ST.REPAIRED,
    (ST.ACTIVE, ACT.EXEMPT): ST.EXEMPTED,
    (ST.UNDER_OBJECTION, ACT.EXEMPT): ST.EXEMPTED,
}
DISHONEST_ONLY = {ACT.REPAIR, ACT.EXEMPT}
STORED_STATUSES = [s for s in ST if s != ST.EXPIRED]


@pytest.mark.parametrize(
    ("current", "action", "nature"), list(itertools.product(STORED_STATUSES, list(ACT), list(N)))
)
def test_every_transition(
    current: RecordStatus, action: RecordAction, nature: RecordNature
) -> None:
    target = ALLOWED.get((current, action))
    if action in DISHONEST_ONLY and nature != N.DISHONEST:
        target = None
    expected = (target, None) if target else (None, "INVALID_STATE")
    assert next_status(current, action, nature) == expected


def test_expired_is_never_a_stored_status() -> None:
    with pytest.raises(ValueError):
        next_status(ST.EXPIRED, ACT.REPAIR, N.DISHONEST)


def test_transition_events() -> None:
    assert {action: t.event for action, t in TRANSITIONS.items()} == {
        ACT.FILE_OBJECTION: EV.OBJECTION_FILED,
        ACT.UPHOLD_OBJECTION: EV.OBJECTION_UPHELD,
        ACT.REJECT_OBJECTION: EV.OBJECTION_REJECTED,
        ACT.CORRECT: EV.CORRECTED,
        ACT.REVOKE: EV.REVOKED,
        ACT.REPAIR: EV.REPAIRED,
        ACT.EXEMPT: EV.EXEMPTED,
    }
    assert resolution_action(True) == ACT.UPHOLD_OBJECTION
    assert resolution_action(False) == ACT.REJECT_OBJECTION


def test_the_lifecycle_rules_have_one_home() -> None:
    """They are imported from domains.credit.lifecycle, not through a re-export in rules."""
    defined = {name: value for name, value in vars(lifecycle).items()
               if getattr(value, "__module__", None) == lifecycle.__name__}
    assert {"next_status", "visible_to", "status_as_of"} <= defined.keys()

    assert [name for name, value in defined.items() if getattr(rules, name, None) is value] == []


# ---------------------------------------------------------------- repair

GENERAL_RULE, SERIOUS_RULE = DEFAULT_REPAIR_RULES[1], DEFAULT_REPAIR_RULES[2]


@pytest.mark.parametrize(
    ("decided_on", "severity", "allowed_from"),
    [
        (D("2026-01-31"), Severity.MINOR, D("2026-01-31")),
        (D("2026-01-31"), Severity.GENERAL, D("2026-04-30")),
        (D("2025-11-30"), Severity.GENERAL, D("2026-02-28")),  # clamped to the month's end
        (D("2024-02-29"), Severity.SERIOUS, D("2025-02-28")),
        (D("2026-03-15"), Severity.SERIOUS, D("2027-03-15")),
    ],
)
def test_repair_allowed_from(decided_on: date, severity: Severity, allowed_from: date) -> None:
    rule = next(r for r in DEFAULT_REPAIR_RULES if r.severity == severity)
    assert repair_allowed_from(decided_on, severity, rule) == allowed_from
    assert check_repair(decided_on, severity, allowed_from, DEFAULT_REPAIR_RULES) is None
    day_before = allowed_from - timedelta(days=1)
    expected = None if severity == Severity.MINOR else "REPAIR_TOO_EARLY"
    if day_before >= decided_on:
        assert check_repair(decided_on, severity, day_before, DEFAULT_REPAIR_RULES) == expected


def test_repair_minimum_is_chosen_by_the_repair_day() -> None:
    rows = (*DEFAULT_REPAIR_RULES, RepairRule(D("2026-04-01"), Severity.GENERAL, 6))
    decided_on = D("2025-12-15")  # 3 months before 2026-04-01, 6 months from then
    assert check_repair(decided_on, Severity.GENERAL, D("2026-03-31"), rows) is None
    assert check_repair(decided_on, Severity.GENERAL, D("2026-06-14"), rows) == "REPAIR_TOO_EARLY"
    assert check_repair(decided_on, Severity.GENERAL, D("2026-06-15"), rows) is None


def test_repair_rule_of_another_severity_is_refused() -> None:
    with pytest.raises(ValueError):
        repair_allowed_from(D("2026-01-31"), Severity.SERIOUS, GENERAL_RULE)


# ---------------------------------------------------------------- replay


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


REPORTED_LATE = [
    ReplayEvent(EV.REPORTED, _at("2026-03-10T09:00:00+08:00")),
    ReplayEvent(EV.NOTIFIED, _at("2026-03-10T09:00:00+08:00")),
]
# Filed at 00:30 on 03-20 in Shanghai: 2026-03-19T16:30Z.
OBJECTED = [*REPORTED_LATE, ReplayEvent(EV.OBJECTION_FILED, _at("2026-03-19T16:30:00+00:00"))]


@pytest.mark.parametrize(
    ("events", "as_of", "expected"),
    [
        (REPORTED_LATE, D("2026-02-01"), ST.ACTIVE),  # decided before, reported later
        (OBJECTED, D("2026-03-19"), ST.ACTIVE),
        (OBJECTED, D("2026-03-20"), ST.UNDER_OBJECTION),
        (
            [*OBJECTED, ReplayEvent(EV.OBJECTION_REJECTED, _at("2026-03-25T23:59:59+08:00"))],
            D("2026-03-25"),
            ST.ACTIVE,
        ),
        (
            [*OBJECTED, ReplayEvent(EV.OBJECTION_UPHELD, _at("2026-03-26T00:00:00+08:00"))],
            D("2026-03-25"),
            ST.UNDER_OBJECTION,
        ),
        (
            [*OBJECTED, ReplayEvent(EV.OBJECTION_UPHELD, _at("2026-03-26T00:00:00+08:00"))],
            D("2026-03-26"),
            ST.REVOKED,
        ),
        (
            [ReplayEvent(EV.CORRECTED, _at("2026-04-01T10:00:00+08:00")), *REPORTED_LATE],
            D("2026-04-01"),
            ST.ACTIVE,
        ),
        (
            [
                ReplayEvent(EV.EXEMPTED, _at("2026-04-02T10:00:00+08:00")),
                ReplayEvent(EV.REPAIRED, _at("2026-04-01T10:00:00+08:00")),
            ],
            D("2026-04-01"),
            ST.REPAIRED,
        ),
        ([ReplayEvent(EV.REVOKED, _at("2026-04-01T10:00:00+08:00"))], D("2026-04-30"), ST.REVOKED),
    ],
)
def test_status_as_of(events: list[ReplayEvent], as_of: date, expected: RecordStatus) -> None:
    assert status_as_of(events, as_of) == expected


def test_replay_needs_aware_times() -> None:
    with pytest.raises(ValueError):
        status_as_of([ReplayEvent(EV.REVOKED, datetime(2026, 4, 1, 10))], D("2026-04-30"))


@pytest.mark.parametrize(
    ("stored", "valid_until", "as_of", "expected"),
    [
        (ST.ACTIVE, D("2026-04-29"), D("2026-04-29"), ST.ACTIVE),  # expiring on the day
        (ST.ACTIVE, D("2026-04-29"), D("2026-04-30"), ST.EXPIRED),
        (ST.ACTIVE, None, D("2099-12-31"), ST.ACTIVE),
        (ST.UNDER_OBJECTION, D("2026-04-29"), D("2026-04-30"), ST.UNDER_OBJECTION),
        (ST.REPAIRED, D("2026-04-29"), D("2026-04-30"), ST.REPAIRED),
        (ST.REVOKED, D("2026-04-29"), D("2026-04-28"), ST.REVOKED),
    ],
)
def test_effective_status(
    stored: RecordStatus, valid_until: date | None, as_of: date, expected: RecordStatus
) -> None:
    assert effective_status(stored, valid_until, as_of) == expected


FROM, UNTIL = D("2026-01-31"), D("2026-04-29")


@pytest.mark.parametrize(
    ("status", "valid_until", "day", "expected"),
    [
        (ST.ACTIVE, UNTIL, D("2026-01-30"), False),  # before validFrom
        (ST.ACTIVE, UNTIL, FROM, True),
        (ST.ACTIVE, UNTIL, UNTIL, True),  # the last day in force
        (ST.ACTIVE, UNTIL, D("2026-04-30"), False),  # the day after
        (ST.UNDER_OBJECTION, UNTIL, UNTIL, True),
        (ST.UNDER_OBJECTION, UNTIL, D("2026-04-30"), False),
        (ST.ACTIVE, None, D("2099-12-31"), True),
        (ST.REVOKED, UNTIL, D("2026-02-01"), False),
        (ST.REPAIRED, UNTIL, D("2026-02-01"), False),
        (ST.EXEMPTED, UNTIL, D("2026-02-01"), False),
        (ST.EXPIRED, UNTIL, D("2026-02-01"), False),
    ],
)
def test_in_force_and_counted(
    status: RecordStatus, valid_until: date | None, day: date, expected: bool
) -> None:
    assert in_force(status, FROM, valid_until, day) is expected
    assert counted(N.DISHONEST, None, status, FROM, valid_until, day) is expected
    assert counted(N.DISHONEST, Sanction.WARNING, status, FROM, valid_until, day) is expected
    assert counted(N.TRUSTWORTHY, None, status, FROM, valid_until, day) is False
    investigation = Sanction.UNDER_INVESTIGATION
    assert counted(N.DISHONEST, investigation, status, FROM, valid_until, day) is False


# ---------------------------------------------------------------- visibility

A = Audience
PERSON_SCOPE = [A.PERSONNEL, A.SUPERVISION, A.CREDIT_OFFICE]
TODAY = D("2026-03-01")


@pytest.mark.parametrize(
    ("audience", "disclosure", "scope", "status", "until", "visible"),
    [
        (A.PROCUREMENT, Disclosure.PUBLIC, [], ST.ACTIVE, UNTIL, True),
        (A.PROCUREMENT, Disclosure.PUBLIC, [], ST.UNDER_OBJECTION, UNTIL, True),
        (A.PERSONNEL, Disclosure.GOVERNMENT_SHARED, PERSON_SCOPE, ST.ACTIVE, UNTIL, True),
        (A.PROCUREMENT, Disclosure.GOVERNMENT_SHARED, PERSON_SCOPE, ST.ACTIVE, UNTIL, False),
        (A.PERSONNEL, Disclosure.GOVERNMENT_SHARED, [], ST.ACTIVE, UNTIL, False),
        (A.PERSONNEL, Disclosure.AUTHORIZED_QUERY, PERSON_SCOPE, ST.ACTIVE, UNTIL, False),
        (A.PROCUREMENT, Disclosure.PUBLIC, list(A), ST.ACTIVE, TODAY, True),  # its last day
        (A.PROCUREMENT, Disclosure.PUBLIC, list(A), ST.ACTIVE, D("2026-02-28"), False),  # expired
        (A.PROCUREMENT, Disclosure.PUBLIC, list(A), ST.REVOKED, UNTIL, False),
        (A.PROCUREMENT, Disclosure.PUBLIC, list(A), ST.REPAIRED, UNTIL, False),
        (A.PROCUREMENT, Disclosure.PUBLIC, list(A), ST.EXEMPTED, UNTIL, False),
        (A.CREDIT_OFFICE, Disclosure.AUTHORIZED_QUERY, [], ST.REVOKED, D("2026-02-28"), True),
        (A.CREDIT_OFFICE, Disclosure.GOVERNMENT_SHARED, [], ST.ACTIVE, UNTIL, True),
    ],
)
def test_visible_to(
    audience: Audience,
    disclosure: Disclosure,
    scope: list[Audience],
    status: RecordStatus,
    until: date,
    visible: bool,
) -> None:
    assert visible_to(audience, disclosure, scope, status, FROM, until, TODAY) is visible


# ---------------------------------------------------------------- objections

# The 2025 calendar of DOMAIN.md section 0 (State Council notice).
_OFF_2025 = [
    "2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01",
    "2025-02-02", "2025-02-03", "2025-02-04", "2025-04-04", "2025-04-05", "2025-04-06",
    "2025-05-01", "2025-05-02", "2025-05-03", "2025-05-04", "2025-05-05", "2025-05-31",
    "2025-06-01", "2025-06-02", "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04",
    "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08",
]
_ON_2025 = ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]
CALENDAR_2025 = {D(d): False for d in _OFF_2025} | {D(d): True for d in _ON_2025}


@pytest.mark.parametrize(
    ("filed_on", "due_on"),
    [
        # Fri; Sun 1-26 works (1), 1-27 (2), 1-28..2-4 off, 2-5..2-7 (3-5), Sat 2-8 works (6)
        (D("2025-01-24"), D("2025-02-10")),
        (D("2025-01-26"), D("2025-02-11")),  # filed on the 调休 Sunday, which is not counted
        (D("2025-01-20"), D("2025-02-05")),
        (D("2025-09-26"), D("2025-10-13")),  # National Day: Sun 9-28 and Sat 10-11 work
        (D("2025-04-25"), D("2025-05-08")),  # Sun 4-27 works, 5-1..5-5 off
        (D("2025-03-03"), D("2025-03-12")),  # an ordinary week
    ],
)
def test_objection_due_on(filed_on: date, due_on: date) -> None:
    assert objection_due_on(filed_on, CALENDAR_2025) == due_on


def test_objection_due_on_an_unloaded_year_counts_monday_to_friday() -> None:
    assert objection_due_on(D("2027-01-29"), {}) == D("2027-02-09")
