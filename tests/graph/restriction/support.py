"""Shared by the restriction tests: the GraphQL operations they send, and test data written
through the domain services, as the clients' writes would be: units, civil servants with an
employment, records reported on their decision day, and later status changes on the days given
(so a replay for an earlier asOf sees the history unfold)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.ids import to_global_id
from domains.credit import service as credit
from domains.credit.enums import (
    Audience,
    Disclosure,
    RecordCategory,
    RecordNature,
    Sanction,
    Severity,
    SourceDomain,
)
from domains.credit.models import CreditRecord
from domains.subject import service as subjects
from domains.subject.models import CivilServant, Unit
from tests.conftest import TEST_SECRET
from tests.support import id_number, unit_code

OFFICE = "CREDIT_OFFICE"
ACTOR = "credit_office"
TODAY = date(2026, 6, 15)
# The identity number of each person added (the database keeps only its keyed hash).
_ID_NUMBERS: dict[uuid.UUID, str] = {}


async def add_unit(session: AsyncSession, n: int, name: str | None = None) -> Unit:
    uscc = unit_code(n)
    await subjects.register_units(session, [subjects.UnitRow(
        uscc=uscc, name=name or f"单位{n:04d}", kind="GOVERNMENT_ORGAN", region_code="310116")])
    unit = await subjects.unit_by_uscc(session, uscc)
    assert unit is not None
    return unit


async def add_person(session: AsyncSession, n: int, unit: Unit,
                     name: str | None = None) -> CivilServant:
    number = id_number(n)
    [person_id] = await subjects.register_civil_servants(session, [subjects.PersonRow(
        id_number=number, name=name or f"人员{n}", unit_uscc=unit.uscc,
        started_on=date(2020, 1, 1))], secret=TEST_SECRET, today=TODAY)
    person = await subjects.person_by_id_number(session, number, secret=TEST_SECRET)
    assert person is not None and person.id == person_id
    _ID_NUMBERS[person.id] = number
    return person


def _enum(kind: Any, value: Any) -> Any:
    return None if value is None else kind(value)


async def add_record(session: AsyncSession, subject: Unit | CivilServant, ref: str,
                     **fields: Any) -> CreditRecord:
    """A record reported on its decidedOn by the credit office; by default a PUBLIC DISHONEST
    GENERAL administrative penalty decided 2026-03-01 (default validity: through 2027-02-28).

    `fields` are RecordRow fields in snake case, as plain values."""
    decided_on = fields.get("decided_on", date(2026, 3, 1))
    severity = fields.get("severity", "GENERAL")
    scope = fields.get("share_scope")
    row = credit.RecordRow(
        subject_uscc=subject.uscc if isinstance(subject, Unit) else None,
        subject_id_number=None if isinstance(subject, Unit) else _ID_NUMBERS[subject.id],
        nature=RecordNature(fields.get("nature", "DISHONEST")),
        category=RecordCategory(fields.get("category", "ADMINISTRATIVE_PENALTY")),
        domain=SourceDomain(fields.get("domain", "OTHER")), title=f"记录 {ref}",
        decided_on=decided_on, disclosure=Disclosure(fields.get("disclosure", "PUBLIC")),
        source_system="TEST", source_ref=ref, severity=_enum(Severity, severity),
        sanction=_enum(Sanction, fields.get("sanction")), valid_until=fields.get("valid_until"),
        share_scope=None if scope is None else tuple(Audience(a) for a in scope))
    [record_id] = await credit.report_records(session, [row], actor=ACTOR, audience=OFFICE,
                                              today=decided_on, secret=TEST_SECRET)
    record = await session.get(CreditRecord, record_id)
    assert record is not None
    return record


async def change(session: AsyncSession, record: CreditRecord, action: str, on: date) -> None:
    """revoke, exempt or repair the record on day `on`, as the credit office."""
    act = {"revoke": credit.revoke_record, "exempt": credit.exempt_record,
           "repair": credit.repair_record}[action]
    await act(session, record.id, note=f"{action} in a test", actor=ACTOR, audience=OFFICE,
              today=on)


async def add_objection(session: AsyncSession, record: CreditRecord, filed_on: date,
                        upheld: bool | None = None, resolved_on: date | None = None) -> None:
    """An objection filed by supervision on `filed_on`, resolved on `resolved_on` when given."""
    await credit.file_objection(session, record.id, reason="事实有误", actor="supervision",
                                audience="SUPERVISION", today=filed_on)
    if resolved_on is not None:
        await credit.resolve_objection(session, record.id, upheld=bool(upheld), note="核查",
                                       actor=ACTOR, audience=OFFICE, today=resolved_on)


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
