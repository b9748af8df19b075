"""Loaders of joint-punishment memoranda: versions, signatories, actions, responses, the units
a client acts for, and the actions open against a subject (read by loaders.reader for its
restrictions' joint measures).

Each is one query per batch, so a list of 20 actions with their memoranda, signatories and
responses costs what a list of one costs.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from sqlalchemy import Date, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access import service as access
from domains.memorandum import queries
from domains.memorandum.models import (
    JointAction,
    JointActionResponse,
    MemorandumSignatory,
    MemorandumVersion,
)
from loaders.base import KEYS, Loader, any_key, grouped, in_key_order


class UnitsByClientLoader(Loader[str, frozenset[uuid.UUID]]):
    """client name -> the ids of the units it acts for."""

    async def fetch(self, session: AsyncSession,
                    keys: list[str]) -> Sequence[frozenset[uuid.UUID]]:
        rows = (await session.execute(access.units_of_clients_query(keys))).all()
        return [frozenset(units) for units in grouped(keys, [(n, u) for n, u in rows])]


class MemorandumVersionByIdLoader(Loader[uuid.UUID, MemorandumVersion | None]):
    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[MemorandumVersion | None]:
        rows = await session.scalars(queries.versions_by_id(keys))
        return in_key_order(keys, {v.id: v for v in rows}, None)


class VersionsByNumberLoader(Loader[str, list[MemorandumVersion]]):
    """number -> every version of the memorandum, version ascending."""

    async def fetch(self, session: AsyncSession,
                    keys: list[str]) -> Sequence[list[MemorandumVersion]]:
        rows = await session.scalars(queries.versions_of(keys))
        return grouped(keys, [(v.number, v) for v in rows])


class SignatoriesByVersionLoader(Loader[uuid.UUID, list[MemorandumSignatory]]):
    """version id -> its signatories, in the memorandum's order."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[list[MemorandumSignatory]]:
        rows = await session.scalars(SIGNATORIES_BY_VERSION, {KEYS: keys})
        return grouped(keys, [(s.version_id, s) for s in rows])


SIGNATORIES_BY_VERSION = (
    select(MemorandumSignatory).where(any_key(MemorandumSignatory.version_id))
    .order_by(MemorandumSignatory.version_id, MemorandumSignatory.position))


class JointActionByIdLoader(Loader[uuid.UUID, JointAction | None]):
    """An action by id, whoever asks: callers judge who may see it."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[JointAction | None]:
        rows = await session.scalars(queries.actions_by_id(keys))
        return in_key_order(keys, {a.id: a for a in rows}, None)


class ResponsesByActionLoader(Loader[uuid.UUID, list[JointActionResponse]]):
    """action id -> its responses, oldest first."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[list[JointActionResponse]]:
        rows = await session.scalars(queries.responses_of(keys))
        return grouped(keys, [(r.action_id, r) for r in rows])


OpenKey = tuple[uuid.UUID, date]


class OpenActionRow(NamedTuple):
    """An open action with what the rules take of its version (plain columns: the rows only
    become domains.memorandum.rules.OpenAction values)."""

    action_id: uuid.UUID
    basis_record_ids: list[uuid.UUID]
    version_id: uuid.UUID
    number: str
    scenario: str
    valid_until: date | None


# built once: the subjects as one array, the day as a parameter
OPEN_ACTIONS = queries.open_actions_of(any_key(JointAction.subject_id),
                                       bindparam("day", type_=Date()))


class OpenActionsBySubjectLoader(Loader[OpenKey, list[OpenActionRow]]):
    """(subject id, day) -> the actions against the subject open at the end of the day, each
    with its version: one query per distinct day (a request normally has one)."""

    async def fetch(self, session: AsyncSession,
                    keys: list[OpenKey]) -> Sequence[list[OpenActionRow]]:
        pairs: list[tuple[OpenKey, OpenActionRow]] = []
        for day in sorted({k[1] for k in keys}):
            subjects = list({k[0]: None for k in keys if k[1] == day})
            rows = (await session.execute(OPEN_ACTIONS, {KEYS: subjects, "day": day})).all()
            pairs.extend(((row.subject_id, day), OpenActionRow(
                row.action_id, row.basis_record_ids, row.version_id, row.number, row.scenario,
                row.valid_until)) for row in rows)
        return grouped(keys, pairs)
