"""Mutations of joint-punishment memoranda: registering and amending memoranda (CREDIT_OFFICE),
initiating, answering and withdrawing joint actions (a client for the units it acts for)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domains.core import clock
from domains.core.errors import DomainError
from domains.core.ids import from_global_id
from domains.credit.visibility import record_visible
from domains.memorandum import actions, responses
from domains.memorandum import service as memoranda
from domains.memorandum.models import JointAction
from graph.common import input_errors
from graph.input_guard import text_argument
from graph.memorandum.inputs import (
    InitiateJointActionInput,
    JointActionResponseInput,
    MemorandumInput,
)
from graph.memorandum.types import (
    JointActionPayload,
    JointActionType,
    MemorandumPayload,
    MemorandumType,
)
from graph.permissions import CreditOfficeOnly
from graph.restriction.types import subject_gid
from loaders.credit import CreditRecordByIdLoader, RecordFactsBySubjectLoader


def _failed(error: DomainError) -> JointActionPayload:
    return JointActionPayload(action=None, errors=input_errors(error.errors))


async def _acting(info: Info[Any, Any]) -> actions.Acting:
    client = info.context.client
    caller: actions.Acting = await info.context.read(actions.acting, client.name,
                                                     client.audience)
    return caller


def _draft(input: MemorandumInput) -> memoranda.MemorandumDraft:
    return memoranda.MemorandumDraft(
        number=input.number, title=input.title, scenario=input.scenario.value,
        subject_kind=input.subject_kind,
        categories=[c.value for c in input.categories or ()],
        severities=[s.value for s in input.severities], effective_from=input.effective_from,
        valid_until=input.valid_until, response_working_days=input.response_working_days,
        signatories=[s.draft() for s in input.signatories])


async def _visible_basis(info: Info[Any, Any],
                         prepared: actions.PreparedAction) -> dict[Any, Any]:
    """basis record id -> its subject, for the records the caller may see today."""
    rows = await info.context.loaders.get(CreditRecordByIdLoader).load_many(prepared.basis_ids)
    audience, today = info.context.client.audience, info.context.today
    return {r.id: r.subject_id for r in rows
            if r is not None and record_visible(r, audience, today)}


@strawberry.type
class MemorandumMutation:
    @strawberry.mutation(description="Register a memorandum, or amend it with a new version "
                         "from a later effectiveFrom. CREDIT_OFFICE only.",
                         permission_classes=[CreditOfficeOnly])
    async def register_memorandum(self, info: Info[Any, Any], input: Annotated[
            MemorandumInput, strawberry.argument(description="The memorandum version.")],
                                  ) -> MemorandumPayload:
        context = info.context
        try:
            row = await context.write(memoranda.register_memorandum, _draft(input),
                                      actor=context.client.name, today=context.today,
                                      now=clock.now_on(context.today))
        except DomainError as error:
            return MemorandumPayload(memorandum=None, errors=input_errors(error.errors))
        return MemorandumPayload(memorandum=MemorandumType.from_row(row), errors=[])

    @strawberry.mutation(description="A signatory starts a joint action (发起) against a "
                         "subject under the memorandum's version in force today; the basis "
                         "records must meet its conditions today. A retry with the same "
                         "initiator and caseRef returns the same action. Audited.")
    async def initiate_joint_action(self, info: Info[Any, Any], input: Annotated[
            InitiateJointActionInput, strawberry.argument(description="The action.")],
                                    ) -> JointActionPayload:
        context = info.context
        caller = await _acting(info)
        request = actions.ActionRequest(
            memorandum_number=input.memorandum_number, initiator_uscc=input.initiator_uscc,
            uscc=input.subject.uscc, id_number=input.subject.id_number,
            basis_ids=[from_global_id(str(i), "CreditRecord") for i in input.basis_record_ids],
            case_ref=input.case_ref, note=input.note)
        try:
            prepared = await context.read(actions.prepare_action, request, caller=caller,
                                          today=context.today, secret=context.id_secret)
            subject = prepared.subject
            context.audit(info, [subject_gid(subject.kind, subject.id)])
            facts = await context.loaders.get(RecordFactsBySubjectLoader).load(
                (subject.id, context.today))
            row = await context.write(actions.initiate_action, prepared, facts=facts,
                                      visible=await _visible_basis(info, prepared),
                                      caller=caller, today=context.today,
                                      now=clock.now_on(context.today))
        except DomainError as error:
            return _failed(error)
        return JointActionPayload(action=JointActionType.from_row(row), errors=[])

    @strawberry.mutation(description="A signatory's one response to an action (响应、反馈): "
                         "what it applied, or why not. The same response again is a no-op; "
                         "other content is CONFLICT. The last response closes the action.")
    async def respond_to_joint_action(self, info: Info[Any, Any], input: Annotated[
            JointActionResponseInput, strawberry.argument(description="The response.")],
                                      ) -> JointActionPayload:
        context = info.context
        report = responses.ResponseReport(
            action_id=from_global_id(str(input.action_id), "JointAction"),
            signatory_uscc=input.signatory_uscc, kind=input.kind.value,
            codes=input.applied_measure_codes, reason=input.reason)
        try:
            row = await context.write(responses.respond, report, caller=await _acting(info),
                                      today=context.today, now=clock.now_on(context.today))
        except DomainError as error:
            return _failed(error)
        return JointActionPayload(action=JointActionType.from_row(row), errors=[])

    @strawberry.mutation(description="The initiator ends an open action, with a reason "
                         "(REASON_REQUIRED); the same withdrawal again is a no-op. Nothing is "
                         "deleted.")
    async def withdraw_joint_action(
            self, info: Info[Any, Any],
            action_id: Annotated[strawberry.ID, strawberry.argument(
                description="The action's global id.")],
            reason: Annotated[str, text_argument(JointAction.withdrawal_reason,
                                                 description="Why it is withdrawn.")],
    ) -> JointActionPayload:
        context = info.context
        try:
            row = await context.write(responses.withdraw_action,
                                      from_global_id(str(action_id), "JointAction"),
                                      reason=reason, caller=await _acting(info),
                                      today=context.today, now=clock.now_on(context.today))
        except DomainError as error:
            return _failed(error)
        return JointActionPayload(action=JointActionType.from_row(row), errors=[])
