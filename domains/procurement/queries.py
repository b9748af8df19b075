"""Reusable select() builders of the procurement domain, shared by the service and the loaders."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import ScalarSelect, Select, and_, func, inspect, select
from sqlalchemy.orm import aliased

from domains.procurement.models import (
    ProcurementContract,
    ProcurementMilestone,
    ProcurementWeightsRow,
)
from domains.procurement.rules import ContractMilestone, ProcurementWeights, is_evaluated_sql

# The order of Unit.procurementContracts: newest signature first, then code (DOMAIN.md is
# silent; records are listed newest first too).
CONTRACT_ORDER = (ProcurementContract.signed_on.desc(), ProcurementContract.code)


def contracts_by_codes(codes: Collection[str]) -> Select[ProcurementContract]:
    return select(ProcurementContract).where(ProcurementContract.code.in_(set(codes)))


def milestones_of(contract_ids: Collection[uuid.UUID]) -> Select[ProcurementMilestone]:
    return (select(ProcurementMilestone)
            .where(ProcurementMilestone.contract_id.in_(set(contract_ids)))
            .order_by(ProcurementMilestone.contract_id, ProcurementMilestone.on))


def contracts_with_milestones() -> Select[Any]:
    """Each contract's columns with its DELIVERED, ACCEPTED and PAID dates (null: not
    recorded): plain columns, not an ORM entity, since a purchaser's evaluation reads many of
    its contracts and only makes values of them.

    In this order: id, purchaser_id, then ContractFacts' fields in order and by name (the
    dates labelled `delivered_on`, `accepted_on`, `paid_on`), then the other columns, each
    named as the entity's attribute (loaders.procurement reads the rows by position)."""
    return _contract_columns(milestone_on(ContractMilestone.DELIVERED))


def evaluated_contracts(as_of: date, weights: ProcurementWeights) -> Select[Any]:
    """`contracts_with_milestones` narrowed to the contracts a purchaser's evaluation counts on
    `as_of` with `weights` (rules.is_evaluated_sql): at scale 1 a purchaser has 52 contracts
    on average, up to 584, signed over more years than the evaluation window. A contract
    not delivered is never counted, so its DELIVERED milestone is joined, not a subquery: it
    is read once, for the contracts in the window only."""
    c = ProcurementContract
    delivered = aliased(ProcurementMilestone, name="delivered")
    on_delivered = and_(delivered.contract_id == c.id,
                        delivered.milestone == ContractMilestone.DELIVERED.value)
    return (_contract_columns(delivered.on)
            .join(delivered, on_delivered)
            .where(is_evaluated_sql(c.signed_on, delivered.on, as_of, weights)))


def _contract_columns(delivered_on: Any) -> Select[Any]:
    """The columns of `contracts_with_milestones`, the DELIVERED date as given."""
    c = ProcurementContract
    first = (c.id, c.purchaser_id, c.code, c.amount, c.supplier_is_sme, c.signed_on,
             c.acceptance_days, c.payment_days)
    rest = [column for column in CONTRACT_COLUMNS if column.key not in {f.key for f in first}]
    later: list[Any] = [milestone_on(kind).label(f"{kind.value.lower()}_on")
                        for kind in (ContractMilestone.ACCEPTED, ContractMilestone.PAID)]
    return select(*first, delivered_on.label("delivered_on"), *later, *rest)


def milestone_on(kind: ContractMilestone) -> ScalarSelect[date]:
    """The contract's date of `kind` (null: not recorded), a subquery on the outer contract."""
    return (select(ProcurementMilestone.on)
            .where(ProcurementMilestone.contract_id == ProcurementContract.id,
                   ProcurementMilestone.milestone == kind.value)
            .scalar_subquery())


# Every column of a stored contract, keyed like the entity's attributes.
CONTRACT_COLUMNS = tuple(inspect(ProcurementContract).columns)


def ranked_contracts(purchaser_ids: Collection[uuid.UUID], last: int) -> Select[Any]:
    """The first `last` contracts of each purchaser in list order, numbered n (from 1), with
    each purchaser's total: one query for any number of purchasers."""
    ranked = (
        select(ProcurementContract,
               func.row_number().over(partition_by=ProcurementContract.purchaser_id,
                                      order_by=CONTRACT_ORDER).label("n"),
               func.count().over(partition_by=ProcurementContract.purchaser_id).label("total"))
        .where(ProcurementContract.purchaser_id.in_(set(purchaser_ids)))
    ).subquery()
    contract = aliased(ProcurementContract, ranked)
    return (select(contract, ranked.c.n, ranked.c.total)
            .where(ranked.c.n <= last).order_by(ranked.c.purchaser_id, ranked.c.n))


def weights_versions() -> Select[ProcurementWeightsRow]:
    return select(ProcurementWeightsRow).order_by(ProcurementWeightsRow.valid_from)
