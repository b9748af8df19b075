"""Each record rule with a SQL twin says the same in PostgreSQL as in Python (DOMAIN.md 0, 3).

`domains.credit.lifecycle` decides "in force", "counted", "expired" and "visible" once, as a
pure function, and builds one SQL expression beside each for lists and counts. Here both are
evaluated over the same cases: every status, nature, sanction, disclosure and share scope,
open and closed validity, on the days around validFrom and validUntil. The SQL runs in the
test database over a VALUES list, so a drift of either form fails here.

Replay has a SQL twin too (`domains.credit.queries.replayed_status`), over stored events: the
last test writes every path of the status table as events and compares it with
`status_as_of` on each day.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta
from typing import Any, NamedTuple

import pytest
from sqlalchemy import ARRAY, Date, Integer, String, column, select, values
from sqlalchemy.ext.asyncio import AsyncSession

from domains.credit.enums import Audience, Disclosure, RecordNature, RecordStatus, Sanction
from domains.credit.lifecycle import (
    TRANSITIONS,
    RecordAction,
    ReplayEvent,
    counted,
    counted_sql,
    effective_status,
    effective_status_sql,
    in_force,
    in_force_sql,
    next_status,
    status_as_of,
    visible_sql,
    visible_to,
)
from domains.credit.models import CreditRecord
from domains.credit.queries import replayed_status
from tests.graph.credit.support import add_event, add_record, add_unit, at

D = date.fromisoformat
FROM, UNTIL = D("2026-01-31"), D("2026-04-29")
DAY = timedelta(days=1)
# Around both ends of the period: the day before validFrom, its first day, its last day and
# the day after (a one-day record ends on FROM).
DAYS = (FROM - DAY, FROM, FROM + DAY, UNTIL, UNTIL + DAY)
SCOPES = ((), (Audience.PERSONNEL, Audience.SUPERVISION, Audience.CREDIT_OFFICE), tuple(Audience))
# Every audience, and a value that is none (visible_to and visible_sql both refuse it).
AUDIENCES = (*Audience, "NOBODY")


class Case(NamedTuple):
    status: str
    nature: str
    sanction: str | None
    disclosure: str
    share_scope: tuple[str, ...]
    valid_until: date | None


CASES = [
    Case(*values_)
    for values_ in itertools.product(
        [s.value for s in RecordStatus],
        [n.value for n in RecordNature],
        [None, Sanction.WARNING.value, Sanction.UNDER_INVESTIGATION.value],
        [d.value for d in Disclosure],
        [tuple(a.value for a in scope) for scope in SCOPES],
        [None, FROM, UNTIL],
    )
]


def _cases_table() -> Any:
    """The cases as a VALUES list with the column types of credit_record."""
    table = values(
        column("n", Integer), column("status", String), column("nature", String),
        column("sanction", String), column("disclosure", String),
        column("share_scope", ARRAY(String)), column("valid_from", Date),
        column("valid_until", Date), name="cases",
    )
    return table.data([
        (n, c.status, c.nature, c.sanction, c.disclosure, list(c.share_scope), FROM,
         c.valid_until)
        for n, c in enumerate(CASES)
    ])


def _python(case: Case, audience: str, day: date) -> tuple[bool, bool, str, bool]:
    return (
        in_force(case.status, FROM, case.valid_until, day),
        counted(case.nature, case.sanction, case.status, FROM, case.valid_until, day),
        effective_status(case.status, case.valid_until, day).value,
        visible_to(audience, case.disclosure, case.share_scope, case.status, FROM,
                   case.valid_until, day),
    )


@pytest.mark.slow
@pytest.mark.parametrize("day", DAYS, ids=[d.isoformat() for d in DAYS])
async def test_sql_twins_agree_with_the_rules(session: AsyncSession, day: date) -> None:
    cases = _cases_table()
    c = cases.c
    disagreements = []
    for audience in AUDIENCES:
        query = select(
            c.n,
            in_force_sql(c.status, c.valid_from, c.valid_until, day),
            counted_sql(c.nature, c.sanction, c.status, c.valid_from, c.valid_until, day),
            effective_status_sql(c.status, c.valid_until, day),
            visible_sql(audience, c.disclosure, c.share_scope, c.status, c.valid_from,
                        c.valid_until, day),
        ).order_by(c.n)
        rows = (await session.execute(query)).all()
        assert len(rows) == len(CASES)
        disagreements += [
            (audience, CASES[n], tuple(sql), expected)
            for n, *sql in rows
            if tuple(sql) != (expected := _python(CASES[n], audience, day))
        ]
    assert disagreements == []


def test_the_cases_cover_both_answers_of_every_rule() -> None:
    """A table where a rule is always true (or always false) would prove nothing."""
    answers = {
        (rule, audience, answer)
        for case, audience, day in itertools.product(CASES, AUDIENCES, DAYS)
        for rule, answer in enumerate(_python(case, audience, day))
    }
    for rule in (0, 1, 3):
        for answer in (True, False):
            assert (rule, Audience.PROCUREMENT, answer) in answers
    shown = {answer for rule, _, answer in answers if rule == 2}
    assert shown == {s.value for s in RecordStatus}


# ---------------------------------------------------------------- replay


def _paths(depth: int) -> list[tuple[RecordAction, ...]]:
    """Every sequence of up to `depth` actions the status table allows on a DISHONEST record
    from ACTIVE (each action's event is what the services write)."""
    found: list[tuple[RecordAction, ...]] = []
    frontier: list[tuple[tuple[RecordAction, ...], RecordStatus]] = [((), RecordStatus.ACTIVE)]
    for _ in range(depth):
        grown = []
        for path, status in frontier:
            for action in RecordAction:
                after, error = next_status(status, action, RecordNature.DISHONEST)
                if error is None and after is not None:
                    grown.append(((*path, action), after))
        found += [path for path, _ in grown]
        frontier = grown
    return found


PATHS = _paths(3)
# The events of a path: the first two on one day (morning, afternoon), then one day apart, so
# the replay is asked about the end of a day with two events and about the days between.
EVENT_TIMES = (at(FROM + 2 * DAY, 9), at(FROM + 2 * DAY, 15), at(FROM + 4 * DAY, 11))
REPLAY_DAYS = [FROM + n * DAY for n in range(6)]


async def test_replay_in_sql_agrees_with_status_as_of(session: AsyncSession) -> None:
    """`queries.replayed_status` reads the `status_after` each stored event carries;
    `lifecycle.status_as_of` replays the events' kinds: on every day they give one status."""
    assert len(PATHS) > 20
    unit = await add_unit(session, 1)
    events: dict[uuid.UUID, list[ReplayEvent]] = {}
    for n, path in enumerate(PATHS):
        record = await add_record(session, unit, f"replay-{n}", decided_on=FROM,
                                  valid_until=UNTIL)
        status = RecordStatus.ACTIVE
        events[record.id] = []
        for action, when in zip(path, EVENT_TIMES, strict=False):
            after, _ = next_status(status, action, RecordNature.DISHONEST)
            assert after is not None
            status = after
            add_event(session, record, TRANSITIONS[action].event.value, when, status.value)
            events[record.id].append(ReplayEvent(TRANSITIONS[action].event, when))
    await session.flush()
    disagreements = []
    for day in REPLAY_DAYS:
        rows = (await session.execute(
            select(CreditRecord.id, replayed_status(day))
            .where(CreditRecord.id.in_(list(events))))).all()
        assert len(rows) == len(PATHS)
        disagreements += [(day, record_id, sql, status_as_of(events[record_id], day).value)
                          for record_id, sql in rows
                          if sql != status_as_of(events[record_id], day)]
    assert disagreements == []
