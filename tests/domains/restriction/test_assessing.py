"""Restrictions and promotion eligibility as read and decided by domains.restriction.assessing,
over an in-memory reader (DOMAIN.md sections 4, 5 and 6): what each scenario reads, and what
it decides from what it read."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from domains.credit.facts import RecordFacts
from domains.memorandum.rules import MeasureSpec, OpenAction
from domains.restriction import assessing
from domains.restriction.defaults import DEFAULT_SANCTION_PERIODS
from domains.restriction.promotion import evaluate_promotion
from domains.restriction.rules import Assessment, MeasureEffect
from tests.domains.restriction.test_promotion import sanction
from tests.domains.support import FakeReader

SUBJECT = uuid.UUID(int=1)
AS_OF = date(2026, 6, 1)
PROCUREMENT_READS = ["weights_versions", "contracts_of", "record_facts"]


def finding(n: int, severity: str, domain: str = "PROCUREMENT") -> RecordFacts:
    """A DISHONEST record in force on AS_OF."""
    return RecordFacts(id=uuid.UUID(int=100 + n), nature="DISHONEST",
                       category="ADMINISTRATIVE_PENALTY", severity=severity, sanction=None,
                       sanction_months=None, decided_on=date(2026, 3, 1),
                       valid_from=date(2026, 3, 1), valid_until=date(2027, 2, 28),
                       status="ACTIVE", domain=domain)


def codes(assessment: Assessment) -> list[tuple[str, str, str | None]]:
    return [(m.code, m.effect.value, m.grade) for m in assessment.measures]


@pytest.mark.parametrize(("serious", "grade_rows"), [
    (2, [("GOVERNMENT_PROCUREMENT.GRADE_C.WRITTEN_EXPLANATION", "WRITTEN_EXPLANATION", "C")]),
    (3, [("GOVERNMENT_PROCUREMENT.GRADE_D.RESTRICT", "RESTRICT", "D"),
         ("GOVERNMENT_PROCUREMENT.GRADE_D.RECTIFICATION", "RECTIFICATION", "D")]),
])
async def test_a_purchaser_in_procurement_is_graded_from_what_it_read(
        serious: int, grade_rows: list[tuple[str, str, str | None]]) -> None:
    # given SERIOUS PROCUREMENT records (−20 each: 60 is grade C, 40 grade D) and no contract
    reader = FakeReader(records={SUBJECT: [finding(n, "SERIOUS") for n in range(serious)]})
    # when the unit is assessed in GOVERNMENT_PROCUREMENT
    found = await assessing.assessment(reader, "UNIT", SUBJECT, "GOVERNMENT_PROCUREMENT", AS_OF)
    # then the grade rows apply beside the SERIOUS rows, and the grade was evaluated
    assert found.decision == "REVIEW"
    assert set(grade_rows) <= set(codes(found))
    assert ("GOVERNMENT_PROCUREMENT.SERIOUS.RESTRICT", "RESTRICT", None) in codes(found)
    assert reader.reads == ["measure_rows", "record_facts", *PROCUREMENT_READS, "open_actions"]


async def test_a_scenario_without_grade_rows_never_reads_contracts() -> None:
    reader = FakeReader(records={SUBJECT: [finding(1, "GENERAL")]})
    found = await assessing.assessment(reader, "UNIT", SUBJECT, "AWARDS", AS_OF)
    assert (found.decision, codes(found)) == ("DENY", [("AWARDS.DISHONEST.PROHIBIT",
                                                        "PROHIBIT", None)])
    assert reader.reads == ["measure_rows", "record_facts", "open_actions"]


async def test_a_civil_servant_in_promotion_gets_the_section_5_factors() -> None:
    # given a WARNING decided 2026-03-01 (blocks promotion for six months)
    reader = FakeReader(records={SUBJECT: [sanction(1, "WARNING", "2026-03-01")]})
    found = await assessing.assessment(reader, "PERSON", SUBJECT, "PROMOTION", AS_OF)
    assert found.decision == "DENY"
    assert [(m.code, m.effect, m.until) for m in found.measures] == [
        ("PROMOTION.SANCTION_WARNING", MeasureEffect.PROHIBIT, date(2026, 8, 31))]
    assert reader.reads == ["measure_rows", "record_facts", "sanction_periods", "record_facts",
                            "open_actions"]


async def test_a_civil_servant_elsewhere_reads_no_promotion_rules() -> None:
    reader = FakeReader(records={SUBJECT: [finding(1, "SERIOUS", domain="OTHER")]})
    found = await assessing.assessment(reader, "PERSON", SUBJECT, "HIRING", AS_OF)
    assert (found.decision, codes(found)) == ("DENY", [("HIRING.SERIOUS.PROHIBIT",
                                                        "PROHIBIT", None)])
    assert "sanction_periods" not in reader.reads and "contracts_of" not in reader.reads


def open_action(n: int, basis: RecordFacts, scenario: str) -> OpenAction:
    spec = MeasureSpec("OWN", "自有措施", MeasureEffect.PROHIBIT, "备忘录", published=False)
    return OpenAction(action_id=uuid.UUID(int=200 + n), version_id=uuid.UUID(int=300),
                      number="M-1", scenario=scenario, valid_until=date(2027, 12, 31),
                      basis_ids=(basis.id,), signatories=((uuid.UUID(int=400), (spec,)),))


async def test_open_joint_actions_of_the_scenario_add_their_measures() -> None:
    # given a counted record and two actions on it, one in the scenario and one in PPP
    record = finding(1, "GENERAL", domain="OTHER")
    reader = FakeReader(records={SUBJECT: [record]}, actions={SUBJECT: [
        open_action(1, record, "AWARDS"), open_action(2, record, "PPP")]})
    found = await assessing.assessment(reader, "UNIT", SUBJECT, "AWARDS", AS_OF)
    # then the memorandum's measure is applied beside the published row, on the same basis
    assert [(m.code, [r.id for r in m.basis], m.applied_by) for m in found.measures] == [
        ("AWARDS.DISHONEST.PROHIBIT", [record.id], ()),
        ("JOINT:M-1:OWN", [record.id], (uuid.UUID(int=400),))]


async def test_an_action_whose_basis_lapsed_adds_nothing() -> None:
    record = finding(1, "GENERAL", domain="OTHER")._replace(status="REVOKED")
    reader = FakeReader(records={SUBJECT: [record]},
                        actions={SUBJECT: [open_action(1, record, "AWARDS")]})
    found = await assessing.assessment(reader, "UNIT", SUBJECT, "AWARDS", AS_OF)
    assert (found.decision, found.measures) == ("ALLOW", [])


async def test_promotion_eligibility_is_section_5_on_what_was_read() -> None:
    records = [sanction(1, "WARNING", "2026-03-01"), sanction(2, "DEMERIT", "2026-05-01")]
    reader = FakeReader(records={SUBJECT: records})
    found = await assessing.promotion_eligibility(reader, SUBJECT, AS_OF)
    assert found == evaluate_promotion(records, AS_OF, [DEFAULT_SANCTION_PERIODS])
    assert found.decision == "DENY" and len(found.blockers) == 2


WARNING = sanction(1, "WARNING", "2026-03-01")


@pytest.mark.parametrize(("record_id", "person", "kind", "expected", "reads"), [
    (WARNING.id, SUBJECT, "WARNING", date(2026, 8, 31), ["record_facts", "sanction_periods"]),
    (WARNING.id, SUBJECT, None, None, []),
    (WARNING.id, None, "WARNING", None, []),
    (uuid.UUID(int=99), SUBJECT, "WARNING", None, ["record_facts"]),
])
async def test_sanction_last_day(record_id: uuid.UUID, person: uuid.UUID | None,
                                 kind: str | None, expected: date | None,
                                 reads: list[str]) -> None:
    reader = FakeReader(records={SUBJECT: [WARNING]})
    assert await assessing.sanction_last_day(reader, record_id, person, kind, AS_OF) == expected
    assert reader.reads == reads
