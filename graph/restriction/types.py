"""GraphQL types of the restriction domain: measure rows, assessments, formal checks, promotion
eligibility (DOMAIN.md sections 4 and 5)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from domains.core.errors import InputError
from domains.core.ids import to_global_id
from domains.restriction.models import RestrictionCheck
from domains.restriction.promotion import Factor, PromotionResult
from domains.restriction.rules import Applied, Assessment, MeasureRow
from graph.common import InputErrorType, Node, input_errors
from graph.enums import SubjectKind
from graph.page_wording import PageWording, word_pages
from graph.restriction.enums import CheckOutcomeKind, Decision, MeasureEffect, Scenario

if TYPE_CHECKING:
    from graph.credit.types import RecordRef
    from graph.memorandum.types import MemorandumType
    from graph.procurement.enums import CreditGrade
    from graph.subject.types import CreditSubject, UnitType


def _refs_of_facts(applied: Applied | Factor) -> list[Any]:
    from graph.credit.types import RecordRef

    return [RecordRef.from_facts(r) for r in applied.basis]


SUBJECT_TYPES = {SubjectKind.UNIT: "Unit", SubjectKind.PERSON: "CivilServant"}


def subject_gid(kind: SubjectKind, pk: uuid.UUID) -> str:
    """The global id of a subject of kind UNIT or PERSON."""
    return to_global_id(SUBJECT_TYPES[kind], pk)


@strawberry.type(name="MeasureRule", description="A published row of the measure list (应用清单).")
class MeasureRuleType:
    code: str = strawberry.field(description="<SCENARIO>.<CONDITION>.<EFFECT>.")
    name: str = strawberry.field(description="What the measure is, in Chinese and English.")
    scenario: Scenario = strawberry.field(description="Where it applies.")
    subject_kind: str = strawberry.field(description="UNIT or PERSON.")
    condition: str = strawberry.field(description="GENERAL, SERIOUS, DISHONEST, TRUSTWORTHY, "
                                      "GRADE_C, GRADE_D, or PROMOTION_FACTOR.")
    effect: MeasureEffect = strawberry.field(description="What it does.")
    legal_basis: str = strawberry.field(description="The published source of the measure.")
    valid_from: date = strawberry.field(description="First day this version of the row applies "
                                        "(a replay for an earlier asOf uses the version valid "
                                        "then); 1900-01-01 for the seeded default list, which "
                                        "applies to every record of the past.")
    valid_to: date | None = strawberry.field(description="Last day; null while still published.")
    published_on: date = strawberry.field(description="The day the row was published on this "
                                          "platform (条例第二十二条); an addition to the "
                                          "contract.")

    @classmethod
    def from_row(cls, row: MeasureRow) -> MeasureRuleType:
        return cls(code=row.code, name=row.name, scenario=Scenario(row.scenario),
                   subject_kind=row.subject_kind, condition=row.condition, effect=row.effect,
                   legal_basis=row.legal_basis, valid_from=row.valid_from, valid_to=row.valid_to,
                   published_on=row.published_on or row.valid_from)


@strawberry.type(name="AppliedMeasure", description="One measure that applies, with the records "
                 "behind it.")
class AppliedMeasureType:
    code: str = strawberry.field(description="<SCENARIO>.<CONDITION>.<EFFECT>, or "
                                 "PROMOTION.<factor code>.")
    name: str = strawberry.field(description="What the measure is.")
    effect: MeasureEffect = strawberry.field(description="What it does.")
    legal_basis: str = strawberry.field(description="Why it may be applied.")
    grade: Annotated[CreditGrade, strawberry.lazy("graph.procurement.enums")] | None = (
        strawberry.field(description="Set for a procurement-grade measure, whose basis is empty."))
    until: date | None = strawberry.field(description="Last day the measure applies, from the "
                                          "basis records; null while open-ended.")
    basis: list[Annotated[RecordRef, strawberry.lazy("graph.credit.types")]] = (
        strawberry.field(description="The records that meet the condition, decidedOn asc then "
                         "id; record is null where the caller may not see it."))
    memorandum_id: strawberry.Private[uuid.UUID | None] = None
    applied_by_ids: strawberry.Private[tuple[uuid.UUID, ...]] = ()

    @classmethod
    def from_applied(cls, measure: Applied) -> AppliedMeasureType:
        return cls(code=measure.code, name=measure.name, effect=measure.effect,
                   legal_basis=measure.legal_basis, grade=_grade(measure.grade),
                   until=measure.until, basis=_refs_of_facts(measure),
                   memorandum_id=measure.memorandum_id, applied_by_ids=measure.applied_by)

    @strawberry.field(description="Extension: for a measure of a joint-punishment memorandum "
                      "(code JOINT:<number>:<measure code>), the memorandum version of the open "
                      "action(s) behind it; null for the measure list's own rows.")
    async def memorandum(self, info: Info[Any, Any]) -> Annotated[
            MemorandumType, strawberry.lazy("graph.memorandum.types")] | None:
        if self.memorandum_id is None:
            return None
        from graph.memorandum.types import MemorandumType
        from loaders.memorandum import MemorandumVersionByIdLoader

        row = await info.context.loaders.get(MemorandumVersionByIdLoader).load(
            self.memorandum_id)
        return MemorandumType.from_row(row) if row else None

    @strawberry.field(description="Extension: the memorandum's signatory units that apply this "
                      "measure; empty for the measure list's own rows.")
    async def applied_by(self, info: Info[Any, Any]) -> list[Annotated[
            UnitType, strawberry.lazy("graph.subject.types")]]:
        from graph.subject.types import UnitType
        from loaders.subject import UnitByIdLoader

        rows = await info.context.loaders.get(UnitByIdLoader).load_many(list(self.applied_by_ids))
        return [UnitType.from_row(r) for r in rows if r is not None]

    @classmethod
    def from_snapshot(cls, stored: dict[str, Any]) -> AppliedMeasureType:
        """A measure as a check stored it; its refs resolve for the reader at read time."""
        from graph.credit.types import RecordRef

        until = stored.get("until")
        return cls(code=stored["code"], name=stored["name"],
                   effect=MeasureEffect(stored["effect"]), legal_basis=stored["legalBasis"],
                   grade=_grade(stored.get("grade")),
                   until=date.fromisoformat(until) if until else None,
                   basis=[RecordRef.from_snapshot(ref) for ref in stored["basis"]],
                   memorandum_id=_uuid(stored.get("memorandumId")),
                   applied_by_ids=tuple(uuid.UUID(u) for u in stored.get("appliedBy", ())))


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


def _grade(value: str | None) -> Any:
    if value is None:
        return None
    from domains.procurement.rules import CreditGrade

    return CreditGrade(value)


@strawberry.type(name="RestrictionAssessment", description="What a scenario's measures say about "
                 "a subject on asOf.")
class RestrictionAssessmentType:
    scenario: Scenario = strawberry.field(description="The scenario assessed.")
    as_of: date = strawberry.field(description="The day assessed.")
    decision: Decision = strawberry.field(description="The most severe effect among the "
                                          "measures (an objected basis caps it at REVIEW).")
    measures: list[AppliedMeasureType] = strawberry.field(
        description="PROHIBIT, RESTRICT, RECTIFICATION, WRITTEN_EXPLANATION, PRIORITY, then code.")
    subject_kind: strawberry.Private[SubjectKind]
    subject_pk: strawberry.Private[uuid.UUID]

    @classmethod
    def of(cls, subject_kind: SubjectKind, subject_pk: uuid.UUID, scenario: str, as_of: date,
           assessment: Assessment) -> RestrictionAssessmentType:
        return cls(subject_kind=subject_kind, subject_pk=subject_pk,
                   scenario=Scenario(scenario), as_of=as_of, decision=assessment.decision,
                   measures=[AppliedMeasureType.from_applied(m) for m in assessment.measures])

    @strawberry.field(description="The unit or civil servant assessed.")
    async def subject(self, info: Info[Any, Any]
                      ) -> Annotated[CreditSubject, strawberry.lazy("graph.subject.types")]:
        from graph.subject.types import subject_object
        return await subject_object(info, self.subject_kind, self.subject_pk)


@strawberry.type(name="CheckOutcome", description="What the client did with a check's measures "
                 "(反馈).")
class CheckOutcomeType:
    kind: CheckOutcomeKind = strawberry.field(description="Applied, or not applied.")
    applied_measure_codes: list[str] = strawberry.field(
        description="The measures applied, in the check's measure order.")
    reason: str | None = strawberry.field(description="Required when kind is NOT_APPLIED.")
    reported_at: datetime = strawberry.field(description="When the outcome was reported.")


@strawberry.type(name="RestrictionCheck", description="A formal check made inside a business "
                 "process (查询留痕), answered later with its outcome (反馈).")
class RestrictionCheckType(Node):
    requested_by: str = strawberry.field(description="The name of the client that checked.")
    business_ref: str = strawberry.field(description="The caller's own case number, e.g. the "
                                         "approval application number.")
    checked_at: datetime = strawberry.field(description="When the check was made.")
    outcome: CheckOutcomeType | None = strawberry.field(
        description="The reported outcome; null while none was reported.")
    row: strawberry.Private[RestrictionCheck]

    @classmethod
    def from_row(cls, row: RestrictionCheck) -> RestrictionCheckType:
        outcome = None
        if row.outcome_kind is not None and row.outcome_reported_at is not None:
            outcome = CheckOutcomeType(
                kind=CheckOutcomeKind(row.outcome_kind),
                applied_measure_codes=list(row.outcome_codes or ()),
                reason=row.outcome_reason, reported_at=row.outcome_reported_at)
        return cls(id=strawberry.ID(to_global_id("RestrictionCheck", row.id)),
                   requested_by=row.client_name, business_ref=row.business_ref,
                   checked_at=row.checked_at, outcome=outcome, row=row)

    @strawberry.field(description="The assessment as it stood when the check was made; later "
                      "changes never alter it. Audited.")
    def assessment(self, info: Info[Any, Any]) -> RestrictionAssessmentType:
        row = self.row
        kind = row.subject_kind
        info.context.audit(info, [subject_gid(kind, row.subject_id)])
        return RestrictionAssessmentType(
            subject_kind=kind, subject_pk=row.subject_id, scenario=Scenario(row.scenario),
            as_of=row.as_of, decision=Decision(row.decision),
            measures=[AppliedMeasureType.from_snapshot(m) for m in row.measures])


word_pages("RestrictionCheck", PageWording(
    edge="A check in a page.", node="The check.", connection="A page of checks.",
    edges="The page's checks.", total_count="All matching checks, ignoring paging.",
    cursor="Where this item stands, for after.", page_info="Where the page stands."))


@strawberry.type(name="CheckPayload", description="The answer to checkRestrictions or "
                 "reportCheckOutcome.")
class CheckPayload:
    check: RestrictionCheckType | None = strawberry.field(
        description="The check; null when errors is not empty.")
    errors: list[InputErrorType] = strawberry.field(description="Why the input was refused; "
                                                    "nothing was written.")

    @classmethod
    def failed(cls, errors: Sequence[InputError]) -> CheckPayload:
        return cls(check=None, errors=input_errors(errors))


@strawberry.type(name="EligibilityFactor", description="One record's effect on promotion.")
class EligibilityFactorType:
    code: str = strawberry.field(description="SANCTION_<Sanction>, ASSESSMENT_INCOMPETENT, "
                                 "ASSESSMENT_BASIC, DISHONEST_RECORD or TRUSTWORTHY_RECORD.")
    description: str = strawberry.field(description="What the factor is.")
    until: date | None = strawberry.field(description="Last day the factor applies; null while "
                                          "open-ended.")
    legal_basis: str = strawberry.field(description="Why it applies.")
    basis: list[Annotated[RecordRef, strawberry.lazy("graph.credit.types")]] = (
        strawberry.field(description="The one record behind the factor."))

    @classmethod
    def of(cls, factor: Factor) -> EligibilityFactorType:
        return cls(code=factor.code, description=factor.description, until=factor.until,
                   legal_basis=factor.legal_basis, basis=_refs_of_facts(factor))


def _factors(factors: Sequence[Factor]) -> list[EligibilityFactorType]:
    return [EligibilityFactorType.of(f) for f in factors]


@strawberry.type(name="PromotionEligibility", description="Advice to the personnel department on "
                 "a promotion (职务职级晋升), DOMAIN.md section 5; the department decides.")
class PromotionEligibilityType:
    as_of: date = strawberry.field(description="The day assessed.")
    decision: Decision = strawberry.field(description="DENY with a blocker, REVIEW with a "
                                          "caution, ALLOW_WITH_PRIORITY with an incentive.")
    eligible_from: date | None = strawberry.field(
        description="First day with no blocker left; null while a blocker is open-ended.")
    blockers: list[EligibilityFactorType] = strawberry.field(description="Factors that deny.")
    cautions: list[EligibilityFactorType] = strawberry.field(description="Factors to review.")
    incentives: list[EligibilityFactorType] = strawberry.field(
        description="Trustworthiness records in force, when nothing blocks or cautions.")

    @classmethod
    def of(cls, result: PromotionResult) -> PromotionEligibilityType:
        return cls(as_of=result.as_of, decision=result.decision,
                   eligible_from=result.eligible_from, blockers=_factors(result.blockers),
                   cautions=_factors(result.cautions), incentives=_factors(result.incentives))
