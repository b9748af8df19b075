"""`assessing.may_decide`: the records a reader may leave out change no decision (issue 13).

The loaders read only the records `may_decide` keeps (loaders.credit.DecisionFactsBySubjectLoader,
in SQL through `may_decide_sql`). Here, over hypothesis-built records (every status, nature,
category, severity and sanction, sanction chains, PERFORMANCE_ASSESSMENT records, open and
closed validity, expired and future ones) and joint actions on them, every decision computed
from the kept records equals the one computed from all of them, on days before, inside and
after the records' periods: restrictions in every scenario for both subject kinds, promotion
eligibility, each sanction's last day, the procurement credit and the joint measures. Then
both SQL twins give the pure functions' answers in PostgreSQL. tests/loaders/
test_decision_facts.py checks the same on stored records, replay and corrections included.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Date, Integer, String, column, select, values
from sqlalchemy.ext.asyncio import AsyncSession

from domains.credit.enums import (
    RecordCategory,
    RecordNature,
    RecordStatus,
    Sanction,
    Severity,
    SourceDomain,
)
from domains.credit.facts import RecordFacts
from domains.memorandum.rules import MeasureSpec, OpenAction
from domains.procurement import evaluation
from domains.restriction import assessing
from domains.restriction.promotion import acts_through_period, acts_through_period_sql
from domains.restriction.rules import MeasureEffect, Scenario
from domains.subject.enums import SubjectKind
from tests.domains.support import FakeReader

SUBJECT = uuid.UUID(int=1)
# The decision days; records are decided around them (before, inside and after their periods).
DAYS = (date(2019, 6, 1), date(2022, 3, 15), date(2024, 1, 1), date(2025, 12, 31),
        date(2026, 6, 15), date(2028, 2, 29))
STORED_STATUSES = [s.value for s in RecordStatus if s != RecordStatus.EXPIRED]


@st.composite
def records(draw: st.DrawFn) -> list[RecordFacts]:
    """A subject's records as replayed for a day: any combination the rules may meet."""
    count = draw(st.integers(min_value=0, max_value=14))
    found = []
    for n in range(count):
        # Decided up to a little over two years before one of the days (or just after it):
        # hypothesis favours small numbers, so offsets from a day land near the days.
        decided_on = draw(st.sampled_from(DAYS)) - timedelta(days=draw(st.integers(-5, 800)))
        sanction = draw(st.none() | st.sampled_from([s.value for s in Sanction]))
        length = draw(st.none() | st.integers(0, 1200))
        found.append(RecordFacts(
            id=uuid.UUID(int=1000 + n),
            nature=draw(st.sampled_from([n_.value for n_ in RecordNature])),
            category=draw(st.sampled_from([c.value for c in RecordCategory])),
            severity=draw(st.none() | st.sampled_from([s.value for s in Severity])),
            sanction=sanction,
            sanction_months=draw(st.none() | st.integers(1, 48)) if sanction else None,
            decided_on=decided_on, valid_from=decided_on,
            valid_until=None if length is None else decided_on + timedelta(days=length),
            status=draw(st.sampled_from(STORED_STATUSES)),
            domain=draw(st.sampled_from([d.value for d in SourceDomain]))))
    return found


@st.composite
def open_actions(draw: st.DrawFn, ids: list[uuid.UUID]) -> list[OpenAction]:
    """Joint actions open against the subject, each on some of its records."""
    spec = MeasureSpec(code="M1", name="联合惩戒", effect=MeasureEffect.PROHIBIT,
                       legal_basis="备忘录", published=False)
    return [OpenAction(action_id=uuid.UUID(int=50 + n), version_id=uuid.UUID(int=70 + n % 2),
                       number=f"MOU-{n % 2}", scenario=draw(st.sampled_from(list(Scenario))),
                       valid_until=None,
                       basis_ids=tuple(draw(st.lists(st.sampled_from(ids), max_size=3)))
                       if ids else (),
                       signatories=((uuid.UUID(int=90 + n), (spec,)),))
            for n in range(draw(st.integers(0, 3)))]


@dataclass
class NarrowedReader(FakeReader):
    """The in-memory reader leaving out what `may_decide` refuses, as the loaders do."""

    async def record_facts(self, subject_id: uuid.UUID, as_of: date) -> list[RecordFacts]:
        found = await super().record_facts(subject_id, as_of)
        return [r for r in found if assessing.may_decide(r, as_of)]


async def decisions(reader: FakeReader, day: date) -> list[Any]:
    """Every decision on the subject's records: each outcome, or the error it raised."""
    found: list[Any] = []

    async def outcome(coroutine: Any) -> None:
        try:
            found.append(await coroutine)
        except (LookupError, ValueError) as error:
            found.append(repr(error))

    for scenario, kind in itertools.product(Scenario, SubjectKind):
        await outcome(assessing.assessment(reader, kind, SUBJECT, scenario, day))
    await outcome(assessing.promotion_eligibility(reader, SUBJECT, day))
    await outcome(evaluation.evaluate_purchaser(reader, SUBJECT, day))
    for record in reader.records.get(SUBJECT, []):
        await outcome(assessing.sanction_last_day(reader, record.id, SUBJECT, record.sanction,
                                                  day))
    return found


@pytest.mark.slow
@settings(max_examples=400, derandomize=True, database=None, deadline=None)
@given(st.data())
def test_the_records_left_out_change_no_decision(data: st.DataObject) -> None:
    stored = data.draw(records())
    actions = data.draw(open_actions([r.id for r in stored]))
    for day in DAYS:
        every = FakeReader(records={SUBJECT: stored}, actions={SUBJECT: actions})
        narrowed = NarrowedReader(records={SUBJECT: stored}, actions={SUBJECT: actions})
        assert asyncio.run(decisions(narrowed, day)) == asyncio.run(decisions(every, day))


def test_the_examples_leave_records_out_and_keep_some() -> None:
    """A strategy whose records were all kept (or all dropped) would prove nothing."""
    kept = dropped = 0

    @settings(max_examples=200, derandomize=True, database=None, deadline=None)
    @given(records())
    def count(found: list[RecordFacts]) -> None:
        nonlocal kept, dropped
        for record, day in itertools.product(found, DAYS):
            if assessing.may_decide(record, day):
                kept += 1
            else:
                dropped += 1

    count()
    assert kept > 500 and dropped > 500


# ---------------------------------------------------------------- the SQL twins

D = date.fromisoformat
FROM, UNTIL = D("2026-01-31"), D("2026-04-29")
TWIN_DAYS = (FROM - timedelta(days=1), FROM, UNTIL, UNTIL + timedelta(days=1))


class Case(NamedTuple):
    status: str
    category: str
    severity: str | None
    sanction: str | None
    valid_until: date | None


CASES = [Case(*c) for c in itertools.product(
    STORED_STATUSES,
    [RecordCategory.PERFORMANCE_ASSESSMENT.value, RecordCategory.ADMINISTRATIVE_PENALTY.value],
    [None, *(s.value for s in Severity)],
    [None, Sanction.WARNING.value, Sanction.UNDER_INVESTIGATION.value],
    [None, FROM, UNTIL])]


def _facts(case: Case) -> RecordFacts:
    return RecordFacts(id=SUBJECT, nature=RecordNature.DISHONEST.value, category=case.category,
                       severity=case.severity, sanction=case.sanction, sanction_months=None,
                       decided_on=FROM, valid_from=FROM, valid_until=case.valid_until,
                       status=case.status, domain=SourceDomain.OTHER.value)


@pytest.mark.parametrize("day", TWIN_DAYS, ids=[d.isoformat() for d in TWIN_DAYS])
async def test_the_sql_twins_agree_with_the_rules(session: AsyncSession, day: date) -> None:
    table = values(column("n", Integer), column("status", String), column("category", String),
                   column("severity", String), column("sanction", String),
                   column("valid_from", Date), column("valid_until", Date), name="cases"
                   ).data([(n, *case[:4], FROM, case.valid_until)
                           for n, case in enumerate(CASES)])
    c = table.c
    rows = (await session.execute(select(
        c.n, acts_through_period_sql(c.category, c.severity, c.sanction, c.status),
        assessing.may_decide_sql(status=c.status, valid_from=c.valid_from,
                                 valid_until=c.valid_until, category=c.category,
                                 severity=c.severity, sanction=c.sanction, day=day),
    ).order_by(c.n))).all()
    expected = [(n, acts_through_period(_facts(case)), assessing.may_decide(_facts(case), day))
                for n, case in enumerate(CASES)]
    assert [tuple(row) for row in rows] == expected
    assert {answer for _, acts, usable in expected for answer in (acts, usable)} == {True, False}
