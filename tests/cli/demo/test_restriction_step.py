"""The demo's restriction step: every promotion situation and formal checks with and without an
outcome, read back through the API as the credit office."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.ids import to_global_id
from domains.credit.models import CreditRecord
from domains.restriction.models import RestrictionCheck
from graph.cli.demo import seed
from graph.cli.demo.restriction import SANCTIONED, SOURCE_SYSTEM
from tests.conftest import TEST_SECRET, GraphQL

ELIGIBILITY = """
query Eligibility($id: ID!) {
  node(id: $id) { ... on CivilServant { promotionEligibility {
    decision eligibleFrom blockers { code until } cautions { code until }
    incentives { code } } } }
}"""


@pytest.mark.slow
async def test_the_demo_shows_each_promotion_case_and_checks(
        gql: GraphQL, session: AsyncSession) -> None:
    lines: list[str] = []
    await seed.load_demo(session, secret=TEST_SECRET, today=date(2026, 6, 15),
                         progress=lines.append)
    await session.commit()
    assert any(line.endswith("10 personnel records on 7 civil servants, 4 formal checks "
                             "(3 with an outcome)") for line in lines), lines
    records = (await session.scalars(select(CreditRecord).where(
        CreditRecord.source_system == SOURCE_SYSTEM).order_by(CreditRecord.source_ref))).all()
    people = list(dict.fromkeys(r.subject_id for r in records))
    assert len(records) == len(SANCTIONED) and len(people) == 7
    seen = []
    for person in people:
        data = await gql.data("CREDIT_OFFICE", ELIGIBILITY,
                              {"id": to_global_id("CivilServant", person)})
        result = data["node"]["promotionEligibility"]
        seen.append((result["decision"], result["eligibleFrom"],
                     [f["code"] for f in result["blockers"] + result["cautions"]
                      + result["incentives"]]))
    assert seen == [
        ("DENY", "2029-11-27", ["SANCTION_DEMOTION"] * 3),
        ("DENY", "2028-02-19", ["SANCTION_PARTY_WARNING", "SANCTION_PARTY_SERIOUS_WARNING"]),
        ("DENY", None, ["SANCTION_UNDER_INVESTIGATION"]),
        ("DENY", "2027-01-06", ["ASSESSMENT_INCOMPETENT"]),
        ("REVIEW", "2026-06-15", ["ASSESSMENT_BASIC"]),
        ("DENY", "2026-10-16", ["SANCTION_WARNING"]),
        ("ALLOW_WITH_PRIORITY", "2026-06-15", ["TRUSTWORTHY_RECORD"]),
    ]
    checks = (await session.scalars(select(RestrictionCheck).order_by(
        RestrictionCheck.checked_at))).all()
    assert [(c.client_name, c.scenario, c.decision, c.outcome_kind) for c in checks] == [
        ("demo-procurement", "GOVERNMENT_PROCUREMENT", "REVIEW", "MEASURES_APPLIED"),
        ("demo-project_approval", "INVESTMENT_APPROVAL", "REVIEW", "NOT_APPLIED"),
        ("demo-personnel", "PROMOTION", "DENY", None),
        ("demo-personnel", "AWARDS", "ALLOW_WITH_PRIORITY", "MEASURES_APPLIED"),
    ]
