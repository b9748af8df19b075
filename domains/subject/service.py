"""Units and civil servants (DOMAIN.md section 1). Services flush; the caller commits."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from sqlalchemy import ARRAY, String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access import identity
from domains.core.errors import DomainError, ErrorCollector
from domains.core.locks import LockSpace, lock_keys
from domains.core.texts import column_width
from domains.subject import keys
from domains.subject.enums import UnitKind
from domains.subject.models import CivilServant, Employment, Unit

UNIT_KINDS = frozenset(UnitKind)  # the contract's UnitKind, named once in domains/subject/enums
REGION_CODE = re.compile(r"^\d{6}(\d{3}(\d{3})?)?$")
UNIT_NAME, PERSON_NAME = column_width(Unit.name), column_width(CivilServant.name)


@dataclass(frozen=True)
class UnitRow:
    uscc: str
    name: str
    kind: str
    region_code: str | None = None
    parent_uscc: str | None = None


@dataclass(frozen=True)
class PersonRow:
    id_number: str
    name: str
    unit_uscc: str
    started_on: date
    position: str | None = None
    rank: str | None = None


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def _clean(value: str | None) -> str | None:
    return None if _blank(value) else value.strip()  # type: ignore[union-attr]


def dedupe(rows: Sequence[object], key_of: object, errors: ErrorCollector,
           field: str) -> dict[int, int]:
    """Map each row index to the index of the first row with its key.

    A repeated key with identical content counts once; other content is CONFLICT on the later row.
    """
    first: dict[object, int] = {}
    mapping: dict[int, int] = {}
    for index, row in enumerate(rows):
        key = key_of(row)  # type: ignore[operator]
        if key in first and rows[first[key]] != row:
            errors.add("CONFLICT", "the same key appears earlier in this batch with other "
                       "content", index, field)
        mapping[index] = first.setdefault(key, index)
    return mapping


# ---------------------------------------------------------------- units

def _normalised_unit(row: UnitRow) -> UnitRow:
    parent = None if row.parent_uscc is None or _blank(row.parent_uscc) else keys.normalise_key(
        row.parent_uscc)
    return UnitRow(uscc=keys.normalise_key(row.uscc), name=row.name.strip(), kind=row.kind,
                   region_code=_clean(row.region_code), parent_uscc=parent)


def _check_unit(row: UnitRow, index: int, errors: ErrorCollector) -> None:
    if not keys.is_valid_uscc(row.uscc):
        errors.add("INVALID_USCC", f"{row.uscc!r} is not a valid unified social credit code",
                   index, "uscc")
    if not row.name or len(row.name) > UNIT_NAME:
        errors.add("INVALID_VALUE", f"name must have 1 to {UNIT_NAME} characters", index, "name")
    if row.kind not in UNIT_KINDS:
        errors.add("INVALID_VALUE", f"unknown unit kind {row.kind!r}", index, "kind")
    if row.region_code is not None and not REGION_CODE.match(row.region_code):
        errors.add("INVALID_VALUE", "regionCode must be a GB/T 2260 code of 6 (or 9, 12) digits",
                   index, "regionCode")
    if row.parent_uscc is not None and not keys.is_valid_uscc(row.parent_uscc):
        errors.add("INVALID_USCC", f"{row.parent_uscc!r} is not a valid unified social credit "
                   "code", index, "parentUscc")


async def units_by_uscc(session: AsyncSession, usccs: Sequence[str]) -> dict[str, Unit]:
    if not usccs:
        return {}
    rows = await session.scalars(select(Unit).where(Unit.uscc.in_(set(usccs))))
    return {unit.uscc: unit for unit in rows}


# (uscc, id) of the units of a batch's codes: one array parameter, so one SQL text whatever the
# batch's size (an IN list has a parameter per code), and no entity is built for a row that
# only needs the unit's id (reportCreditRecords, issue 13).
_UNIT_IDS: Final = select(Unit.uscc, Unit.id).where(
    Unit.uscc == any_(bindparam("usccs", type_=ARRAY(String))))


async def unit_ids_by_uscc(session: AsyncSession, usccs: Sequence[str]) -> dict[str, uuid.UUID]:
    """The id of each unit among `usccs` (normalised codes), by code; one statement, none for
    no code."""
    if not usccs:
        return {}
    rows = await session.execute(_UNIT_IDS, {"usccs": list(set(usccs))})
    return {uscc: unit_id for uscc, unit_id in rows}


async def required_units(session: AsyncSession, usccs: Sequence[str], field: str,
                         errors: ErrorCollector) -> dict[str, Unit]:
    """The units of `usccs` (one per batch row); a well-formed code of no unit is NOT_FOUND on
    `field` of its row (a malformed one has its own error already)."""
    units = await units_by_uscc(session, usccs)
    for index, uscc in enumerate(usccs):
        if keys.is_valid_uscc(uscc) and uscc not in units:
            errors.add("NOT_FOUND", f"no unit {uscc}", index, field)
    return units


async def _parent_map(session: AsyncSession) -> dict[str, str | None]:
    """uscc -> parent uscc of every stored unit (the hierarchy is small: a district's units)."""
    parent = Unit.__table__.alias("parent")
    rows = await session.execute(
        select(Unit.uscc, parent.c.uscc).outerjoin(parent, parent.c.id == Unit.parent_id))
    return {uscc: parent_uscc for uscc, parent_uscc in rows.all()}


def _cycle_rows(rows: Sequence[UnitRow], parents: dict[str, str | None]) -> set[int]:
    """Rows whose parent chain, after the batch, leads back to themselves."""
    merged = dict(parents)
    merged.update({row.uscc: row.parent_uscc for row in rows})
    bad: set[int] = set()
    for index, row in enumerate(rows):
        seen, current = {row.uscc}, row.parent_uscc
        while current is not None:
            if current in seen:
                bad.add(index)
                break
            seen.add(current)
            current = merged.get(current)
    return bad


async def register_units(session: AsyncSession, rows: Sequence[UnitRow]) -> list[uuid.UUID]:
    """Create or update units; all-or-nothing. Returns the unit ids in row order."""
    rows = [_normalised_unit(row) for row in rows]
    errors = ErrorCollector()
    for index, row in enumerate(rows):
        _check_unit(row, index, errors)
    firsts = dedupe(rows, lambda r: r.uscc, errors, "uscc")
    # Every bad row is reported at once: the parent is judged on every row whose parentUscc is
    # well-formed, whatever else is wrong with the batch.
    malformed = {e.index for e in errors.errors if e.field == "parentUscc"}
    await lock_keys(session, LockSpace.UNIT, (row.uscc for row in rows))
    parents = await _parent_map(session)
    batch = {row.uscc for row in rows}
    for index, row in enumerate(rows):
        if index in malformed:
            continue
        if row.parent_uscc and row.parent_uscc not in batch and row.parent_uscc not in parents:
            errors.add("NOT_FOUND", f"no unit {row.parent_uscc}", index, "parentUscc")
    for index in sorted(_cycle_rows(rows, parents) - malformed):
        errors.add("INVALID_VALUE", "the parent chain would form a cycle", index, "parentUscc")
    errors.raise_if_any()
    return await _write_units(session, [rows[i] for i in sorted(set(firsts.values()))], rows)


async def _write_units(session: AsyncSession, unique: list[UnitRow],
                       rows: list[UnitRow]) -> list[uuid.UUID]:
    existing = await units_by_uscc(session, [row.uscc for row in unique]
                                   + [r.parent_uscc for r in unique if r.parent_uscc])
    for row in unique:
        unit = existing.get(row.uscc)
        if unit is None:
            unit = Unit(id=uuid.uuid4(), uscc=row.uscc)
            session.add(unit)
            existing[row.uscc] = unit
        unit.name, unit.kind, unit.region_code = row.name, row.kind, row.region_code
        unit.updated_at = func.now()
    await session.flush()
    for row in unique:
        existing[row.uscc].parent_id = existing[row.parent_uscc].id if row.parent_uscc else None
    await session.flush()
    return [existing[row.uscc].id for row in rows]


# built once (every PROCUREMENT and PROJECT_APPROVAL read starts here): the code as a parameter
UNIT_BY_USCC = select(Unit).where(Unit.uscc == bindparam("uscc"))


async def unit_by_uscc(session: AsyncSession, uscc: str) -> Unit | None:
    return await session.scalar(UNIT_BY_USCC, {"uscc": keys.normalise_key(uscc)})


async def list_units(session: AsyncSession, *, name_contains: str | None, offset: int,
                     limit: int) -> tuple[Sequence[Unit], int]:
    """A page of units ordered by name then code, with the total count."""
    stmt = select(Unit)
    if name_contains and name_contains.strip():
        pattern = "%" + name_contains.strip().lower().replace("\\", "\\\\").replace(
            "%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(func.lower(Unit.name).like(pattern, escape="\\"))
    total = await session.scalar(select(func.count()).select_from(stmt.subquery()))
    page = await session.scalars(stmt.order_by(Unit.name, Unit.uscc).offset(offset).limit(limit))
    return page.all(), int(total or 0)


# ---------------------------------------------------------------- civil servants

def _normalised_person(row: PersonRow) -> PersonRow:
    return PersonRow(id_number=keys.normalise_key(row.id_number), name=row.name.strip(),
                     unit_uscc=keys.normalise_key(row.unit_uscc), started_on=row.started_on,
                     position=_clean(row.position), rank=_clean(row.rank))


def _check_person(row: PersonRow, index: int, today: date, errors: ErrorCollector) -> None:
    if not keys.is_valid_id_number(row.id_number, today):
        errors.add("INVALID_ID_NUMBER", "not a valid identity-card number", index, "idNumber")
    if not row.name or len(row.name) > PERSON_NAME:
        errors.add("INVALID_VALUE", f"name must have 1 to {PERSON_NAME} characters", index,
                   "name")
    if not keys.is_valid_uscc(row.unit_uscc):
        errors.add("INVALID_USCC", f"{row.unit_uscc!r} is not a valid unified social credit "
                   "code", index, "unitUscc")
    if row.started_on > today:
        errors.add("INVALID_VALUE", "startedOn may not be after today", index, "startedOn")


async def audited_people_by_hash(session: AsyncSession,
                                 hashes: Sequence[str]) -> dict[str, CivilServant]:
    """The people these identity-number hashes name: the one way numbers become people.

    Every look-up, found or not, is audited for the session's client and counted against its
    budget (domains.access.identity); over it, IdentityBudgetExceeded and nothing is looked up.
    """
    unique = set(hashes)
    if not unique:
        return {}
    requester = await identity.admit(session, unique)
    rows = await session.scalars(select(CivilServant).where(CivilServant.id_hash.in_(unique)))
    found = {person.id_hash: person for person in rows}
    await identity.record(session, requester, unique, found)
    return found


# The name every caller already uses: it is the audited choke point, never a bare query.
people_by_hash = audited_people_by_hash


async def latest_employments(session: AsyncSession,
                             person_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Employment]:
    """Each person's employment with the latest startedOn."""
    if not person_ids:
        return {}
    rows = await session.scalars(
        select(Employment).where(Employment.civil_servant_id.in_(set(person_ids)))
        .ext(distinct_on(Employment.civil_servant_id))
        .order_by(Employment.civil_servant_id, Employment.started_on.desc()))
    return {e.civil_servant_id: e for e in rows}


def _employment_error(latest: Employment | None, unit_id: uuid.UUID,
                      started_on: date) -> str | None:
    """Why this start cannot follow the person's latest employment, or None."""
    if latest is None or started_on > latest.started_on:
        if latest is not None and latest.ended_on is not None and started_on <= latest.ended_on:
            return "startedOn must be after the end of the previous employment"
        return None
    if started_on == latest.started_on and unit_id == latest.unit_id:
        return None
    return "startedOn must be later than the current employment's start (history is kept)"


async def register_civil_servants(session: AsyncSession, rows: Sequence[PersonRow], *,
                                  secret: bytes, today: date) -> list[uuid.UUID]:
    """Create or update civil servants and their employment; all-or-nothing."""
    rows = [_normalised_person(row) for row in rows]
    errors = ErrorCollector()
    for index, row in enumerate(rows):
        _check_person(row, index, today, errors)
    dedupe(rows, lambda r: r.id_number, errors, "idNumber")
    # Every bad row is reported at once: the unit and the employment history are judged on
    # every row whose fields they need are well-formed, whatever else is wrong with the batch.
    flagged = {(e.index, e.field) for e in errors.errors}
    units = await units_by_uscc(session, [row.unit_uscc for row in rows])
    hashes = [keys.hash_id_number(row.id_number, secret) for row in rows]
    await lock_keys(session, LockSpace.CIVIL_SERVANT, hashes)
    people = await people_by_hash(session, hashes)
    latest = await latest_employments(session, [p.id for p in people.values()])
    for index, row in enumerate(rows):
        if (index, "unitUscc") in flagged:
            continue
        unit = units.get(row.unit_uscc)
        if unit is None:
            errors.add("NOT_FOUND", f"no unit {row.unit_uscc}", index, "unitUscc")
            continue
        if (index, "idNumber") in flagged or (index, "startedOn") in flagged:
            continue
        person = people.get(hashes[index])
        problem = _employment_error(latest.get(person.id) if person else None, unit.id,
                                    row.started_on)
        if problem:
            errors.add("INVALID_VALUE", problem, index, "startedOn")
    errors.raise_if_any()
    ids = []
    for index, row in enumerate(rows):
        ids.append(await _write_person(session, row, hashes[index], units[row.unit_uscc].id,
                                       people, latest))
    await session.flush()
    return ids


async def _write_person(session: AsyncSession, row: PersonRow, id_hash: str,
                        unit_id: uuid.UUID, people: dict[str, CivilServant],
                        latest: dict[uuid.UUID, Employment]) -> uuid.UUID:
    person = people.get(id_hash)
    if person is None:
        person = CivilServant(id=uuid.uuid4(), id_hash=id_hash,
                              masked_id_number=keys.mask_id_number(row.id_number), name=row.name)
        session.add(person)
        people[id_hash] = person
    person.name = row.name
    current = latest.get(person.id)
    if current is not None and current.started_on == row.started_on:
        current.position, current.rank = row.position, row.rank
        return person.id
    if current is not None and current.ended_on is None:
        current.ended_on = row.started_on - timedelta(days=1)
    employment = Employment(id=uuid.uuid4(), civil_servant_id=person.id, unit_id=unit_id,
                            position=row.position, rank=row.rank, started_on=row.started_on)
    session.add(employment)
    latest[person.id] = employment
    return person.id


async def person_by_id_number(session: AsyncSession, id_number: str, *,
                              secret: bytes) -> CivilServant | None:
    found = await people_by_hash(session, [keys.hash_id_number(id_number, secret)])
    return next(iter(found.values()), None)


async def end_employment(session: AsyncSession, *, id_number: str, ended_on: date,
                         secret: bytes, today: date) -> uuid.UUID:
    """Close the open employment (retirement, resignation, dismissal)."""
    if not keys.is_valid_id_number(id_number, today):
        raise DomainError.single("INVALID_ID_NUMBER", "not a valid identity-card number",
                                 "idNumber")
    await lock_keys(session, LockSpace.CIVIL_SERVANT, [keys.hash_id_number(id_number, secret)])
    person = await person_by_id_number(session, id_number, secret=secret)
    if person is None:
        raise DomainError.single("NOT_FOUND", "no civil servant with this number", "idNumber")
    current = (await latest_employments(session, [person.id])).get(person.id)
    if current is None or current.ended_on is not None:
        raise DomainError.single("INVALID_STATE", "this person has no open employment")
    if ended_on > today:
        raise DomainError.single("INVALID_VALUE", "endedOn may not be after today", "endedOn")
    if ended_on < current.started_on:
        raise DomainError.single("INVALID_VALUE", "endedOn is before the employment started",
                                 "endedOn")
    current.ended_on = ended_on
    await session.flush()
    return person.id
