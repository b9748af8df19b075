"""Every rule table that classifies an enum names every member of it.

The tables are written member by member (never built from the enum's declaration order), so
reordering an enum changes no rule; a member added to an enum without a row would go
unclassified (a KeyError at best, a silent default at worst): these tests catch it first.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from enum import StrEnum

import pytest

from domains.credit.enums import RecordCategory, RecordEventKind, RecordStatus, Sanction
from domains.credit.lifecycle import EVENT_TIE_ORDER, IN_FORCE_STATUSES
from domains.credit.rules import SANCTION_CATEGORY, SANCTIONS_WITH_MONTHS
from domains.investment.rules import DOCUMENT_ORDER, ApprovalDocument
from domains.ppp.rules import STAGE_ORDER, PppStage
from domains.restriction.defaults import DEFAULT_SANCTION_PERIODS
from domains.restriction.rules import (
    DECISION_RANK,
    EFFECT_DECISION,
    MEASURE_ORDER,
    Decision,
    MeasureEffect,
)
from domains.subject.enums import SubjectKind, kind_of, subject_columns

TABLES: list[tuple[str, type[StrEnum], Collection[object]]] = [
    ("SANCTION_CATEGORY", Sanction, SANCTION_CATEGORY),
    ("default sanction periods", Sanction, DEFAULT_SANCTION_PERIODS.months),
    ("DECISION_RANK", Decision, DECISION_RANK),
    ("EFFECT_DECISION", MeasureEffect, EFFECT_DECISION),
    ("MEASURE_ORDER", MeasureEffect, MEASURE_ORDER),
    ("DOCUMENT_ORDER", ApprovalDocument, DOCUMENT_ORDER),
    ("STAGE_ORDER", PppStage, STAGE_ORDER),
    ("EVENT_TIE_ORDER", RecordEventKind, EVENT_TIE_ORDER),
]


@pytest.mark.parametrize(("enum", "table"), [t[1:] for t in TABLES], ids=[t[0] for t in TABLES])
def test_the_table_names_every_member_once(enum: type[StrEnum], table: Collection[object]) -> None:
    assert sorted(str(key) for key in table) == sorted(member.value for member in enum)


def test_sanctions_sit_on_the_categories_of_domain_md_section_2() -> None:
    by_category: dict[RecordCategory, set[Sanction]] = {}
    for sanction, category in SANCTION_CATEGORY.items():
        by_category.setdefault(category, set()).add(sanction)
    s = Sanction
    assert by_category == {
        RecordCategory.ADMINISTRATIVE_SANCTION: {
            s.WARNING, s.DEMERIT, s.MAJOR_DEMERIT, s.DEMOTION, s.REMOVAL, s.DISMISSAL},
        RecordCategory.DISCIPLINARY_SANCTION: {
            s.PARTY_WARNING, s.PARTY_SERIOUS_WARNING, s.PARTY_POST_REVOCATION},
        RecordCategory.OTHER_ACCOUNTABILITY: {
            s.ADMONISHMENT, s.POST_ADJUSTMENT, s.RANK_REDUCTION, s.UNDER_INVESTIGATION},
    }
    assert SANCTIONS_WITH_MONTHS == {s.WARNING, s.DEMERIT, s.MAJOR_DEMERIT, s.DEMOTION,
                                     s.REMOVAL}


def test_orders_are_the_ones_domain_md_states() -> None:
    assert sorted(Decision, key=DECISION_RANK.__getitem__) == [
        Decision.ALLOW, Decision.ALLOW_WITH_PRIORITY, Decision.REVIEW, Decision.DENY]
    assert sorted(ApprovalDocument, key=DOCUMENT_ORDER.__getitem__) == [
        ApprovalDocument.PROJECT_PROPOSAL, ApprovalDocument.FEASIBILITY_STUDY,
        ApprovalDocument.PRELIMINARY_DESIGN]
    assert sorted(PppStage, key=STAGE_ORDER.__getitem__) == [
        PppStage.PREPARATION, PppStage.TENDERING, PppStage.PROCUREMENT, PppStage.FINANCING,
        PppStage.IMPLEMENTATION]
    assert IN_FORCE_STATUSES == {RecordStatus.ACTIVE, RecordStatus.UNDER_OBJECTION}


def test_a_subject_kind_is_the_string_stored_and_sent() -> None:
    """DB CHECK constraints and the GraphQL enum use the same values: UNIT and PERSON."""
    assert [k.value for k in SubjectKind] == ["UNIT", "PERSON"]
    assert SubjectKind.UNIT == "UNIT"


def test_subject_columns_and_kind_of_are_inverse() -> None:
    pk = uuid.uuid4()
    for kind in SubjectKind:
        columns = subject_columns(kind, pk)
        assert sum(value is not None for value in columns.values()) == 1
        assert kind_of(columns["unit_id"]) is kind
