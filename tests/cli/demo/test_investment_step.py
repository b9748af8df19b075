"""The demo step of the investment domain: every approval stage, one design above the 10% line
and one exactly on it, violations by people and by units, on any load day."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.credit.models import CreditRecord
from domains.investment import rules
from domains.investment import service as investment
from domains.investment.models import InvestmentViolation
from graph.cli.demo import seed, shared
from graph.cli.demo.investment import PREFIX, register_investment
from tests.conftest import TEST_SECRET

# project: (documents approved, documents pending, requiresReapproval, estimateOverrun)
STAGES = {
    "01": ([], ["PROJECT_PROPOSAL"], False, None),
    "02": (["PROJECT_PROPOSAL"], [], False, None),
    "03": (["FEASIBILITY_STUDY"], [], False, None),
    "04": (["PROJECT_PROPOSAL", "FEASIBILITY_STUDY"], ["PRELIMINARY_DESIGN"], True, "0.1200"),
    "05": (["PROJECT_PROPOSAL", "FEASIBILITY_STUDY", "PRELIMINARY_DESIGN"], [], False, "0.1000"),
    "06": (["PROJECT_PROPOSAL", "FEASIBILITY_STUDY", "PRELIMINARY_DESIGN"], [], False, "0.0300"),
}


@pytest.mark.parametrize("today", [date(2026, 6, 15), date(2027, 3, 1)])
async def test_demo_projects_show_every_stage_and_the_line(session: AsyncSession,
                                                          today: date) -> None:
    demo = shared.Demo(session=session, secret=TEST_SECRET, today=today)
    for step in (seed.register_units, seed.register_first_posts, seed.register_transfers,
                 seed.end_employments):
        await step(demo)
    line = await register_investment(demo)
    assert line == ("investment: 6 projects, 12 approvals, 4 violations with their records "
                    "(one design above the 10% line, one exactly on it)")
    projects = await investment.projects_by_code(session, [PREFIX + n for n in STAGES])
    approvals = await investment.approvals_by_project(session, [p.id for p in
                                                                projects.values()])
    for number, (approved, pending, reapproval, overrun) in STAGES.items():
        view = [investment.stored_approval(a) for a in approvals[projects[PREFIX + number].id]]
        assert [a.document for a in view if a.approved_on] == approved
        assert [a.document for a in view if not a.approved_on] == pending
        assert rules.requires_reapproval(view) is reapproval
        found = rules.estimate_overrun(view)
        assert (None if found is None else str(found)) == overrun
    records = (await session.scalars(select(CreditRecord).join(
        InvestmentViolation, InvestmentViolation.record_id == CreditRecord.id))).all()
    assert sorted((r.unit_id is None, r.severity, r.valid_until is not None
                   and r.valid_until >= today) for r in records) == [
        (False, "GENERAL", True), (False, "SERIOUS", True),
        (True, "GENERAL", True), (True, "SERIOUS", True)]
    assert {r.source_system for r in records} == {"investment"}
