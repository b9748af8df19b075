"""recordPppEvents (DOMAIN.md sections 7 and 9): an event (key project + sourceRef) is traced on
its occurredOn, and in the same transaction it writes the section 7 records on the implementing
agency (always, even with an empty trace) and on each traced person, through the credit
service. A replay writes nothing; other content under the same key is CONFLICT. The trace and
the records are frozen: later changes to responsibilities never rewrite them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.errors import ErrorCollector
from domains.core.ids import to_global_id
from domains.credit import rules as credit_rules
from domains.credit import service as credit
from domains.credit.enums import Severity, SourceDomain
from domains.credit.writing import add_rule_errors
from domains.ppp import errors as codes
from domains.ppp import queries, rules
from domains.ppp.models import PppEvent, PppProject, PppResponsibility, PppTrace
from domains.ppp.projects import check_code, is_project_code, projects_by_code
from domains.ppp.rules import Period, PppEventKind, PppStage
from domains.subject import keys
from domains.subject import service as subjects

MAX_DESCRIPTION = 500  # the title of the records it writes
MAX_SOURCE_REF = 120  # <code>/<sourceRef>/<global id> fits a record's 300-character sourceRef


@dataclass(frozen=True)
class EventRow:
    """One PppEventInput."""

    project_code: str
    stage: PppStage
    kind: PppEventKind
    occurred_on: date
    description: str
    source_ref: str
    severity: Severity | None = None


def _check_row(row: EventRow, index: int, today: date, errors: ErrorCollector) -> None:
    check_code(row.project_code, index, "projectCode", errors)
    if not 1 <= len(row.description) <= MAX_DESCRIPTION:
        errors.add(codes.INVALID_VALUE, f"description must have 1 to {MAX_DESCRIPTION} "
                   "characters", index, "description")
    if not 1 <= len(row.source_ref) <= MAX_SOURCE_REF:
        errors.add(codes.INVALID_VALUE, f"sourceRef must have 1 to {MAX_SOURCE_REF} characters",
                   index, "sourceRef")
    nature = rules.record_nature(row.kind)
    # The records' own rules, on the event's fields (occurredOn is their decidedOn).
    found = [credit_rules.check_severity(nature, row.severity),
             credit_rules.check_decided_on(row.occurred_on, today)]
    problems = [p._replace(field="occurredOn", message=f"occurredOn {codes.AFTER_TODAY} ({today})")
                if p.field == "decidedOn" else p for p in found if p is not None]
    add_rule_errors(problems, index, errors)


def _content(row: EventRow) -> tuple[object, ...]:
    return (row.stage.value, row.kind.value, row.occurred_on, row.description,
            row.severity and row.severity.value)


def _stored_content(event: PppEvent) -> tuple[object, ...]:
    return (event.stage, event.kind, event.occurred_on, event.description, event.severity)


async def _stored_events(session: AsyncSession, projects: dict[str, PppProject],
                         rows: Sequence[EventRow]) -> dict[tuple[str, str], PppEvent]:
    by_id = {p.id: code for code, p in projects.items()}
    if not by_id:
        return {}
    found = await session.scalars(queries.events_by_keys(by_id, {r.source_ref for r in rows}))
    return {(by_id[e.project_id], e.source_ref): e for e in found}


def _check_stored(rows: Sequence[EventRow], firsts: dict[int, int],
                  projects: dict[str, PppProject], stored: dict[tuple[str, str], PppEvent],
                  errors: ErrorCollector) -> None:
    """Unknown projects, and each key's first row against the stored event (a later row of the
    key is judged against that first row)."""
    for index, row in enumerate(rows):
        if row.project_code not in projects:
            if is_project_code(row.project_code):
                errors.add(codes.NOT_FOUND, codes.NO_PROJECT.format(code=row.project_code),
                           index, "projectCode")
            continue
        event = stored.get((row.project_code, row.source_ref))
        if event is not None and firsts[index] == index and _stored_content(event) != _content(row):
            errors.add(codes.CONFLICT, codes.EVENT_CHANGED, index, "sourceRef")


async def record_events(session: AsyncSession, rows: Sequence[EventRow], *, today: date,
                        recorded_by: str) -> list[uuid.UUID]:
    """Record events and write their records; all-or-nothing. Returns the events' ids in row
    order (a replayed event gives its stored id and writes nothing)."""
    rows = [replace(r, project_code=keys.normalise_key(r.project_code),
                    description=r.description.strip(), source_ref=r.source_ref.strip())
            for r in rows]
    errors = ErrorCollector()
    for index, row in enumerate(rows):
        _check_row(row, index, today, errors)
    firsts = subjects.dedupe(rows, lambda r: (r.project_code, r.source_ref), errors,
                             "sourceRef")
    projects = await projects_by_code(session, [r.project_code for r in rows], lock=True)
    stored = await _stored_events(session, projects, rows)
    _check_stored(rows, firsts, projects, stored, errors)
    errors.raise_if_any()
    new = [i for i in sorted(set(firsts.values()))
           if (rows[i].project_code, rows[i].source_ref) not in stored]
    await _write_new(session, [(i, rows[i]) for i in new], projects, stored,
                     today=today, recorded_by=recorded_by)
    return [stored[(row.project_code, row.source_ref)].id for row in rows]


async def _write_new(session: AsyncSession, new: Sequence[tuple[int, EventRow]],
                     projects: dict[str, PppProject], stored: dict[tuple[str, str], PppEvent],
                     *, today: date, recorded_by: str) -> None:
    """Write each new event, its frozen trace and, through the credit service, its records."""
    periods = await _periods(session, {projects[row.project_code].id for _, row in new})
    records: list[credit.GeneratedRecord] = []
    for index, row in new:
        project = projects[row.project_code]
        event = PppEvent(id=uuid.uuid4(), project_id=project.id, stage=row.stage.value,
                         kind=row.kind.value, occurred_on=row.occurred_on,
                         description=row.description, severity=row.severity and
                         row.severity.value, source_ref=row.source_ref, recorded_by=recorded_by)
        stored[(row.project_code, row.source_ref)] = event
        traced = _trace(periods.get((project.id, row.stage.value), []), row.occurred_on)
        session.add(event)
        session.add_all(PppTrace(id=uuid.uuid4(), event_id=event.id, responsibility_id=r.id,
                                 civil_servant_id=r.civil_servant_id, role=r.role,
                                 started_on=r.started_on, ended_on=r.ended_on) for r in traced)
        records += _records(index, row, project, event, [r.civil_servant_id for r in traced])
    await session.flush()
    if records:
        await credit.write_generated(session, records, actor=recorded_by, today=today)


async def _periods(session: AsyncSession, project_ids: set[uuid.UUID],
                   ) -> dict[tuple[uuid.UUID, str], list[PppResponsibility]]:
    """The responsibilities of these projects by (project, stage)."""
    found: dict[tuple[uuid.UUID, str], list[PppResponsibility]] = {}
    if project_ids:
        for r in await session.scalars(queries.responsibilities_of_projects(project_ids)):
            found.setdefault((r.project_id, r.stage), []).append(r)
    return found


def _trace(responsibilities: Sequence[PppResponsibility], day: date) -> list[PppResponsibility]:
    owned = [(r, Period(r.started_on, r.ended_on)) for r in responsibilities]
    return rules.traced(owned, day)


def _records(index: int, row: EventRow, project: PppProject, event: PppEvent,
             people: Sequence[uuid.UUID]) -> list[credit.GeneratedRecord]:
    """The agency's record, then one per traced person (DOMAIN.md section 7)."""
    agency = project.implementing_agency_id
    subjects_: list[tuple[uuid.UUID | None, uuid.UUID | None, str]] = [
        (agency, None, to_global_id("Unit", agency))]
    subjects_ += [(None, p, to_global_id("CivilServant", p)) for p in people]
    return [credit.GeneratedRecord(
        index=index, unit_id=unit_id, civil_servant_id=person_id,
        nature=rules.record_nature(row.kind), category=rules.EVENT_CATEGORY,
        severity=rules.record_severity(row.kind, row.severity), domain=SourceDomain.PPP,
        title=row.description, decided_on=row.occurred_on,
        decided_by_id=project.implementing_agency_id, source_system=rules.SOURCE_SYSTEM,
        source_ref=rules.generated_source_ref(project.code, row.source_ref, gid),
        ppp_event_id=event.id) for unit_id, person_id, gid in subjects_]


