"""Stretches in which nobody answered for a stage of a PPP project (责任空档): the credit
office's view of the section 7 trace over time (`rules.stage_gaps` decides; this module loads)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from domains.ppp import queries, rules
from domains.ppp.models import PppEvent, PppProject, PppResponsibility
from domains.ppp.rules import Gap, Period, PppStage


@dataclass(frozen=True)
class StageGap:
    """A gap of one stage of one project, with the events of that stage inside it."""

    project: PppProject
    stage: PppStage
    gap: Gap
    event_ids: list[uuid.UUID]


@dataclass(frozen=True)
class GapQuery:
    """Which gaps: one project (normalised code) or all, one stage or all, and the days
    [from_on, to_on] they are clipped to (either end optional)."""

    project_code: str | None = None
    stage: PppStage | None = None
    from_on: date | None = None
    to_on: date | None = None


async def responsibility_gaps(session: AsyncSession, query: GapQuery, *,
                              today: date) -> list[StageGap]:
    """The gaps as of today, by project code, stage order, then start (unknown start first)."""
    stmt = queries.all_projects()
    if query.project_code is not None:
        stmt = stmt.where(PppProject.code == query.project_code)
    projects = list(await session.scalars(stmt))
    ids = [p.id for p in projects]
    periods: dict[tuple[uuid.UUID, str], list[PppResponsibility]] = {}
    events: dict[tuple[uuid.UUID, str], list[PppEvent]] = {}
    if ids:
        for r in await session.scalars(queries.responsibilities_of_projects(ids)):
            periods.setdefault((r.project_id, r.stage), []).append(r)
        for e in await session.scalars(queries.events_of_projects(ids)):
            events.setdefault((e.project_id, e.stage), []).append(e)
    found: list[StageGap] = []
    for project in projects:
        for stage in PppStage if query.stage is None else (query.stage,):
            key = (project.id, stage.value)
            found += _of_stage(project, stage, periods.get(key, []), events.get(key, []),
                               query, today)
    return found


def _of_stage(project: PppProject, stage: PppStage, responsibilities: Sequence[
        PppResponsibility], events: Sequence[PppEvent], query: GapQuery,
        today: date) -> list[StageGap]:
    current = rules.STAGE_ORDER[PppStage(project.current_stage)]
    gaps = rules.stage_gaps([Period(r.started_on, r.ended_on) for r in responsibilities],
                            [e.occurred_on for e in events],
                            reached=rules.STAGE_ORDER[stage] <= current,
                            is_current=rules.STAGE_ORDER[stage] == current, today=today)
    found = []
    for gap in gaps:
        shown = rules.clipped(gap, query.from_on, query.to_on)
        if shown is None:
            continue
        inside = [e.id for e in events if (shown.from_on is None or shown.from_on <= e.occurred_on)
                  and e.occurred_on <= shown.until]
        found.append(StageGap(project, stage, shown, inside))
    return found
