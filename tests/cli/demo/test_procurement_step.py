"""The demo step of the procurement domain: every kind of breach and every grade, on any day."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domains.procurement.evaluation import evaluate_purchaser
from domains.subject import service as subjects
from graph.cli.demo import seed, shared
from graph.cli.demo.procurement import register_procurement
from loaders.base import Loaders, Scope
from loaders.reader import RequestReader
from tests.conftest import TEST_SECRET

GRADES = {"jyj": (98, "A"), "hospital": (82, "B"), "urban": (69, "C"), "jtw": (36, "D")}


@pytest.mark.parametrize("today", [date(2026, 6, 15), date(2027, 3, 1)])
async def test_demo_purchasers_have_every_breach_and_grade(
        session: AsyncSession, today: date) -> None:
    # given the demo's units and people, then the procurement step, loaded on `today`
    demo = shared.Demo(session=session, secret=TEST_SECRET, today=today)
    for step in (seed.register_units, seed.register_first_posts, seed.register_transfers,
                 seed.end_employments):
        await step(demo)
    line = await register_procurement(demo)
    assert line == "procurement: 12 contracts, 22 milestones, 2 records (grades A, B, C, D)"
    # when each purchaser is evaluated on the load day
    reader = RequestReader(Loaders(Scope(session=session, today=today,
                                         audience="CREDIT_OFFICE")))
    usccs = [demo.units[handle].uscc for handle in GRADES]
    units = await subjects.units_by_uscc(session, usccs)
    found = {handle: await evaluate_purchaser(reader, units[uscc].id, today)
             for handle, uscc in zip(GRADES, usccs, strict=True)}
    # then one purchaser per grade, and every kind of breach, SME interest included
    assert {h: (c.score, c.grade) for h, c in found.items()} == GRADES
    breaches = [b for c in found.values() for b in c.evaluation.breaches]
    assert {b.kind.value for b in breaches} == {
        "ACCEPTANCE_LATE", "ACCEPTANCE_OVERDUE", "PAYMENT_LATE", "PAYMENT_OVERDUE"}
    interest = sorted(str(b.late_interest) for b in breaches if b.late_interest)
    assert "4250.00" in interest and "100000.00" in interest
    assert [r.severity for r in found["urban"].records] == ["GENERAL"]
    assert [r.severity for r in found["jtw"].records] == ["SERIOUS"]
