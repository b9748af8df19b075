"""Loaders of the PPP domain: projects, responsibilities, events, their frozen traces and the
records they wrote. Lists come in the orders of DOMAIN.md section 0 (responsibilities by stage
order then startedOn, events by occurredOn then id)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from domains.credit.models import CreditRecord
from domains.ppp import queries
from domains.ppp.models import PppEvent, PppProject, PppResponsibility, PppTrace
from domains.ppp.rules import STAGE_ORDER, PppStage
from loaders.base import Loader, grouped, in_key_order


def stage_then_start(row: PppResponsibility | PppTrace, stage: str) -> tuple[int, object]:
    return STAGE_ORDER[PppStage(stage)], row.started_on


class PppProjectByIdLoader(Loader[uuid.UUID, PppProject | None]):
    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[PppProject | None]:
        rows = await session.scalars(queries.projects_by_ids(keys))
        return in_key_order(keys, {p.id: p for p in rows}, None)


class PppProjectByCodeLoader(Loader[str, PppProject | None]):
    """Keys are normalised codes (blanks stripped, upper-cased)."""

    async def fetch(self, session: AsyncSession, keys: list[str]) -> Sequence[PppProject | None]:
        rows = await session.scalars(queries.projects_by_codes(keys))
        return in_key_order(keys, {p.code: p for p in rows}, None)


class PppProjectsByAgencyLoader(Loader[uuid.UUID, list[PppProject]]):
    """The projects a unit implements (实施机构), by code."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[list[PppProject]]:
        rows = await session.scalars(queries.projects_by_agencies(keys))
        return grouped(keys, [(p.implementing_agency_id, p) for p in rows])


class PppResponsibilitiesByProjectLoader(Loader[uuid.UUID, list[PppResponsibility]]):
    """Every responsibility of a project, by stage order then startedOn."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[list[PppResponsibility]]:
        rows = sorted(await session.scalars(queries.responsibilities_of_projects(keys)),
                      key=lambda r: stage_then_start(r, r.stage))
        return grouped(keys, [(r.project_id, r) for r in rows])


class PppResponsibilitiesByCivilServantLoader(Loader[uuid.UUID, list[PppResponsibility]]):
    """Every responsibility of a person, by project code, stage order, then startedOn."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[list[PppResponsibility]]:
        rows = (await session.execute(queries.responsibilities_of_people(keys))).all()
        ordered = sorted(rows, key=lambda pair: (pair[1], *stage_then_start(pair[0],
                                                                            pair[0].stage)))
        return grouped(keys, [(r.civil_servant_id, r) for r, _ in ordered])


class PppEventsByProjectLoader(Loader[uuid.UUID, list[PppEvent]]):
    """Every event of a project, occurredOn ascending then id."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[list[PppEvent]]:
        rows = await session.scalars(queries.events_of_projects(keys))
        return grouped(keys, [(e.project_id, e) for e in rows])


class PppEventByIdLoader(Loader[uuid.UUID, PppEvent | None]):
    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[PppEvent | None]:
        rows = await session.scalars(queries.events_by_ids(keys))
        return in_key_order(keys, {e.id: e for e in rows}, None)


class PppTracesByEventLoader(Loader[uuid.UUID, list[PppTrace]]):
    """The responsibilities an event traced, as they stood when it was recorded (startedOn
    ascending: one event has one stage)."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[list[PppTrace]]:
        rows = await session.scalars(queries.traces_of_events(keys))
        return grouped(keys, [(t.event_id, t) for t in rows])


class CreditRecordsByPppEventLoader(Loader[uuid.UUID, list[CreditRecord]]):
    """The records an event wrote, decidedOn descending then id descending."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[list[CreditRecord]]:
        rows = await session.scalars(queries.records_of_events(keys))
        return grouped(keys, [(r.ppp_event_id, r) for r in rows])
