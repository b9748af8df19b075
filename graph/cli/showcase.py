"""`integrity demo --show`: demo subjects to try, one per scenario of the README's walkthrough.

The subjects are found in the loaded data (records as stored now), not written down here, and
the demo's identity numbers are regenerated from its seeded generators (only their hashes are
stored). They are fictitious; real identity numbers are never printed by any command.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core import clock
from domains.credit.enums import RecordNature, RecordStatus, Sanction, Severity
from domains.credit.models import CreditRecord
from domains.subject import keys
from domains.subject import service as subjects
from domains.subject.models import Unit
from graph.cli.demo import district, people, seed, shared
from graph.cli.runtime import FAILED, CommandError

ACTIVE = RecordStatus.ACTIVE.value
CHAINED = (Sanction.DEMOTION.value, Sanction.PARTY_WARNING.value,
           Sanction.PARTY_SERIOUS_WARNING.value)
PURCHASER_D = "jtw"  # graph.cli.demo.procurement: 交通委员会 is the purchaser graded D


@dataclass(frozen=True)
class Shown:
    scenario: str
    name: str
    key: str
    try_it: str


async def _chained_people(session: AsyncSession) -> set[uuid.UUID]:
    """People with two or more administrative or party sanctions (a chain)."""
    rows = await session.execute(
        select(CreditRecord.civil_servant_id)
        .where(CreditRecord.civil_servant_id.is_not(None), CreditRecord.status == ACTIVE,
               CreditRecord.sanction.in_(CHAINED))
        .group_by(CreditRecord.civil_servant_id).having(func.count() >= 2))
    return {row[0] for row in rows if row[0] is not None}


async def _recorded_people(session: AsyncSession) -> set[uuid.UUID]:
    found = await session.scalars(select(CreditRecord.civil_servant_id).distinct()
                                  .where(CreditRecord.civil_servant_id.is_not(None)))
    return {pk for pk in found if pk is not None}


async def _restricted_unit(session: AsyncSession, exclude: str) -> Unit | None:
    """A unit with an ACTIVE SERIOUS DISHONEST record in force today (→ RESTRICT measures)."""
    today = clock.today()
    return await session.scalar(
        select(Unit).join(CreditRecord, CreditRecord.unit_id == Unit.id)
        .where(CreditRecord.status == ACTIVE,
               CreditRecord.nature == RecordNature.DISHONEST.value,
               CreditRecord.severity == Severity.SERIOUS.value, CreditRecord.valid_from <= today,
               (CreditRecord.valid_until.is_(None)) | (CreditRecord.valid_until >= today),
               Unit.uscc != exclude)
        .order_by(Unit.uscc).limit(1))


async def _people(session: AsyncSession, secret: bytes,
                  units: dict[str, district.DemoUnit]) -> list[Shown]:
    generated = people.civil_servants(units, shared.generator("civil servants"))
    hashes = {keys.hash_id_number(p.id_number, secret): p for p in generated}
    found = await subjects.people_by_hash(session, list(hashes))
    chained, recorded = await _chained_people(session), await _recorded_people(session)
    shown: list[Shown] = []
    blocked = [(h, p) for h, p in found.items() if p.id in chained]
    eligible = [(h, p) for h, p in found.items()
                if p.id not in recorded and hashes[h].ended_on is None]
    for scenario, chosen, hint in (
            ("person blocked by chained sanctions", blocked, "promotionEligibility: DENY"),
            ("person eligible for promotion", eligible, "promotionEligibility: ALLOW")):
        for digest, person in sorted(chosen, key=lambda item: hashes[item[0]].id_number)[:2]:
            shown.append(Shown(scenario, person.name, hashes[digest].id_number,
                               f"civilServant(idNumber:) {{ {hint} }}"))
    return shown


async def show_demo(session: AsyncSession, *, secret: bytes) -> int:
    """Print the table; exit 1 when the demo is not loaded."""
    if not await seed.is_loaded(session):
        raise CommandError("the demo district is not loaded (integrity demo)", FAILED)
    units = district.district_units(shared.generator("units"))
    purchaser = units[PURCHASER_D]
    shown = [Shown("purchaser graded D", purchaser.spec.name, purchaser.uscc,
                   "unit(uscc:) { procurementCredit { grade } }  (GOVERNMENT_PROCUREMENT)")]
    restricted = await _restricted_unit(session, exclude=purchaser.uscc)
    if restricted is not None:
        shown.append(Shown("unit under RESTRICT", restricted.name, restricted.uscc,
                           "unit(uscc:) { restrictions(scenario: GOVERNMENT_PROCUREMENT) }"))
    shown += await _people(session, secret, units)
    width = max(len(s.scenario) for s in shown)
    for item in shown:
        print(f"{item.scenario:<{width}}  {item.key}  {item.name}  -- {item.try_it}")
    return 0
