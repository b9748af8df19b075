"""Loaders of the restriction domain: the rule tables and stored checks.

The rule tables are read once per request (`VersionsLoader`). The assessments built on them
are domains.restriction.assessing, which reads through loaders.reader.RequestReader.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from domains.restriction import queries
from domains.restriction import service as restriction
from domains.restriction.models import RestrictionCheck
from domains.restriction.promotion import SanctionPeriods
from domains.restriction.rules import MeasureRow
from loaders.base import Loader, VersionsLoader, in_key_order


class MeasureRowsLoader(VersionsLoader[MeasureRow]):
    """Every version of every measure row: read once per request."""

    async def read(self, session: AsyncSession) -> list[MeasureRow]:
        return await restriction.measure_rows(session)


class SanctionPeriodsLoader(VersionsLoader[SanctionPeriods]):
    """Every version of the promotion rule values: read once per request."""

    async def read(self, session: AsyncSession) -> list[SanctionPeriods]:
        return await restriction.sanction_periods(session)


class RestrictionCheckByIdLoader(Loader[uuid.UUID, RestrictionCheck | None]):
    """A stored check by id, whoever asks: callers judge who may see it."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[RestrictionCheck | None]:
        rows = await session.scalars(queries.checks_by_id(keys))
        return in_key_order(keys, {c.id: c for c in rows}, None)
