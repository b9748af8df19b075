"""Loaders of the subject domain: units, civil servants, employment."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domains.subject.models import CivilServant, Employment, Unit
from loaders.base import KEYS, Loader, RankedPages, any_key, grouped, in_key_order

# Built once at import; the keys go as one array parameter (loaders.base.any_key).
UNITS_BY_ID = select(Unit).where(any_key(Unit.id))
PEOPLE_BY_ID = select(CivilServant).where(any_key(CivilServant.id))
EMPLOYMENTS_BY_PERSON = (select(Employment).where(any_key(Employment.civil_servant_id))
                         .order_by(Employment.started_on, Employment.id))
OPEN_EMPLOYMENTS_BY_PERSON = select(Employment).where(
    any_key(Employment.civil_servant_id), Employment.ended_on.is_(None))


class UnitByIdLoader(Loader[uuid.UUID, Unit | None]):
    async def fetch(self, session: AsyncSession, keys: list[uuid.UUID]) -> Sequence[Unit | None]:
        rows = await session.scalars(UNITS_BY_ID, {KEYS: keys})
        return in_key_order(keys, {u.id: u for u in rows}, None)


class CivilServantByIdLoader(Loader[uuid.UUID, CivilServant | None]):
    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[CivilServant | None]:
        rows = await session.scalars(PEOPLE_BY_ID, {KEYS: keys})
        return in_key_order(keys, {p.id: p for p in rows}, None)


class EmploymentsByCivilServantLoader(Loader[uuid.UUID, list[Employment]]):
    """Every employment of a person, startedOn ascending."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[list[Employment]]:
        rows = await session.scalars(EMPLOYMENTS_BY_PERSON, {KEYS: keys})
        return grouped(keys, [(e.civil_servant_id, e) for e in rows])


class CurrentEmploymentByCivilServantLoader(Loader[uuid.UUID, Employment | None]):
    """The open employment of a person (None once it ended)."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[Employment | None]:
        rows = await session.scalars(OPEN_EMPLOYMENTS_BY_PERSON, {KEYS: keys})
        return in_key_order(keys, {e.civil_servant_id: e for e in rows}, None)


UnitPageKey = tuple[uuid.UUID, int, int]


class CivilServantsByUnitLoader(Loader[UnitPageKey, tuple[list[CivilServant], int]]):
    """A page (unit, offset, limit) of the people serving at a unit, by name, with the total.

    One query for every unit of the batch: a window function numbers each unit's people.
    """

    async def fetch(self, session: AsyncSession,
                    keys: list[UnitPageKey]) -> Sequence[tuple[list[CivilServant], int]]:
        ranked = (
            select(CivilServant, Employment.unit_id.label("unit_id"),
                   func.row_number().over(partition_by=Employment.unit_id,
                                          order_by=(CivilServant.name, CivilServant.id))
                   .label("n"),
                   func.count().over(partition_by=Employment.unit_id).label("total"))
            .join(Employment, Employment.civil_servant_id == CivilServant.id)
            .where(Employment.unit_id.in_({k[0] for k in keys}), Employment.ended_on.is_(None))
        ).subquery()
        person = aliased(CivilServant, ranked)
        last = max(offset + limit for _, offset, limit in keys)
        rows = (await session.execute(
            select(person, ranked.c.unit_id, ranked.c.n, ranked.c.total)
            .where(ranked.c.n <= last).order_by(ranked.c.unit_id, ranked.c.n))).all()
        pages = RankedPages((unit_id, n, total, p) for p, unit_id, n, total in rows)
        return [pages.page(unit_id, offset, limit) for unit_id, offset, limit in keys]
