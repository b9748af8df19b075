"""Procurement contracts and their milestones (DOMAIN.md section 6).

A contract is signed within the last four years by a purchaser unit, with a person of that unit
responsible when it has staff; an SME supplier's payment term is at most 60 days unless the
purchaser is a state enterprise (PAYMENT_TERM_TOO_LONG otherwise). Milestones follow the
contract: DELIVERED, then ACCEPTED on time, late or never, then PAID on time, late or never, none
after today, so every grade from A to D occurs.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from domains.procurement.rules import ContractMilestone
from domains.subject.enums import UnitKind
from graph.cli.dataset import identifiers
from graph.cli.dataset.copying import Copier, Row
from graph.cli.dataset.plan import Plan
from graph.cli.dataset.subjects import Subjects

CONTRACT_COLUMNS: Final = ("id", "code", "title", "purchaser_id", "responsible_person_id",
                           "supplier_name", "supplier_uscc", "supplier_is_sme", "amount",
                           "signed_on", "acceptance_days", "payment_days", "reported_by",
                           "created_at", "updated_at")
MILESTONE_COLUMNS: Final = ("id", "contract_id", "milestone", "on", "recorded_by",
                            "created_at")
GOODS: Final = ("办公设备", "信息化系统运维", "道路养护", "绿化养护", "物业管理", "医疗设备",
                "教学设备", "河道保洁", "安保服务", "监理服务")
SME_PAYMENT_DAYS: Final = 60


@dataclass
class Contracts:
    """Each purchaser's contracts: (contract id, responsible person index or None)."""

    of_unit: dict[int, list[tuple[uuid.UUID, int | None]]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Contract:
    id: uuid.UUID
    signed_on: date
    acceptance_days: int
    payment_days: int
    laxity: float  # the purchaser's chance of missing each deadline


def _laxities(rng: random.Random, units: int) -> list[float]:
    """Per purchaser, the chance of missing a deadline: most are diligent, a few are not, so
    procurementCredit grades spread from A to D."""
    return [rng.random() ** 3 * 0.8 for _ in range(units)]


def _terms(rng: random.Random, sme: bool, state_enterprise: bool) -> tuple[int, int]:
    acceptance = 30 if rng.random() < 0.7 else rng.choice((7, 15, 45, 60, 90))
    longest = 365 if state_enterprise or not sme else SME_PAYMENT_DAYS
    payment = 30 if rng.random() < 0.7 else rng.randint(10, min(longest, 90))
    return acceptance, payment


def _contract_rows(plan: Plan, subjects: Subjects, contracts: Contracts,
                   made: list[_Contract]) -> Iterator[Row]:
    rng = plan.rng("procurement_contract")
    salt = rng.randrange(identifiers.CODE_SPACE)
    suppliers = max(20, plan.counts.procurement_contracts // 20)
    supplier_codes = [identifiers.unit_code(n, salt, "91", identifiers.DISTRICTS[1])
                      for n in range(suppliers)]
    units = len(subjects.unit_ids)
    laxity = _laxities(rng, units)
    for index in range(plan.counts.procurement_contracts):
        unit = rng.randrange(units) if rng.random() < 0.7 else int(units * rng.random() ** 2)
        supplier = rng.randrange(suppliers)
        sme = supplier % 3 != 0
        acceptance, payment = _terms(rng, sme, subjects.kinds[unit] == UnitKind.STATE_ENTERPRISE)
        signed = plan.days_ago(rng.randrange(4 * 365))
        staff = subjects.staff_of(unit)
        person = rng.choice(staff) if staff and rng.random() < 0.9 else None
        contract = _Contract(identifiers.new_uuid(rng), signed, acceptance, payment,
                             laxity[unit])
        made.append(contract)
        contracts.of_unit.setdefault(unit, []).append((contract.id, person))
        at = plan.at(signed, rng)
        yield (contract.id, f"GP-{signed.year}-{index:07d}", f"{rng.choice(GOODS)}采购合同",
               subjects.unit_ids[unit], None if person is None else subjects.person_ids[person],
               f"上海供应商{supplier}有限公司",
               supplier_codes[supplier], sme,
               Decimal(rng.randrange(10_000_00, 20_000_000_00)).scaleb(-2), signed, acceptance,
               payment, plan.clients.procurement, at, at)


def _milestones(plan: Plan, rng: random.Random, contract: _Contract
                ) -> list[tuple[ContractMilestone, date]]:
    """DELIVERED, ACCEPTED, PAID as far as they happened by today (on time, late or never)."""
    delivered = contract.signed_on + timedelta(days=rng.randrange(5, 150))
    if delivered > plan.today:
        return []
    found = [(ContractMilestone.DELIVERED, delivered)]
    due = delivered + timedelta(days=contract.acceptance_days)
    accepted: date | None = None
    if rng.random() >= contract.laxity / 3:  # otherwise never accepted
        accepted = _on_time_or_late(rng, delivered, contract.acceptance_days, contract.laxity)
        if accepted <= plan.today:
            found.append((ContractMilestone.ACCEPTED, accepted))
        else:
            accepted = None
    start = min(accepted, due) if accepted else due
    if rng.random() >= contract.laxity / 3:  # otherwise never paid
        paid = _on_time_or_late(rng, start, contract.payment_days, contract.laxity)
        if paid <= plan.today:
            found.append((ContractMilestone.PAID, paid))
    return found


def _on_time_or_late(rng: random.Random, start: date, days: int, laxity: float) -> date:
    """A day within `days` of `start`, or (with chance `laxity`) up to 45 days after that."""
    if rng.random() >= laxity:
        return start + timedelta(days=rng.randrange(days + 1))
    return start + timedelta(days=days + 1 + rng.randrange(45))


def _milestone_rows(plan: Plan, made: list[_Contract]) -> Iterator[Row]:
    rng = plan.rng("procurement_milestone")
    for contract in made:
        for milestone, on in _milestones(plan, rng, contract):
            yield (identifiers.new_uuid(rng), contract.id, milestone.value, on,
                   plan.clients.procurement, plan.at(on, rng))


async def load_procurement(plan: Plan, copier: Copier, subjects: Subjects) -> Contracts:
    """COPY contracts and milestones; returns each purchaser's contracts (records link them)."""
    contracts, made = Contracts(), list[_Contract]()
    await copier.copy_all("procurement_contract", CONTRACT_COLUMNS,
                          _contract_rows(plan, subjects, contracts, made))
    await copier.copy_all("procurement_milestone", MILESTONE_COLUMNS, _milestone_rows(plan, made))
    return contracts
