"""Inputs of the procurement mutations (field names as in the contract)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from domains.procurement import service as procurement
from domains.procurement.models import ProcurementContract
from graph.input_build import fast_input
from graph.input_guard import key_field, text_field
from graph.procurement.enums import ContractMilestone


@fast_input
@strawberry.input(name="ProcurementContractInput", description="A contract to create or update "
                  "(key code); it can no longer change once a milestone is recorded.")
class ProcurementContractInput:
    code: str = text_field(ProcurementContract.code,
                           description="The procurement system's contract number.")
    title: str = text_field(ProcurementContract.title, description="What was bought.")
    purchaser_uscc: str = key_field(description="The purchaser (采购人), a registered unit.")
    responsible_person_id_number: str | None = key_field(
        default=None, description="The civil servant answerable for acceptance and payment.")
    supplier_name: str = text_field(ProcurementContract.supplier_name,
                                    description="The supplier (供应商).")
    supplier_uscc: str | None = key_field(
        default=None, description="The supplier's unified social credit code.")
    supplier_is_sme: bool = strawberry.field(
        description="A small or medium-sized enterprise (中小企业): the 60-day limit applies.")
    amount: Decimal = strawberry.field(description="Contract amount in yuan, above 0.")
    signed_on: date = strawberry.field(description="Day the contract was signed.")
    acceptance_days: int | None = strawberry.field(
        default=None,
        description="Days after delivery within which acceptance must be done; default 30.")
    payment_days: int | None = strawberry.field(
        default=None,
        description="Days from the payment clock's start; default 30, at most 60 for SMEs.")

    def to_row(self) -> procurement.ContractRow:
        return procurement.ContractRow(
            code=self.code, title=self.title, purchaser_uscc=self.purchaser_uscc,
            responsible_person_id_number=self.responsible_person_id_number,
            supplier_name=self.supplier_name, supplier_uscc=self.supplier_uscc,
            supplier_is_sme=self.supplier_is_sme, amount=self.amount, signed_on=self.signed_on,
            acceptance_days=self.acceptance_days, payment_days=self.payment_days)


@fast_input
@strawberry.input(name="ContractMilestoneInput", description="A milestone of a contract on a "
                  "day (key contract + milestone).")
class ContractMilestoneInput:
    contract_code: str = text_field(ProcurementContract.code,
                                    description="The contract's code.")
    milestone: ContractMilestone = strawberry.field(description="DELIVERED, ACCEPTED or PAID.")
    on: date = strawberry.field(description="The day it happened, not after today.")

    def to_row(self) -> procurement.MilestoneRow:
        return procurement.MilestoneRow(contract_code=self.contract_code,
                                        milestone=self.milestone, on=self.on)
