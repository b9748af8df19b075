"""reportCreditRecords (DOMAIN.md sections 2, 3 and 9): validate the whole batch, then write.

Steps: normalise keys and texts; refuse rows outside the client's write scope (FORBIDDEN);
apply the pure rules of `domains.credit.rules` to each row; look the subjects, deciding units
and contracts up (one query each); compare each row with a stored record or an earlier row of
the same (sourceSystem, sourceRef) (CONFLICT unless the same content). Only then write: each new
record ACTIVE with its REPORTED and NOTIFIED events. Services flush; the caller commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.errors import ErrorCollector
from domains.core.texts import column_width
from domains.credit import corrections as corrections_module
from domains.credit import errors as codes
from domains.credit import rules
from domains.credit.defaults import ValidityRule
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
from domains.credit.writing import (
    add_rule_errors,
    clean,
    foreign_systems,
    lock_source_keys,
    may_write,
    outside_foreign_systems,
    stored_records,
    validity_rules,
    write_reported,
)
from domains.investment import service as investment
from domains.investment.models import InvestmentProject
from domains.procurement import service as procurement
from domains.procurement.models import ProcurementContract
from domains.subject import keys
from domains.subject import service as subjects
from domains.subject.models import CivilServant

# Column widths of credit_record (a longer value is INVALID_VALUE, not a database error).
TEXT_LIMITS: Final = tuple((field, column_width(column)) for field, column in (
    ("title", CreditRecord.title), ("summary", CreditRecord.summary),
    ("decisionNumber", CreditRecord.decision_number),
    ("sourceSystem", CreditRecord.source_system), ("sourceRef", CreditRecord.source_ref)))


@dataclass(frozen=True)
class RecordRow:
    """One CreditRecordInput; the subject is `subject_uscc` or `subject_id_number`."""

    subject_uscc: str | None
    subject_id_number: str | None
    nature: RecordNature
    category: RecordCategory
    domain: SourceDomain
    title: str
    decided_on: date
    disclosure: Disclosure
    source_system: str
    source_ref: str
    severity: Severity | None = None
    sanction: Sanction | None = None
    sanction_months: int | None = None
    summary: str | None = None
    decision_number: str | None = None
    decided_by_uscc: str | None = None
    act_ended_on: date | None = None
    valid_until: date | None = None
    share_scope: tuple[Audience, ...] | None = None
    procurement_contract_code: str | None = None
    investment_project_code: str | None = None

    @property
    def is_person(self) -> bool | None:
        """Whether the subject is a person; None when the key names neither or both."""
        if (self.subject_uscc is None) == (self.subject_id_number is None):
            return None
        return self.subject_id_number is not None

    @property
    def key(self) -> tuple[str, str]:
        return (self.source_system, self.source_ref)

    def terms(self) -> rules.RecordTerms:
        """The constrained fields (an ambiguous subject is checked as a person's, so that only
        `subject` is reported for it)."""
        return rules.RecordTerms(
            subject_is_person=self.is_person is not False, nature=self.nature,
            category=self.category, severity=self.severity, sanction=self.sanction,
            sanction_months=self.sanction_months, decided_on=self.decided_on,
            act_ended_on=self.act_ended_on, valid_until=self.valid_until,
            disclosure=self.disclosure)

    def texts(self) -> dict[str, str | None]:
        return {"title": self.title, "summary": self.summary,
                "decisionNumber": self.decision_number, "sourceSystem": self.source_system,
                "sourceRef": self.source_ref}


# ---------------------------------------------------------------- validation


def normalised(row: RecordRow) -> RecordRow:
    """Keys stripped and upper-cased, texts stripped, blank optional values omitted.
    (sourceSystem and sourceRef keep their case: generated refs hold global ids.)

    Built field by field, not with `dataclasses.replace`, which looks every field up again
    for each row (a tenth of a 1,000-row report's server time, issue 13)."""
    uscc, id_number = row.subject_uscc, row.subject_id_number
    return RecordRow(
        subject_uscc=None if uscc is None else keys.normalise_key(uscc),
        subject_id_number=None if id_number is None else keys.normalise_key(id_number),
        nature=row.nature, category=row.category, domain=row.domain, title=row.title.strip(),
        decided_on=row.decided_on, disclosure=row.disclosure,
        source_system=row.source_system.strip(), source_ref=row.source_ref.strip(),
        severity=row.severity, sanction=row.sanction, sanction_months=row.sanction_months,
        summary=clean(row.summary), decision_number=clean(row.decision_number),
        decided_by_uscc=keys.optional_key(row.decided_by_uscc), act_ended_on=row.act_ended_on,
        valid_until=row.valid_until,
        share_scope=None if row.share_scope is None else tuple(row.share_scope),
        procurement_contract_code=keys.optional_key(row.procurement_contract_code),
        investment_project_code=keys.optional_key(row.investment_project_code))


def _check_keys(row: RecordRow, index: int, today: date, errors: ErrorCollector) -> None:
    problem = keys.subject_key_error(row.subject_uscc, row.subject_id_number, today)
    if problem is not None:
        field, code = problem
        errors.add(code, keys.SUBJECT_KEY_MESSAGES[code], index, field)
    if row.decided_by_uscc is not None and not keys.is_valid_uscc(row.decided_by_uscc):
        errors.add(codes.INVALID_USCC, keys.SUBJECT_KEY_MESSAGES[codes.INVALID_USCC], index,
                   "decidedByUscc")


def _check_texts(row: RecordRow, index: int, errors: ErrorCollector,
                 reserved_source: str | None) -> None:
    texts = row.texts()
    for field, limit in TEXT_LIMITS:
        value = texts[field]
        if field in ("title", "sourceSystem", "sourceRef") and not value:
            errors.add(codes.INVALID_VALUE, codes.BLANK, index, field)
        elif value is not None and len(value) > limit:
            errors.add(codes.INVALID_VALUE, f"at most {limit} characters", index, field)
    reserved = rules.check_source_system(row.source_system)
    if reserved is not None and row.source_system != reserved_source:
        add_rule_errors([reserved], index, errors)


class BatchRules:
    """The pure rules of `domains.credit.rules` for one batch, each distinct set of terms
    judged once: a batch's rows mostly share their category, severity and decision day, and
    the rules read nothing but the terms, today and the validity versions (issue 13)."""

    def __init__(self, today: date, validity: Sequence[ValidityRule]) -> None:
        self.today, self.validity = today, validity
        self._problems: dict[rules.RecordTerms, list[rules.FieldError]] = {}
        self._valid_until: dict[rules.RecordTerms, date | None] = {}
        self._scopes: dict[tuple[bool, tuple[Audience, ...] | None], list[str]] = {}

    def problems(self, terms: rules.RecordTerms) -> list[rules.FieldError]:
        """`rules.validate_record` of these terms."""
        if terms not in self._problems:
            self._problems[terms] = rules.validate_record(terms, today=self.today,
                                                          validity_rules=self.validity)
        return self._problems[terms]

    def share_scope(self, subject_is_person: bool,
                    given: tuple[Audience, ...] | None) -> list[str]:
        """`rules.resolve_share_scope` as stored (values), a new list for each row."""
        key = (subject_is_person, given)
        if key not in self._scopes:
            self._scopes[key] = [audience.value for audience in rules.resolve_share_scope(
                subject_is_person, given)]
        return list(self._scopes[key])

    def valid_until(self, terms: rules.RecordTerms) -> date | None:
        """`rules.resolved_valid_until` of these (valid) terms."""
        if terms not in self._valid_until:
            self._valid_until[terms] = rules.resolved_valid_until(terms, self.validity)
        return self._valid_until[terms]


def _check_row(row: RecordRow, terms: rules.RecordTerms, index: int, today: date,
               judged: BatchRules, errors: ErrorCollector, reserved_source: str | None) -> None:
    _check_keys(row, index, today, errors)
    _check_texts(row, index, errors, reserved_source)
    add_rule_errors(judged.problems(terms), index, errors)


# ---------------------------------------------------------------- references


@dataclass(frozen=True)
class _References:
    units: dict[str, uuid.UUID]  # unit ids by uscc
    people: dict[str, CivilServant]  # by keyed hash
    contracts: dict[str, ProcurementContract]
    projects: dict[str, InvestmentProject]
    stored: dict[tuple[str, str], CreditRecord]
    secret: bytes
    corrections: dict[uuid.UUID, list[dict[str, object]]]

    def person(self, row: RecordRow) -> CivilServant | None:
        assert row.subject_id_number is not None
        return self.people.get(keys.hash_id_number(row.subject_id_number, self.secret))


async def _references(session: AsyncSession, rows: Sequence[RecordRow],
                      secret: bytes) -> _References:
    usccs = [u for r in rows for u in (r.subject_uscc, r.decided_by_uscc) if u is not None]
    hashes = [keys.hash_id_number(r.subject_id_number, secret)
              for r in rows if r.subject_id_number is not None]
    contracts = [r.procurement_contract_code for r in rows if r.procurement_contract_code]
    projects = [r.investment_project_code for r in rows if r.investment_project_code]
    stored_keys = {row.key for row in rows}
    await lock_source_keys(session, stored_keys)
    stored = await stored_records(session, stored_keys)
    return _References(
        units=await subjects.unit_ids_by_uscc(session, usccs),
        people=await subjects.people_by_hash(session, hashes),
        contracts=await procurement.contracts_by_code(session, contracts),
        projects=await investment.projects_by_code(session, projects),
        stored=stored, secret=secret, corrections=await corrections_module.corrections_of(
            session, [record.id for record in stored.values()]))


@dataclass(frozen=True)
class _Ids:
    unit: uuid.UUID | None = None
    person: uuid.UUID | None = None
    decided_by: uuid.UUID | None = None
    contract: uuid.UUID | None = None
    project: uuid.UUID | None = None


def _subject_ids(row: RecordRow, index: int, today: date, refs: _References,
                 errors: ErrorCollector) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """(unit id, person id) of the row's subject; (None, None) when it is not found."""
    if keys.subject_key_error(row.subject_uscc, row.subject_id_number, today) is not None:
        return None, None
    if row.subject_uscc is not None:
        unit = refs.units.get(row.subject_uscc)
        if unit is None:
            errors.add(codes.NOT_FOUND, f"no unit {row.subject_uscc}", index, "subject.uscc")
        return unit, None
    person = refs.person(row)
    if person is None:
        errors.add(codes.NOT_FOUND, "no civil servant with this number", index,
                   "subject.idNumber")
    return None, person.id if person else None


def _resolve(row: RecordRow, index: int, today: date, refs: _References,
             errors: ErrorCollector) -> _Ids:
    unit, person = _subject_ids(row, index, today, refs, errors)
    decided_by = contract_id = project_id = None
    if row.decided_by_uscc is not None and keys.is_valid_uscc(row.decided_by_uscc):
        decided_by = refs.units.get(row.decided_by_uscc)
        if decided_by is None:
            errors.add(codes.NOT_FOUND, f"no unit {row.decided_by_uscc}", index, "decidedByUscc")
    if row.procurement_contract_code is not None:
        contract = refs.contracts.get(row.procurement_contract_code)
        problem = _contract_problem(row, unit, person, contract)
        if problem is not None:
            errors.add(problem[0], problem[1], index, "procurementContractCode")
        contract_id = contract.id if contract else None
    if row.investment_project_code is not None:
        project = refs.projects.get(row.investment_project_code)
        problem = _project_problem(row, project)
        if problem is not None:
            errors.add(problem[0], problem[1], index, "investmentProjectCode")
        project_id = project.id if project else None
    return _Ids(unit=unit, person=person, decided_by=decided_by, contract=contract_id,
                project=project_id)


def _project_problem(row: RecordRow,
                     project: InvestmentProject | None) -> tuple[str, str] | None:
    """A project link needs a known project and domain INVESTMENT; any subject may answer for
    a project (its department, another unit, a person), so the subject is not restricted."""
    if project is None:
        return codes.NOT_FOUND, codes.NO_INVESTMENT_PROJECT
    if row.domain != SourceDomain.INVESTMENT:
        return codes.INVALID_VALUE, "a linked investment project needs domain INVESTMENT"
    return None


def _contract_problem(row: RecordRow, unit: uuid.UUID | None, person: uuid.UUID | None,
                      contract: ProcurementContract | None) -> tuple[str, str] | None:
    if contract is None:
        return codes.NOT_FOUND, f"no procurement contract {row.procurement_contract_code}"
    if row.domain != SourceDomain.PROCUREMENT:
        return codes.INVALID_VALUE, "a linked contract needs domain PROCUREMENT"
    if unit is None and person is None:
        return None  # the subject is reported on its own field
    if unit not in (None, contract.purchaser_id) or person not in (
            None, contract.responsible_person_id):
        return (codes.INVALID_VALUE,
                "the subject must be the contract's purchaser or responsible person")
    return None


# ---------------------------------------------------------------- idempotency, writing


def _columns(row: RecordRow, terms: rules.RecordTerms, ids: _Ids,
             judged: BatchRules) -> dict[str, object]:
    """The record's stored content, defaults applied (the idempotency comparison's terms)."""
    return {
        "unit_id": ids.unit, "civil_servant_id": ids.person, "nature": row.nature.value,
        "category": row.category.value, "severity": row.severity and row.severity.value,
        "sanction": row.sanction and row.sanction.value, "sanction_months": row.sanction_months,
        "domain": row.domain.value, "title": row.title, "summary": row.summary,
        "decision_number": row.decision_number, "decided_by_id": ids.decided_by,
        "decided_on": row.decided_on, "valid_from": row.decided_on,
        "valid_until": judged.valid_until(terms),
        "act_ended_on": row.act_ended_on, "disclosure": row.disclosure.value,
        "share_scope": judged.share_scope(bool(row.is_person), row.share_scope),
        "procurement_contract_id": ids.contract, "investment_project_id": ids.project,
    }


def _same_as_stored(content: dict[str, object], record: CreditRecord,
                   corrections: Sequence[dict[str, object]]) -> bool:
    """The content as the source reported the record (DOMAIN.md section 2), or as it is stored
    now (a source that took the credit office's correction over)."""
    now = {k: getattr(record, k) for k in content}
    return rules.same_content(content, now) or bool(corrections) and rules.same_content(
        content, corrections_module.reported_content(record, list(content), corrections))


def _check_duplicates(rows: Sequence[RecordRow], columns: dict[int, dict[str, object]],
                      refs: _References, errors: ErrorCollector) -> None:
    """Same key, same content: accepted once; other content: CONFLICT (on the later row)."""
    first: dict[tuple[str, str], int] = {}
    for index, content in columns.items():
        key = rows[index].key
        record = refs.stored.get(key)
        if record is not None:
            if not _same_as_stored(content, record, refs.corrections.get(record.id, [])):
                errors.add(codes.CONFLICT, codes.STORED_CONFLICT, index, "sourceRef")
        elif key in first:
            if not rules.same_content(content, columns[first[key]]):
                errors.add(codes.CONFLICT, codes.BATCH_CONFLICT, index, "sourceRef")
        else:
            first[key] = index


async def report_records(session: AsyncSession, rows: Sequence[RecordRow], *, actor: str,
                         audience: str, today: date, secret: bytes,
                         reserved_source: str | None = None) -> list[uuid.UUID]:
    """Report credit records; all-or-nothing (DomainError). Returns ids in row order: a row
    already stored with the same content, or repeated in the batch, gives the existing id.

    `reserved_source` lets a domain service write its generated records under its reserved
    sourceSystem (e.g. `investment`); clients never pass it, so they cannot use the name."""
    rows = [normalised(row) for row in rows]
    errors = ErrorCollector()
    allowed = [i for i, row in enumerate(rows)
               if may_write(audience, row.domain, row.category, row.is_person)]
    for index in sorted(set(range(len(rows))) - set(allowed)):
        errors.add(codes.FORBIDDEN, codes.OUT_OF_SCOPE, index)
    judged = BatchRules(today, await validity_rules(session))
    terms = {index: rows[index].terms() for index in allowed}  # once per row, not per rule
    for index in allowed:
        _check_row(rows[index], terms[index], index, today, judged, errors, reserved_source)
    # A reserved system's keys are made by its domain service from keys its own lists show
    # (e.g. a project's violations), so they reveal nothing and every writer shares the system.
    foreign = set() if reserved_source else await foreign_systems(
        session, {rows[i].source_system for i in allowed}, actor=actor, audience=audience)
    allowed = outside_foreign_systems([rows[i].source_system for i in allowed], allowed,
                                      foreign, errors)
    refs = await _references(session, [rows[i] for i in allowed], secret)
    resolved = {i: _resolve(rows[i], i, today, refs, errors) for i in allowed}
    bad = {error.index for error in errors.errors}
    columns = {i: _columns(rows[i], terms[i], resolved[i], judged)
               for i in allowed if i not in bad}
    _check_duplicates(rows, columns, refs, errors)
    errors.raise_if_any()
    return await write_reported(session, rows, columns, refs.stored, actor=actor,
                                today=today)
