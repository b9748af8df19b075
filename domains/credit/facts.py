"""A record as decisions see it on a day: the plain value that section 4 and 5 rules consume."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RecordFacts:
    """One credit record as it stood at the end of the evaluation day.

    `status` is the stored status replayed for that day (never EXPIRED, which is derived);
    `valid_until` None is open-ended.
    """

    id: uuid.UUID
    nature: str
    category: str
    severity: str | None
    sanction: str | None
    sanction_months: int | None
    decided_on: date
    valid_from: date
    valid_until: date | None
    status: str
    domain: str
