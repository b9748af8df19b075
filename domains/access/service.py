"""Clients, keys and the audit trail. Services flush; the caller commits."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Final, cast

from sqlalchemy import ARRAY, Select, Table, Text, func, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access.cache import AccessCache, KnownClient, announce_change
from domains.access.models import AuditEntry, Client, ClientUnit
from domains.core import clock
from domains.core.bulk import insert_rows
from domains.subject import keys
from domains.subject import service as subjects
from domains.subject.models import Unit

AUDIENCES = ("PROCUREMENT", "PROJECT_APPROVAL", "PERSONNEL", "SUPERVISION", "CREDIT_OFFICE")
KEY_PREFIX = "igk_"
MAX_LOOKUPS_PER_HOUR = 1_000_000


class ClientError(ValueError):
    """A client command was given bad input; nothing was written."""


async def credit_office_names(session: AsyncSession, names: set[str]) -> set[str]:
    """The names among `names` of clients of the audience CREDIT_OFFICE."""
    if not names:
        return set()
    found = await session.scalars(select(Client.name).where(
        Client.name.in_(names), Client.audience == "CREDIT_OFFICE"))
    return set(found)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def add_client(session: AsyncSession, *, name: str, audience: str,
                     expires_at: datetime | None = None,
                     id_lookups_per_hour: int | None = None,
                     usccs: Sequence[str] = ()) -> tuple[Client, str]:
    """Create a client, bound to the units `usccs` (may be none); return it with its key,
    which is shown once and never stored. `id_lookups_per_hour` is its identity look-up budget
    (None: the server default)."""
    name = name.strip()
    audience = audience.strip().upper()
    if not name or len(name) > 100:
        raise ClientError("the name must have 1 to 100 characters")
    if audience not in AUDIENCES:
        raise ClientError(f"unknown audience {audience!r}; one of {', '.join(AUDIENCES)}")
    if await session.scalar(select(Client.id).where(Client.name == name)):
        raise ClientError(f"a client named {name!r} exists already")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    _check_budget(id_lookups_per_hour)
    client = Client(id=uuid.uuid4(), name=name, audience=audience, key_hash=hash_key(key),
                    expires_at=expires_at, id_lookups_per_hour=id_lookups_per_hour)
    session.add(client)
    await session.flush()
    if usccs:
        await bind_units(session, name=name, usccs=usccs)
    return client, key


async def bind_units(session: AsyncSession, *, name: str, usccs: Sequence[str]) -> list[str]:
    """Let the client act for these units (initiate and respond for a memorandum's signatory);
    binding a unit again changes nothing. Returns every unit code the client is bound to."""
    client = await session.scalar(select(Client).where(Client.name == name.strip()))
    if client is None:
        raise ClientError(f"no client named {name!r}")
    codes = list(dict.fromkeys(keys.normalise_key(u) for u in usccs))
    bad = [code for code in codes if not keys.is_valid_uscc(code)]
    if bad:
        raise ClientError(f"{bad[0]!r} is not a valid unified social credit code")
    units = await subjects.units_by_uscc(session, codes)
    missing = [code for code in codes if code not in units]
    if missing:
        raise ClientError(f"no unit has the code {missing[0]!r} (register it first)")
    bound = set(await units_of_client(session, client.name))
    session.add_all(ClientUnit(client_id=client.id, unit_id=units[code].id, bound_at=clock.now())
                    for code in codes if units[code].id not in bound)
    await session.flush()
    await announce_change(session)
    return sorted(await bound_usccs(session, client.id))


async def bound_usccs(session: AsyncSession, client_id: uuid.UUID) -> list[str]:
    rows = await session.scalars(select(Unit.uscc).join(
        ClientUnit, ClientUnit.unit_id == Unit.id).where(
        ClientUnit.client_id == client_id))
    return list(rows)


def units_of_clients_query(names: Sequence[str]) -> Select[str, uuid.UUID]:
    """(client name, unit id) of every unit these clients act for."""
    return (select(Client.name, ClientUnit.unit_id)
            .join(ClientUnit, ClientUnit.client_id == Client.id)
            .where(Client.name.in_(names)).order_by(Client.name, ClientUnit.unit_id))


async def units_of_client(session: AsyncSession, name: str) -> list[uuid.UUID]:
    """The ids of the units the client acts for."""
    return [unit for _, unit in (await session.execute(units_of_clients_query([name]))).all()]


async def list_clients(session: AsyncSession) -> Sequence[Client]:
    return (await session.scalars(select(Client).order_by(Client.name))).all()


async def revoke_client(session: AsyncSession, *, name: str) -> Client:
    client = await session.scalar(select(Client).where(Client.name == name.strip()))
    if client is None:
        raise ClientError(f"no client named {name!r}")
    if client.revoked_at is None:
        client.revoked_at = clock.now()
        await session.flush()
        await announce_change(session)
    return client


async def rotate_key(session: AsyncSession, *, name: str) -> tuple[Client, str]:
    """Give a client a new key (the old one stops working); shown once, never stored."""
    client = await session.scalar(select(Client).where(Client.name == name.strip()))
    if client is None:
        raise ClientError(f"no client named {name!r}")
    if client.revoked_at is not None:
        raise ClientError(f"client {name!r} is revoked; add a new client instead")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    client.key_hash = hash_key(key)
    await session.flush()
    await announce_change(session)
    return client, key


def _check_budget(id_lookups_per_hour: int | None) -> None:
    if id_lookups_per_hour is not None and not 1 <= id_lookups_per_hour <= MAX_LOOKUPS_PER_HOUR:
        raise ClientError(f"the identity look-up budget must be 1 to {MAX_LOOKUPS_PER_HOUR} "
                          "numbers per hour")


async def set_lookup_budget(session: AsyncSession, *, name: str,
                            id_lookups_per_hour: int | None) -> Client:
    """Change a client's identity look-up budget (None: back to the server default)."""
    _check_budget(id_lookups_per_hour)
    client = await session.scalar(select(Client).where(Client.name == name.strip()))
    if client is None:
        raise ClientError(f"no client named {name!r}")
    client.id_lookups_per_hour = id_lookups_per_hour
    await session.flush()
    await announce_change(session)
    return client


async def authenticate(session: AsyncSession, key: str) -> Client | None:
    """The client holding `key`, unless unknown, revoked or expired."""
    client = await session.scalar(select(Client).where(Client.key_hash == hash_key(key)))
    if client is None or client.revoked_at is not None:
        return None
    if client.expires_at is not None and client.expires_at <= clock.now():
        return None
    return client


async def authenticate_known(session: AsyncSession, key: str,
                             cache: AccessCache) -> KnownClient | None:
    """`authenticate` through the process's cache (domains.access.cache says when it is used
    and how a change reaches it); the key's last valid day is checked on every request."""
    key_hash = hash_key(key)
    known = cache.client(key_hash)
    if known is None:
        generation = cache.generation
        client = await authenticate(session, key)
        if client is None:
            return None
        known = KnownClient(name=client.name, audience=client.audience,
                            id_lookups_per_hour=client.id_lookups_per_hour,
                            expires_at=client.expires_at)
        cache.keep_client(key_hash, known, generation)
    return known if known.valid_now() else None


def audit_entry(*, client_name: str, operation: str | None, field: str, request_id: str,
                subject_ids: list[str]) -> AuditEntry:
    return AuditEntry(id=uuid.uuid4(), at=clock.now(), client_name=client_name,
                      operation=operation, field=field, request_id=request_id,
                      subject_ids=subject_ids)


async def write_audit(session: AsyncSession, *, client_name: str, request_id: str,
                      reads: dict[tuple[str | None, str], set[str]]) -> None:
    """The audit rows of one request's reads ((operation, field path) -> subject ids), in one
    INSERT: one round trip however many fields were read. Its SQL text is the same for any
    number of rows (`insert_rows`: one array per column), so it is compiled once per process
    and prepared once per connection; a multi-row `insert().values([...])` went through the
    ORM's bulk path and a full compile on every request (a fifth of a read's samples)."""
    now = clock.now()
    await insert_rows(session, _AUDIT, [
        {"id": uuid.uuid4(), "at": now, "client_name": client_name, "operation": operation,
         "field": field, "request_id": request_id, "subject_ids": sorted(subjects)}
        for (operation, field), subjects in reads.items()])


_AUDIT: Final = cast(Table, AuditEntry.__table__)


def audit_query(*, subject_id: str | None, client: str | None, from_day: date | None,
                to_day: date | None) -> Select[AuditEntry]:
    """The audit rows matching the filters, newest first."""
    stmt = select(AuditEntry)
    if subject_id is not None:
        # @> (not = ANY) so that the GIN index on subject_ids serves it
        stmt = stmt.where(AuditEntry.subject_ids.op("@>")(sql_cast([subject_id], ARRAY(Text))))
    if client is not None:
        stmt = stmt.where(AuditEntry.client_name == client)
    if from_day is not None:
        stmt = stmt.where(func.date(func.timezone("Asia/Shanghai", AuditEntry.at)) >= from_day)
    if to_day is not None:
        stmt = stmt.where(func.date(func.timezone("Asia/Shanghai", AuditEntry.at)) <= to_day)
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


async def audit_page(session: AsyncSession, *, subject_id: str | None, client: str | None,
                     from_day: date | None, to_day: date | None, offset: int,
                     limit: int) -> tuple[Sequence[AuditEntry], int]:
    """A page of `audit_query`, newest first, with the total count of matching rows."""
    stmt = audit_query(subject_id=subject_id, client=client, from_day=from_day, to_day=to_day)
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = await session.scalars(stmt.offset(offset).limit(limit))
    return rows.all(), int(total or 0)
