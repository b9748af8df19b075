"""Measures, restrictions and promotion eligibility through HTTP (DOMAIN.md sections 3, 4, 5)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access.models import AuditEntry
from domains.core.ids import to_global_id
from domains.restriction.models import MeasureRuleRow
from tests.conftest import AUDIENCES, GraphQL
from tests.factories import id_number, unit_code
from tests.graph.restriction.rows import (
    add_event,
    add_objection,
    add_person,
    add_record,
    add_unit,
    at,
)

RULES = """
query Rules($asOf: Date) {
  measureRules(asOf: $asOf) {
    code name scenario subjectKind condition effect legalBasis validFrom validTo
  }
}"""
UNIT_RESTRICTIONS = """
query Unit($uscc: String!, $scenario: Scenario!, $asOf: Date) {
  unit(uscc: $uscc) {
    restrictions(scenario: $scenario, asOf: $asOf) {
      subject { __typename id } scenario asOf decision
      measures { code effect grade until basis { id category severity decidedOn record { title } } }
    }
  }
}"""
PERSON_RESTRICTIONS = """
query Person($idNumber: String!, $scenario: Scenario!, $asOf: Date) {
  civilServant(idNumber: $idNumber) {
    restrictions(scenario: $scenario, asOf: $asOf) {
      subject { __typename id } decision measures { code effect until basis { id } }
    }
  }
}"""
PROMOTION = """
query Promotion($idNumber: String!, $asOf: Date) {
  civilServant(idNumber: $idNumber) {
    promotionEligibility(asOf: $asOf) {
      asOf decision eligibleFrom
      blockers { code until basis { id } }
      cautions { code until basis { id } }
      incentives { code until basis { id } }
    }
  }
}"""
ALL_UNITS = """
query All($scenario: Scenario!) {
  units(first: 100) {
    edges { node { restrictions(scenario: $scenario) {
      decision measures { code basis { id record { title } } } } } }
  }
}"""
SANCTION_ENDS = """
query Ends($ref: String!) { creditRecord(sourceSystem: "TEST", sourceRef: $ref) {
  sanctionEndsOn } }"""


def gid(kind: str, row: Any) -> str:
    return to_global_id(kind, row.id)


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


# ---------------------------------------------------------------- statement counts


async def _count_all_units(gql: GraphQL, count_statements: Any, scenario: str) -> int:
    with count_statements() as counter:
        data = await gql.data("PROCUREMENT", ALL_UNITS, {"scenario": scenario})
    expected = "DENY" if scenario == "AWARDS" else "REVIEW"
    assert all(e["node"]["restrictions"]["decision"] == expected
               for e in data["units"]["edges"])
    return int(counter.count)


@pytest.mark.parametrize("scenario", ["AWARDS", "GOVERNMENT_PROCUREMENT"])
async def test_statements_do_not_grow_with_subjects(
        gql: GraphQL, session: AsyncSession, count_statements: Any, scenario: str) -> None:
    # given one unit with a record (GOVERNMENT_PROCUREMENT also evaluates its grade)
    first = await add_unit(session, 1)
    await add_record(session, first, "R-1")
    await session.commit()
    one = await _count_all_units(gql, count_statements, scenario)
    # when 49 more units with a record each are read in the same query
    for n in range(2, 51):
        await add_record(session, await add_unit(session, n), f"R-{n}")
    await session.commit()
    fifty = await _count_all_units(gql, count_statements, scenario)
    # then the statements are the same
    assert fifty == one


async def test_statements_do_not_grow_with_records(
        gql: GraphQL, session: AsyncSession, count_statements: Any) -> None:
    unit = await add_unit(session, 1)
    await add_record(session, unit, "R-0")
    await session.commit()
    variables = {"uscc": unit.uscc, "scenario": "GOVERNMENT_PROCUREMENT"}
    with count_statements() as counter:
        await gql.data("PROCUREMENT", UNIT_RESTRICTIONS, variables)
    one = counter.count
    for n in range(1, 30):
        await add_record(session, unit, f"R-{n}")
    await session.commit()
    with count_statements() as counter:
        data = await gql.data("PROCUREMENT", UNIT_RESTRICTIONS, variables)
    assert len(data["unit"]["restrictions"]["measures"][0]["basis"]) == 30
    assert counter.count == one


# ---------------------------------------------------------------- promotion


async def test_promotion_chains_demotions_and_agrees_with_restrictions(
        gql: GraphQL, session: AsyncSession) -> None:
    # given the chaining vector of DOMAIN.md section 5, GENERAL records valid one year
    unit = await add_unit(session, 1)
    person = await add_person(session, 1, unit)
    chain = [await add_record(session, person, f"D{m}", category="ADMINISTRATIVE_SANCTION",
                        sanction="DEMOTION", decided_on=date(2026, m, 1),
                        valid_until=date(2027, m, 1)) for m in (1, 2, 3)]
    await session.commit()
    data = await gql.data("PERSONNEL", PROMOTION, {"idNumber": id_number(1)})
    ids = [gid("CreditRecord", r) for r in chain]
    assert data["civilServant"]["promotionEligibility"] == {
        "asOf": "2026-06-15", "decision": "DENY", "eligibleFrom": "2030-03-01",
        "blockers": [{"code": "SANCTION_DEMOTION", "until": until, "basis": [{"id": i}]}
                     for until, i in zip(["2027-12-31", "2029-12-31", "2030-02-28"], ids,
                                         strict=True)],
        "cautions": [], "incentives": []}
    restricted = await gql.data("PERSONNEL", PERSON_RESTRICTIONS, {
        "idNumber": id_number(1), "scenario": "PROMOTION"})
    assessment = restricted["civilServant"]["restrictions"]
    assert assessment["decision"] == "DENY"
    assert [(m["code"], m["effect"], m["until"]) for m in assessment["measures"]] == [
        ("PROMOTION.SANCTION_DEMOTION", "PROHIBIT", u)
        for u in ("2027-12-31", "2029-12-31", "2030-02-28")]
    # and each record tells the last day its sanction blocks
    ends = [(await gql.data("CREDIT_OFFICE", SANCTION_ENDS, {"ref": f"D{m}"}))
            ["creditRecord"]["sanctionEndsOn"] for m in (1, 2, 3)]
    assert ends == ["2027-12-31", "2029-12-31", "2030-02-28"]


@pytest.mark.parametrize(("day", "decision"), [
    ("2026-02-27", "DENY"), ("2026-02-28", "ALLOW_WITH_PRIORITY")])
async def test_promotion_boundary_and_incentive(gql: GraphQL, session: AsyncSession, day: str,
                                                decision: str) -> None:
    # given a WARNING decided 2025-08-31 (blocks through 2026-02-27), exempted since January,
    # and a commendation in force
    unit = await add_unit(session, 1)
    person = await add_person(session, 1, unit)
    warning = await add_record(session, person, "W", category="ADMINISTRATIVE_SANCTION",
                         sanction="WARNING", decided_on=date(2025, 8, 31),
                         valid_until=date(2026, 8, 30))
    await add_event(session, warning, "EXEMPTED", at(date(2026, 1, 5)), "EXEMPTED")
    await add_record(session, person, "C", nature="TRUSTWORTHY", category="COMMENDATION",
               severity=None, decided_on=date(2026, 1, 1), valid_until=date(2028, 12, 31))
    await session.commit()
    # when supervision asks on the last blocked day and the day after
    data = await gql.data("SUPERVISION", PROMOTION, {"idNumber": id_number(1), "asOf": day})
    # then the exempted warning blocks through its last day, then the incentive shows
    result = data["civilServant"]["promotionEligibility"]
    assert (result["decision"], result["eligibleFrom"]) == (decision, "2026-02-28")
    assert [f["code"] for f in result["blockers"] + result["incentives"]] == (
        ["SANCTION_WARNING"] if decision == "DENY" else ["TRUSTWORTHY_RECORD"])


async def test_promotion_is_forbidden_outside_personnel_readers(
        gql: GraphQL, session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    await add_person(session, 1, unit)
    await session.commit()
    for audience in ("PROCUREMENT", "PROJECT_APPROVAL"):
        body = await gql(audience, PROMOTION, {"idNumber": id_number(1)})
        assert body["data"] == {"civilServant": None}
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    for audience in ("PERSONNEL", "SUPERVISION", "CREDIT_OFFICE"):
        data = await gql.data(audience, PROMOTION, {"idNumber": id_number(1)})
        assert data["civilServant"]["promotionEligibility"]["decision"] == "ALLOW"
    rows = (await session.scalars(select(AuditEntry.client_name))).all()
    assert sorted(rows) == ["credit_office", "personnel", "supervision"]


async def test_under_investigation_blocks_open_ended_and_counts_nowhere_else(
        gql: GraphQL, session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    person = await add_person(session, 1, unit)
    await add_record(session, person, "I", category="OTHER_ACCOUNTABILITY",
               sanction="UNDER_INVESTIGATION", disclosure="AUTHORIZED_QUERY",
               valid_until=None)
    await session.commit()
    data = await gql.data("PERSONNEL", PROMOTION, {"idNumber": id_number(1)})
    result = data["civilServant"]["promotionEligibility"]
    assert (result["decision"], result["eligibleFrom"], [b["code"] for b in result["blockers"]]
            ) == ("DENY", None, ["SANCTION_UNDER_INVESTIGATION"])
    hiring = await gql.data("PERSONNEL", PERSON_RESTRICTIONS, {
        "idNumber": id_number(1), "scenario": "HIRING"})
    assert hiring["civilServant"]["restrictions"]["decision"] == "ALLOW"


async def test_a_unit_without_records_is_allowed(gql: GraphQL, session: AsyncSession) -> None:
    await add_unit(session, 1)
    await session.commit()
    data = await gql.data("PROJECT_APPROVAL", UNIT_RESTRICTIONS, {
        "uscc": unit_code(1), "scenario": "INVESTMENT_APPROVAL"})
    assert data["unit"]["restrictions"]["decision"] == "ALLOW"
    assert data["unit"]["restrictions"]["measures"] == []
    count = await session.scalar(select(func.count()).select_from(AuditEntry))
    assert count == 1


# ---------------------------------------------------------------- procurement grade

CONTRACTS = """
mutation Register($contracts: [ProcurementContractInput!]!) {
  registerProcurementContracts(contracts: $contracts) { accepted errors { code } }
}"""
MILESTONES = """
mutation Milestones($milestones: [ContractMilestoneInput!]!) {
  recordContractMilestones(milestones: $milestones) { accepted errors { code } }
}"""


async def given_overdue_contracts(gql: GraphQL, uscc: str, codes: list[str]) -> None:
    """Contracts delivered 2026-02-01, never accepted nor paid: each costs 5 + 8 points."""
    contracts = [{"code": code, "title": "办公设备", "purchaserUscc": uscc,
                  "supplierName": "上海某设备有限公司", "supplierIsSme": False,
                  "amount": "100000.00", "signedOn": "2026-01-15"} for code in codes]
    data = await gql.data("PROCUREMENT", CONTRACTS, {"contracts": contracts})
    assert data["registerProcurementContracts"]["errors"] == []
    milestones = [{"contractCode": code, "milestone": "DELIVERED", "on": "2026-02-01"}
                  for code in codes]
    data = await gql.data("PROCUREMENT", MILESTONES, {"milestones": milestones})
    assert data["recordContractMilestones"]["errors"] == []


async def test_grade_rows_use_the_procurement_grade(gql: GraphQL, session: AsyncSession) -> None:
    # given a purchaser with three overdue contracts (score 61: grade C)
    unit = await add_unit(session, 1)
    await session.commit()
    await given_overdue_contracts(gql, unit.uscc, ["C-1", "C-2", "C-3"])
    variables = {"uscc": unit.uscc, "scenario": "GOVERNMENT_PROCUREMENT"}
    grade_c = (await gql.data("PROCUREMENT", UNIT_RESTRICTIONS, variables))["unit"]
    # then the grade C row applies, with the grade, until asOf and no basis
    assert grade_c["restrictions"]["decision"] == "REVIEW"
    assert grade_c["restrictions"]["measures"] == [{
        "code": "GOVERNMENT_PROCUREMENT.GRADE_C.WRITTEN_EXPLANATION",
        "effect": "WRITTEN_EXPLANATION", "grade": "C", "until": "2026-06-15", "basis": []}]
    # when a fourth contract is overdue (score 48: grade D)
    await given_overdue_contracts(gql, unit.uscc, ["C-4"])
    grade_d = (await gql.data("PROCUREMENT", UNIT_RESTRICTIONS, variables))["unit"]
    assert [(m["code"], m["grade"]) for m in grade_d["restrictions"]["measures"]] == [
        ("GOVERNMENT_PROCUREMENT.GRADE_D.RESTRICT", "D"),
        ("GOVERNMENT_PROCUREMENT.GRADE_D.RECTIFICATION", "D")]
    # and the grade rows belong to government procurement only
    ppp = await gql.data("PROCUREMENT", UNIT_RESTRICTIONS, {**variables, "scenario": "PPP"})
    assert ppp["unit"]["restrictions"]["measures"] == []
