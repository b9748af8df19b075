"""DecisionFactsBySubjectLoader: decisions read only the records they can use, and decide the
same (issue 13).

On stored data (a generated dataset of 5 units and 200 civil servants, with objections,
revocations, repairs, exemptions, expiry, sanctions and assessments; a joint action open
against a purchaser; records whose severity, sanction or validUntil a correction changed
after some of the days), every decision computed through the narrowed loader equals the one
computed from every record (RecordFactsBySubjectLoader), for every subject, on days in the
past, today and in the future: restrictions in every scenario, promotion eligibility,
sanctionEndsOn, procurement credit, joint measures.
"""

from __future__ import annotations

import asyncio
import io
import uuid
from collections.abc import Awaitable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.credit.facts import RecordFacts
from domains.credit.models import CreditRecord, RecordEvent
from domains.procurement import evaluation
from domains.restriction import assessing
from domains.restriction.rules import Scenario
from domains.subject.enums import SubjectKind
from domains.subject.models import CivilServant, Unit
from graph.cli.dataset import generate_on_session
from graph.cli.dataset.copying import Progress
from loaders.base import Loaders, Scope
from loaders.credit import (
    DecisionFactsBySubjectLoader,
    RecordFactsBySubjectLoader,
    facts_statement,
)
from loaders.reader import RequestReader
from tests.conftest import TEST_SECRET, TODAY, GraphQL
from tests.graph.credit.support import add_person, add_record, add_unit, at
from tests.graph.memorandum.support import given_district, initiated, registered

D = date.fromisoformat
today = D(TODAY)
# Corrections below are made on CORRECTED_ON: the first two days see the content before them.
CORRECTED_ON = D("2026-03-01")
DAYS = (D("2024-09-30"), D("2026-01-10"), today - timedelta(days=40), today,
        today + timedelta(days=200))


class EveryRecordReader(RequestReader):
    """The request's reader as it was: every record of the subject, whatever the day."""

    async def record_facts(self, subject_id: uuid.UUID, as_of: date) -> list[RecordFacts]:
        facts: list[RecordFacts] = await self.registry.get(RecordFactsBySubjectLoader).load(
            (subject_id, as_of))
        return facts


def corrected(session: AsyncSession, record: CreditRecord, **new: Any) -> None:
    """A CORRECTED event on CORRECTED_ON setting `new` (attribute: value), the old values kept
    in its changes as correctRecord writes them."""
    names = {"severity": "severity", "sanction": "sanction", "valid_until": "validUntil"}
    changes = {}
    for attribute, value in new.items():
        old = getattr(record, attribute)
        changes[names[attribute]] = {"old": old.isoformat() if isinstance(old, date) else old,
                                     "new": value.isoformat() if isinstance(value, date)
                                     else value}
        setattr(record, attribute, value)
    session.add(RecordEvent(id=uuid.uuid4(), record_id=record.id, kind="CORRECTED",
                            at=at(CORRECTED_ON), actor="credit_office", note="更正",
                            status_after=record.status, changes=changes))


async def given_corrections(session: AsyncSession) -> list[CreditRecord]:
    """Records whose stored content says nothing of the earlier days: a SERIOUS PROCUREMENT
    finding cut short (stored: expired by 2026-01-10), a DEMOTION taken off and cut short
    (stored: no sanction), a MINOR made GENERAL."""
    unit = await add_unit(session, 9001)
    person = await add_person(session, 9002, unit)
    cut = await add_record(session, unit, "CUT", severity="SERIOUS", domain="PROCUREMENT",
                           decided_on=D("2025-06-01"), valid_until=D("2027-05-31"))
    demotion = await add_record(session, person, "DEMOTION", severity="SERIOUS",
                                category="ADMINISTRATIVE_SANCTION", sanction="DEMOTION",
                                decided_on=D("2025-09-01"), valid_until=D("2026-08-31"))
    minor = await add_record(session, unit, "MINOR", severity="MINOR",
                             decided_on=D("2025-12-01"), valid_until=D("2026-02-28"))
    corrected(session, cut, valid_until=D("2025-12-31"))
    corrected(session, demotion, sanction=None, valid_until=D("2025-12-31"))
    corrected(session, minor, severity="GENERAL", valid_until=D("2026-11-30"))
    await session.flush()
    return [cut, demotion, minor]


async def decisions(reader: RequestReader, subject_id: uuid.UUID, kind: str, day: date,
                    sanctions: list[RecordFacts]) -> list[Any]:
    """Every decision on the subject on `day`, as the API computes them."""
    found: list[Any] = [await assessing.assessment(reader, kind, subject_id, scenario, day)
                        for scenario in Scenario]
    if kind == SubjectKind.PERSON:
        found.append(await assessing.promotion_eligibility(reader, subject_id, day))
        found += [await assessing.sanction_last_day(reader, r.id, subject_id, r.sanction, day)
                  for r in sanctions]
    else:
        found.append(await evaluation.evaluate_purchaser(reader, subject_id, day))
    return found


async def side_by_side(calls: list[Awaitable[list[Any]]]) -> list[list[Any]]:
    """All subjects at once, as a list read does: the loaders batch them."""
    return list(await asyncio.gather(*calls))


@pytest.mark.slow
async def test_the_narrowed_facts_change_no_decision(session: AsyncSession,
                                                     gql: GraphQL) -> None:
    # given a generated district, corrections after some of the days, and a joint action
    await generate_on_session(session, seed=7, scale=0.001, today=today, secret=TEST_SECRET,
                              progress=Progress(io.StringIO()))
    corrections = await given_corrections(session)
    district = await given_district(session, gql)
    await registered(gql, district)
    await initiated(gql, district)
    subjects = [(i, SubjectKind.UNIT) for i in await session.scalars(select(Unit.id))]
    subjects += [(i, SubjectKind.PERSON) for i in await session.scalars(select(CivilServant.id))]
    kept_total = every_total = 0
    for day in DAYS:
        # when every subject's facts are read both ways
        scope = Scope(session=session, today=today, audience="CREDIT_OFFICE")
        keys = [(subject, day) for subject, _ in subjects]
        every = await Loaders(scope).get(RecordFactsBySubjectLoader).load_many(keys)
        kept = await Loaders(scope).get(DecisionFactsBySubjectLoader).load_many(keys)
        # then the narrowed read is the full read less some records, each unchanged...
        for all_facts, narrowed in zip(every, kept, strict=True):
            assert [f for f in all_facts if f in narrowed] == narrowed
        # (a record corrected after the day is kept whatever its stored content says)
        assert {r.id for facts in kept for r in facts} >= {
            r.id for r in corrections if r.decided_on <= day < CORRECTED_ON}
        kept_total += sum(map(len, kept))
        every_total += sum(map(len, every))
        # ...and every decision on every subject is the same from it
        sanctions = [[f for f in facts if f.sanction] for facts in every]
        narrowed_reader = RequestReader(Loaders(scope))
        full_reader = EveryRecordReader(Loaders(scope))
        assert await side_by_side([
            decisions(narrowed_reader, subject, kind, day, own)
            for (subject, kind), own in zip(subjects, sanctions, strict=True)
        ]) == await side_by_side([
            decisions(full_reader, subject, kind, day, own)
            for (subject, kind), own in zip(subjects, sanctions, strict=True)])
    # and the narrowing left records out (else this test would prove nothing)
    assert every_total > 2000 and kept_total < every_total * 0.8


async def test_a_joint_action_basis_and_the_corrected_records_are_in_the_decisions(
        session: AsyncSession, gql: GraphQL) -> None:
    """The cases a narrowing could get wrong, decided on the day before the corrections: the
    cut-short finding still counts, the withdrawn DEMOTION still blocks; the joint action's
    measures apply to the purchaser."""
    cut, demotion, _ = await given_corrections(session)
    district = await given_district(session, gql)
    await registered(gql, district)
    await initiated(gql, district)
    reader = RequestReader(Loaders(Scope(session=session, today=today,
                                         audience="CREDIT_OFFICE")))
    day = D("2026-01-10")
    procurement = await assessing.assessment(reader, "UNIT", cut.unit_id or uuid.uuid4(),
                                             "GOVERNMENT_PROCUREMENT", day)
    promotion = await assessing.promotion_eligibility(
        reader, demotion.civil_servant_id or uuid.uuid4(), day)
    joint = await assessing.assessment(reader, "UNIT", district.purchaser.id,
                                       "GOVERNMENT_PROCUREMENT", today)
    assert "GOVERNMENT_PROCUREMENT.SERIOUS.RESTRICT" in [m.code for m in procurement.measures]
    assert [(f.code, f.until) for f in promotion.blockers] == [
        ("SANCTION_DEMOTION", D("2027-08-31"))]
    assert any(m.code.startswith("JOINT:") for m in joint.measures)


def test_the_facts_columns_are_the_record_facts_fields_in_order() -> None:
    """facts_of builds RecordFacts from the row's columns 1 to 11 by position."""
    names = [c.name for c in facts_statement(today).selected_columns]
    assert names[1:12] == list(RecordFacts._fields)
    assert (names[0], names[12:]) == ("subject_id", ["later_corrections"])
