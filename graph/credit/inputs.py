"""GraphQL inputs of the credit domain."""

from __future__ import annotations

from datetime import date

import strawberry

from domains.credit.models import CreditRecord
from domains.credit.service import RecordPatch, RecordRow
from domains.procurement.models import ProcurementContract
from graph.enums import (
    Audience,
    Disclosure,
    RecordCategory,
    RecordNature,
    Sanction,
    Severity,
    SourceDomain,
)
from graph.input_build import fast_input
from graph.input_guard import key_field, text_field


@fast_input
@strawberry.input(name="SubjectKey", description="Names a unit or a civil servant: exactly one "
                  "of uscc and idNumber (not @oneOf: neither or both is INVALID_VALUE).")
class SubjectKey:
    uscc: str | None = key_field(default=None, description="Exactly one of the two.")
    id_number: str | None = key_field(
        default=None, description="Identity-card number of a civil servant (input only).")


@fast_input
@strawberry.input(name="CreditRecordInput", description="A record to report (key sourceSystem + "
                  "sourceRef; the same content again is accepted and writes nothing).")
class CreditRecordInput:
    subject: SubjectKey = strawberry.field(description="The unit or civil servant.")
    nature: RecordNature = strawberry.field(description="守信 or 失信; must agree with category.")
    category: RecordCategory = strawberry.field(description="The plan's record type.")
    severity: Severity | None = strawberry.field(
        default=None, description="Required for DISHONEST, not allowed for TRUSTWORTHY.")
    sanction: Sanction | None = strawberry.field(
        default=None, description="Only on a person's DISHONEST GENERAL or SERIOUS record of "
        "the matching category.")
    sanction_months: int | None = strawberry.field(
        default=None, description="The period the decision set when it is not the sanction's "
        "standard one (1 to 48).")
    domain: SourceDomain = strawberry.field(description="Where the record comes from.")
    title: str = text_field(CreditRecord.title, description="What was decided, in a line.")
    summary: str | None = text_field(CreditRecord.summary, default=None,
                                     description="The facts, briefly.")
    decision_number: str | None = text_field(CreditRecord.decision_number, default=None,
                                             description="文号 of the decision.")
    decided_by_uscc: str | None = key_field(default=None, description="The deciding unit.")
    decided_on: date = strawberry.field(description="Day of the decision; not after today.")
    act_ended_on: date | None = strawberry.field(
        default=None, description="Day the act ended: validUntil is at most 5 years - 1 day "
        "after it (条例第三十五条).")
    valid_until: date | None = strawberry.field(
        default=None, description="Omitted: the default period of DOMAIN.md applies.")
    disclosure: Disclosure = strawberry.field(description="公开属性; MINOR records are never "
                                              "PUBLIC.")
    share_scope: list[Audience] | None = strawberry.field(
        default=None, description="共享范围; omitted: every audience for a unit, PERSONNEL, "
        "SUPERVISION and CREDIT_OFFICE for a person; [] is CREDIT_OFFICE only.")
    source_system: str = text_field(CreditRecord.source_system, description="The reporting "
                                    "system (`ppp` and `investment` are reserved).")
    source_ref: str = text_field(CreditRecord.source_ref,
                                 description="The reporting system's own key.")
    procurement_contract_code: str | None = text_field(
        ProcurementContract.code,
        default=None, description="A contract of which the subject is the purchaser or the "
        "responsible person; needs domain PROCUREMENT.")
    investment_project_code: str | None = key_field(
        default=None, description="An investment project (domain INVESTMENT).")

    def to_row(self) -> RecordRow:
        scope = None if self.share_scope is None else tuple(self.share_scope)
        return RecordRow(
            subject_uscc=self.subject.uscc, subject_id_number=self.subject.id_number,
            nature=self.nature, category=self.category, severity=self.severity,
            sanction=self.sanction, sanction_months=self.sanction_months, domain=self.domain,
            title=self.title, summary=self.summary, decision_number=self.decision_number,
            decided_by_uscc=self.decided_by_uscc, decided_on=self.decided_on,
            act_ended_on=self.act_ended_on, valid_until=self.valid_until,
            disclosure=self.disclosure, share_scope=scope, source_system=self.source_system,
            source_ref=self.source_ref, procurement_contract_code=self.procurement_contract_code,
            investment_project_code=self.investment_project_code)


@strawberry.input(name="CreditRecordPatch", description="Fields of a record that correctRecord "
                  "may change; omitted fields stay as they are.")
class CreditRecordPatch:
    severity: Severity | None = strawberry.field(default=None, description="New severity.")
    sanction: Sanction | None = strawberry.field(default=None, description="New sanction.")
    sanction_months: int | None = strawberry.field(default=None,
                                                   description="New sanction period (1 to 48).")
    title: str | None = text_field(CreditRecord.title, default=None, description="New title.")
    summary: str | None = text_field(CreditRecord.summary, default=None,
                                     description="New summary; blank clears it.")
    valid_until: date | None = strawberry.field(
        default=None, description="New last day in force. Omitted: a validUntil that was the "
        "default follows the default of the corrected record; another stays.")
    disclosure: Disclosure | None = strawberry.field(default=None,
                                                     description="New disclosure.")
    share_scope: list[Audience] | None = strawberry.field(default=None,
                                                          description="New share scope.")

    def to_patch(self) -> RecordPatch:
        scope = None if self.share_scope is None else tuple(self.share_scope)
        return RecordPatch(
            severity=self.severity, sanction=self.sanction, sanction_months=self.sanction_months,
            title=self.title, summary=self.summary, valid_until=self.valid_until,
            disclosure=self.disclosure, share_scope=scope)
