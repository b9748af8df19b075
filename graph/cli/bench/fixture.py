"""What the benchmark reads and writes before a run: the subjects its variables rotate over,
read from the database, and one client per audience it calls as.

The clients are `bench-<audience>` and are made through the clients service as `integrity
clients add` makes them; every run gives each a new key (the previous one stops working), held
only in the run's Lua scripts and never printed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access import service as access
from domains.access.models import Client
from domains.core.ids import to_global_id
from domains.subject.models import CivilServant, Unit
from graph.cli.bench.operations import Operation, SubjectKind
from graph.cli.runtime import FAILED, CommandError

CLIENT_PREFIX = "bench-"


@dataclass(frozen=True)
class Fixture:
    """The subjects of each kind (the variables' values), the units the batch writes go to,
    and a key per audience."""

    subjects: dict[SubjectKind, list[str]]
    keys: dict[str, str]
    write_units: list[str]  # units of the batch writes: outside the reads' rotation if any
    units: int  # in the database, to print how large the data is
    civil_servants: int


async def prepare(session: AsyncSession, operations: tuple[Operation, ...],
                  limit: int) -> Fixture:
    """Read up to `limit` subjects of each kind the operations need and issue the keys;
    committed. A kind with no subject at all is refused: its operation would measure nothing."""
    units = list(await session.scalars(select(Unit.uscc).order_by(Unit.uscc).limit(limit)))
    servants = [to_global_id("CivilServant", pk) for pk in await session.scalars(
        select(CivilServant.id).order_by(CivilServant.id).limit(limit))]
    subjects = {SubjectKind.UNIT: units, SubjectKind.CIVIL_SERVANT: servants}
    write_units = await _write_units(session, units, limit)
    for operation in operations:
        if not subjects[operation.subject]:
            raise CommandError(
                f"no {operation.subject.value} in the database for `{operation.key}`: load "
                "data first (`integrity demo`, or `integrity generate`)", FAILED)
    keys = {audience: await _key(session, audience)
            for audience in sorted({operation.audience for operation in operations})}
    await session.commit()
    return Fixture(subjects=subjects, keys=keys, write_units=write_units,
                   units=await _count(session, Unit),
                   civil_servants=await _count(session, CivilServant))


async def _write_units(session: AsyncSession, read: list[str], limit: int) -> list[str]:
    """Up to `limit` units the reads do not rotate over (the last by USCC), for the records and
    contracts the batch writes add: written onto the reads' units, they grew every later read
    (each run added about 300 in-force records and 100 contracts to each of them). On data with
    no unit outside the rotation (the demo) the writes share the reads' units."""
    rotated = set(read)
    last = await session.scalars(select(Unit.uscc).order_by(Unit.uscc.desc()).limit(limit))
    others = [uscc for uscc in last if uscc not in rotated]
    return others or read


async def _key(session: AsyncSession, audience: str) -> str:
    """A new key of this audience's bench client (added on the first run)."""
    name = CLIENT_PREFIX + audience.lower().replace("_", "-")
    client = await session.scalar(select(Client).where(Client.name == name))
    if client is not None and client.revoked_at is None and client.audience == audience:
        _, key = await access.rotate_key(session, name=name)
        return key
    if client is not None:
        raise CommandError(f"the client {name} is revoked or of another audience; the "
                           "benchmark needs it active with its audience", FAILED)
    _, key = await access.add_client(session, name=name, audience=audience)
    return key


async def _count(session: AsyncSession, model: type[Unit] | type[CivilServant]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)
