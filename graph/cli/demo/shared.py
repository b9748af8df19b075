"""What every demo step shares: the `Demo` state, the seeded generators and the demo clients'
names.

It lives apart from `seed` (which lists the steps and runs them) so that the steps import it
and `seed` imports the steps, and no module imports back up the chain.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from graph.cli.demo import district, people

SEED: Final = 310116
CLIENT_PREFIX: Final = "demo-"


def generator(purpose: str) -> random.Random:
    """The seeded generator of one part of the demo (a string seed is stable across runs)."""
    return random.Random(f"{SEED}:{purpose}")


def client_name(audience: str) -> str:
    """The demo client of an audience (its keys are issued after loading)."""
    return CLIENT_PREFIX + audience.lower()


@dataclass
class Demo:
    """What the steps share: the session, the generated district, the service settings."""

    session: AsyncSession
    secret: bytes
    today: date
    units: dict[str, district.DemoUnit] = field(
        default_factory=lambda: district.district_units(generator("units")))
    people: list[people.DemoPerson] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.people:
            self.people = people.civil_servants(self.units, generator("civil servants"))


Step = Callable[[Demo], Awaitable[str]]
