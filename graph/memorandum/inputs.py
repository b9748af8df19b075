"""Inputs of the memorandum mutations."""

from __future__ import annotations

from datetime import date

import strawberry

from domains.memorandum.models import JointAction, JointActionResponse, MemorandumVersion
from domains.memorandum.service import MeasureDraft, SignatoryDraft
from domains.restriction.models import MeasureRuleRow
from graph.credit.inputs import SubjectKey
from graph.enums import RecordCategory, Severity, SubjectKind
from graph.input_guard import key_field, text_field
from graph.restriction.enums import CheckOutcomeKind, MeasureEffect, Scenario


@strawberry.input(name="MemorandumMeasureInput", description="A measure a signatory applies: "
                  "the code of a published measure row alone, or the memorandum's own code with "
                  "name, effect and legalBasis (UNKNOWN_MEASURE otherwise).")
class MemorandumMeasureInput:
    code: str = text_field(MeasureRuleRow.code,
        description="A published row's code, or an own code.")
    name: str | None = text_field(MeasureRuleRow.name,
        default=None, description="Own measures only.")
    effect: MeasureEffect | None = strawberry.field(default=None, description="Own measures "
                                                    "only.")
    legal_basis: str | None = text_field(MeasureRuleRow.legal_basis,
        default=None, description="Own measures only: "
        "the law or rule that allows it.")

    def draft(self) -> MeasureDraft:
        return MeasureDraft(code=self.code, name=self.name,
                            effect=self.effect.value if self.effect else None,
                            legal_basis=self.legal_basis)


@strawberry.input(name="MemorandumSignatoryInput", description="A signatory unit and its "
                  "measures.")
class MemorandumSignatoryInput:
    uscc: str = key_field(description="The signatory unit's code (a registered unit).")
    measures: list[MemorandumMeasureInput] = strawberry.field(description="At least one.")

    def draft(self) -> SignatoryDraft:
        return SignatoryDraft(uscc=self.uscc, measures=[m.draft() for m in self.measures])


@strawberry.input(name="MemorandumInput", description="A memorandum, or its amendment from a "
                  "later effectiveFrom (a new version; the same content again on an existing "
                  "version's day is a no-op, other content CONFLICT).")
class MemorandumInput:
    number: str = text_field(MemorandumVersion.number,
        description="The memorandum's number (文号), its key.")
    title: str = text_field(MemorandumVersion.title, description="Its title.")
    scenario: Scenario = strawberry.field(description="Its field (领域): where its measures "
                                          "show.")
    subject_kind: SubjectKind = strawberry.field(description="Units or civil servants.")
    categories: list[RecordCategory] | None = strawberry.field(
        default=None, description="Record categories covered; default any DISHONEST one.")
    severities: list[Severity] = strawberry.field(description="GENERAL and/or SERIOUS.")
    effective_from: date = strawberry.field(description="First day of this version; an "
                                            "amendment's is today or later, after the latest.")
    valid_until: date | None = strawberry.field(default=None, description="Last day in force; "
                                                "default open-ended.")
    response_working_days: int | None = strawberry.field(
        default=None, description="Working days to respond, 1 to 60 (default 10).")
    signatories: list[MemorandumSignatoryInput] = strawberry.field(
        description="At least two signatory units, each with its measures.")


@strawberry.input(name="InitiateJointActionInput", description="A signatory starts a joint "
                  "action (发起); key (initiatorUscc, caseRef).")
class InitiateJointActionInput:
    memorandum_number: str = text_field(MemorandumVersion.number,
        description="The memorandum; its version in "
        "force today applies.")
    initiator_uscc: str = key_field(description="The initiating signatory, a unit the "
                                           "client acts for.")
    subject: SubjectKey = strawberry.field(description="The unit or civil servant punished.")
    basis_record_ids: list[strawberry.ID] = strawberry.field(
        description="Records of the subject meeting the memorandum's conditions today.")
    case_ref: str = text_field(JointAction.case_ref, description="The initiator's own case number.")
    note: str | None = text_field(JointAction.note,
        default=None, description="A note to the signatories.")


@strawberry.input(name="JointActionResponseInput", description="A signatory's one response "
                  "(响应、反馈); the same again is a no-op, other content CONFLICT.")
class JointActionResponseInput:
    action_id: strawberry.ID = strawberry.field(description="The action's global id.")
    signatory_uscc: str = key_field(description="The responding signatory, a unit the "
                                           "client acts for.")
    kind: CheckOutcomeKind = strawberry.field(description="Applied, or not applied.")
    applied_measure_codes: list[str] | None = text_field(JointActionResponse.codes,
        default=None, description="MEASURES_APPLIED: at least one of the signatory's measure "
        "codes; NOT_APPLIED: none.")
    reason: str | None = text_field(JointActionResponse.reason,
        default=None, description="Required when kind is "
        "NOT_APPLIED.")
