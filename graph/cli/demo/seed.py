"""Loads the demo district through the domain services, one step after another.

Everything goes through the same services as the API, so every rule applies; the steps run in
the caller's transaction (services flush, the caller commits). To add demo data (credit
records, procurement contracts, restrictions), write one `async def step(demo) -> str` in a
module of its own and append it to STEPS: a step reads what it needs from `demo.units` /
`demo.people` and returns its progress line. Each step has its own seeded generator
(`shared.generator`), so adding one never changes the data of the others. Steps import
`shared`, never this module, which imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access import service as access
from domains.subject import service as subjects
from domains.subject.models import Unit
from graph.cli.demo import credit, district, people
from graph.cli.demo.investment import register_investment
from graph.cli.demo.memoranda import DEMO_BINDINGS, load_memoranda
from graph.cli.demo.ppp import register_ppp
from graph.cli.demo.procurement import register_procurement
from graph.cli.demo.restriction import load_restrictions
from graph.cli.demo.shared import Demo, Step, client_name, generator

Progress = Callable[[str], None]


class DemoError(RuntimeError):
    """The demo district cannot be loaded here; nothing was written."""


async def register_units(demo: Demo) -> str:
    ids = await subjects.register_units(demo.session, district.unit_rows(demo.units))
    return f"units: {len(ids)} registered"


async def register_first_posts(demo: Demo) -> str:
    rows = [person.posts[0] for person in demo.people]
    ids = await subjects.register_civil_servants(demo.session, rows, secret=demo.secret,
                                                 today=demo.today)
    return f"civil servants: {len(ids)} registered"


async def register_transfers(demo: Demo) -> str:
    # A later start at another unit closes the earlier employment the day before it.
    rows = [person.posts[1] for person in demo.people if len(person.posts) > 1]
    await subjects.register_civil_servants(demo.session, rows, secret=demo.secret,
                                           today=demo.today)
    return f"transfers: {len(rows)} registered"


async def end_employments(demo: Demo) -> str:
    ended = [person for person in demo.people if person.ended_on is not None]
    for person in ended:
        assert person.ended_on is not None
        await subjects.end_employment(demo.session, id_number=person.id_number,
                                      ended_on=person.ended_on, secret=demo.secret,
                                      today=demo.today)
    return f"ended employments: {len(ended)} (retirements and resignations)"


STEPS: Final[tuple[Step, ...]] = (
    register_units,
    register_first_posts,
    register_transfers,
    end_employments,
    credit.report_credit_records,
    # Procurement contracts and restriction data: append their steps here, one a line.
    register_procurement,
    load_restrictions,
    register_investment,
    register_ppp,
    load_memoranda,
)


def root_uscc() -> str:
    """The district government's code: its presence marks the demo as loaded."""
    return district.district_units(generator("units"))["gov"].uscc


async def is_loaded(session: AsyncSession) -> bool:
    return await session.scalar(select(Unit.id).where(Unit.uscc == root_uscc())) is not None


async def load_demo(session: AsyncSession, *, secret: bytes, today: date,
                    progress: Progress) -> bool:
    """Load the demo district unless it is there already; True when it was loaded now."""
    if await is_loaded(session):
        progress("district already loaded; nothing to do")
        return False
    if today < people.LAST_DAY:
        raise DemoError(f"the demo district holds dates up to {people.LAST_DAY}; "
                        f"today ({today}) may not be earlier")
    demo = Demo(session=session, secret=secret, today=today)
    for number, step in enumerate(STEPS, start=1):
        progress(f"[{number}/{len(STEPS)}] {await step(demo)}")
    return True


async def issue_demo_keys(session: AsyncSession) -> list[tuple[str, str, str | None]]:
    """(audience, client name, key) for every audience: a new demo client, or a new key for
    an existing one (keys are shown once, so each start replaces them). A demo client that
    was revoked stays revoked: its key is None."""
    clients = {client.name: client for client in await access.list_clients(session)}
    issued: list[tuple[str, str, str | None]] = []
    for audience in access.AUDIENCES:
        name = client_name(audience)
        existing = clients.get(name)
        if existing is None:
            _, key = await access.add_client(session, name=name, audience=audience)
        elif existing.revoked_at is None:
            _, key = await access.rotate_key(session, name=name)
        else:
            issued.append((audience, name, None))
            continue
        await _bind(session, name, audience)
        issued.append((audience, name, key))
    return issued


async def _bind(session: AsyncSession, name: str, audience: str) -> None:
    """Bind a demo client to the bureaus it answers for in the demo memoranda."""
    handles = DEMO_BINDINGS.get(audience, ())
    if handles:
        units = district.district_units(generator("units"))
        await access.bind_units(session, name=name, usccs=[units[h].uscc for h in handles])
