"""A purchaser's procurement credit (ProcurementCredit) and the procurement fields that other
domains' types delegate to: `Unit.procurementCredit`, `Unit.procurementContracts`,
`CreditRecord.procurementContract`."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from domains.procurement import evaluation
from graph.credit.types import RecordRef
from graph.pagination import Connection, connection, page
from graph.procurement.enums import CreditGrade
from graph.procurement.types import ProcurementBreachType, ProcurementContractType
from loaders import procurement as loaders
from loaders.reader import RequestReader


@strawberry.type(name="ProcurementCredit", description="A purchaser's (采购人) acceptance and "
                 "payment credit on asOf (DOMAIN.md section 6): contracts signed in the three "
                 "years up to asOf and delivered by then.")
class ProcurementCreditType:
    as_of: date = strawberry.field(description="The day evaluated; milestones and records "
                                   "after it are ignored.")
    score: int = strawberry.field(description="100 minus the deductions of the rule table in "
                                  "force on asOf, at least 0.")
    grade: CreditGrade = strawberry.field(description="A, B, C or D from the score.")
    contracts_evaluated: int = strawberry.field(
        description="Contracts signed after asOf − 3 years, by asOf, and delivered by asOf.")
    accepted_on_time: int = strawberry.field(description="Evaluated contracts accepted by "
                                             "their acceptance due day.")
    accepted_late: int = strawberry.field(description="Evaluated contracts accepted after it.")
    acceptance_overdue: int = strawberry.field(
        description="Evaluated contracts not accepted with asOf after the due day.")
    paid_on_time: int = strawberry.field(description="Evaluated contracts paid by their payment "
                                         "due day (or before the payment clock started).")
    paid_late: int = strawberry.field(description="Evaluated contracts paid after it.")
    payment_overdue: int = strawberry.field(
        description="Evaluated contracts not paid with asOf after the payment due day.")
    overdue_amount: Decimal = strawberry.field(
        description="Sum of the amounts of the contracts with PAYMENT_OVERDUE.")
    breaches: list[ProcurementBreachType] = strawberry.field(
        description="Every breach of the evaluated contracts, by contract code then BreachKind.")
    records_counted: list[RecordRef] = strawberry.field(
        description="ACTIVE or UNDER_OBJECTION DISHONEST records of the unit from the "
        "PROCUREMENT domain that lowered the score.")

    @classmethod
    def of(cls, credit: evaluation.PurchaserCredit) -> ProcurementCreditType:
        result = credit.evaluation
        return cls(
            as_of=credit.as_of, score=result.score, grade=CreditGrade(result.grade),
            contracts_evaluated=result.contracts_evaluated,
            accepted_on_time=result.accepted_on_time, accepted_late=result.accepted_late,
            acceptance_overdue=result.acceptance_overdue, paid_on_time=result.paid_on_time,
            paid_late=result.paid_late, payment_overdue=result.payment_overdue,
            overdue_amount=result.overdue_amount,
            breaches=[ProcurementBreachType.of(credit.contract_ids[b.contract_code], b)
                      for b in result.breaches],
            records_counted=[RecordRef.from_facts(r) for r in credit.records])


async def unit_procurement_credit(info: Info[Any, Any], unit_pk: uuid.UUID, unit_gid: str,
                                  as_of: date | None) -> ProcurementCreditType:
    """`Unit.procurementCredit(asOf)`: a read of the unit's credit data, so it is audited."""
    info.context.audit(info, [unit_gid])
    day = as_of or info.context.today
    credit = await evaluation.evaluate_purchaser(RequestReader(info.context.loaders), unit_pk,
                                                 day)
    return ProcurementCreditType.of(credit)


async def unit_procurement_contracts(info: Info[Any, Any], unit_pk: uuid.UUID,
                                     first: int | None,
                                     after: str | None,
                                     ) -> Connection[ProcurementContractType]:
    """`Unit.procurementContracts`: the unit's contracts as purchaser, newest signature first."""
    window = page(first, after)
    rows, total = await info.context.loaders.get(
        loaders.ProcurementContractsByPurchaserLoader).load((unit_pk, window.offset, window.limit))
    return connection(window, [ProcurementContractType.from_row(row) for row in rows], total)


async def record_procurement_contract(info: Info[Any, Any], contract_id: uuid.UUID | None,
                                      ) -> ProcurementContractType | None:
    """`CreditRecord.procurementContract`: contracts are readable by every audience."""
    if contract_id is None:
        return None
    row = await info.context.loaders.get(loaders.ProcurementContractByIdLoader).load(contract_id)
    return ProcurementContractType.from_row(row) if row else None
