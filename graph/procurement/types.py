"""GraphQL types of the procurement domain: contracts, their breaches, pages of contracts.

A purchaser's credit (ProcurementCredit) lives in graph.procurement.credit.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from domains.core.ids import to_global_id
from domains.procurement import evaluation, rules
from domains.procurement import service as procurement
from domains.procurement.models import ProcurementContract
from graph.common import AsOf, Node
from graph.page_wording import PageWording, word_pages
from graph.procurement.enums import BreachKind
from graph.subject.types import CivilServantType, UnitType
from loaders import procurement as loaders
from loaders import subject as subject_loaders
from loaders.reader import RequestReader

TODAY_NOTE = "as known today (milestones are never dated after today)"


@strawberry.type(name="ProcurementContract", description="A purchaser's (采购人) contract "
                 "with a supplier, with its acceptance (验收) and payment terms and milestones.")
class ProcurementContractType(Node):
    code: str = strawberry.field(description="The procurement system's contract number (key).")
    title: str = strawberry.field(description="What was bought.")
    supplier_name: str = strawberry.field(description="The supplier (供应商).")
    supplier_uscc: str | None = strawberry.field(
        description="The supplier's unified social credit code, when reported.")
    supplier_is_sme: bool = strawberry.field(
        description="Whether the supplier is a small or medium-sized enterprise (中小企业).")
    amount: Decimal = strawberry.field(description="Contract amount in yuan.")
    signed_on: date = strawberry.field(description="Day the contract was signed.")
    acceptance_days: int = strawberry.field(
        description="Days after delivery within which acceptance is due.")
    payment_days: int = strawberry.field(
        description="Days from the payment clock's start within which payment is due.")
    row: strawberry.Private[ProcurementContract]

    @classmethod
    def from_row(cls, row: ProcurementContract) -> ProcurementContractType:
        """The GraphQL object of a stored contract (milestones are loaded when asked for)."""
        return cls(
            id=strawberry.ID(to_global_id("ProcurementContract", row.id)), row=row,
            code=row.code, title=row.title, supplier_name=row.supplier_name,
            supplier_uscc=row.supplier_uscc, supplier_is_sme=row.supplier_is_sme,
            amount=row.amount, signed_on=row.signed_on, acceptance_days=row.acceptance_days,
            payment_days=row.payment_days)

    async def _facts(self, info: Info[Any, Any]) -> rules.ContractFacts:
        dates = await info.context.loaders.get(loaders.MilestonesByContractLoader).load(
            self.row.id)
        return procurement.contract_facts(self.row, dates)

    async def _today(self, info: Info[Any, Any]) -> rules.ContractFacts:
        return rules.as_of_view(await self._facts(info), info.context.today)

    @strawberry.field(description="The unit that bought (采购人).")
    async def purchaser(self, info: Info[Any, Any]) -> UnitType:
        row = await info.context.loaders.get(subject_loaders.UnitByIdLoader).load(
            self.row.purchaser_id)
        return UnitType.from_row(row)

    @strawberry.field(description="The civil servant answerable for the contract's acceptance "
                      "and payment, when reported.")
    async def responsible_person(self, info: Info[Any, Any]) -> CivilServantType | None:
        if self.row.responsible_person_id is None:
            return None
        row = await info.context.loaders.get(subject_loaders.CivilServantByIdLoader).load(
            self.row.responsible_person_id)
        return CivilServantType.from_row(row) if row else None

    @strawberry.field(description="Day of delivery (DELIVERED), " + TODAY_NOTE + ".")
    async def delivered_on(self, info: Info[Any, Any]) -> date | None:
        return (await self._today(info)).delivered_on

    @strawberry.field(description="deliveredOn + acceptanceDays days; null until delivered.")
    async def acceptance_due_on(self, info: Info[Any, Any]) -> date | None:
        return rules.acceptance_due_on(await self._today(info))

    @strawberry.field(description="Day of acceptance (ACCEPTED), " + TODAY_NOTE + ".")
    async def accepted_on(self, info: Info[Any, Any]) -> date | None:
        return (await self._today(info)).accepted_on

    @strawberry.field(description="Payment clock start + paymentDays days, as known today; the "
                      "clock starts at min(acceptedOn, acceptanceDueOn) once accepted, or at "
                      "acceptanceDueOn once that has passed; null before it starts.")
    async def payment_due_on(self, info: Info[Any, Any]) -> date | None:
        return rules.payment_due_on(await self._facts(info), info.context.today)

    @strawberry.field(description="Day of payment (PAID), " + TODAY_NOTE + ".")
    async def paid_on(self, info: Info[Any, Any]) -> date | None:
        return (await self._today(info)).paid_on

    @strawberry.field(description="The contract's breaches on asOf (default today), in "
                      "BreachKind order; milestones dated after asOf have not happened yet.")
    async def breaches(self, info: Info[Any, Any],
                       as_of: AsOf = None) -> list[ProcurementBreachType]:
        day = as_of or info.context.today
        weights = await evaluation.weights_on(RequestReader(info.context.loaders), day)
        found = rules.breaches(await self._facts(info), day, weights)
        return [ProcurementBreachType.of(self.row.id, breach) for breach in found]


@strawberry.type(name="ProcurementBreach", description="A late or overdue acceptance or "
                 "payment of a contract on asOf.")
class ProcurementBreachType:
    kind: BreachKind = strawberry.field(description="Which duty and whether it was done late "
                                        "(LATE) or is still not done (OVERDUE).")
    due_on: date = strawberry.field(description="Last day the duty was on time.")
    resolved_on: date | None = strawberry.field(
        description="Day the duty was done late; null while overdue.")
    days_late: int = strawberry.field(description="Days after dueOn: to resolvedOn, or to asOf "
                                      "while overdue.")
    late_interest: Decimal = strawberry.field(
        description="Statutory late-payment interest owed on asOf (payment breaches to SMEs): "
        "amount × daily rate × daysLate, rounded half-up to 0.01 once; 0.00 otherwise.")
    contract_id: strawberry.Private[uuid.UUID]

    @classmethod
    def of(cls, contract_id: uuid.UUID, breach: rules.Breach) -> ProcurementBreachType:
        return cls(contract_id=contract_id, kind=BreachKind(breach.kind), due_on=breach.due_on,
                   resolved_on=breach.resolved_on, days_late=breach.days_late,
                   late_interest=breach.late_interest)

    @strawberry.field(description="The contract breached.")
    async def contract(self, info: Info[Any, Any]) -> ProcurementContractType:
        row = await info.context.loaders.get(loaders.ProcurementContractByIdLoader).load(
            self.contract_id)
        assert row is not None  # contracts are never deleted
        return ProcurementContractType.from_row(row)


word_pages("ProcurementContract", PageWording(
    edge="A contract in a page.", node="The contract.",
    connection="A page of a purchaser's contracts, newest signature first, then code.",
    edges="The page's contracts.", total_count="All the purchaser's contracts, ignoring paging.",
    cursor="Where this item stands, for after.", page_info="Where the page stands."))
