"""registerPppProjects (DOMAIN.md sections 7 and 9): projects keyed by code, re-sent ones
updated. Services flush; the caller commits. All-or-nothing: every bad row is reported."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.errors import ErrorCollector
from domains.core.locks import LockSpace, lock_keys
from domains.ppp import errors as codes
from domains.ppp import queries
from domains.ppp.models import PppProject
from domains.ppp.rules import PppStage
from domains.subject import keys
from domains.subject import service as subjects

MAX_CODE = 100
MAX_NAME = 300
MAX_ITEM = 300
LISTS = (("socialCapitalParties", "social_capital_parties"), ("consultants", "consultants"),
         ("contracts", "contracts"))


@dataclass(frozen=True)
class ProjectRow:
    """One PppProjectInput; omitted lists are empty."""

    code: str
    name: str
    implementing_agency_uscc: str
    current_stage: PppStage
    social_capital_parties: tuple[str, ...] = ()
    consultants: tuple[str, ...] = ()
    contracts: tuple[str, ...] = ()


def _normalised(row: ProjectRow) -> ProjectRow:
    return replace(row, code=keys.normalise_key(row.code), name=row.name.strip(),
                   implementing_agency_uscc=keys.normalise_key(row.implementing_agency_uscc),
                   social_capital_parties=tuple(p.strip() for p in row.social_capital_parties),
                   consultants=tuple(c.strip() for c in row.consultants),
                   contracts=tuple(c.strip() for c in row.contracts))


def is_project_code(code: str) -> bool:
    return 1 <= len(code) <= MAX_CODE and "/" not in code


def check_code(code: str, index: int, field: str, errors: ErrorCollector) -> None:
    """A project code: 1 to 100 characters, without '/' (generated record keys split on it)."""
    if not 1 <= len(code) <= MAX_CODE:
        errors.add(codes.INVALID_VALUE, f"must have 1 to {MAX_CODE} characters", index, field)
    elif "/" in code:
        errors.add(codes.INVALID_VALUE, codes.CODE_SLASH, index, field)


def _check_row(row: ProjectRow, index: int, errors: ErrorCollector) -> None:
    check_code(row.code, index, "code", errors)
    if not 1 <= len(row.name) <= MAX_NAME:
        errors.add(codes.INVALID_VALUE, f"name must have 1 to {MAX_NAME} characters", index,
                   "name")
    if not keys.is_valid_uscc(row.implementing_agency_uscc):
        errors.add(codes.INVALID_USCC, keys.SUBJECT_KEY_MESSAGES[codes.INVALID_USCC], index,
                   "implementingAgencyUscc")
    for field, attribute in LISTS:
        items: tuple[str, ...] = getattr(row, attribute)
        if any(not item for item in items):
            errors.add(codes.INVALID_VALUE, codes.BLANK_ITEM, index, field)
        elif any(len(item) > MAX_ITEM for item in items):
            errors.add(codes.INVALID_VALUE, f"items have at most {MAX_ITEM} characters", index,
                       field)


async def projects_by_code(session: AsyncSession, codes_: Sequence[str], *,
                           lock: bool = False) -> dict[str, PppProject]:
    """Projects by normalised code (unknown codes left out); `lock`: until the transaction ends,
    so that assignments and events of one project are judged one batch at a time."""
    wanted = {keys.normalise_key(code) for code in codes_}
    if not wanted:
        return {}
    stmt = queries.projects_by_codes(wanted)
    if lock:
        stmt = stmt.order_by(PppProject.code).with_for_update()
    return {p.code: p for p in await session.scalars(stmt)}


async def register_projects(session: AsyncSession, rows: Sequence[ProjectRow], *,
                            reported_by: str) -> list[uuid.UUID]:
    """Create or update projects (key code); all-or-nothing. Returns the ids in row order."""
    rows = [_normalised(row) for row in rows]
    errors = ErrorCollector()
    for index, row in enumerate(rows):
        _check_row(row, index, errors)
    subjects.dedupe(rows, lambda r: r.code, errors, "code")
    await lock_keys(session, LockSpace.PPP_PROJECT, (row.code for row in rows))
    units = await subjects.required_units(
        session, [r.implementing_agency_uscc for r in rows], "implementingAgencyUscc", errors)
    errors.raise_if_any()
    existing = await projects_by_code(session, [row.code for row in rows], lock=True)
    for row in rows:
        _write(session, row, units[row.implementing_agency_uscc].id, existing, reported_by)
    await session.flush()
    return [existing[row.code].id for row in rows]


def _write(session: AsyncSession, row: ProjectRow, agency_id: uuid.UUID,
           existing: dict[str, PppProject], reported_by: str) -> None:
    project = existing.get(row.code)
    if project is None:
        project = PppProject(id=uuid.uuid4(), code=row.code, reported_by=reported_by)
        session.add(project)
        existing[row.code] = project
    else:
        project.updated_at = func.now()
    project.name, project.implementing_agency_id = row.name, agency_id
    project.current_stage = row.current_stage.value
    project.social_capital_parties = list(row.social_capital_parties)
    project.consultants, project.contracts = list(row.consultants), list(row.contracts)
