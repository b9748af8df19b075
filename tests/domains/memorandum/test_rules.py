"""The memorandum rules, table-driven with their boundary days: which records may be a joint
action's basis, which version is in force, the response deadline on the working calendar,
who is overdue, and what open actions add to an assessment."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import pytest

from domains.credit.facts import RecordFacts
from domains.memorandum.rules import (
    ActionStatus,
    Conditions,
    MeasureSpec,
    OpenAction,
    basis_problem,
    in_force,
    joint_measures,
    open_on,
    overdue,
    response_due_on,
    version_on,
)
from domains.restriction.rules import MeasureEffect

DAY = date(2026, 6, 15)
FINDING = RecordFacts(id=uuid.UUID(int=1), nature="DISHONEST", category="ADMINISTRATIVE_PENALTY",
                      severity="SERIOUS", sanction=None, sanction_months=None,
                      decided_on=date(2026, 3, 1), valid_from=date(2026, 3, 1),
                      valid_until=DAY, status="ACTIVE", domain="OTHER")
SERIOUS = Conditions(categories=(), severities=("SERIOUS",))


@pytest.mark.parametrize(("record", "conditions", "problem"), [
    (FINDING, SERIOUS, None),
    (FINDING._replace(valid_until=date(2026, 6, 14)), SERIOUS, "not in force"),
    (FINDING._replace(status="UNDER_OBJECTION"), SERIOUS, None),
    (FINDING._replace(status="REVOKED"), SERIOUS, "not in force"),
    (FINDING._replace(status="REPAIRED"), SERIOUS, "not in force"),
    (FINDING._replace(severity="GENERAL"), SERIOUS, "severity GENERAL"),
    (FINDING._replace(sanction="UNDER_INVESTIGATION", valid_until=None), SERIOUS,
     "not in force"),
    (FINDING._replace(nature="TRUSTWORTHY", severity=None), SERIOUS, "not a finding"),
    (FINDING, Conditions(("JUDICIAL_JUDGMENT",), ("SERIOUS",)), "category"),
    (None, SERIOUS, "not decided by"),
])
def test_basis_problem(record: RecordFacts | None, conditions: Conditions,
                       problem: str | None) -> None:
    found = basis_problem(record, conditions, DAY)
    assert (found is None) if problem is None else (found is not None and problem in found)


@dataclass(frozen=True)
class Version:
    effective_from: date
    valid_until: date | None = None


V1, V2 = Version(date(2026, 1, 1)), Version(date(2026, 6, 16), date(2026, 12, 31))


@pytest.mark.parametrize(("day", "expected", "forced"), [
    (date(2025, 12, 31), None, False),
    (date(2026, 1, 1), V1, True),
    (date(2026, 6, 15), V1, True),
    (date(2026, 6, 16), V2, True),
    (date(2026, 12, 31), V2, True),
    (date(2027, 1, 1), V2, False),  # the version of that day, no longer in force
])
def test_version_on_and_in_force(day: date, expected: Version | None, forced: bool) -> None:
    version = version_on([V2, V1], day)
    assert version == expected
    assert (version is not None and in_force(version, day)) == forced


@pytest.mark.parametrize(("start", "days", "due"), [
    (date(2025, 9, 30), 3, date(2025, 10, 11)),  # National Day off, 10-11 a 调休 Saturday
    (date(2025, 9, 26), 1, date(2025, 9, 28)),   # Sunday 9-28 is a 调休 working day
    (date(2026, 6, 15), 5, date(2026, 6, 22)),   # no calendar loaded here: Monday to Friday
])
def test_response_due_on(start: date, days: int, due: date) -> None:
    overrides = {date(2025, 9, 28): True, date(2025, 10, 11): True,
                 **{date(2025, 10, d): False for d in range(1, 9)}}
    assert response_due_on(start, days, overrides) == due


@pytest.mark.parametrize(("today", "responded", "status", "expected"), [
    (date(2026, 6, 22), False, ActionStatus.OPEN, False),   # the due day itself
    (date(2026, 6, 23), False, ActionStatus.OPEN, True),    # the day after
    (date(2026, 6, 23), True, ActionStatus.OPEN, False),
    (date(2026, 6, 23), False, ActionStatus.WITHDRAWN, False),
])
def test_overdue(today: date, responded: bool, status: ActionStatus, expected: bool) -> None:
    assert overdue(date(2026, 6, 22), today, responded, status) is expected


@pytest.mark.parametrize(("day", "closed_on", "expected"), [
    (date(2026, 6, 14), None, False), (date(2026, 6, 15), None, True),
    (date(2026, 6, 19), date(2026, 6, 20), True), (date(2026, 6, 20), date(2026, 6, 20), False),
])
def test_open_on(day: date, closed_on: date | None, expected: bool) -> None:
    assert open_on(date(2026, 6, 15), closed_on, day) is expected


SPEC = MeasureSpec("OWN", "自有措施", MeasureEffect.PROHIBIT, "约定", published=False)
ROW = MeasureSpec("GOVERNMENT_PROCUREMENT.SERIOUS.RESTRICT", "限制", MeasureEffect.RESTRICT,
                  "清单", published=True)
A, B = uuid.UUID(int=10), uuid.UUID(int=11)


def _action(n: int, basis: tuple[uuid.UUID, ...], scenario: str = "GOVERNMENT_PROCUREMENT"
            ) -> OpenAction:
    return OpenAction(action_id=uuid.UUID(int=100 + n), version_id=uuid.UUID(int=7),
                      number="M-1", scenario=scenario, valid_until=date(2027, 12, 31),
                      basis_ids=basis, signatories=((A, (ROW, SPEC)), (B, (SPEC,))))


def test_joint_measures_group_by_code_and_lapse_with_their_basis() -> None:
    second = FINDING._replace(id=uuid.UUID(int=2), decided_on=date(2026, 2, 1))
    lapsed = FINDING._replace(id=uuid.UUID(int=3), status="REVOKED")
    actions = [_action(1, (FINDING.id,)), _action(2, (second.id,)), _action(3, (lapsed.id,)),
               _action(4, (FINDING.id,), scenario="PPP")]
    measures = joint_measures(actions, [FINDING, second, lapsed], "GOVERNMENT_PROCUREMENT", DAY)
    assert [(m.code, m.applied_by, [r.id for r in m.basis], m.until) for m in measures] == [
        ("JOINT:M-1:GOVERNMENT_PROCUREMENT.SERIOUS.RESTRICT", (A,), [second.id, FINDING.id],
         date(2027, 12, 31)),
        ("JOINT:M-1:OWN", (A, B), [second.id, FINDING.id], date(2027, 12, 31))]
    assert all(m.memorandum_id == uuid.UUID(int=7) for m in measures)
    assert joint_measures(actions[2:3], [lapsed], "GOVERNMENT_PROCUREMENT", DAY) == []
