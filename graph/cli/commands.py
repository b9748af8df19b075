"""The operating commands, each on one session: clients, the working calendar, the demo.

Input is checked before anything is written; a refused command rolls back and writes nothing.
Keys are printed once (only their hashes are stored), never logged; identity numbers are never
printed.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, time, timedelta
from time import perf_counter

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domains.access import service as access
from domains.core import clock
from domains.core.calendar import load_days
from domains.core.errors import DomainError
from graph.cli import dataset
from graph.cli.dataset.run import ANALYZED
from graph.cli.demo import seed
from graph.cli.runtime import FAILED, CommandError, all_or_nothing, say

TIME_FORMAT = "%Y-%m-%d %H:%M"


def expiry_instant(expires_on: date | None) -> datetime | None:
    """A key valid through `expires_on` stops at the next midnight, Asia/Shanghai."""
    if expires_on is None:
        return None
    if expires_on < clock.today():
        raise CommandError(f"--expires {expires_on} is in the past; nothing written")
    return datetime.combine(expires_on + timedelta(days=1), time(), clock.SHANGHAI)


async def add_client(session: AsyncSession, *, name: str, audience: str,
                     expires_on: date | None, id_lookups_per_hour: int | None = None,
                     units: list[str] | None = None) -> int:
    """`clients add`: create a client (bound to `units`) and print its key once."""
    expires_at = expiry_instant(expires_on)
    async with all_or_nothing(session, access.ClientError):
        client, key = await access.add_client(session, name=name, audience=audience,
                                              expires_at=expires_at,
                                              id_lookups_per_hour=id_lookups_per_hour,
                                              usccs=units or ())
    until = f", valid through {expires_on}" if expires_on else ""
    acting = f", acting for {', '.join(units)}" if units else ""
    say(f"client {client.name} ({client.audience}{until}{acting}) added; its API key, shown "
        "only now:")
    print(key, flush=True)
    return 0


async def bind_client(session: AsyncSession, *, name: str, units: list[str]) -> int:
    """`clients bind`: the client acts for these units too."""
    async with all_or_nothing(session, access.ClientError):
        bound = await access.bind_units(session, name=name, usccs=units)
    print(f"client {name.strip()} acts for {', '.join(bound)}")
    return 0


def _when(instant: datetime | None) -> str:
    return instant.astimezone(clock.SHANGHAI).strftime(TIME_FORMAT) if instant else "-"


def _last_day(expires_at: datetime | None) -> str:
    """The last day a key works: the day before the instant it stops, Asia/Shanghai."""
    if expires_at is None:
        return "-"
    return str(clock.local_date(expires_at - timedelta(microseconds=1)))


async def list_clients(session: AsyncSession) -> int:
    """`clients list`: name, audience, created, last valid day, revoked (never keys)."""
    rows = [("NAME", "AUDIENCE", "CREATED", "VALID THROUGH", "REVOKED", "ID LOOKUPS/H")]
    rows += [(c.name, c.audience, _when(c.created_at), _last_day(c.expires_at),
              _when(c.revoked_at), str(c.id_lookups_per_hour or "default"))
             for c in await access.list_clients(session)]
    if len(rows) == 1:
        print("no clients")
        return 0
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = (value.ljust(width) for value, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    return 0


async def revoke_client(session: AsyncSession, *, name: str) -> int:
    """`clients revoke`: the client's key stops working at once."""
    async with all_or_nothing(session, access.ClientError):
        client = await access.revoke_client(session, name=name)
    print(f"client {client.name} revoked at {_when(client.revoked_at)}")
    return 0


async def rotate_client(session: AsyncSession, *, name: str) -> int:
    """`clients rotate`: a new key; the old one stops working at once."""
    async with all_or_nothing(session, access.ClientError):
        client, key = await access.rotate_key(session, name=name)
    say(f"client {client.name} ({client.audience}) has a new API key, shown only now "
        "(the old key no longer works):")
    print(key, flush=True)
    return 0


async def limit_client(session: AsyncSession, *, name: str,
                       id_lookups_per_hour: int | None) -> int:
    """`clients limit`: a new identity look-up budget, from the client's next request."""
    async with all_or_nothing(session, access.ClientError):
        client = await access.set_lookup_budget(session, name=name,
                                                id_lookups_per_hour=id_lookups_per_hour)
    if client.id_lookups_per_hour is None:
        print(f"client {client.name} has the server's default identity look-up budget")
    else:
        print(f"client {client.name} may look up {client.id_lookups_per_hour} distinct "
              "identity numbers per hour")
    return 0


async def print_revision(session: AsyncSession) -> int:
    """`migrate`: the revision the database is at, alone on stdout."""
    print(await session.scalar(text("SELECT version_num FROM alembic_version")), flush=True)
    return 0


async def load_calendar(session: AsyncSession, *, rows: list[tuple[date, bool, str]]) -> int:
    """`calendar load`: the days of a checked file, all in one transaction."""
    count = await load_days(session, rows)
    await session.commit()
    days = sorted(day for day, _, _ in rows)
    print(f"loaded {count} calendar days ({days[0]} to {days[-1]})")
    return 0


async def load_demo(session: AsyncSession, *, secret: bytes, today: date) -> int:
    """`demo` / `serve --demo`: the demo district once, then fresh demo keys every time."""
    try:
        await seed.load_demo(session, secret=secret, today=today, progress=_progress)
    except (DomainError, seed.DemoError) as exc:
        await session.rollback()
        raise CommandError(f"the demo district could not be loaded: {exc}", FAILED) from None
    await session.commit()
    issued = await seed.issue_demo_keys(session)
    await session.commit()
    print("demo API keys, one client per audience (shown only now; each start replaces them):")
    for audience, name, key in issued:
        print(f"  {audience:<17} {name:<22} {key or '(revoked: no key)'}")
    sys.stdout.flush()
    return 0


def _progress(line: str) -> None:
    say(f"demo {line}")


async def _vacuum(session: AsyncSession) -> None:
    """Set the visibility map of the loaded tables (VACUUM, outside any transaction), so the
    replay of a record's status is an index-only scan from the first request (migration
    0014_replay_indexes); on a server, autovacuum would do it only later."""
    say("generate: vacuuming (visibility map for index-only scans) ...")
    started = perf_counter()
    bind = session.bind
    assert isinstance(bind, AsyncEngine)
    async with bind.execution_options(isolation_level="AUTOCOMMIT").connect() as connection:
        await connection.execute(text(f"VACUUM {', '.join(ANALYZED)}"))
    say(f"generate: vacuumed in {perf_counter() - started:.1f} s")


async def generate_dataset(session: AsyncSession, *, seed: int, scale: float, today: date,
                           secret: bytes) -> int:
    """`generate`: the whole dataset in this session's one transaction, then its summary as one
    JSON line on stdout (keys shown only now). A refused database writes nothing (exit 2)."""
    say(f"generate: scale {scale:g}, seed {seed}, today {today}")
    async with all_or_nothing(session, dataset.GenerateError):
        summary = await dataset.generate_on_session(session, seed=seed, scale=scale,
                                                    today=today, secret=secret)
    await _vacuum(session)
    say(f"generate: done in {summary.seconds:.1f} s")
    print(json.dumps(summary.as_json(), ensure_ascii=False), flush=True)
    return 0
