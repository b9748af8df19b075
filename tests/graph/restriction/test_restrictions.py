"""Measure rows and restrictions of every scenario and subject kind through HTTP (DOMAIN.md
sections 3 and 4)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access.models import AuditEntry
from domains.restriction.models import MeasureRuleRow
from tests.conftest import AUDIENCES, GraphQL
from tests.graph.restriction.support import (
    PERSON_RESTRICTIONS,
    RULES,
    UNIT_RESTRICTIONS,
    add_objection,
    add_person,
    add_record,
    add_unit,
    gid,
)
from tests.support import id_number, unit_code

# ---------------------------------------------------------------- measureRules


async def test_measure_rules_are_published_to_every_audience(
        gql: GraphQL, session: AsyncSession) -> None:
    # given a row published from tomorrow
    session.add(MeasureRuleRow(
        code="HIRING.DISHONEST.RESTRICT", name="人员录用：失信，限制", scenario="HIRING",
        subject_kind="PERSON", condition="DISHONEST", effect="RESTRICT", legal_basis="测试",
        valid_from=date(2026, 6, 16), valid_to=None, domains=[]))
    await session.commit()
    # when each audience lists the measure rows of today
    answers = [await gql.data(audience, RULES) for audience in AUDIENCES]
    # then all see the same 30 default rows, in scenario order, UNIT first, effect order
    rules = answers[0]["measureRules"]
    assert all(answer == answers[0] for answer in answers)
    assert len(rules) == 30
    assert rules[0] == {
        "code": "GOVERNMENT_PROCUREMENT.GRADE_D.RESTRICT",
        "name": "政府采购：采购人履约验收信用D级，限制 / Government procurement: procurement "
                "grade D, restriction",
        "scenario": "GOVERNMENT_PROCUREMENT", "subjectKind": "UNIT", "condition": "GRADE_D",
        "effect": "RESTRICT", "legalBasis": rules[0]["legalBasis"], "validFrom": "1900-01-01",
        "validTo": None}
    assert "金府发〔2018〕12号" in rules[0]["legalBasis"]
    assert [r["code"] for r in rules[-3:]] == [
        "PROMOTION.PROMOTION_FACTOR.PROHIBIT", "PROMOTION.PROMOTION_FACTOR.RESTRICT",
        "PROMOTION.PROMOTION_FACTOR.PRIORITY"]
    assert "HIRING.DISHONEST.RESTRICT" not in {r["code"] for r in rules}
    # and the row is listed from its first day
    tomorrow = await gql.data("PROCUREMENT", RULES, {"asOf": "2026-06-16"})
    assert len(tomorrow["measureRules"]) == 31


# ---------------------------------------------------------------- every scenario

UNIT_EXPECTED = {
    "GOVERNMENT_PROCUREMENT": ("REVIEW", ["GOVERNMENT_PROCUREMENT.SERIOUS.RESTRICT",
                                         "GOVERNMENT_PROCUREMENT.SERIOUS.RECTIFICATION"]),
    "PPP": ("REVIEW", ["PPP.SERIOUS.RESTRICT", "PPP.SERIOUS.RECTIFICATION"]),
    "PILOT_APPLICATION": ("DENY", ["PILOT_APPLICATION.SERIOUS.PROHIBIT"]),
    "BOND_ISSUANCE": ("REVIEW", ["BOND_ISSUANCE.SERIOUS.RESTRICT",
                                "BOND_ISSUANCE.SERIOUS.RECTIFICATION"]),
    "INVESTMENT_APPROVAL": ("REVIEW", ["INVESTMENT_APPROVAL.SERIOUS.RESTRICT",
                                      "INVESTMENT_APPROVAL.SERIOUS.RECTIFICATION"]),
    "SUBSIDY_APPLICATION": ("DENY", ["SUBSIDY_APPLICATION.SERIOUS.PROHIBIT"]),
    "AWARDS": ("DENY", ["AWARDS.DISHONEST.PROHIBIT"]),
    "PERFORMANCE_ASSESSMENT": ("REVIEW", ["PERFORMANCE_ASSESSMENT.DISHONEST.RESTRICT"]),
    "HIRING": ("ALLOW", []),
    "PROMOTION": ("ALLOW", []),
}


@pytest.mark.parametrize("scenario", list(UNIT_EXPECTED))
async def test_a_unit_with_a_serious_record_in_every_scenario(
        gql: GraphQL, session: AsyncSession, scenario: str) -> None:
    # given a unit with a SERIOUS record and a GENERAL one (hidden by the serious rows)
    unit = await add_unit(session, 1)
    serious = await add_record(session, unit, "S", severity="SERIOUS",
                               valid_until=date(2029, 2, 28))
    general = await add_record(session, unit, "G")
    await session.commit()
    # when the procurement system asks
    data = await gql.data("PROCUREMENT", UNIT_RESTRICTIONS,
                          {"uscc": unit.uscc, "scenario": scenario})
    # then the scenario's serious rows apply, each with the serious record as basis
    decision, codes = UNIT_EXPECTED[scenario]
    assessment = data["unit"]["restrictions"]
    assert (assessment["decision"], [m["code"] for m in assessment["measures"]]) == (
        decision, codes)
    assert assessment["subject"] == {"__typename": "Unit", "id": gid("Unit", unit)}
    assert (assessment["scenario"], assessment["asOf"]) == (scenario, "2026-06-15")
    # (a DISHONEST row's basis is both records, decidedOn asc then id)
    refs = {r.id: {"id": gid("CreditRecord", r), "category": "ADMINISTRATIVE_PENALTY",
                   "severity": r.severity, "decidedOn": "2026-03-01",
                   "record": {"title": r.title}} for r in (serious, general)}
    for measure in assessment["measures"]:
        assert measure["until"] == "2029-02-28"
        basis = sorted(refs) if ".DISHONEST." in measure["code"] else [serious.id]
        assert measure["basis"] == [refs[pk] for pk in basis]


PERSON_EXPECTED = {
    "AWARDS": ("DENY", ["AWARDS.DISHONEST.PROHIBIT"]),
    "PERFORMANCE_ASSESSMENT": ("REVIEW", ["PERFORMANCE_ASSESSMENT.DISHONEST.RESTRICT"]),
    "HIRING": ("REVIEW", ["HIRING.GENERAL.RESTRICT"]),
    "PROMOTION": ("REVIEW", ["PROMOTION.DISHONEST_RECORD"]),
    "GOVERNMENT_PROCUREMENT": ("ALLOW", []),
    "SUBSIDY_APPLICATION": ("ALLOW", []),
    "PPP": ("ALLOW", []),
    "PILOT_APPLICATION": ("ALLOW", []),
    "BOND_ISSUANCE": ("ALLOW", []),
    "INVESTMENT_APPROVAL": ("ALLOW", []),
}


@pytest.mark.parametrize("scenario", list(PERSON_EXPECTED))
async def test_a_person_with_a_general_record(
        gql: GraphQL, session: AsyncSession, scenario: str) -> None:
    unit = await add_unit(session, 1)
    person = await add_person(session, 1, unit)
    record = await add_record(session, person, "P")
    await session.commit()
    data = await gql.data("PERSONNEL", PERSON_RESTRICTIONS,
                          {"idNumber": id_number(1), "scenario": scenario})
    assessment = data["civilServant"]["restrictions"]
    decision, codes = PERSON_EXPECTED[scenario]
    assert assessment["subject"] == {"__typename": "CivilServant",
                                     "id": gid("CivilServant", person)}
    assert (assessment["decision"], [m["code"] for m in assessment["measures"]]) == (
        decision, codes)
    assert all(m["basis"] == [{"id": gid("CreditRecord", record)}]
               for m in assessment["measures"])


async def test_a_hidden_basis_record_counts_but_shows_only_as_a_ref(
        gql: GraphQL, session: AsyncSession) -> None:
    # given an AUTHORIZED_QUERY record, which only the credit office may see
    unit = await add_unit(session, 1)
    record = await add_record(session, unit, "H", disclosure="AUTHORIZED_QUERY", share_scope=[])
    await session.commit()
    variables = {"uscc": unit.uscc, "scenario": "GOVERNMENT_PROCUREMENT"}
    seen = {a: (await gql.data(a, UNIT_RESTRICTIONS, variables))["unit"]["restrictions"]
            for a in ("PROCUREMENT", "CREDIT_OFFICE")}
    # then both get the same measure; only the credit office gets the record
    for audience, expected in (("PROCUREMENT", None), ("CREDIT_OFFICE", {"title": "记录 H"})):
        [measure] = seen[audience]["measures"]
        assert measure["code"] == "GOVERNMENT_PROCUREMENT.GENERAL.WRITTEN_EXPLANATION"
        assert measure["basis"][0]["id"] == gid("CreditRecord", record)
        assert measure["basis"][0]["record"] == expected


async def test_an_objected_basis_caps_the_decision_at_review(
        gql: GraphQL, session: AsyncSession) -> None:
    # given a SERIOUS record under objection since 2026-04-01, rejected on 2026-06-10
    unit = await add_unit(session, 1)
    record = await add_record(session, unit, "O", severity="SERIOUS", valid_until=date(2029, 2, 28))
    await add_objection(session, record, date(2026, 4, 1), upheld=False,
                  resolved_on=date(2026, 6, 10))
    await session.commit()
    decisions = {}
    for day in ("2026-03-31", "2026-04-01", "2026-06-09", "2026-06-10"):
        data = await gql.data("CREDIT_OFFICE", UNIT_RESTRICTIONS, {
            "uscc": unit.uscc, "scenario": "SUBSIDY_APPLICATION", "asOf": day})
        restrictions = data["unit"]["restrictions"]
        decisions[day] = (restrictions["decision"], len(restrictions["measures"]))
    # then the measure is listed throughout, DENY only while not under objection
    assert decisions == {"2026-03-31": ("DENY", 1), "2026-04-01": ("REVIEW", 1),
                         "2026-06-09": ("REVIEW", 1), "2026-06-10": ("DENY", 1)}


async def test_an_upheld_objection_revokes_from_its_day(
        gql: GraphQL, session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    record = await add_record(session, unit, "U", severity="SERIOUS", valid_until=date(2029, 2, 28))
    await add_objection(session, record, date(2026, 4, 1), upheld=True,
                  resolved_on=date(2026, 6, 10))
    await session.commit()
    answers = []
    for day in ("2026-06-09", "2026-06-10"):
        data = await gql.data("CREDIT_OFFICE", UNIT_RESTRICTIONS, {
            "uscc": unit.uscc, "scenario": "AWARDS", "asOf": day})
        answers.append(data["unit"]["restrictions"]["decision"])
    assert answers == ["REVIEW", "ALLOW"]


async def test_a_record_counts_through_its_last_day_and_not_after(
        gql: GraphQL, session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    await add_record(session, unit, "L", valid_until=date(2026, 6, 15))
    await session.commit()
    answers = []
    for day in ("2026-06-15", "2026-06-16"):
        data = await gql.data("PROCUREMENT", UNIT_RESTRICTIONS, {
            "uscc": unit.uscc, "scenario": "PPP", "asOf": day})
        answers.append(data["unit"]["restrictions"]["decision"])
    assert answers == ["REVIEW", "ALLOW"]


async def test_restrictions_are_audited(gql: GraphQL, session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    await session.commit()
    await gql.data("PROCUREMENT", UNIT_RESTRICTIONS, {"uscc": unit.uscc, "scenario": "PPP"})
    rows = (await session.scalars(select(AuditEntry))).all()
    assert [(r.client_name, r.operation, r.field, r.subject_ids) for r in rows] == [
        ("procurement", "Unit", "unit.restrictions", [gid("Unit", unit)])]


async def test_a_unit_without_records_is_allowed(gql: GraphQL, session: AsyncSession) -> None:
    await add_unit(session, 1)
    await session.commit()
    data = await gql.data("PROJECT_APPROVAL", UNIT_RESTRICTIONS, {
        "uscc": unit_code(1), "scenario": "INVESTMENT_APPROVAL"})
    assert data["unit"]["restrictions"]["decision"] == "ALLOW"
    assert data["unit"]["restrictions"]["measures"] == []
    count = await session.scalar(select(func.count()).select_from(AuditEntry))
    assert count == 1
