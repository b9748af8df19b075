"""GraphQL types of the investment domain: projects, their approvals and violations.

Every audience reads projects (DOMAIN.md section 3). A violation names a subject's dishonesty,
so listing a project's violations is audited (查询留痕) like any read of credit data, and its
record is shown only where the caller may see it (RecordRef).
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from domains.core.ids import to_global_id
from domains.investment import rules
from domains.investment import service as investment
from domains.investment.models import InvestmentApproval, InvestmentProject, InvestmentViolation
from graph.common import Node
from graph.credit.types import RecordRef
from graph.enums import SubjectKind
from graph.investment.enums import ApprovalDocument, ViolationKind
from graph.subject.types import CreditSubject, UnitType, subject_object
from loaders import credit as credit_loaders
from loaders import investment as loaders
from loaders import subject as subject_loaders


@strawberry.type(name="InvestmentProject", description="A government investment project "
                 "(政府投资项目) and its approval procedure (DOMAIN.md section 8).")
class InvestmentProjectType(Node):
    code: str = strawberry.field(description="The national online approval platform's project "
                                 "code (key).")
    name: str = strawberry.field(description="The project's name.")
    row: strawberry.Private[InvestmentProject]

    @classmethod
    def from_row(cls, row: InvestmentProject) -> InvestmentProjectType:
        return cls(id=strawberry.ID(to_global_id("InvestmentProject", row.id)), row=row,
                   code=row.code, name=row.name)

    async def _approvals(self, info: Info[Any, Any]) -> list[InvestmentApproval]:
        rows: list[InvestmentApproval] = await info.context.loaders.get(
            loaders.InvestmentApprovalsByProjectLoader).load(self.row.id)
        return rows

    async def _rules_view(self, info: Info[Any, Any]) -> list[rules.Approval]:
        return [investment.stored_approval(a) for a in await self._approvals(info)]

    @strawberry.field(description="The supervising department (主管部门).")
    async def supervising_department(self, info: Info[Any, Any]) -> UnitType:
        row = await info.context.loaders.get(subject_loaders.UnitByIdLoader).load(
            self.row.supervising_department_id)
        return UnitType.from_row(row)

    @strawberry.field(description="Every approval, in document order, then submittedOn.")
    async def approvals(self, info: Info[Any, Any]) -> list[InvestmentApprovalType]:
        return [InvestmentApprovalType.from_row(a) for a in await self._approvals(info)]

    @strawberry.field(description="Preliminary-design estimate over feasibility-study estimate, "
                      "minus one: the latest submitted PRELIMINARY_DESIGN estimate against the "
                      "latest approved FEASIBILITY_STUDY estimate, rounded half-up to 4 "
                      "decimals; null until both exist.")
    async def estimate_overrun(self, info: Info[Any, Any]) -> float | None:
        overrun = rules.estimate_overrun(await self._rules_view(info))
        return None if overrun is None else float(overrun)

    @strawberry.field(description="True when the preliminary-design estimate exceeds the "
                      "feasibility-study estimate by more than 10%, compared exactly "
                      "(《政府投资条例》第十二条): the unit must report, and a new feasibility "
                      "study may be required.")
    async def requires_reapproval(self, info: Info[Any, Any]) -> bool:
        return rules.requires_reapproval(await self._rules_view(info))

    @strawberry.field(description="Violations in the project, occurredOn ascending, then "
                      "sourceRef. Audited (查询留痕): each names a subject's dishonesty.")
    async def violations(self, info: Info[Any, Any]) -> list[InvestmentViolationType]:
        rows = await info.context.loaders.get(loaders.InvestmentViolationsByProjectLoader).load(
            self.row.id)
        found = [InvestmentViolationType.from_row(v) for v in rows]
        if found:
            info.context.audit(info, [v.subject_gid for v in found])
        return found


@strawberry.type(name="InvestmentApproval", description="A document of the approval "
                 "procedure, submitted on a day and approved (批复) or pending.")
class InvestmentApprovalType:
    document: ApprovalDocument = strawberry.field(description="Which document.")
    submitted_on: date = strawberry.field(description="Day it was submitted.")
    approved_on: date | None = strawberry.field(description="Day it was approved; null while "
                                                "pending.")
    approval_number: str | None = strawberry.field(description="文号 of the approval.")
    estimated_total: Decimal | None = strawberry.field(
        description="The document's total investment estimate in yuan.")

    @classmethod
    def from_row(cls, row: InvestmentApproval) -> InvestmentApprovalType:
        return cls(document=ApprovalDocument(row.document), submitted_on=row.submitted_on,
                   approved_on=row.approved_on, approval_number=row.approval_number,
                   estimated_total=row.estimated_total)


@strawberry.type(name="InvestmentViolation", description="A violation in a project and the "
                 "DISHONEST record it wrote on its subject (DOMAIN.md section 8).")
class InvestmentViolationType:
    kind: ViolationKind = strawberry.field(description="What the violation was.")
    occurred_on: date = strawberry.field(description="Day it happened.")
    description: str = strawberry.field(description="What happened (the record's title).")
    source_ref: str = strawberry.field(description="The approval system's own key, unique "
                                       "within the project.")
    unit_id: strawberry.Private[uuid.UUID | None]
    civil_servant_id: strawberry.Private[uuid.UUID | None]
    record_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: InvestmentViolation) -> InvestmentViolationType:
        return cls(kind=ViolationKind(row.kind), occurred_on=row.occurred_on,
                   description=row.description, source_ref=row.source_ref,
                   unit_id=row.unit_id, civil_servant_id=row.civil_servant_id,
                   record_id=row.record_id)

    @property
    def subject_gid(self) -> str:
        if self.unit_id is not None:
            return to_global_id("Unit", self.unit_id)
        assert self.civil_servant_id is not None
        return to_global_id("CivilServant", self.civil_servant_id)

    @strawberry.field(description="The person or unit that answers for it.")
    async def subject(self, info: Info[Any, Any]) -> CreditSubject:
        if self.unit_id is not None:
            return await subject_object(info, SubjectKind.UNIT, self.unit_id)
        assert self.civil_servant_id is not None
        return await subject_object(info, SubjectKind.PERSON, self.civil_servant_id)

    @strawberry.field(description="The record it wrote; record is null where the caller may "
                      "not see it.")
    async def record(self, info: Info[Any, Any]) -> RecordRef:
        row = await info.context.loaders.get(credit_loaders.CreditRecordByIdLoader).load(
            self.record_id)
        assert row is not None  # records are never deleted
        return RecordRef.of(row.id, row.category, row.severity, row.decided_on)


async def record_investment_project(info: Info[Any, Any], project_id: uuid.UUID | None,
                                    ) -> InvestmentProjectType | None:
    """`CreditRecord.investmentProject`: projects are readable by every audience."""
    if project_id is None:
        return None
    row = await info.context.loaders.get(loaders.InvestmentProjectByIdLoader).load(project_id)
    return InvestmentProjectType.from_row(row) if row else None


async def unit_investment_projects(info: Info[Any, Any],
                                   unit_pk: uuid.UUID) -> list[InvestmentProjectType]:
    """`Unit.investmentProjects`: the projects the unit supervises, by code."""
    rows = await info.context.loaders.get(loaders.InvestmentProjectsByDepartmentLoader).load(
        unit_pk)
    return [InvestmentProjectType.from_row(row) for row in rows]
