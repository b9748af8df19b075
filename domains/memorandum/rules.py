"""Joint-punishment memoranda (联合惩戒备忘录) as pure rules: which version is in force, which
records may be a joint action's basis, who is overdue, and what an open action adds to a
subject's restrictions. No I/O: callers pass what they loaded.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from domains.core.dates import add_working_days
from domains.credit.enums import RecordNature
from domains.credit.facts import RecordFacts, basis_order
from domains.restriction.rules import Applied, MeasureEffect

JOINT_PREFIX = "JOINT"
DEFAULT_RESPONSE_WORKING_DAYS = 10  # a platform default: the plan asks for 及时 feedback


class ActionStatus(StrEnum):
    """OPEN until every other signatory responded (CLOSED) or the initiator withdrew it."""

    OPEN = "OPEN"
    CLOSED = "CLOSED"
    WITHDRAWN = "WITHDRAWN"


@dataclass(frozen=True)
class MeasureSpec:
    """A measure a signatory applies: a published row (its code, name, effect and legal basis
    copied from the list) or the memorandum's own, with its own legal basis."""

    code: str
    name: str
    effect: MeasureEffect
    legal_basis: str
    published: bool

    def stored(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "effect": self.effect.value,
                "legalBasis": self.legal_basis, "published": self.published}

    @classmethod
    def of(cls, stored: Mapping[str, Any]) -> MeasureSpec:
        return cls(code=stored["code"], name=stored["name"],
                   effect=MeasureEffect(stored["effect"]), legal_basis=stored["legalBasis"],
                   published=bool(stored["published"]))


@dataclass(frozen=True)
class Conditions:
    """The records a memorandum covers: DISHONEST findings of these severities, of these
    categories (empty: any), counted on the day (in force, not UNDER_INVESTIGATION)."""

    categories: tuple[str, ...]
    severities: tuple[str, ...]


def basis_problem(record: RecordFacts | None, conditions: Conditions, day: date) -> str | None:
    """Why a record may not be a joint action's basis on `day`; None when it may."""
    if record is None:
        return f"it was not decided by {day}"
    if record.nature != RecordNature.DISHONEST:
        return "it is not a finding of dishonesty"
    if not record.counted(day):
        return f"it is not in force on {day} (status {record.status}, validUntil " \
               f"{record.valid_until or 'open'})"
    if record.severity not in conditions.severities:
        return f"its severity {record.severity} is not among {', '.join(conditions.severities)}"
    if conditions.categories and record.category not in conditions.categories:
        return f"its category {record.category} is not among {', '.join(conditions.categories)}"
    return None


class Effective(Protocol):
    @property
    def effective_from(self) -> date: ...

    @property
    def valid_until(self) -> date | None: ...


V = TypeVar("V", bound=Effective)


def version_on(versions: Iterable[V], day: date) -> V | None:
    """The version that has taken effect by `day` (the latest effectiveFrom <= day)."""
    started = [v for v in versions if v.effective_from <= day]
    return max(started, key=lambda v: v.effective_from, default=None)


def in_force(version: Effective, day: date) -> bool:
    """Whether the memorandum's period includes `day` (an open validUntil never ends)."""
    return version.effective_from <= day and (version.valid_until is None
                                              or day <= version.valid_until)


def response_due_on(initiated_on: date, working_days: int,
                    overrides: Mapping[date, bool]) -> date:
    """The last day to respond: N working days after the day the action started (the day
    itself not counted; holidays and 调休 days from the working calendar)."""
    return add_working_days(initiated_on, working_days, overrides)


def overdue(due_on: date, today: date, responded: bool, status: ActionStatus) -> bool:
    """A signatory of an open action that has not responded by the end of its due day."""
    return status == ActionStatus.OPEN and not responded and today > due_on


def open_on(initiated_on: date, closed_on: date | None, day: date) -> bool:
    """Whether the action stands open at the end of `day` (closing on `day` ends it)."""
    return initiated_on <= day and (closed_on is None or closed_on > day)


@dataclass(frozen=True)
class OpenAction:
    """What an open action contributes to its subject's restrictions."""

    action_id: uuid.UUID
    version_id: uuid.UUID
    number: str
    scenario: str
    valid_until: date | None
    basis_ids: tuple[uuid.UUID, ...]
    signatories: tuple[tuple[uuid.UUID, tuple[MeasureSpec, ...]], ...]


def joint_code(number: str, code: str) -> str:
    """The code of a memorandum's measure in an assessment: JOINT:<number>:<measure code>."""
    return f"{JOINT_PREFIX}:{number}:{code}"


def joint_measures(actions: Sequence[OpenAction], records: Sequence[RecordFacts],
                   scenario: str, as_of: date) -> list[Applied]:
    """One applied measure per (version, measure code) of the actions open in `scenario`:
    applied by the signatories that list it, based on the actions' basis records still
    counted on `as_of` (an action whose basis all lapsed adds nothing), until the
    memorandum's validUntil."""
    if not actions:  # most subjects: no record needs judging
        return []
    counted_by_id = {r.id: r for r in records if r.counted(as_of)}
    grouped: dict[tuple[uuid.UUID, str], tuple[OpenAction, MeasureSpec, list[uuid.UUID],
                                                 dict[uuid.UUID, RecordFacts]]] = {}
    for action in actions:
        basis = {i: counted_by_id[i] for i in action.basis_ids if i in counted_by_id}
        if action.scenario != scenario or not basis:
            continue
        for unit_id, measures in action.signatories:
            for spec in measures:
                entry = grouped.setdefault((action.version_id, spec.code),
                                           (action, spec, [], {}))
                if unit_id not in entry[2]:
                    entry[2].append(unit_id)
                entry[3].update(basis)
    return [Applied(code=joint_code(action.number, spec.code), name=spec.name,
                    effect=spec.effect, legal_basis=spec.legal_basis, grade=None,
                    until=action.valid_until, basis=basis_order(basis.values()),
                    memorandum_id=action.version_id, applied_by=tuple(units))
            for action, spec, units, basis in grouped.values()]
