"""Procurement contracts and milestones (DOMAIN.md sections 6 and 9). Services flush; the caller
commits. Every batch is all-or-nothing: each bad row is reported, then nothing is written."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Final, cast

from sqlalchemy import Table, func
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.bulk import insert_rows
from domains.core.errors import ErrorCollector
from domains.core.locks import LockSpace, lock_keys
from domains.core.texts import column_width
from domains.procurement import errors as codes
from domains.procurement import queries, rules
from domains.procurement.models import ProcurementContract, ProcurementMilestone
from domains.procurement.rules import ContractMilestone, ProcurementWeights
from domains.subject import keys
from domains.subject import service as subjects
from domains.subject.enums import UnitKind
from domains.subject.models import CivilServant, Unit

MAX_CODE = column_width(ProcurementContract.code)
MAX_AMOUNT = Decimal("1e16")  # NUMERIC(18, 2)


@dataclass(frozen=True)
class ContractRow:
    """One ProcurementContractInput; omitted terms are None until the defaults are applied."""

    code: str
    title: str
    purchaser_uscc: str
    supplier_name: str
    supplier_is_sme: bool
    amount: Decimal
    signed_on: date
    responsible_person_id_number: str | None = None
    supplier_uscc: str | None = None
    acceptance_days: int | None = None
    payment_days: int | None = None


@dataclass(frozen=True)
class MilestoneRow:
    """One ContractMilestoneInput."""

    contract_code: str
    milestone: ContractMilestone
    on: date


# ---------------------------------------------------------------- reads


async def weights_versions(session: AsyncSession) -> list[ProcurementWeights]:
    """Every version of the rule values, oldest first."""
    return [row.as_rule() for row in await session.scalars(queries.weights_versions())]


def weights_on(versions: Sequence[ProcurementWeights], day: date) -> ProcurementWeights:
    """The version in force on `day`; the first version for a day before every version."""
    if day < versions[0].valid_from:
        return versions[0]
    return rules.weights_in_force(versions, day)


async def contracts_by_code(session: AsyncSession,
                            codes_: Sequence[str]) -> dict[str, ProcurementContract]:
    """Contracts by code (keys normalised: blanks stripped, upper-cased); unknown codes left out."""
    wanted = {keys.normalise_key(code) for code in codes_}
    if not wanted:
        return {}
    return {c.code: c for c in await session.scalars(queries.contracts_by_codes(wanted))}


async def milestone_dates(session: AsyncSession, contract_ids: Sequence[uuid.UUID],
                          ) -> dict[uuid.UUID, dict[ContractMilestone, date]]:
    """The recorded milestone dates of each contract (a contract without any is left out)."""
    found: dict[uuid.UUID, dict[ContractMilestone, date]] = {}
    if contract_ids:
        for row in await session.scalars(queries.milestones_of(contract_ids)):
            found.setdefault(row.contract_id, {})[ContractMilestone(row.milestone)] = row.on
    return found


def contract_facts(contract: ProcurementContract,
                   dates: Mapping[ContractMilestone, date]) -> rules.ContractFacts:
    """What the section 6 rules need of a stored contract and its milestones."""
    return rules.ContractFacts(
        code=contract.code, amount=contract.amount, supplier_is_sme=contract.supplier_is_sme,
        signed_on=contract.signed_on, acceptance_days=contract.acceptance_days,
        payment_days=contract.payment_days,
        delivered_on=dates.get(ContractMilestone.DELIVERED),
        accepted_on=dates.get(ContractMilestone.ACCEPTED),
        paid_on=dates.get(ContractMilestone.PAID))


# ---------------------------------------------------------------- contracts


def _normalised(row: ContractRow, versions: Sequence[ProcurementWeights]) -> ContractRow:
    """Keys normalised, texts stripped, omitted terms given the defaults in force at signing."""
    weights = weights_on(versions, row.signed_on)
    return replace(
        row, code=keys.normalise_key(row.code), title=row.title.strip(),
        purchaser_uscc=keys.normalise_key(row.purchaser_uscc),
        responsible_person_id_number=keys.optional_key(row.responsible_person_id_number),
        supplier_name=row.supplier_name.strip(),
        supplier_uscc=keys.optional_key(row.supplier_uscc),
        acceptance_days=(weights.default_acceptance_days if row.acceptance_days is None
                         else row.acceptance_days),
        payment_days=weights.default_payment_days if row.payment_days is None else row.payment_days)


def _check_texts(row: ContractRow, index: int, errors: ErrorCollector) -> None:
    if not 1 <= len(row.code) <= MAX_CODE:
        errors.add(codes.INVALID_VALUE, f"code must have 1 to {MAX_CODE} characters", index, "code")
    for field, value, width in (
            ("title", row.title, column_width(ProcurementContract.title)),
            ("supplierName", row.supplier_name, column_width(ProcurementContract.supplier_name))):
        if not 1 <= len(value) <= width:
            errors.add(codes.INVALID_VALUE, f"{field} must have 1 to {width} characters",
                       index, field)


def _is_amount(amount: Decimal) -> bool:
    """Above 0, within NUMERIC(18, 2), at most two decimals (the Decimal scalar ensures it too)."""
    exponent = amount.as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -2 and 0 < amount < MAX_AMOUNT


def _check_contract(row: ContractRow, index: int, today: date, errors: ErrorCollector) -> None:
    """What can be judged from the row alone."""
    _check_texts(row, index, errors)
    for field, code in (("purchaserUscc", row.purchaser_uscc), ("supplierUscc", row.supplier_uscc)):
        if code is not None and not keys.is_valid_uscc(code):
            errors.add(codes.INVALID_USCC, f"{code!r} is not a valid unified social credit code",
                       index, field)
    person = row.responsible_person_id_number
    if person is not None and not keys.is_valid_id_number(person, today):
        errors.add(codes.INVALID_ID_NUMBER, "not a valid identity-card number", index,
                   "responsiblePersonIdNumber")
    if not _is_amount(row.amount):
        errors.add(codes.INVALID_VALUE, "amount must be above 0 with at most two decimals",
                   index, "amount")
    if row.signed_on > today:
        errors.add(codes.INVALID_VALUE, f"signedOn {codes.AFTER_TODAY}", index, "signedOn")
    for field, days in (("acceptanceDays", row.acceptance_days), ("paymentDays", row.payment_days)):
        if days is not None and rules.check_days(days) is not None:
            errors.add(codes.INVALID_VALUE, f"{field} {codes.TERM_RANGE}", index, field)


@dataclass
class _References:
    """What a batch of contracts refers to, looked up once."""

    units: dict[str, Unit]
    people: dict[str, CivilServant]
    existing: dict[str, ProcurementContract]
    frozen: set[uuid.UUID]
    today: date

    def known_number(self, number: str) -> bool:
        """A well-formed number (a malformed one is INVALID_ID_NUMBER, not also NOT_FOUND)."""
        return keys.is_valid_id_number(number, self.today)

    def person_id(self, row: ContractRow, secret: bytes) -> uuid.UUID | None:
        number = row.responsible_person_id_number
        person = self.people.get(keys.hash_id_number(number, secret)) if number else None
        return person.id if person else None


async def _references(session: AsyncSession, rows: Sequence[ContractRow], secret: bytes,
                      today: date) -> _References:
    numbers = [r.responsible_person_id_number for r in rows if r.responsible_person_id_number]
    units = await subjects.units_by_uscc(session, [r.purchaser_uscc for r in rows])
    people = await subjects.people_by_hash(
        session, [keys.hash_id_number(number, secret) for number in numbers])
    existing = await contracts_by_code(session, [r.code for r in rows if r.code])
    dates = await milestone_dates(session, [c.id for c in existing.values()])
    return _References(units, people, existing, set(dates), today)


def _content(purchaser_id: uuid.UUID | None, person_id: uuid.UUID | None,
             row: ContractRow) -> tuple[object, ...]:
    return (row.title, purchaser_id, person_id, row.supplier_name, row.supplier_uscc,
            row.supplier_is_sme, row.amount, row.signed_on, row.acceptance_days, row.payment_days)


def _stored_content(contract: ProcurementContract) -> tuple[object, ...]:
    return (contract.title, contract.purchaser_id, contract.responsible_person_id,
            contract.supplier_name, contract.supplier_uscc, contract.supplier_is_sme,
            contract.amount, contract.signed_on, contract.acceptance_days, contract.payment_days)


def _check_references(row: ContractRow, index: int, refs: _References, secret: bytes,
                      versions: Sequence[ProcurementWeights], errors: ErrorCollector) -> None:
    """Checks against stored data: purchaser, responsible person, SME term, frozen contract."""
    unit = refs.units.get(row.purchaser_uscc)
    if unit is None and keys.is_valid_uscc(row.purchaser_uscc):
        errors.add(codes.NOT_FOUND, f"no unit {row.purchaser_uscc}", index, "purchaserUscc")
    number = row.responsible_person_id_number
    if number and refs.known_number(number) and refs.person_id(row, secret) is None:
        errors.add(codes.NOT_FOUND, "no civil servant with this number", index,
                   "responsiblePersonIdNumber")
    assert row.payment_days is not None
    if unit is not None and rules.check_days(row.payment_days) is None:
        weights = weights_on(versions, row.signed_on)
        state_enterprise = unit.kind == UnitKind.STATE_ENTERPRISE
        if rules.check_payment_term(row.payment_days, row.supplier_is_sme, state_enterprise,
                                    weights) is not None:
            errors.add(codes.PAYMENT_TERM_TOO_LONG,
                       codes.TERM_TOO_LONG.format(limit=weights.sme_max_payment_days),
                       index, "paymentDays")
    stored = refs.existing.get(row.code)
    if stored is not None and stored.id in refs.frozen and unit is not None and _stored_content(
            stored) != _content(unit.id, refs.person_id(row, secret), row):
        errors.add(codes.CONFLICT, codes.FROZEN_CONTRACT, index, "code")


async def register_contracts(session: AsyncSession, rows: Sequence[ContractRow], *,
                             secret: bytes, today: date, reported_by: str) -> list[uuid.UUID]:
    """Create or update contracts (key code); all-or-nothing. Returns the ids in row order.

    A contract is updated while it has no milestone; afterwards other content is CONFLICT and
    the same content a no-op.
    """
    versions = await weights_versions(session)
    rows = [_normalised(row, versions) for row in rows]
    errors = ErrorCollector()
    for index, row in enumerate(rows):
        _check_contract(row, index, today, errors)
    subjects.dedupe(rows, lambda r: r.code, errors, "code")
    await lock_keys(session, LockSpace.PROCUREMENT_CONTRACT, (row.code for row in rows))
    refs = await _references(session, rows, secret, today)
    for index, row in enumerate(rows):
        _check_references(row, index, refs, secret, versions, errors)
    errors.raise_if_any()
    created: dict[str, dict[str, object]] = {}
    for row in rows:
        if row.code in refs.existing:
            _update_contract(row, refs, secret)
        elif row.code not in created:  # a repeat in the batch has the same content (dedupe)
            created[row.code] = _new_contract(row, refs, secret, reported_by)
    if created:
        await insert_rows(session, _CONTRACTS, list(created.values()))
    await session.flush()
    return [refs.existing[row.code].id if row.code in refs.existing
            else cast(uuid.UUID, created[row.code]["id"]) for row in rows]


# New contracts are one INSERT of plain rows (`domains.core.bulk`), not a thousand ORM objects
# flushed by the unit of work (a third of a 1,000-row batch's server time, issue 13).
_CONTRACTS: Final = cast(Table, ProcurementContract.__table__)


def _new_contract(row: ContractRow, refs: _References, secret: bytes,
                  reported_by: str) -> dict[str, object]:
    """The columns of a new contract (created_at and updated_at are the database's)."""
    assert row.acceptance_days is not None and row.payment_days is not None
    return {"id": uuid.uuid4(), "code": row.code, "reported_by": reported_by,
            "title": row.title, "purchaser_id": refs.units[row.purchaser_uscc].id,
            "responsible_person_id": refs.person_id(row, secret),
            "supplier_name": row.supplier_name, "supplier_uscc": row.supplier_uscc,
            "supplier_is_sme": row.supplier_is_sme, "amount": row.amount,
            "signed_on": row.signed_on, "acceptance_days": row.acceptance_days,
            "payment_days": row.payment_days}


def _update_contract(row: ContractRow, refs: _References, secret: bytes) -> None:
    """A stored contract takes the row's content (the session flushes it); the same content
    again writes nothing."""
    purchaser_id, person_id = refs.units[row.purchaser_uscc].id, refs.person_id(row, secret)
    contract = refs.existing[row.code]
    if _stored_content(contract) == _content(purchaser_id, person_id, row):
        return
    contract.updated_at = func.now()
    contract.title, contract.purchaser_id = row.title, purchaser_id
    contract.responsible_person_id, contract.supplier_name = person_id, row.supplier_name
    contract.supplier_uscc, contract.supplier_is_sme = row.supplier_uscc, row.supplier_is_sme
    contract.amount, contract.signed_on = row.amount, row.signed_on
    assert row.acceptance_days is not None and row.payment_days is not None
    contract.acceptance_days, contract.payment_days = row.acceptance_days, row.payment_days


# ---------------------------------------------------------------- milestones


def _delivered_on(rows: Sequence[MilestoneRow],
                  stored: Mapping[str, Mapping[ContractMilestone, date]]) -> dict[str, date]:
    """Each contract's DELIVERED date: the stored one, else the first in the batch."""
    found = {code: dates[ContractMilestone.DELIVERED] for code, dates in stored.items()
             if ContractMilestone.DELIVERED in dates}
    for row in rows:
        if row.milestone == ContractMilestone.DELIVERED:
            found.setdefault(row.contract_code, row.on)
    return found


def _check_milestones(rows: Sequence[MilestoneRow],
                      stored: Mapping[str, Mapping[ContractMilestone, date]],
                      errors: ErrorCollector) -> None:
    """Each row against its contract's stored milestones (`stored`: the known contracts) and
    the DELIVERED date of the stored data or the batch."""
    delivered = _delivered_on(rows, stored)
    for index, row in enumerate(rows):
        if row.contract_code not in stored:
            errors.add(codes.NOT_FOUND, f"no contract {row.contract_code!r}", index,
                       "contractCode")
            continue
        recorded = stored[row.contract_code].get(row.milestone)
        if recorded is not None and recorded != row.on:
            errors.add(codes.CONFLICT, codes.MILESTONE_CHANGED, index, "on")
        elif rules.check_milestone_order(delivered.get(row.contract_code), row.milestone,
                                         row.on) is not None:
            errors.add(codes.MILESTONE_OUT_OF_ORDER, codes.OUT_OF_ORDER, index, "milestone")


async def record_milestones(session: AsyncSession, rows: Sequence[MilestoneRow], *,
                            today: date, recorded_by: str) -> list[uuid.UUID]:
    """Record DELIVERED, ACCEPTED and PAID (key contract + milestone); all-or-nothing.

    The same date again is a no-op, another date CONFLICT. Returns the contracts' ids in row
    order (a milestone is not an object of its own).
    """
    rows = [replace(row, contract_code=keys.normalise_key(row.contract_code)) for row in rows]
    errors = ErrorCollector()
    for index, row in enumerate(rows):
        if row.on > today:
            errors.add(codes.INVALID_VALUE, f"on {codes.AFTER_TODAY}", index, "on")
    subjects.dedupe(rows, lambda r: (r.contract_code, r.milestone), errors, "on")
    await lock_keys(session, LockSpace.PROCUREMENT_CONTRACT, (r.contract_code for r in rows))
    contracts = await contracts_by_code(session, [row.contract_code for row in rows])
    dates = await milestone_dates(session, [c.id for c in contracts.values()])
    stored = {code: dates.get(c.id, {}) for code, c in contracts.items()}
    _check_milestones(rows, stored, errors)
    errors.raise_if_any()
    for row in rows:
        contract_dates = stored[row.contract_code]
        if row.milestone not in contract_dates:
            contract_dates[row.milestone] = row.on
            session.add(ProcurementMilestone(
                id=uuid.uuid4(), contract_id=contracts[row.contract_code].id,
                milestone=row.milestone.value, on=row.on, recorded_by=recorded_by))
    await session.flush()
    return [contracts[row.contract_code].id for row in rows]
