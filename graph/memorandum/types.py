"""GraphQL types of joint-punishment memoranda (联合惩戒备忘录): versions, signatories and their
measures, joint actions, responses. Every nested field goes through a loader."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from domains.core.ids import to_global_id
from domains.memorandum import rules
from domains.memorandum.actions import status_of
from domains.memorandum.models import JointAction, JointActionResponse, MemorandumVersion
from graph.common import InputErrorType, Node
from graph.enums import RecordCategory, Severity, SubjectKind
from graph.page_wording import PageWording, word_pages
from graph.permissions import CREDIT_OFFICE
from graph.restriction.enums import CheckOutcomeKind, MeasureEffect, Scenario
from graph.restriction.types import subject_gid
from graph.subject.types import CreditSubject, UnitType, subject_object
from loaders import memorandum as loaders
from loaders import subject as subject_loaders
from loaders.credit import CreditRecordByIdLoader

if TYPE_CHECKING:
    from graph.credit.types import RecordRef

JointActionStatus = rules.ActionStatus
strawberry.enum(rules.ActionStatus, name="JointActionStatus", description="OPEN until every "
                "other signatory responded (CLOSED) or the initiator withdrew it (WITHDRAWN).")


async def unit_of(info: Info[Any, Any], pk: uuid.UUID) -> UnitType:
    row = await info.context.loaders.get(subject_loaders.UnitByIdLoader).load(pk)
    return UnitType.from_row(row)


async def may_see(info: Info[Any, Any], action: JointAction) -> bool:
    """The credit office, and clients acting for a signatory of the action's version."""
    client = info.context.client
    if client.audience == CREDIT_OFFICE:
        return True
    registry = info.context.loaders
    units = await registry.get(loaders.UnitsByClientLoader).load(client.name)
    signed = await registry.get(loaders.SignatoriesByVersionLoader).load(action.version_id)
    return any(s.unit_id in units for s in signed)


@strawberry.type(name="MemorandumMeasure", description="A measure a signatory applies: a row "
                 "of the published measure list, or the memorandum's own with its legal basis.")
class MemorandumMeasureType:
    code: str = strawberry.field(description="The published row's code, or the memorandum's "
                                 "own code.")
    name: str = strawberry.field(description="What the measure is.")
    effect: MeasureEffect = strawberry.field(description="What it does.")
    legal_basis: str = strawberry.field(description="Why it may be applied.")
    published: bool = strawberry.field(description="Whether it is a row of the published "
                                       "measure list (应用清单) on the version's effectiveFrom.")

    @classmethod
    def of(cls, spec: rules.MeasureSpec) -> MemorandumMeasureType:
        return cls(code=spec.code, name=spec.name, effect=spec.effect,
                   legal_basis=spec.legal_basis, published=spec.published)


def measures_of(stored: list[dict[str, Any]]) -> list[MemorandumMeasureType]:
    return [MemorandumMeasureType.of(rules.MeasureSpec.of(m)) for m in stored]


@strawberry.type(name="MemorandumSignatory", description="A signatory unit (签署成员单位) and "
                 "the measures it applies (惩戒措施).")
class MemorandumSignatoryType:
    unit_id: strawberry.Private[uuid.UUID]
    measures: list[MemorandumMeasureType] = strawberry.field(description="Its measures, in the "
                                                             "memorandum's order.")

    @strawberry.field(description="The signatory unit.")
    async def unit(self, info: Info[Any, Any]) -> UnitType:
        return await unit_of(info, self.unit_id)


@strawberry.type(name="Memorandum", description="One effective-dated version of a joint-"
                 "punishment memorandum (联合惩戒备忘录); amending makes a new version, and an "
                 "action keeps the version it started under.")
class MemorandumType(Node):
    pk: strawberry.Private[uuid.UUID]
    number: str = strawberry.field(description="The memorandum's number (文号), its key.")
    version: int = strawberry.field(description="1 for the first version, then 2, 3, ...")
    title: str = strawberry.field(description="The memorandum's title.")
    scenario: Scenario = strawberry.field(description="Its field (领域): the scenario whose "
                                          "restrictions list its measures while an action is "
                                          "open.")
    subject_kind: SubjectKind = strawberry.field(description="Who it covers (惩戒范围).")
    categories: list[RecordCategory] = strawberry.field(description="The record categories it "
                                                        "covers; empty: any DISHONEST category.")
    severities: list[Severity] = strawberry.field(description="The findings it covers "
                                                  "(GENERAL, SERIOUS).")
    effective_from: date = strawberry.field(description="First day of this version.")
    valid_until: date | None = strawberry.field(description="Last day the memorandum is in "
                                                "force; null while open-ended.")
    response_working_days: int = strawberry.field(description="Working days a signatory has to "
                                                  "respond to an action (calendar of DOMAIN.md "
                                                  "section 0).")
    recorded_by: str = strawberry.field(description="The client that recorded this version.")
    recorded_at: datetime = strawberry.field(description="When it was recorded.")

    @classmethod
    def from_row(cls, row: MemorandumVersion) -> MemorandumType:
        return cls(id=strawberry.ID(to_global_id("Memorandum", row.id)), pk=row.id,
                   number=row.number, version=row.version, title=row.title,
                   scenario=Scenario(row.scenario), subject_kind=SubjectKind(
                       row.subject_kind),
                   categories=[RecordCategory(c) for c in row.categories],
                   severities=[Severity(s) for s in row.severities],
                   effective_from=row.effective_from, valid_until=row.valid_until,
                   response_working_days=row.response_working_days,
                   recorded_by=row.recorded_by, recorded_at=row.recorded_at)

    @strawberry.field(description="The signatory units and their measures, in order.")
    async def signatories(self, info: Info[Any, Any]) -> list[MemorandumSignatoryType]:
        rows = await info.context.loaders.get(loaders.SignatoriesByVersionLoader).load(self.pk)
        return [MemorandumSignatoryType(unit_id=s.unit_id, measures=measures_of(s.measures))
                for s in rows]

    @strawberry.field(description="Every version of this memorandum, version ascending.")
    async def versions(self, info: Info[Any, Any]) -> list[MemorandumType]:
        rows = await info.context.loaders.get(loaders.VersionsByNumberLoader).load(self.number)
        return [MemorandumType.from_row(v) for v in rows]


@strawberry.type(name="JointActionResponse", description="What a signatory did (响应) and "
                 "reported back to the initiator (反馈).")
class JointActionResponseType:
    kind: CheckOutcomeKind = strawberry.field(description="Applied, or not applied.")
    applied_measure_codes: list[str] = strawberry.field(description="The signatory's measures "
                                                        "applied, in its memorandum order.")
    reason: str | None = strawberry.field(description="Why not, for NOT_APPLIED.")
    responded_by: str = strawberry.field(description="The client that responded.")
    responded_on: date = strawberry.field(description="The day of the response.")
    responded_at: datetime = strawberry.field(description="When it was recorded.")
    late: bool = strawberry.field(description="Whether it came after the action's "
                                  "responseDueOn.")

    @classmethod
    def of(cls, row: JointActionResponse, due_on: date) -> JointActionResponseType:
        return cls(kind=CheckOutcomeKind(row.kind), applied_measure_codes=list(row.codes),
                   reason=row.reason, responded_by=row.responded_by,
                   responded_on=row.responded_on, responded_at=row.responded_at,
                   late=row.responded_on > due_on)


@strawberry.type(name="JointActionSignatory", description="A signatory of an action's "
                 "memorandum version, and where its response stands.")
class JointActionSignatoryType:
    unit_id: strawberry.Private[uuid.UUID]
    initiator: bool = strawberry.field(description="Whether it started the action (it does not "
                                       "respond to its own action).")
    measures: list[MemorandumMeasureType] = strawberry.field(description="Its measures under "
                                                             "the action's version.")
    response: JointActionResponseType | None = strawberry.field(
        description="Its response; null while none was given (always for the initiator).")
    overdue: bool = strawberry.field(description="Open action, no response, and today is after "
                                     "responseDueOn.")

    @strawberry.field(description="The signatory unit.")
    async def unit(self, info: Info[Any, Any]) -> UnitType:
        return await unit_of(info, self.unit_id)


@strawberry.type(name="JointAction", description="A joint-punishment action (联合惩戒行动): "
                 "started by a signatory against a subject, answered by every other signatory. "
                 "Never deleted.")
class JointActionType(Node):
    row: strawberry.Private[JointAction]
    case_ref: str = strawberry.field(description="The initiator's own case number; with the "
                                     "initiator, the action's key.")
    initiated_by: str = strawberry.field(description="The client that started it.")
    initiated_on: date = strawberry.field(description="The day it started; its basis met the "
                                          "memorandum's conditions on this day.")
    initiated_at: datetime = strawberry.field(description="When it started.")
    response_due_on: date = strawberry.field(description="Last day to respond: the version's "
                                             "responseWorkingDays after initiatedOn.")
    status: JointActionStatus = strawberry.field(description="OPEN, CLOSED or WITHDRAWN.")
    closed_on: date | None = strawberry.field(description="The day it closed or was "
                                              "withdrawn.")
    withdrawal_reason: str | None = strawberry.field(description="Why the initiator withdrew "
                                                     "it.")
    note: str | None = strawberry.field(description="The initiator's note.")

    @classmethod
    def from_row(cls, row: JointAction) -> JointActionType:
        return cls(id=strawberry.ID(to_global_id("JointAction", row.id)), row=row,
                   case_ref=row.case_ref, initiated_by=row.initiated_by,
                   initiated_on=row.initiated_on, initiated_at=row.initiated_at,
                   response_due_on=row.response_due_on, status=status_of(row),
                   closed_on=row.closed_on, withdrawal_reason=row.withdrawal_reason,
                   note=row.note)

    @strawberry.field(description="The memorandum version the action started under.")
    async def memorandum(self, info: Info[Any, Any]) -> MemorandumType:
        row = await info.context.loaders.get(loaders.MemorandumVersionByIdLoader).load(
            self.row.version_id)
        assert row is not None
        return MemorandumType.from_row(row)

    @strawberry.field(description="The signatory unit that started it (申请单位).")
    async def initiator(self, info: Info[Any, Any]) -> UnitType:
        return await unit_of(info, self.row.initiator_unit_id)

    @strawberry.field(description="The unit or civil servant punished. Audited.")
    async def subject(self, info: Info[Any, Any]) -> CreditSubject:
        kind = self.row.subject_kind
        info.context.audit(info, [subject_gid(kind, self.row.subject_id)])
        return await subject_object(info, kind, self.row.subject_id)

    @strawberry.field(description="The records cited, as cited; record is null where the "
                      "caller may not see it. Audited.")
    async def basis(self, info: Info[Any, Any]
                    ) -> list[Annotated[RecordRef, strawberry.lazy("graph.credit.types")]]:
        from graph.credit.types import RecordRef

        info.context.audit(info, [subject_gid(self.row.subject_kind, self.row.subject_id)])
        rows = await info.context.loaders.get(CreditRecordByIdLoader).load_many(
            self.row.basis_record_ids)
        return [RecordRef.of(r.id, r.category, r.severity, r.decided_on)
                for r in rows if r is not None]

    @strawberry.field(description="Every signatory of the version, in order: who responded, "
                      "what and when, and who is overdue.")
    async def signatories(self, info: Info[Any, Any]) -> list[JointActionSignatoryType]:
        registry = info.context.loaders
        signed = await registry.get(loaders.SignatoriesByVersionLoader).load(self.row.version_id)
        answers = {r.unit_id: r for r in
                   await registry.get(loaders.ResponsesByActionLoader).load(self.row.id)}
        due, status = self.row.response_due_on, status_of(self.row)
        return [JointActionSignatoryType(
            unit_id=s.unit_id, initiator=s.unit_id == self.row.initiator_unit_id,
            measures=measures_of(s.measures),
            response=JointActionResponseType.of(answers[s.unit_id], due)
            if s.unit_id in answers else None,
            overdue=s.unit_id != self.row.initiator_unit_id and rules.overdue(
                due, info.context.today, s.unit_id in answers, status))
            for s in signed]


word_pages("JointAction", PageWording(
    edge="An action in a page.", node="The action.", connection="A page of joint actions.",
    edges="The actions of this page.", total_count="All matching actions, ignoring paging."))
word_pages("Memorandum", PageWording(
    edge="A memorandum in a page.", node="The memorandum version.",
    connection="A page of memoranda.", edges="The memoranda of this page.",
    total_count="All matching memoranda, ignoring paging."))


@strawberry.type(name="MemorandumPayload", description="The answer to registerMemorandum.")
class MemorandumPayload:
    memorandum: MemorandumType | None = strawberry.field(
        description="The version stored (or found unchanged); null when errors is not empty.")
    errors: list[InputErrorType] = strawberry.field(description="Why the input was refused; "
                                                    "nothing was written.")


@strawberry.type(name="JointActionPayload", description="The answer to initiateJointAction, "
                 "respondToJointAction and withdrawJointAction.")
class JointActionPayload:
    action: JointActionType | None = strawberry.field(
        description="The action; null when errors is not empty.")
    errors: list[InputErrorType] = strawberry.field(description="Why the input was refused; "
                                                    "nothing was written.")
