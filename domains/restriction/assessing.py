"""Restrictions of a subject in a scenario (DOMAIN.md section 4) and promotion eligibility
(section 5), read through an `AssessmentReader`.

`rules.assess` and `promotion.evaluate_promotion` are pure; this module decides what they
need and reads it: the measure list, the subject's records replayed for asOf, the procurement
grade only where the scenario has a grade row for the subject kind, the section 5 result only
where it has a promotion factor row, and the joint-punishment actions open against the subject.
It reads through an interface rather than a session so that the request's loaders
(loaders.reader.RequestReader) batch every subject of a list into the same statements, and so
that the decisions can be tested with plain values (tests/domains/support.py).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Protocol

from sqlalchemy import ColumnElement, SQLColumnExpression, or_

from domains.credit.facts import RecordFacts
from domains.credit.lifecycle import in_force_sql
from domains.memorandum.rules import OpenAction, joint_measures
from domains.procurement import evaluation
from domains.procurement.evaluation import ProcurementReader
from domains.restriction.promotion import (
    PromotionResult,
    SanctionPeriods,
    acts_through_period,
    acts_through_period_sql,
    evaluate_promotion,
    sanction_ends_on,
)
from domains.restriction.rules import (
    GRADE_CONDITIONS,
    Assessment,
    Condition,
    MeasureRow,
    assess,
)
from domains.subject.enums import SubjectKind


class AssessmentReader(ProcurementReader, Protocol):
    """What an assessment reads, beyond a purchaser's evaluation (section 6 grade). Each call
    is for one key; an implementation may batch concurrent calls.

    `record_facts` may leave out the records `may_decide` refuses on the day: nothing here
    decides differently without them (tests/loaders/test_decision_facts.py).
    """

    async def measure_rows(self) -> list[MeasureRow]:
        """Every version of every row of the published measure list."""
        ...

    async def sanction_periods(self) -> list[SanctionPeriods]:
        """Every version of the promotion rule values (section 5)."""
        ...

    async def open_actions(self, subject_id: uuid.UUID, as_of: date) -> list[OpenAction]:
        """The joint actions against the subject open at the end of `as_of`."""
        ...


def may_decide(record: RecordFacts, day: date) -> bool:
    """Whether any decision on `day` can use the record (its content as of `day`): the
    measures (section 4) and joint measures count records in force on the day, the
    procurement score (section 6) counted ones, promotion (section 5) those in force or
    acting through a period of their own (sanctions, assessments, any age).

    Why: a unit has hundreds to thousands of records and fewer than half are in force on a
    given day; reading only these is what keeps an assessment's cost to what it can count.
    The rules themselves still apply to whatever they are given, unchanged.
    """
    return record.in_force(day) or acts_through_period(record)


def may_decide_sql(*, status: SQLColumnExpression[str], valid_from: SQLColumnExpression[date],
                   valid_until: SQLColumnExpression[date | None],
                   category: SQLColumnExpression[str], severity: SQLColumnExpression[str | None],
                   sanction: SQLColumnExpression[str | None], day: date) -> ColumnElement[bool]:
    """`may_decide` as SQL, over the record's content and status as of `day`, from the twins
    of the rules it unites (no condition of its own)."""
    return or_(in_force_sql(status, valid_from, valid_until, day),
               acts_through_period_sql(category, severity, sanction, status))


async def promotion_eligibility(reader: AssessmentReader, person_id: uuid.UUID,
                                as_of: date) -> PromotionResult:
    """Section 5 for a civil servant on `as_of`."""
    periods = await reader.sanction_periods()
    return evaluate_promotion(await reader.record_facts(person_id, as_of), as_of, periods)


async def assessment(reader: AssessmentReader, subject_kind: str, subject_id: uuid.UUID,
                     scenario: str, as_of: date) -> Assessment:
    """Section 4 for a subject in a scenario on `as_of`.

    The rule table says what else is needed: the procurement grade (section 6) only where the
    scenario has a grade row for the subject kind (by default a unit in GOVERNMENT_PROCUREMENT),
    the section 5 result only where it has a factor row (by default PROMOTION), so both agree;
    the measures of joint-punishment memoranda whose actions are open against the subject.
    """
    rows = await reader.measure_rows()
    records = await reader.record_facts(subject_id, as_of)
    conditions = {r.condition for r in rows
                  if r.scenario == scenario and r.subject_kind == subject_kind}
    grade = None
    if subject_kind == SubjectKind.UNIT and conditions & set(GRADE_CONDITIONS):
        grade = (await evaluation.evaluate_purchaser(reader, subject_id, as_of)).grade
    promotion = None
    if subject_kind == SubjectKind.PERSON and Condition.PROMOTION_FACTOR in conditions:
        promotion = await promotion_eligibility(reader, subject_id, as_of)
    actions = await reader.open_actions(subject_id, as_of)
    joint = joint_measures(actions, records, scenario, as_of)
    return assess(scenario, subject_kind, records, as_of, rows, grade, promotion, joint)


async def sanction_last_day(reader: AssessmentReader, record_id: uuid.UUID,
                            person_id: uuid.UUID | None, sanction: str | None,
                            today: date) -> date | None:
    """CreditRecord.sanctionEndsOn: the last day the record's sanction blocks promotion,
    chained with the person's other sanctions as known `today`; None without a sanction or a
    person, while open-ended, or when it does not block (nothing is read then)."""
    if sanction is None or person_id is None:
        return None
    facts = await reader.record_facts(person_id, today)
    own = next((f for f in facts if f.id == record_id), None)
    if own is None:
        return None
    return sanction_ends_on(own, facts, await reader.sanction_periods())
