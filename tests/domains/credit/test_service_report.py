"""report_records (DOMAIN.md sections 2, 3 and 9): every rule and error code of a report, the
idempotency key, the write scope per audience, and the REPORTED/NOTIFIED pair.

Every error test asserts the codes and that nothing was written (rows counted before/after).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core import clock
from domains.core.errors import DomainError
from domains.credit import service
from domains.credit.enums import (
    Audience,
    Disclosure,
    RecordCategory,
    RecordNature,
    Sanction,
    Severity,
    SourceDomain,
)
from domains.credit.models import CreditRecord, Objection, RecordEvent, ValidityRuleRow
from domains.procurement import service as procurement
from domains.subject import service as subjects
from tests.conftest import TEST_SECRET
from tests.support import id_number, unit_code

D = date.fromisoformat
TODAY = D("2026-06-15")
FINANCE, COURT, TAX, NOBODY = unit_code(21), unit_code(22), unit_code(23), unit_code(29)
ZHANG, LI, STRANGER = id_number(21), id_number(22), id_number(29)
CONTRACT = "JS-2026-001"
C, N, S, SD = RecordCategory, RecordNature, Severity, SourceDomain


async def given_world(session: AsyncSession) -> None:
    """Three units, two civil servants, and a contract of FINANCE with ZHANG responsible."""
    await subjects.register_units(session, [
        subjects.UnitRow(FINANCE, "金山区财政局", "GOVERNMENT_ORGAN"),
        subjects.UnitRow(COURT, "金山区人民法院", "GOVERNMENT_ORGAN"),
        subjects.UnitRow(TAX, "金山区税务局", "GOVERNMENT_ORGAN")])
    await subjects.register_civil_servants(session, [
        subjects.PersonRow(ZHANG, "张伟", FINANCE, D("2020-01-01")),
        subjects.PersonRow(LI, "李娜", TAX, D("2020-01-01"))], secret=TEST_SECRET, today=TODAY)
    await procurement.register_contracts(session, [procurement.ContractRow(
        code=CONTRACT, title="办公设备采购", purchaser_uscc=FINANCE, supplier_name="某公司",
        supplier_is_sme=True, amount=Decimal("1000.00"), signed_on=D("2026-01-10"),
        responsible_person_id_number=ZHANG)], secret=TEST_SECRET, today=TODAY,
        reported_by="procurement")


@pytest.fixture
async def world(session: AsyncSession) -> AsyncSession:
    await given_world(session)
    return session


def row(ref: str = "R-1", **changes: Any) -> service.RecordRow:
    """A valid DISHONEST GENERAL penalty of FINANCE (domain PROCUREMENT)."""
    base = service.RecordRow(
        subject_uscc=FINANCE, subject_id_number=None, nature=N.DISHONEST,
        category=C.ADMINISTRATIVE_PENALTY, severity=S.GENERAL, domain=SD.PROCUREMENT,
        title="逾期验收", decided_on=D("2026-03-01"), disclosure=Disclosure.GOVERNMENT_SHARED,
        source_system="caigou", source_ref=ref)
    return replace(base, **changes)


def person_row(ref: str = "P-1", **changes: Any) -> service.RecordRow:
    """A valid DISHONEST GENERAL administrative sanction (DEMERIT) of ZHANG."""
    base: dict[str, Any] = {"subject_uscc": None, "subject_id_number": ZHANG,
                            "category": C.ADMINISTRATIVE_SANCTION, "sanction": Sanction.DEMERIT,
                            "domain": SD.OTHER}
    return row(ref, **(base | changes))


async def counts(session: AsyncSession) -> tuple[int, int, int]:
    """(records, events, objections) stored."""
    result = []
    for model in (CreditRecord, RecordEvent, Objection):
        result.append(int(await session.scalar(select(func.count()).select_from(model)) or 0))
    return result[0], result[1], result[2]


async def report(session: AsyncSession, rows: list[service.RecordRow],
                 audience: str = "CREDIT_OFFICE", today: date = TODAY) -> list[uuid.UUID]:
    return await service.report_records(session, rows, actor=audience.lower(),
                                        audience=audience, today=today, secret=TEST_SECRET)


async def refused(session: AsyncSession, rows: list[service.RecordRow],
                  audience: str = "CREDIT_OFFICE") -> list[tuple[int | None, str | None, str]]:
    """The (index, field, code) of a refused batch, after checking that nothing was written."""
    before = await counts(session)
    with pytest.raises(DomainError) as refusal:
        await report(session, rows, audience)
    assert await counts(session) == before
    return [(e.index, e.field, e.code) for e in refusal.value.errors]


# ---------------------------------------------------------------- writing


async def test_a_report_writes_an_active_record_with_reported_and_notified(
        world: AsyncSession) -> None:
    [record_id] = await report(world, [row()], audience="PROCUREMENT")
    record = await world.get_one(CreditRecord, record_id)
    assert (record.status, record.valid_from, record.valid_until) == (
        "ACTIVE", D("2026-03-01"), D("2027-02-28"))
    assert record.share_scope == [a.value for a in Audience]
    assert record.reported_by == "procurement"
    events = (await world.scalars(select(RecordEvent).order_by(RecordEvent.seq))).all()
    assert [(e.kind, e.actor, e.status_after) for e in events] == [
        ("REPORTED", "procurement", "ACTIVE"), ("NOTIFIED", "system", "ACTIVE")]
    assert events[0].at == events[1].at
    assert clock.local_date(events[0].at) == TODAY


async def test_a_person_record_is_found_by_keyed_hash_with_the_default_scope(
        world: AsyncSession) -> None:
    messy = f"  {ZHANG.lower()} "
    [record_id] = await report(world, [person_row(subject_id_number=messy)])
    record = await world.get_one(CreditRecord, record_id)
    assert record.civil_servant_id is not None and record.unit_id is None
    assert record.share_scope == ["PERSONNEL", "SUPERVISION", "CREDIT_OFFICE"]
    assert (record.sanction, record.sanction_months) == ("DEMERIT", None)


async def test_ids_come_back_in_row_order(world: AsyncSession) -> None:
    ids = await report(world, [row("A"), person_row("B"), row("C")])
    stored = {r.source_ref: r.id for r in await world.scalars(select(CreditRecord))}
    assert ids == [stored["A"], stored["B"], stored["C"]]


async def test_keys_are_normalised_before_validation(world: AsyncSession) -> None:
    ids = await report(world, [row(subject_uscc=f" {FINANCE.lower()} ",
                                   decided_by_uscc=COURT.lower(),
                                   procurement_contract_code=f" {CONTRACT.lower()}")])
    record = await world.get_one(CreditRecord, ids[0])
    assert record.decided_by_id is not None and record.procurement_contract_id is not None


async def test_an_explicit_empty_share_scope_means_credit_office_only(
        world: AsyncSession) -> None:
    [record_id] = await report(world, [row(share_scope=())])
    assert (await world.get_one(CreditRecord, record_id)).share_scope == []


async def test_a_contract_links_its_responsible_person(world: AsyncSession) -> None:
    [record_id] = await report(world, [person_row(domain=SD.PROCUREMENT,
                                                  procurement_contract_code=CONTRACT)])
    assert (await world.get_one(CreditRecord, record_id)).procurement_contract_id is not None


# ---------------------------------------------------------------- idempotency


async def test_the_same_content_again_writes_nothing_and_returns_the_id(
        world: AsyncSession) -> None:
    [first] = await report(world, [row()], audience="PROCUREMENT")
    before = await counts(world)
    again = row(subject_uscc=FINANCE.lower(), valid_until=D("2027-02-28"), title=" 逾期验收 ",
                share_scope=tuple(reversed(Audience)))
    assert await report(world, [again], audience="PROCUREMENT") == [first]
    assert await counts(world) == before


async def test_other_content_under_the_same_key_is_a_conflict(world: AsyncSession) -> None:
    await report(world, [row()])
    assert await refused(world, [row("R-2"), row(severity=S.SERIOUS)]) == [
        (1, "sourceRef", "CONFLICT")]


async def test_a_key_repeated_in_a_batch_counts_once_and_differing_content_conflicts(
        world: AsyncSession) -> None:
    ids = await report(world, [row(), row("R-2"), row()])
    assert ids[0] == ids[2] != ids[1]
    assert await counts(world) == (2, 4, 0)
    assert await refused(world, [row("R-3"), row("R-3", title="另一个")]) == [
        (1, "sourceRef", "CONFLICT")]


# ---------------------------------------------------------------- field rules


async def test_every_bad_row_is_reported_with_its_field_and_nothing_is_written(
        world: AsyncSession) -> None:
    rows = [
        row(subject_uscc=None),                                                  # 0
        row(subject_id_number=ZHANG),                                            # 1
        row(subject_uscc=FINANCE[:17] + ("0" if FINANCE[17] != "0" else "1")),    # 2
        person_row(subject_id_number=ZHANG[:17] + ("0" if ZHANG[17] != "0" else "1")),  # 3
        row(category=C.COMMENDATION),                                            # 4
        row(decided_on=D("2026-06-16")),                                         # 5
        row(severity=None),                                                      # 6
        row(nature=N.TRUSTWORTHY, category=C.COMMENDATION),                      # 7
        row(severity=S.MINOR, disclosure=Disclosure.PUBLIC),                     # 8
        row(category=C.ADMINISTRATIVE_SANCTION, sanction=Sanction.WARNING),     # 9
        person_row(sanction=Sanction.PARTY_WARNING),                             # 10
        person_row(sanction_months=49),                                          # 11
        person_row(sanction=Sanction.DISMISSAL, sanction_months=6),              # 12
        row(source_system=" PPP "),                                              # 13
        row(source_system="investment"),                                         # 14
        row(decided_by_uscc=NOBODY),                                             # 15
        row(decided_by_uscc="bad"),                                              # 16
        row(subject_uscc=NOBODY),                                                # 17
        person_row(subject_id_number=STRANGER),                                  # 18
        row(procurement_contract_code="NO-SUCH"),                                # 19
        row(procurement_contract_code=CONTRACT, domain=SD.OTHER),                # 20
        row(procurement_contract_code=CONTRACT, subject_uscc=TAX),               # 21
        person_row(subject_id_number=LI, domain=SD.PROCUREMENT,
                   procurement_contract_code=CONTRACT),                          # 22
        row(investment_project_code="2026-310116-01"),                           # 23
        row(title="  "),                                                         # 24
        row(source_ref=""),                                                      # 25
    ]
    rows = [replace(r, source_ref=r.source_ref and f"{r.source_ref}-{i}")
            for i, r in enumerate(rows)]
    assert await refused(world, rows) == [
        (0, "subject", "INVALID_VALUE"),
        (1, "subject", "INVALID_VALUE"),
        (2, "subject.uscc", "INVALID_USCC"),
        (3, "subject.idNumber", "INVALID_ID_NUMBER"),
        (4, "nature", "INVALID_VALUE"),
        (5, "decidedOn", "INVALID_VALUE"),
        (6, "severity", "SEVERITY_REQUIRED"),
        (7, "severity", "SEVERITY_NOT_ALLOWED"),
        (8, "disclosure", "MINOR_NOT_PUBLIC"),
        (9, "sanction", "INVALID_VALUE"),
        (10, "sanction", "INVALID_VALUE"),
        (11, "sanctionMonths", "INVALID_VALUE"),
        (12, "sanctionMonths", "INVALID_VALUE"),
        (13, "sourceSystem", "INVALID_VALUE"),
        (14, "sourceSystem", "INVALID_VALUE"),
        (15, "decidedByUscc", "NOT_FOUND"),
        (16, "decidedByUscc", "INVALID_USCC"),
        (17, "subject.uscc", "NOT_FOUND"),
        (18, "subject.idNumber", "NOT_FOUND"),
        (19, "procurementContractCode", "NOT_FOUND"),
        (20, "procurementContractCode", "INVALID_VALUE"),
        (21, "procurementContractCode", "INVALID_VALUE"),
        (22, "procurementContractCode", "INVALID_VALUE"),
        (23, "investmentProjectCode", "NOT_FOUND"),
        (24, "title", "INVALID_VALUE"),
        (25, "sourceRef", "INVALID_VALUE"),
    ]


async def test_under_investigation_is_open_ended_and_authorized_query(
        world: AsyncSession) -> None:
    investigation = person_row(category=C.OTHER_ACCOUNTABILITY,
                               sanction=Sanction.UNDER_INVESTIGATION)
    assert await refused(world, [investigation, replace(
        investigation, source_ref="P-2", valid_until=D("2026-12-31"),
        disclosure=Disclosure.AUTHORIZED_QUERY)]) == [
        (0, "disclosure", "INVALID_VALUE"), (1, "validUntil", "INVALID_VALUE")]
    [record_id] = await report(world, [replace(investigation,
                                               disclosure=Disclosure.AUTHORIZED_QUERY)])
    assert (await world.get_one(CreditRecord, record_id)).valid_until is None


# (nature, severity, decidedOn, validUntil, actEndedOn, accepted?)
VALIDITY_TABLE = [
    (N.DISHONEST, S.MINOR, "2026-01-31", None, None, "2026-04-29"),
    (N.DISHONEST, S.MINOR, "2026-01-31", "2026-01-31", None, "2026-01-31"),
    (N.DISHONEST, S.MINOR, "2026-01-31", "2026-01-30", None, None),
    (N.DISHONEST, S.MINOR, "2026-01-31", "2026-04-29", None, "2026-04-29"),
    (N.DISHONEST, S.MINOR, "2026-01-31", "2026-04-30", None, None),
    (N.DISHONEST, S.GENERAL, "2026-01-31", None, None, "2027-01-30"),
    (N.DISHONEST, S.GENERAL, "2026-01-31", "2026-04-28", None, None),
    (N.DISHONEST, S.GENERAL, "2026-01-31", "2026-04-29", None, "2026-04-29"),
    (N.DISHONEST, S.GENERAL, "2026-01-31", "2027-01-30", None, "2027-01-30"),
    (N.DISHONEST, S.GENERAL, "2026-01-31", "2027-01-31", None, None),
    (N.DISHONEST, S.SERIOUS, "2026-01-31", None, None, "2029-01-30"),
    (N.DISHONEST, S.SERIOUS, "2026-01-31", "2027-01-29", None, None),
    (N.DISHONEST, S.SERIOUS, "2026-01-31", "2027-01-30", None, "2027-01-30"),
    (N.DISHONEST, S.SERIOUS, "2026-01-31", "2029-01-30", None, "2029-01-30"),
    (N.DISHONEST, S.SERIOUS, "2026-01-31", "2029-01-31", None, None),
    (N.TRUSTWORTHY, None, "2026-01-31", None, None, "2029-01-30"),
    (N.TRUSTWORTHY, None, "2026-01-31", "2031-01-30", None, "2031-01-30"),
    (N.TRUSTWORTHY, None, "2026-01-31", "2031-01-31", None, None),
    # 条例第三十五条: at most actEndedOn + 5 years - 1 day, for dishonesty only.
    (N.DISHONEST, S.SERIOUS, "2026-01-31", "2027-05-31", "2022-06-01", "2027-05-31"),
    (N.DISHONEST, S.SERIOUS, "2026-01-31", "2027-06-01", "2022-06-01", None),
    (N.DISHONEST, S.SERIOUS, "2026-01-31", None, "2022-06-01", None),
    (N.TRUSTWORTHY, None, "2026-01-31", None, "2020-01-01", "2029-01-30"),
]


@pytest.mark.parametrize(("nature", "severity", "decided", "until", "act_ended", "stored"),
                         VALIDITY_TABLE)
async def test_validity_defaults_and_boundary_days(
        world: AsyncSession, nature: RecordNature, severity: Severity | None, decided: str,
        until: str | None, act_ended: str | None, stored: str | None) -> None:
    category = C.COMMENDATION if nature == N.TRUSTWORTHY else C.ADMINISTRATIVE_PENALTY
    given = row(nature=nature, severity=severity, category=category, decided_on=D(decided),
                valid_until=until and D(until), act_ended_on=act_ended and D(act_ended))
    if stored is None:
        assert await refused(world, [given]) == [(0, "validUntil", "VALIDITY_OUT_OF_RANGE")]
        return
    [record_id] = await report(world, [given])
    assert (await world.get_one(CreditRecord, record_id)).valid_until == D(stored)


# ---------------------------------------------------------------- write scope

P, UNIT = "person", "unit"
# (audience, subject, domain, category, allowed?)
SCOPE_TABLE = [
    ("PROCUREMENT", UNIT, SD.PROCUREMENT, C.ADMINISTRATIVE_PENALTY, True),
    ("PROCUREMENT", P, SD.PROCUREMENT, C.ADMINISTRATIVE_SANCTION, True),
    ("PROCUREMENT", UNIT, SD.INVESTMENT, C.ADMINISTRATIVE_PENALTY, False),
    ("PROCUREMENT", UNIT, SD.OTHER, C.ADMINISTRATIVE_PENALTY, False),
    ("PROJECT_APPROVAL", UNIT, SD.INVESTMENT, C.ADMINISTRATIVE_PENALTY, True),
    ("PROJECT_APPROVAL", UNIT, SD.PROCUREMENT, C.ADMINISTRATIVE_PENALTY, False),
    ("PERSONNEL", P, SD.OTHER, C.ADMINISTRATIVE_SANCTION, True),
    ("PERSONNEL", P, SD.OTHER, C.DISCIPLINARY_SANCTION, True),
    ("PERSONNEL", P, SD.OTHER, C.PERFORMANCE_ASSESSMENT, True),
    ("PERSONNEL", P, SD.OTHER, C.OTHER_ACCOUNTABILITY, True),
    ("PERSONNEL", P, SD.OTHER, C.COMMENDATION, True),
    ("PERSONNEL", P, SD.OTHER, C.JUDICIAL_JUDGMENT, False),
    ("PERSONNEL", P, SD.OTHER, C.COMPLAINT, False),
    ("PERSONNEL", UNIT, SD.OTHER, C.COMMENDATION, False),
    ("SUPERVISION", P, SD.OTHER, C.ADMINISTRATIVE_SANCTION, False),
    ("SUPERVISION", UNIT, SD.PROCUREMENT, C.ADMINISTRATIVE_PENALTY, False),
    ("CREDIT_OFFICE", UNIT, SD.DEBT, C.JUDICIAL_JUDGMENT, True),
    ("CREDIT_OFFICE", P, SD.PPP, C.COMPLAINT, True),
]


@pytest.mark.parametrize(("audience", "subject", "domain", "category", "allowed"), SCOPE_TABLE)
async def test_write_scope_per_audience(
        world: AsyncSession, audience: str, subject: str, domain: SourceDomain,
        category: RecordCategory, allowed: bool) -> None:
    nature = N.TRUSTWORTHY if category == C.COMMENDATION else N.DISHONEST
    severity = None if nature == N.TRUSTWORTHY else S.GENERAL
    given = row(domain=domain, category=category, nature=nature, severity=severity)
    if subject == P:
        given = replace(given, subject_uscc=None, subject_id_number=ZHANG)
    if allowed:
        assert len(await report(world, [given], audience)) == 1
    else:
        assert await refused(world, [row("R-0"), given], audience) == [
            *([(0, None, "FORBIDDEN")] if audience not in ("PROCUREMENT", "CREDIT_OFFICE")
              else []), (1, None, "FORBIDDEN")]


# ---------------------------------------------------------------- statements

# rules; key locks; stored records; units; people; contracts; INSERT records; INSERT events;
# and for a client other than the credit office, the sourceSystem owner check.
REPORT_STATEMENTS = {"CREDIT_OFFICE": 8, "PROCUREMENT": 9}


@pytest.mark.parametrize("audience", REPORT_STATEMENTS)
@pytest.mark.parametrize("size", [2, 50])
async def test_a_report_costs_the_same_statements_for_two_rows_or_fifty(
        world: AsyncSession, count_statements: Any, size: int, audience: str) -> None:
    rows = [row(f"S-{n}", procurement_contract_code=CONTRACT, decided_by_uscc=COURT)
            for n in range(size - 1)] + [person_row(domain=SD.PROCUREMENT)]
    with count_statements() as counter:
        await report(world, rows, audience=audience)
    assert counter.count == REPORT_STATEMENTS[audience], counter.statements
    assert await counts(world) == (size, 2 * size, 0)


# rules; key locks; stored records; units; contracts; the CORRECTED events of the stored
# records (no person in these rows, nothing inserted).
RESEND_STATEMENTS = 6


@pytest.mark.parametrize("size", [2, 50])
async def test_a_resend_after_corrections_costs_the_same_statements_for_two_rows_or_fifty(
        world: AsyncSession, count_statements: Any, size: int) -> None:
    rows = [row(f"C-{n}", procurement_contract_code=CONTRACT, decided_by_uscc=COURT)
            for n in range(size)]
    for record_id in await report(world, rows):
        await service.correct_record(world, record_id, patch=service.RecordPatch(title="更正"),
                                     note="x", actor="credit_office", audience="CREDIT_OFFICE",
                                     today=TODAY)
    before = await counts(world)
    with count_statements() as counter:
        await report(world, rows)
    assert counter.count == RESEND_STATEMENTS, counter.statements
    assert await counts(world) == before


# ---------------------------------------------------------------- versioned rules


async def test_the_validity_rule_version_of_the_decision_day_applies(world: AsyncSession) -> None:
    world.add(ValidityRuleRow(valid_from=D("2026-04-01"), nature="DISHONEST", severity="GENERAL",
                              default_months=6, min_months=3, max_months=12, source="test"))
    await world.flush()
    ids = await report(world, [row("V-1", decided_on=D("2026-03-31")),
                               row("V-2", decided_on=D("2026-04-01"))])
    stored = [(await world.get_one(CreditRecord, i)).valid_until for i in ids]
    assert stored == [D("2027-03-30"), D("2026-09-30")]
