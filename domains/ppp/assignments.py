"""assignPppResponsibilities (DOMAIN.md sections 7 and 9): who answers for a stage of a project,
key (project, stage, person, startedOn); re-sending a key updates role and endedOn (that is how
an assignment is closed). Two periods of one project, stage and person may not share a day,
whatever the roles, rows of the batch included. Services flush; the caller commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.errors import ErrorCollector
from domains.ppp import errors as codes
from domains.ppp import rules
from domains.ppp.models import PppProject, PppResponsibility
from domains.ppp.projects import check_code, is_project_code, projects_by_code
from domains.ppp.rules import Period, PppStage
from domains.subject import keys
from domains.subject import service as subjects

MAX_ROLE = 200

# (project id, stage, person id, startedOn): the key of a responsibility.
Key = tuple[uuid.UUID, str, uuid.UUID, date]


@dataclass(frozen=True)
class AssignmentRow:
    """One PppResponsibilityInput."""

    project_code: str
    stage: PppStage
    id_number: str
    role: str
    started_on: date
    ended_on: date | None = None

    @property
    def period(self) -> Period:
        return Period(self.started_on, self.ended_on)


def _check_row(row: AssignmentRow, index: int, today: date, errors: ErrorCollector) -> None:
    check_code(row.project_code, index, "projectCode", errors)
    if not keys.is_valid_id_number(row.id_number, today):
        errors.add(codes.INVALID_ID_NUMBER, keys.SUBJECT_KEY_MESSAGES[codes.INVALID_ID_NUMBER],
                   index, "idNumber")
    if not 1 <= len(row.role) <= MAX_ROLE:
        errors.add(codes.INVALID_VALUE, f"role must have 1 to {MAX_ROLE} characters", index,
                   "role")
    if row.started_on > today:
        errors.add(codes.INVALID_VALUE, f"startedOn {codes.AFTER_TODAY}", index, "startedOn")
    if rules.is_reversed(row.period):
        errors.add(codes.INVALID_VALUE, codes.REVERSED, index, "endedOn")


@dataclass
class _Batch:
    """The batch's rows resolved to ids (None: reported as an error already)."""

    projects: dict[str, PppProject]
    people: dict[int, uuid.UUID]

    def key(self, index: int, row: AssignmentRow) -> Key | None:
        project, person = self.projects.get(row.project_code), self.people.get(index)
        if project is None or person is None:
            return None
        return (project.id, row.stage.value, person, row.started_on)


async def _resolve(session: AsyncSession, rows: Sequence[AssignmentRow], secret: bytes,
                   today: date, errors: ErrorCollector) -> _Batch:
    projects = await projects_by_code(session, [r.project_code for r in rows], lock=True)
    hashes = {i: keys.hash_id_number(r.id_number, secret) for i, r in enumerate(rows)
              if keys.is_valid_id_number(r.id_number, today)}
    found = await subjects.people_by_hash(session, list(hashes.values()))
    people = {i: found[h].id for i, h in hashes.items() if h in found}
    for index, row in enumerate(rows):
        if row.project_code not in projects and is_project_code(row.project_code):
            errors.add(codes.NOT_FOUND, codes.NO_PROJECT.format(code=row.project_code), index,
                       "projectCode")
        if index in hashes and index not in people:
            errors.add(codes.NOT_FOUND, codes.NO_PERSON, index, "idNumber")
    return _Batch(projects, people)


async def _stored(session: AsyncSession, keys_: Sequence[Key]) -> list[PppResponsibility]:
    """Every stored responsibility of the (project, stage, person) triples of the batch."""
    triples = {(p, s, c) for p, s, c, _ in keys_}
    if not triples:
        return []
    return list(await session.scalars(select(PppResponsibility).where(
        PppResponsibility.project_id.in_({p for p, _, _ in triples}),
        PppResponsibility.civil_servant_id.in_({c for _, _, c in triples}))))


def _check_overlaps(rows: Sequence[AssignmentRow], batch_keys: dict[int, Key],
                    stored: Sequence[PppResponsibility], errors: ErrorCollector) -> None:
    """The periods after the batch (a re-sent key replaces its stored period), per project,
    stage and person: OVERLAPPING_ASSIGNMENT on a batch row sharing a day with a stored period
    or an earlier row."""
    periods: dict[Key, tuple[int, Period]] = {
        (r.project_id, r.stage, r.civil_servant_id, r.started_on):
            (-1, Period(r.started_on, r.ended_on)) for r in stored}
    for index, key in batch_keys.items():
        if not rules.is_reversed(rows[index].period) and periods.get(key, (-1,))[0] < 0:
            periods[key] = (index, rows[index].period)  # the first row of a key stands for it
    groups: dict[tuple[uuid.UUID, str, uuid.UUID], list[tuple[int, Period]]] = {}
    for (project, stage, person, _), entry in periods.items():
        groups.setdefault((project, stage, person), []).append(entry)
    for entries in groups.values():
        entries.sort(key=lambda entry: entry[0])  # stored periods first, then in row order
        for position in sorted(rules.overlapping([period for _, period in entries])):
            if entries[position][0] >= 0:  # stored periods never overlap each other
                errors.add(codes.OVERLAPPING_ASSIGNMENT, codes.OVERLAP, entries[position][0])


async def assign_responsibilities(session: AsyncSession, rows: Sequence[AssignmentRow], *,
                                  secret: bytes, today: date,
                                  assigned_by: str) -> list[uuid.UUID]:
    """Create or update responsibilities; all-or-nothing. Returns the projects' ids in row
    order (a responsibility is not an object of its own: PppResponsibility is no Node)."""
    rows = [replace(r, project_code=keys.normalise_key(r.project_code),
                    id_number=keys.normalise_key(r.id_number), role=r.role.strip())
            for r in rows]
    errors = ErrorCollector()
    for index, row in enumerate(rows):
        _check_row(row, index, today, errors)
    batch = await _resolve(session, rows, secret, today, errors)
    batch_keys = {i: k for i, row in enumerate(rows) if (k := batch.key(i, row)) is not None}
    subjects.dedupe(rows, lambda r: (r.project_code, r.stage, r.id_number, r.started_on),
                    errors, "startedOn")
    stored = await _stored(session, list(batch_keys.values()))
    _check_overlaps(rows, batch_keys, stored, errors)
    errors.raise_if_any()
    existing = {(r.project_id, r.stage, r.civil_servant_id, r.started_on): r for r in stored}
    for index, row in enumerate(rows):
        _write(session, batch_keys[index], row, existing, assigned_by)
    await session.flush()
    return [batch.projects[row.project_code].id for row in rows]


def _write(session: AsyncSession, key: Key, row: AssignmentRow,
           existing: dict[Key, PppResponsibility], assigned_by: str) -> None:
    found = existing.get(key)
    if found is not None and (found.role, found.ended_on) == (row.role, row.ended_on):
        return  # the same content again writes nothing
    if found is None:
        project_id, stage, person_id, started_on = key
        found = PppResponsibility(id=uuid.uuid4(), project_id=project_id, stage=stage,
                                  civil_servant_id=person_id, started_on=started_on,
                                  assigned_by=assigned_by)
        session.add(found)
        existing[key] = found
    else:
        found.updated_at = func.now()
    found.role, found.ended_on = row.role, row.ended_on

