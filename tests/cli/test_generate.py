"""`integrity generate`: a small scale loaded into the test database and read back through the
API as the client systems read it; the same seed gives the same rows; the rows pass the rules of
API writes; a database holding data is refused."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.ids import to_global_id
from domains.credit import rules
from domains.credit.enums import Disclosure, RecordCategory, RecordNature, Sanction, Severity
from domains.credit.writing import validity_rules
from graph.cli.dataset import Summary, generate_on_session
from graph.cli.dataset.copying import Progress
from tests.cli.conftest import Cli
from tests.conftest import TEST_SECRET, TODAY, GraphQL

SCALE = 0.001
UNIT = """
query Unit($uscc: String!) {
  unit(uscc: $uscc) {
    uscc parent { uscc }
    creditFile { activeDishonestCount records(first: 50) { totalCount edges { node {
      id status category severity shareScope history { kind } } } } }
    procurementCredit { score grade breaches { kind daysLate } }
    restrictions(scenario: GOVERNMENT_PROCUREMENT) { decision measures { code effect } }
  }
}"""
PROMOTION = """
query Person($id: ID!) { node(id: $id) { ... on CivilServant {
  displayName maskedIdNumber
  promotionEligibility { decision eligibleFrom blockers { code } cautions { code } }
} } }"""
PPP = """
query Ppp($code: String!) { pppProject(code: $code) {
  code currentStage responsibilities { stage role }
  events { kind responsible { role } records { category record { sourceSystem } } } } }"""
INVESTMENT = """
query Investment($code: String!) { investmentProject(code: $code) {
  code approvals { document submittedOn approvedOn estimatedTotal } requiresReapproval
  violations { kind record { category severity } } } }"""
REPORT = """
mutation Report($records: [CreditRecordInput!]!) {
  reportCreditRecords(records: $records) { accepted ids errors { index field code message } }
}"""
DIGEST = """
SELECT (SELECT md5(string_agg(r::text, '|' ORDER BY r.id)) FROM credit_record AS r)
    || (SELECT md5(string_agg(s::text, '|' ORDER BY s.id)) FROM subject_civil_servant AS s)
    || (SELECT md5(string_agg(concat_ws(',', e.id, e.record_id, e.kind, e.at, e.actor, e.note,
                                        e.changes), '|' ORDER BY e.id))
        FROM credit_record_event AS e)
    || (SELECT md5(string_agg(m::text, '|' ORDER BY m.id)) FROM procurement_milestone AS m)
"""

# Every index and constraint of the schema, as the catalog defines it.
SCHEMA = """
SELECT count(*), md5(string_agg(item, '|' ORDER BY item)) FROM (
  SELECT indexdef AS item FROM pg_indexes WHERE schemaname = 'public'
  UNION ALL
  SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace = 'public'::regnamespace) AS catalog
"""


async def _generate(session: AsyncSession, seed: int = 7, scale: float = SCALE) -> Summary:
    return await generate_on_session(session, seed=seed, scale=scale,
                                     today=date.fromisoformat(TODAY), secret=TEST_SECRET,
                                     progress=Progress(io.StringIO()))


@pytest.fixture
async def generated(session: AsyncSession) -> Summary:
    """The dataset of seed 7 at SCALE, in the test's rolled-back transaction."""
    return await _generate(session)


async def _rows(session: AsyncSession, sql: str, **params: Any) -> list[Any]:
    return list((await session.execute(text(sql), params)).all())


async def test_the_dataset_answers_through_the_api(generated: Summary, gql: GraphQL,
                                                   session: AsyncSession) -> None:
    busiest = generated.units[0]

    unit = (await gql.data("PROCUREMENT", UNIT, {"uscc": busiest}))["unit"]
    person = (await gql.data("PERSONNEL", PROMOTION, {"id": generated.civil_servants[0]}))["node"]
    [(ppp_code,)] = await _rows(session, "SELECT code FROM ppp_project ORDER BY code LIMIT 1")
    ppp = (await gql.data("PROJECT_APPROVAL", PPP, {"code": ppp_code}))["pppProject"]
    [(investment_code,)] = await _rows(
        session, "SELECT p.code FROM investment_project AS p JOIN investment_violation AS v "
                 "ON v.project_id = p.id ORDER BY p.code LIMIT 1")
    project = (await gql.data("PROJECT_APPROVAL", INVESTMENT, {"code": investment_code}))[
        "investmentProject"]

    assert unit["uscc"] == busiest
    records = unit["creditFile"]["records"]
    assert records["totalCount"] > 0 and records["edges"]
    assert all(edge["node"]["history"][:2] == [{"kind": "REPORTED"}, {"kind": "NOTIFIED"}]
               for edge in records["edges"])
    assert 0 <= unit["procurementCredit"]["score"] <= 100
    assert unit["procurementCredit"]["grade"] in ("A", "B", "C", "D")
    assert unit["restrictions"]["decision"] in ("ALLOW", "REVIEW", "DENY", "ALLOW_WITH_PRIORITY")
    assert person["maskedIdNumber"].startswith("****************")
    assert person["promotionEligibility"]["decision"] in ("ALLOW", "REVIEW", "DENY",
                                                          "ALLOW_WITH_PRIORITY")
    assert ppp["responsibilities"] and ppp["code"] == ppp_code
    assert all(r["record"] is None or r["record"]["sourceSystem"] == "ppp"
               for event in ppp["events"] for r in event["records"])
    assert project["violations"][0]["record"]["category"] in ("ADMINISTRATIVE_SANCTION",
                                                              "ADMINISTRATIVE_PENALTY")
    assert [a["document"] for a in project["approvals"]][-1] in (
        "PROJECT_PROPOSAL", "FEASIBILITY_STUDY", "PRELIMINARY_DESIGN")


async def test_the_indexes_and_keys_dropped_for_the_load_are_all_back(
        session: AsyncSession) -> None:
    """The load drops indexes, keys and foreign keys and re-creates them from the catalog's
    own definitions: afterwards the schema is exactly what the migrations made."""
    before = (await _rows(session, SCHEMA))[0]

    await _generate(session, scale=0.001)

    assert (await _rows(session, SCHEMA))[0] == before
    assert before[0] > 100


async def test_every_kind_of_record_and_history_occurs(generated: Summary,
                                                       session: AsyncSession) -> None:
    rows = await _rows(session, """
        SELECT array_agg(DISTINCT category), array_agg(DISTINCT severity),
               array_agg(DISTINCT sanction), array_agg(DISTINCT disclosure),
               array_agg(DISTINCT status), array_agg(DISTINCT domain)
        FROM credit_record""")
    categories, severities, sanctions, disclosures, statuses, domains = rows[0]
    kinds = {kind for (kind,) in await _rows(session,
                                             "SELECT DISTINCT kind FROM credit_record_event")}

    assert set(categories) == set(RecordCategory)
    assert set(severities) == {None, *Severity}
    assert set(sanctions) >= {None, *Sanction} - {Sanction.DISMISSAL}
    assert set(disclosures) == set(Disclosure)
    assert set(statuses) == {"ACTIVE", "UNDER_OBJECTION", "REVOKED", "REPAIRED", "EXEMPTED"}
    assert {"PROCUREMENT", "PPP", "INVESTMENT"} <= set(domains)
    assert kinds == {"REPORTED", "NOTIFIED", "OBJECTION_FILED", "OBJECTION_UPHELD",
                     "OBJECTION_REJECTED", "CORRECTED", "REPAIRED", "REVOKED", "EXEMPTED"}


async def test_the_stored_status_is_the_result_of_the_events(generated: Summary,
                                                             session: AsyncSession) -> None:
    """As the API keeps them: the last event (by seq) gives the status, events are in time
    order, and a record has an open objection exactly while it is UNDER_OBJECTION."""
    wrong = await _rows(session, """
        SELECT r.id FROM credit_record AS r
        JOIN LATERAL (SELECT e.status_after FROM credit_record_event AS e
                      WHERE e.record_id = r.id ORDER BY e.seq DESC LIMIT 1) AS last ON true
        WHERE last.status_after <> r.status
           OR EXISTS (SELECT 1 FROM credit_record_event AS a JOIN credit_record_event AS b
                      ON a.record_id = b.record_id AND a.seq < b.seq AND a.at > b.at
                      WHERE a.record_id = r.id)
           OR (r.status = 'UNDER_OBJECTION') <> EXISTS (
                SELECT 1 FROM credit_objection AS o
                WHERE o.record_id = r.id AND o.resolved_at IS NULL)""")

    assert wrong == []


async def test_every_record_passes_the_report_rules(generated: Summary,
                                                    session: AsyncSession) -> None:
    validity = await validity_rules(session)
    rows = await _rows(session, """
        SELECT civil_servant_id IS NOT NULL, nature, category, severity, sanction,
               sanction_months, decided_on, act_ended_on, valid_until, disclosure
        FROM credit_record""")
    problems = []
    for person, nature, category, severity, sanction, months, decided, act, until, shown in rows:
        terms = rules.RecordTerms(
            subject_is_person=person, nature=RecordNature(nature),
            category=RecordCategory(category), severity=Severity(severity) if severity else None,
            sanction=Sanction(sanction) if sanction else None, sanction_months=months,
            decided_on=decided, act_ended_on=act, valid_until=until,
            disclosure=Disclosure(shown))
        problems += rules.validate_record(terms, today=date.fromisoformat(TODAY),
                                          validity_rules=validity)

    assert len(rows) > 2_000
    assert problems == []


def _as_input(row: Any) -> dict[str, Any]:
    (uscc, nature, category, severity, domain, title, summary, number, decided_by, decided_on,
     until, act, disclosure, scope, system, ref, contract, project) = row
    given = {"subject": {"uscc": uscc}, "nature": nature, "category": category,
             "severity": severity, "domain": domain, "title": title, "summary": summary,
             "decisionNumber": number, "decidedByUscc": decided_by,
             "decidedOn": decided_on.isoformat(), "validUntil": until and until.isoformat(),
             "actEndedOn": act and act.isoformat(), "disclosure": disclosure,
             "shareScope": scope, "sourceSystem": system, "sourceRef": ref,
             "procurementContractCode": contract, "investmentProjectCode": project}
    return {key: value for key, value in given.items() if value is not None}


async def test_a_generated_record_sent_again_is_accepted_and_writes_nothing(
        generated: Summary, gql: GraphQL, session: AsyncSession) -> None:
    """The idempotency rule of reportCreditRecords: the same key with the same content is
    accepted and writes nothing, for plain, linked and corrected records alike."""
    rows = await _rows(session, """
        SELECT u.uscc, r.nature, r.category, r.severity, r.domain, r.title, r.summary,
               r.decision_number, d.uscc, r.decided_on, r.valid_until, r.act_ended_on,
               r.disclosure, r.share_scope, r.source_system, r.source_ref, c.code, p.code, r.id
        FROM credit_record AS r JOIN subject_unit AS u ON u.id = r.unit_id
        LEFT JOIN subject_unit AS d ON d.id = r.decided_by_id
        LEFT JOIN procurement_contract AS c ON c.id = r.procurement_contract_id
        LEFT JOIN investment_project AS p ON p.id = r.investment_project_id
        WHERE r.source_system LIKE 'gen-%'
        ORDER BY r.procurement_contract_id IS NULL, r.investment_project_id IS NULL,
                 EXISTS (SELECT 1 FROM credit_record_event AS e
                         WHERE e.record_id = r.id AND e.kind = 'CORRECTED') DESC, r.id
        LIMIT 60""")
    before = await _rows(session, "SELECT count(*) FROM credit_record_event")

    result = (await gql.data("CREDIT_OFFICE", REPORT, {
        "records": [_as_input(row[:-1]) for row in rows]}))["reportCreditRecords"]

    assert result["errors"] == []
    assert result["ids"] == [to_global_id("CreditRecord", row[-1]) for row in rows]
    assert await _rows(session, "SELECT count(*) FROM credit_record_event") == before


async def test_the_same_seed_gives_the_same_rows(session: AsyncSession) -> None:
    digests = []
    for seed in (3, 3, 4):
        nested = await session.begin_nested()
        await _generate(session, seed=seed, scale=0.001)
        digests.append(await session.scalar(text(DIGEST)))
        await nested.rollback()

    assert digests[0] == digests[1]
    assert digests[2] != digests[0]


def test_generate_prints_its_summary_and_refuses_a_database_with_data(cli: Cli) -> None:
    first = cli("generate", "--scale", "0.001", "--seed", "5")

    assert first.code == 0, first.err
    summary = json.loads(first.out.strip().splitlines()[-1])
    assert summary["rows"]["subject_unit"] == 8 and summary["rows"]["credit_record"] >= 2_000
    assert "generate credit_record" in first.err
    assert all(cli.authenticates(key) == f"gen-{audience.lower()}"
               for audience, key in summary["keys"].items())
    assert len(summary["units"]) == 8 and summary["civilServants"]
    records = cli.scalar("SELECT count(*) FROM credit_record")

    second = cli("generate", "--scale", "0.001")

    assert second.code == 2
    assert "already holds units" in second.err and second.out == ""
    assert cli.scalar("SELECT count(*) FROM credit_record") == records


@pytest.mark.parametrize("value", ["0", "-1", "21", "abc"])
def test_a_bad_scale_is_refused_before_anything_starts(cli: Cli, value: str) -> None:
    result = cli("generate", "--scale", value)

    assert result.code == 2
    assert "is not a scale" in result.err


def test_progress_is_plain_lines_when_stderr_is_not_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(stream)

    for _ in range(30):
        progress.add("credit_record", 20_000, 0.5)
    progress.done("credit_record")

    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert [line.endswith("...") for line in lines] == [True, False]
    assert lines[-1].split()[2:5] == ["credit_record", "600,000", "rows"]
    assert lines[-1].endswith("(40,000 rows/s)")
