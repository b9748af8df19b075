"""How many rows a scale makes, and what every table's generator shares (the Plan).

Scale 1 is a city-sized district: 5,000 units, 200,000 civil servants, 2,000,000 credit
records, 100,000 procurement contracts, 2,000 investment and 500 PPP projects. A fractional
scale multiplies every count (each at least 1, so 0.001 still has every kind of row).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Final, TypeVar

from domains.core import clock

SCALE_ONE: Final = {"units": 5_000, "civil_servants": 200_000, "credit_records": 2_000_000,
                    "procurement_contracts": 100_000, "investment_projects": 2_000,
                    "ppp_projects": 500}
MINIMUM: Final = {"units": 8, "civil_servants": 20, "credit_records": 50,
                  "procurement_contracts": 5, "investment_projects": 2, "ppp_projects": 2}
LARGEST_SCALE: Final = 20.0
HISTORY_DAYS: Final = 6 * 365  # records are decided over the last six years
# Office hours, minute by minute, Asia/Shanghai: an instant is one pick (no arithmetic per row).
OFFICE_TIMES: Final = tuple(time(minute // 60, minute % 60, tzinfo=clock.SHANGHAI)
                            for minute in range(9 * 60, 18 * 60))
_T = TypeVar("_T")


def weighted(weights: Mapping[_T, int]) -> tuple[_T, ...]:
    """A table where each value appears `weight` times: `pick` from it is a weighted choice
    (random.choices costs ten times more, and two million records make many choices)."""
    return tuple(value for value, weight in weights.items() for _ in range(weight))


def pick(rng: random.Random, values: Sequence[_T]) -> _T:
    """One value of `values`, uniformly (rng.choice, without its bounds checks)."""
    return values[int(rng.random() * len(values))]


@dataclass(frozen=True)
class Counts:
    """Rows of each kind the scale asks for."""

    units: int
    civil_servants: int
    credit_records: int
    procurement_contracts: int
    investment_projects: int
    ppp_projects: int

    @classmethod
    def of(cls, scale: float) -> Counts:
        if not 0 < scale <= LARGEST_SCALE:
            raise ValueError(f"the scale is above 0 and at most {LARGEST_SCALE:g}")
        return cls(**{name: max(MINIMUM[name], round(count * scale))
                      for name, count in SCALE_ONE.items()})


@dataclass(frozen=True)
class Clients:
    """The generator's client names per role (the actors of rows and events)."""

    procurement: str = "gen-procurement"
    project_approval: str = "gen-project_approval"
    personnel: str = "gen-personnel"
    supervision: str = "gen-supervision"
    credit_office: str = "gen-credit_office"


@dataclass
class Plan:
    """The run's seed, scale and today, and one random stream per table (so a table's rows do
    not change when another table's generator changes)."""

    seed: int
    scale: float
    today: date
    counts: Counts = field(init=False)
    clients: Clients = field(default_factory=Clients)

    def __post_init__(self) -> None:
        self.counts = Counts.of(self.scale)

    def rng(self, table: str) -> random.Random:
        """The random stream of `table` (str seeds hash with SHA-512: no PYTHONHASHSEED)."""
        return random.Random(f"{self.seed}:{self.scale!r}:{table}")

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def at(self, day: date, rng: random.Random) -> datetime:
        """An office-hours instant on `day`, Asia/Shanghai."""
        return datetime.combine(day, pick(rng, OFFICE_TIMES))
