"""Government investment projects and their approvals (DOMAIN.md sections 8 and 9). Services
flush; the caller commits. Every batch is all-or-nothing: each bad row is reported, then
nothing is written. Violations (which write credit records) are in
`domains.investment.violations`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.errors import ErrorCollector
from domains.core.locks import LockSpace, lock_keys
from domains.investment import errors as codes
from domains.investment import queries, rules
from domains.investment.models import InvestmentApproval, InvestmentProject
from domains.investment.rules import Approval, ApprovalDocument
from domains.subject import keys
from domains.subject import service as subjects

MAX_CODE = 100
MAX_NAME = 300
MAX_NUMBER = 200
MAX_AMOUNT = Decimal("1e16")  # NUMERIC(18, 2)


@dataclass(frozen=True)
class ProjectRow:
    """One InvestmentProjectInput."""

    code: str
    name: str
    supervising_department_uscc: str


@dataclass(frozen=True)
class ApprovalRow:
    """One InvestmentApprovalInput."""

    project_code: str
    document: ApprovalDocument
    submitted_on: date
    approved_on: date | None = None
    approval_number: str | None = None
    estimated_total: Decimal | None = None

    @property
    def key(self) -> tuple[str, ApprovalDocument, date]:
        return (self.project_code, self.document, self.submitted_on)

    def approval(self) -> Approval:
        return Approval(self.document, self.submitted_on, self.approved_on,
                        self.estimated_total)


# ---------------------------------------------------------------- reads


async def projects_by_code(session: AsyncSession,
                           codes_: Sequence[str]) -> dict[str, InvestmentProject]:
    """Projects by code (keys normalised: blanks stripped, upper-cased); unknown codes left out."""
    wanted = {keys.normalise_key(code) for code in codes_}
    if not wanted:
        return {}
    return {p.code: p for p in await session.scalars(queries.projects_by_codes(wanted))}


async def approvals_by_project(session: AsyncSession, project_ids: Sequence[uuid.UUID],
                               ) -> dict[uuid.UUID, list[InvestmentApproval]]:
    """The stored approvals of each project, in document order then submittedOn."""
    found: dict[uuid.UUID, list[InvestmentApproval]] = {p: [] for p in project_ids}
    if project_ids:
        for row in await session.scalars(queries.approvals_of(project_ids)):
            found[row.project_id].append(row)
    return found


def stored_approval(row: InvestmentApproval) -> Approval:
    """What the section 8 rules need of a stored approval."""
    return Approval(ApprovalDocument(row.document), row.submitted_on, row.approved_on,
                    row.estimated_total)


def is_amount(amount: Decimal) -> bool:
    """Above 0, within NUMERIC(18, 2), at most two decimals (the Decimal scalar ensures it too)."""
    exponent = amount.as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -2 and 0 < amount < MAX_AMOUNT


# ---------------------------------------------------------------- projects


def _check_project(row: ProjectRow, index: int, errors: ErrorCollector) -> None:
    if not 1 <= len(row.code) <= MAX_CODE:
        errors.add(codes.INVALID_VALUE, f"code must have 1 to {MAX_CODE} characters", index,
                   "code")
    if not 1 <= len(row.name) <= MAX_NAME:
        errors.add(codes.INVALID_VALUE, f"name must have 1 to {MAX_NAME} characters", index,
                   "name")
    if not keys.is_valid_uscc(row.supervising_department_uscc):
        errors.add(codes.INVALID_USCC, keys.SUBJECT_KEY_MESSAGES[codes.INVALID_USCC], index,
                   "supervisingDepartmentUscc")


async def register_projects(session: AsyncSession, rows: Sequence[ProjectRow], *,
                            reported_by: str) -> list[uuid.UUID]:
    """Create or update projects (key code); all-or-nothing. Returns the ids in row order."""
    rows = [ProjectRow(code=keys.normalise_key(r.code), name=r.name.strip(),
                       supervising_department_uscc=keys.normalise_key(
                           r.supervising_department_uscc)) for r in rows]
    errors = ErrorCollector()
    for index, row in enumerate(rows):
        _check_project(row, index, errors)
    subjects.dedupe(rows, lambda r: r.code, errors, "code")
    await lock_keys(session, LockSpace.INVESTMENT_PROJECT, (row.code for row in rows))
    units = await subjects.required_units(
        session, [r.supervising_department_uscc for r in rows], "supervisingDepartmentUscc",
        errors)
    errors.raise_if_any()
    existing = await projects_by_code(session, [r.code for r in rows])
    for row in rows:
        _write_project(session, row, units[row.supervising_department_uscc].id, existing,
                       reported_by)
    await session.flush()
    return [existing[row.code].id for row in rows]


def _write_project(session: AsyncSession, row: ProjectRow, department_id: uuid.UUID,
                   existing: dict[str, InvestmentProject], reported_by: str) -> None:
    project = existing.get(row.code)
    if project is not None and (project.name, project.supervising_department_id) == (
            row.name, department_id):
        return  # the same content again writes nothing
    if project is None:
        project = InvestmentProject(id=uuid.uuid4(), code=row.code, reported_by=reported_by)
        session.add(project)
        existing[row.code] = project
    else:
        project.updated_at = func.now()
    project.name, project.supervising_department_id = row.name, department_id


# ---------------------------------------------------------------- approvals


def _normalised_approval(row: ApprovalRow) -> ApprovalRow:
    number = row.approval_number
    return replace(row, project_code=keys.normalise_key(row.project_code),
                   approval_number=number.strip() if number and number.strip() else None)


def _check_approval(row: ApprovalRow, index: int, today: date, errors: ErrorCollector) -> None:
    """What can be judged from the row alone."""
    for field, message in rules.check_dates(row.approval(), today):
        errors.add(codes.INVALID_VALUE, message, index, field)
    if row.estimated_total is not None and not is_amount(row.estimated_total):
        errors.add(codes.INVALID_VALUE, codes.ESTIMATE, index, "estimatedTotal")
    if row.approval_number is not None and len(row.approval_number) > MAX_NUMBER:
        errors.add(codes.INVALID_VALUE, f"at most {MAX_NUMBER} characters", index,
                   "approvalNumber")


def _same(stored: InvestmentApproval, row: ApprovalRow) -> bool:
    return (stored.approved_on, stored.approval_number, stored.estimated_total) == (
        row.approved_on, row.approval_number, row.estimated_total)


@dataclass
class _ProjectApprovals:
    """One project's approvals after the batch: the stored ones with the batch's merged in
    (`rows`: batch index -> position in `approvals`)."""

    stored: dict[tuple[ApprovalDocument, date], InvestmentApproval]
    approvals: list[Approval]
    rows: dict[int, int]


def _merge(stored: Sequence[InvestmentApproval], batch: Sequence[tuple[int, ApprovalRow]],
           errors: ErrorCollector) -> _ProjectApprovals:
    """Merge a project's batch rows into its stored approvals; an approved one that a row
    would change is CONFLICT (and stays as stored)."""
    by_key = {(ApprovalDocument(a.document), a.submitted_on): a for a in stored}
    positions = {key: n for n, key in enumerate(by_key)}
    approvals = [stored_approval(a) for a in by_key.values()]
    merged = _ProjectApprovals(by_key, approvals, {})
    for index, row in batch:
        key = (row.document, row.submitted_on)
        old = by_key.get(key)
        if old is not None and old.approved_on is not None and not _same(old, row):
            errors.add(codes.CONFLICT, codes.FROZEN_APPROVAL, index, "submittedOn")
            continue
        if key not in positions:
            positions[key] = len(approvals)
            approvals.append(row.approval())
        approvals[positions[key]] = row.approval()
        merged.rows[index] = positions[key]
    return merged


def _check_order(merged: _ProjectApprovals, errors: ErrorCollector) -> None:
    by_position = {position: index for index, position in merged.rows.items()}
    for position, problem in rules.out_of_order(merged.approvals,
                                                sorted(by_position)).items():
        errors.add(codes.APPROVAL_OUT_OF_ORDER, problem, by_position[position], "approvedOn")


async def _merged_projects(session: AsyncSession, rows: Sequence[ApprovalRow],
                           projects: dict[str, InvestmentProject], first: dict[int, int],
                           errors: ErrorCollector) -> dict[str, _ProjectApprovals]:
    """Each project's approvals with the batch's valid rows merged in, order checked."""
    bad = {error.index for error in errors.errors}
    stored = await approvals_by_project(session, [p.id for p in projects.values()])
    merged = {}
    for code, project in projects.items():
        batch = [(i, r) for i, r in enumerate(rows)
                 if r.project_code == code and i not in bad and first[i] == i]
        merged[code] = _merge(stored[project.id], batch, errors)
        _check_order(merged[code], errors)
    return merged


async def record_approvals(session: AsyncSession, rows: Sequence[ApprovalRow], *, today: date,
                           recorded_by: str) -> list[uuid.UUID]:
    """Record approvals (key project + document + submittedOn); all-or-nothing. An approval is
    updated while unapproved; once approved, other content is CONFLICT and the same a no-op.
    Returns the projects' ids in row order (an approval is not an object of its own)."""
    rows = [_normalised_approval(row) for row in rows]
    errors = ErrorCollector()
    for index, row in enumerate(rows):
        _check_approval(row, index, today, errors)
    first = subjects.dedupe(rows, lambda r: r.key, errors, "submittedOn")
    # by project: its approvals' order is judged over all of them, not one key at a time
    await lock_keys(session, LockSpace.INVESTMENT_PROJECT, (row.project_code for row in rows))
    projects = await projects_by_code(session, [row.project_code for row in rows])
    for index, row in enumerate(rows):
        if row.project_code not in projects:
            errors.add(codes.NOT_FOUND, codes.NO_PROJECT.format(code=row.project_code), index,
                       "projectCode")
    merged = await _merged_projects(session, rows, projects, first, errors)
    errors.raise_if_any()
    for index, row in enumerate(rows):
        if first[index] == index:
            _write_approval(session, row, projects[row.project_code].id,
                            merged[row.project_code], recorded_by)
    await session.flush()
    return [projects[row.project_code].id for row in rows]


def _write_approval(session: AsyncSession, row: ApprovalRow, project_id: uuid.UUID,
                    merged: _ProjectApprovals, recorded_by: str) -> None:
    approval = merged.stored.get((row.document, row.submitted_on))
    if approval is not None and _same(approval, row):
        return  # the same content again writes nothing
    if approval is None:
        approval = InvestmentApproval(id=uuid.uuid4(), project_id=project_id,
                                      document=row.document.value,
                                      submitted_on=row.submitted_on, recorded_by=recorded_by)
        session.add(approval)
    else:
        approval.updated_at = func.now()
        approval.recorded_by = recorded_by
    approval.approved_on, approval.approval_number = row.approved_on, row.approval_number
    approval.estimated_total = row.estimated_total
