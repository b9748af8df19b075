"""The demo step of the PPP domain: every stage, hand-overs, an open assignment, a gap, kept and
broken commitments, on any load day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.credit.models import CreditRecord
from domains.ppp import service as ppp
from domains.ppp.models import PppEvent, PppProject, PppResponsibility, PppTrace
from domains.ppp.rules import PppStage
from graph.cli.demo import seed, shared
from graph.cli.demo.ppp import register_ppp
from tests.conftest import TEST_SECRET


@pytest.mark.parametrize("today", [date(2026, 6, 15), date(2027, 3, 1)])
async def test_the_demo_projects_show_every_part_of_section_7(session: AsyncSession,
                                                              today: date) -> None:
    # given the demo's units and people, then the PPP step, loaded on `today`
    demo = shared.Demo(session=session, secret=TEST_SECRET, today=today)
    for step in (seed.register_units, seed.register_first_posts, seed.register_transfers,
                 seed.end_employments):
        await step(demo)
    line = await register_ppp(demo)
    assert line == ("PPP: 5 projects (one per stage), 18 responsibilities, 4 events with "
                    "their records")
    # then one project in every stage
    stages = set(await session.scalars(select(PppProject.current_stage)))
    assert stages == {stage.value for stage in PppStage}
    # open assignments, and a hand-over: one ends the day before the next starts
    duties = list(await session.scalars(select(PppResponsibility)))
    assert sum(1 for d in duties if d.ended_on is None) == 4
    assert any(a.ended_on is not None and a.ended_on + timedelta(days=1) == b.started_on
               and a.civil_servant_id != b.civil_servant_id
               and (a.project_id, a.stage) == (b.project_id, b.stage)
               for a in duties for b in duties)
    # kept and broken commitments, one that nobody answered for (agency record only)
    events = list(await session.scalars(select(PppEvent).order_by(PppEvent.source_ref)))
    assert [e.kind for e in events] == ["COMMITMENT_BROKEN", "COMMITMENT_KEPT",
                                        "COMMITMENT_BROKEN", "COMMITMENT_KEPT"]
    traced = {e.source_ref: await session.scalar(select(func.count()).select_from(PppTrace)
                                                 .where(PppTrace.event_id == e.id))
              for e in events}
    assert traced == {"JS-PPP-E-001": 1, "JS-PPP-E-002": 1, "JS-PPP-E-003": 0,
                      "JS-PPP-E-004": 1}
    written = await session.scalar(select(func.count()).select_from(CreditRecord).where(
        CreditRecord.source_system == "ppp"))
    assert written == 4 + 3
    # and gaps: a month in preparation, financing with nobody up to today
    gaps = await ppp.responsibility_gaps(session, ppp.GapQuery(), today=today)
    assert [(g.project.code, g.stage.value, g.gap.from_on, g.gap.until, g.gap.ongoing)
            for g in gaps] == [
        ("PPP-JS-2023-02", "FINANCING", today - timedelta(days=120), today, True),
        ("PPP-JS-2024-03", "PREPARATION", today - timedelta(days=330),
         today - timedelta(days=301), False)]
    assert [len(g.event_ids) for g in gaps] == [1, 0]
