"""Inputs of the investment mutations (field names as in the contract)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from domains.credit.models import CreditRecord
from domains.investment import service as investment
from domains.investment import violations
from domains.investment.models import InvestmentApproval, InvestmentProject, InvestmentViolation
from graph.credit.inputs import SubjectKey
from graph.enums import RecordCategory, Sanction, Severity
from graph.input_guard import key_field, text_field
from graph.investment.enums import ApprovalDocument, ViolationKind


@strawberry.input(name="InvestmentProjectInput", description="A project to create or update "
                  "(key code).")
class InvestmentProjectInput:
    code: str = text_field(InvestmentProject.code,
        description="The national online approval platform's project "
        "code (全国投资项目在线审批监管平台项目代码).")
    name: str = text_field(InvestmentProject.name, description="The project's name.")
    supervising_department_uscc: str = key_field(
        description="The supervising department (主管部门), a registered unit.")

    def to_row(self) -> investment.ProjectRow:
        return investment.ProjectRow(code=self.code, name=self.name,
                                     supervising_department_uscc=self.supervising_department_uscc)


@strawberry.input(name="InvestmentApprovalInput", description="A document of a project "
                  "submitted on a day (key project + document + submittedOn); updatable while "
                  "unapproved.")
class InvestmentApprovalInput:
    project_code: str = text_field(InvestmentProject.code, description="The project's code.")
    document: ApprovalDocument = strawberry.field(description="Which document.")
    submitted_on: date = strawberry.field(description="Day it was submitted; not after today.")
    approved_on: date | None = strawberry.field(
        default=None, description="Day it was approved (批复); not before submittedOn, not "
        "after today; null while pending.")
    approval_number: str | None = text_field(InvestmentApproval.approval_number, default=None,
                                                   description="文号 of the approval.")
    estimated_total: Decimal | None = strawberry.field(
        default=None, description="The document's total investment estimate in yuan (投资估算 "
        "or 概算), above 0.")

    def to_row(self) -> investment.ApprovalRow:
        return investment.ApprovalRow(
            project_code=self.project_code, document=self.document,
            submitted_on=self.submitted_on, approved_on=self.approved_on,
            approval_number=self.approval_number, estimated_total=self.estimated_total)


@strawberry.input(name="InvestmentViolationInput", description="A violation in a project (key "
                  "project + sourceRef); it writes a DISHONEST record on its subject.")
class InvestmentViolationInput:
    project_code: str = text_field(InvestmentProject.code, description="The project's code.")
    kind: ViolationKind = strawberry.field(description="What the violation was.")
    occurred_on: date = strawberry.field(description="Day it happened; not after decidedOn.")
    description: str = text_field(InvestmentViolation.description,
        description="What happened; the record's title.")
    subject: SubjectKey = strawberry.field(
        description="The person (idNumber) or unit (uscc) that answers for it.")
    category: RecordCategory | None = strawberry.field(
        default=None, description="Default ADMINISTRATIVE_SANCTION; JUDICIAL_JUDGMENT for a "
        "criminal judgment.")
    severity: Severity = strawberry.field(description="轻微 / 一般 / 严重.")
    sanction: Sanction | None = strawberry.field(
        default=None, description="The sanction imposed on a person, matching the category.")
    sanction_months: int | None = strawberry.field(
        default=None, description="The period the decision set when it is not the sanction's "
        "standard one (1 to 48).")
    decision_number: str | None = text_field(CreditRecord.decision_number, default=None,
                                                   description="文号 of the decision.")
    decided_by_uscc: str | None = key_field(default=None,
                                                   description="The deciding unit.")
    decided_on: date = strawberry.field(description="Day of the decision; not after today.")
    source_ref: str = text_field(InvestmentViolation.source_ref,
        description="The approval system's own key of the "
        "violation, unique within the project.")

    def to_row(self) -> violations.ViolationRow:
        return violations.ViolationRow(
            project_code=self.project_code, kind=self.kind, occurred_on=self.occurred_on,
            description=self.description, subject_uscc=self.subject.uscc,
            subject_id_number=self.subject.id_number, severity=self.severity,
            decided_on=self.decided_on, source_ref=self.source_ref, category=self.category,
            sanction=self.sanction, sanction_months=self.sanction_months,
            decision_number=self.decision_number, decided_by_uscc=self.decided_by_uscc)
