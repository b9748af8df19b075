"""Measure application and decisions (DOMAIN.md sections 0 and 4), table-driven."""

from __future__ import annotations

import dataclasses
import re
import uuid
from datetime import date
from typing import Any

import pytest

from domains.credit.facts import RecordFacts
from domains.restriction.defaults import DEFAULT_MEASURE_ROWS, DEFAULT_SANCTION_PERIODS
from domains.restriction.promotion import evaluate_promotion
from domains.restriction.rules import (
    MEASURE_ORDER,
    Applied,
    Decision,
    MeasureEffect,
    MeasureRow,
    assess,
    most_severe,
    published_rows,
    sort_measures,
)
from domains.subject.enums import SubjectKind

D = date.fromisoformat
AS_OF = D("2026-06-01")
ROWS = list(DEFAULT_MEASURE_ROWS)


def rec(n: int, severity: str | None, **changes: Any) -> RecordFacts:
    """A record in force on AS_OF: DISHONEST with a severity, TRUSTWORTHY without."""
    record = RecordFacts(
        id=uuid.UUID(int=n),
        nature="TRUSTWORTHY" if severity is None else "DISHONEST",
        category="COMMENDATION" if severity is None else "ADMINISTRATIVE_PENALTY",
        severity=severity,
        sanction=None,
        sanction_months=None,
        decided_on=D("2026-01-31"),
        valid_from=D("2026-01-31"),
        valid_until=D("2027-01-30"),
        status="ACTIVE",
        domain="OTHER",
    )
    return record._replace(**changes)


GENERAL = rec(1, "GENERAL")
SERIOUS = rec(2, "SERIOUS", valid_until=D("2029-01-30"))
MINOR = rec(3, "MINOR", valid_until=D("2026-04-29"))
TRUSTED = rec(4, None)
INVESTIGATED = rec(5, "GENERAL", sanction="UNDER_INVESTIGATION", valid_until=None)

# ---------------------------------------------------------------- in force, counted

IN_FORCE_CASES: list[tuple[str, RecordFacts, str, bool, bool]] = [
    ("last day in force", GENERAL, "2027-01-30", True, True),
    ("day after", GENERAL, "2027-01-31", False, False),
    ("first day", GENERAL, "2026-01-31", True, True),
    ("day before", GENERAL, "2026-01-30", False, False),
    (
        "under objection",
        GENERAL._replace(status="UNDER_OBJECTION"),
        "2026-06-01",
        True,
        True,
    ),
    ("revoked", GENERAL._replace(status="REVOKED"), "2026-06-01", False, False),
    ("repaired", GENERAL._replace(status="REPAIRED"), "2026-06-01", False, False),
    ("exempted", GENERAL._replace(status="EXEMPTED"), "2026-06-01", False, False),
    ("open never ends", GENERAL._replace(valid_until=None), "2099-01-01", True, True),
    ("trustworthy is never counted", TRUSTED, "2026-06-01", True, False),
    ("under investigation is never counted", INVESTIGATED, "2026-06-01", True, False),
]


@pytest.mark.parametrize(
    ("record", "day", "expected_in_force", "expected_counted"),
    [case[1:] for case in IN_FORCE_CASES],
    ids=[case[0] for case in IN_FORCE_CASES],
)
def test_in_force_and_counted(
    record: RecordFacts, day: str, expected_in_force: bool, expected_counted: bool
) -> None:
    assert (record.in_force(D(day)), record.counted(D(day))) == (
        expected_in_force,
        expected_counted,
    )


def test_decisions_rank_by_severity_not_by_name() -> None:
    assert most_severe([Decision.REVIEW, Decision.DENY, Decision.ALLOW]) == Decision.DENY
    assert most_severe([Decision.ALLOW_WITH_PRIORITY, Decision.ALLOW]) == (
        Decision.ALLOW_WITH_PRIORITY
    )
    assert most_severe([]) == Decision.ALLOW


# ---------------------------------------------------------------- assess, default rows

P, W, R, X, PR = "PROHIBIT", "WRITTEN_EXPLANATION", "RECTIFICATION", "RESTRICT", "PRIORITY"

ASSESS_CASES: list[
    tuple[str, str, str, list[RecordFacts], str, str | None, Decision, list[str]]
] = [
    ("nothing", "GOVERNMENT_PROCUREMENT", "UNIT", [], "2026-06-01", None, Decision.ALLOW, []),
    (
        "procurement general",
        "GOVERNMENT_PROCUREMENT",
        "UNIT",
        [GENERAL],
        "2026-06-01",
        None,
        Decision.REVIEW,
        ["GOVERNMENT_PROCUREMENT.GENERAL.WRITTEN_EXPLANATION"],
    ),
    (
        "procurement serious hides the general row",
        "BOND_ISSUANCE",
        "UNIT",
        [GENERAL, SERIOUS],
        "2026-06-01",
        None,
        Decision.REVIEW,
        ["BOND_ISSUANCE.SERIOUS.RESTRICT", "BOND_ISSUANCE.SERIOUS.RECTIFICATION"],
    ),
    (
        "subsidy general",
        "SUBSIDY_APPLICATION",
        "UNIT",
        [GENERAL],
        "2026-06-01",
        None,
        Decision.REVIEW,
        ["SUBSIDY_APPLICATION.GENERAL.RESTRICT"],
    ),
    (
        "pilot serious",
        "PILOT_APPLICATION",
        "UNIT",
        [SERIOUS],
        "2026-06-01",
        None,
        Decision.DENY,
        ["PILOT_APPLICATION.SERIOUS.PROHIBIT"],
    ),
    (
        "general on its last day",
        "HIRING",
        "PERSON",
        [GENERAL],
        "2027-01-30",
        None,
        Decision.REVIEW,
        ["HIRING.GENERAL.RESTRICT"],
    ),
    (
        "general the day after",
        "HIRING",
        "PERSON",
        [GENERAL],
        "2027-01-31",
        None,
        Decision.ALLOW,
        [],
    ),
    ("minor triggers nothing", "HIRING", "PERSON", [MINOR], "2026-02-01", None, Decision.ALLOW, []),
    (
        "minor does not stop a priority",
        "AWARDS",
        "UNIT",
        [MINOR, TRUSTED],
        "2026-02-01",
        None,
        Decision.ALLOW_WITH_PRIORITY,
        ["AWARDS.TRUSTWORTHY.PRIORITY"],
    ),
    (
        "under investigation is not counted",
        "HIRING",
        "PERSON",
        [INVESTIGATED],
        "2026-06-01",
        None,
        Decision.ALLOW,
        [],
    ),
    (
        "repaired, exempted and revoked are not counted",
        "AWARDS",
        "PERSON",
        [SERIOUS._replace(status=s) for s in ("REPAIRED", "EXEMPTED", "REVOKED")],
        "2026-06-01",
        None,
        Decision.ALLOW,
        [],
    ),
    (
        "awards dishonest wins over trustworthy",
        "AWARDS",
        "PERSON",
        [GENERAL, TRUSTED],
        "2026-06-01",
        None,
        Decision.DENY,
        ["AWARDS.DISHONEST.PROHIBIT"],
    ),
    (
        "performance assessment",
        "PERFORMANCE_ASSESSMENT",
        "UNIT",
        [SERIOUS],
        "2026-06-01",
        None,
        Decision.REVIEW,
        ["PERFORMANCE_ASSESSMENT.DISHONEST.RESTRICT"],
    ),
    (
        "no hiring row for a unit",
        "HIRING",
        "UNIT",
        [SERIOUS],
        "2026-06-01",
        None,
        Decision.ALLOW,
        [],
    ),
    (
        "no promotion row for a unit",
        "PROMOTION",
        "UNIT",
        [SERIOUS],
        "2026-06-01",
        None,
        Decision.ALLOW,
        [],
    ),
    (
        "objection caps a prohibition at review",
        "SUBSIDY_APPLICATION",
        "UNIT",
        [SERIOUS._replace(status="UNDER_OBJECTION")],
        "2026-06-01",
        None,
        Decision.REVIEW,
        ["SUBSIDY_APPLICATION.SERIOUS.PROHIBIT"],
    ),
    (
        "a basis only partly under objection keeps its effect",
        "SUBSIDY_APPLICATION",
        "UNIT",
        [SERIOUS._replace(status="UNDER_OBJECTION"), rec(6, "SERIOUS")],
        "2026-06-01",
        None,
        Decision.DENY,
        ["SUBSIDY_APPLICATION.SERIOUS.PROHIBIT"],
    ),
    ("grade A", "GOVERNMENT_PROCUREMENT", "UNIT", [], "2026-06-01", "A", Decision.ALLOW, []),
    (
        "grade C",
        "GOVERNMENT_PROCUREMENT",
        "UNIT",
        [],
        "2026-06-01",
        "C",
        Decision.REVIEW,
        ["GOVERNMENT_PROCUREMENT.GRADE_C.WRITTEN_EXPLANATION"],
    ),
    (
        "grade D and serious, in measure order",
        "GOVERNMENT_PROCUREMENT",
        "UNIT",
        [SERIOUS],
        "2026-06-01",
        "D",
        Decision.REVIEW,
        [
            "GOVERNMENT_PROCUREMENT.GRADE_D.RESTRICT",
            "GOVERNMENT_PROCUREMENT.SERIOUS.RESTRICT",
            "GOVERNMENT_PROCUREMENT.GRADE_D.RECTIFICATION",
            "GOVERNMENT_PROCUREMENT.SERIOUS.RECTIFICATION",
        ],
    ),
    ("grade rows only in procurement", "PPP", "UNIT", [], "2026-06-01", "D", Decision.ALLOW, []),
]


@pytest.mark.parametrize(
    ("scenario", "kind", "records", "as_of", "grade", "decision", "codes"),
    [case[1:] for case in ASSESS_CASES],
    ids=[case[0] for case in ASSESS_CASES],
)
def test_assess_default_rows(
    scenario: str,
    kind: str,
    records: list[RecordFacts],
    as_of: str,
    grade: str | None,
    decision: Decision,
    codes: list[str],
) -> None:
    assessment = assess(scenario, kind, records, D(as_of), ROWS, grade)

    assert assessment.decision == decision
    assert [m.code for m in assessment.measures] == codes


def test_a_measure_carries_its_row_basis_and_until() -> None:
    later = rec(7, "SERIOUS", decided_on=D("2026-03-01"), valid_until=D("2028-02-29"))
    same_day = rec(6, "SERIOUS")

    assessment = assess("HIRING", "PERSON", [later, SERIOUS, same_day], AS_OF, ROWS)

    [measure] = assessment.measures
    row = next(r for r in ROWS if r.code == "HIRING.SERIOUS.PROHIBIT")
    assert measure == Applied(
        code=row.code,
        name=row.name,
        effect=MeasureEffect.PROHIBIT,
        legal_basis=row.legal_basis,
        grade=None,
        until=D("2029-01-30"),
        basis=[SERIOUS, same_day, later],
    )


def test_until_is_open_when_a_basis_record_is_open() -> None:
    open_ended = rec(8, "GENERAL", valid_until=None)

    assessment = assess("HIRING", "PERSON", [GENERAL, open_ended], AS_OF, ROWS)

    assert [(m.until, len(m.basis)) for m in assessment.measures] == [(None, 2)]


def test_a_grade_measure_has_an_empty_basis_and_lasts_the_day() -> None:
    assessment = assess("GOVERNMENT_PROCUREMENT", "UNIT", [], AS_OF, ROWS, "C")

    assert [(m.grade, m.until, m.basis) for m in assessment.measures] == [("C", AS_OF, [])]


# ---------------------------------------------------------------- publication, domains


def row(**changes: Any) -> MeasureRow:
    base = MeasureRow(
        code="HIRING.GENERAL.RESTRICT",
        name="人员录用：一般失信，限制",
        scenario="HIRING",
        subject_kind=SubjectKind.PERSON,
        condition="GENERAL",
        effect=MeasureEffect.RESTRICT,
        legal_basis="金府发〔2018〕12号 二.2",
        valid_from=D("2026-01-01"),
    )
    return dataclasses.replace(base, **changes)


PUBLICATION_CASES: list[tuple[str, MeasureRow, bool]] = [
    ("published from as_of", row(valid_from=AS_OF), True),
    ("published from the day after", row(valid_from=D("2026-06-02")), False),
    ("withdrawn on as_of", row(valid_to=AS_OF), True),
    ("withdrawn the day before", row(valid_to=D("2026-05-31")), False),
    ("related domain", row(domains=("OTHER", "PROCUREMENT")), True),
    ("unrelated domain", row(domains=("PROCUREMENT",)), False),
]


@pytest.mark.parametrize(
    ("measure_row", "applies"),
    [case[1:] for case in PUBLICATION_CASES],
    ids=[case[0] for case in PUBLICATION_CASES],
)
def test_only_published_related_rows_apply(measure_row: MeasureRow, applies: bool) -> None:
    assessment = assess("HIRING", "PERSON", [GENERAL], AS_OF, [measure_row])

    assert (assessment.decision, len(assessment.measures)) == (
        (Decision.REVIEW, 1) if applies else (Decision.ALLOW, 0)
    )
    assert (published_rows([measure_row], AS_OF) == [measure_row]) == (
        measure_row.valid_from <= AS_OF and measure_row.valid_to in (None, AS_OF)
    )


def test_a_narrowed_general_row_ignores_serious_records_of_other_domains() -> None:
    procurement = GENERAL._replace(domain="PROCUREMENT")

    assessment = assess(
        "HIRING", "PERSON", [procurement, SERIOUS], AS_OF, [row(domains=("PROCUREMENT",))]
    )

    assert [m.basis for m in assessment.measures] == [[procurement]]


def test_an_unknown_condition_is_refused() -> None:
    with pytest.raises(ValueError):
        row(condition="MINOR")


def test_measures_sort_by_effect_then_code() -> None:
    measures = [
        Applied(f"Z.{effect.value}", "", effect, "", None, None) for effect in MeasureEffect
    ] + [Applied("A.PRIORITY", "", MeasureEffect.PRIORITY, "", None, None)]

    ordered = sort_measures(measures)

    assert [m.code for m in ordered] == [
        "Z.PROHIBIT",
        "Z.RESTRICT",
        "Z.RECTIFICATION",
        "Z.WRITTEN_EXPLANATION",
        "A.PRIORITY",
        "Z.PRIORITY",
    ]
    assert [e.value for e in MEASURE_ORDER] == [P, X, R, W, PR]


# ---------------------------------------------------------------- PROMOTION


def _promotion_records() -> list[RecordFacts]:
    demotion = rec(10, "SERIOUS", category="ADMINISTRATIVE_SANCTION", sanction="DEMOTION")
    objected = rec(
        11,
        "GENERAL",
        category="ADMINISTRATIVE_SANCTION",
        sanction="WARNING",
        decided_on=D("2026-05-01"),
        valid_from=D("2026-05-01"),
        status="UNDER_OBJECTION",
    )
    return [demotion, objected]


def test_promotion_measures_are_the_factors() -> None:
    records = _promotion_records()
    promotion = evaluate_promotion(records, AS_OF, [DEFAULT_SANCTION_PERIODS])

    assessment = assess("PROMOTION", "PERSON", records, AS_OF, ROWS, None, promotion)

    assert assessment.decision == promotion.decision == Decision.DENY
    assert [(m.code, m.effect, m.until, m.basis) for m in assessment.measures] == [
        ("PROMOTION.SANCTION_DEMOTION", MeasureEffect.PROHIBIT, D("2028-01-30"), [records[0]]),
        ("PROMOTION.SANCTION_WARNING", MeasureEffect.RESTRICT, D("2028-07-30"), [records[1]]),
    ]
    factor = promotion.blockers[0]
    assert (assessment.measures[0].name, assessment.measures[0].legal_basis) == (
        factor.description,
        factor.legal_basis,
    )


def test_promotion_incentive_is_a_priority_measure() -> None:
    promotion = evaluate_promotion([TRUSTED], AS_OF, [DEFAULT_SANCTION_PERIODS])

    assessment = assess("PROMOTION", "PERSON", [TRUSTED], AS_OF, ROWS, promotion=promotion)

    assert assessment.decision == Decision.ALLOW_WITH_PRIORITY
    assert [(m.code, m.effect) for m in assessment.measures] == [
        ("PROMOTION.TRUSTWORTHY_RECORD", MeasureEffect.PRIORITY)
    ]


def test_an_unpublished_promotion_row_lists_no_measure_but_keeps_the_decision() -> None:
    records = _promotion_records()
    promotion = evaluate_promotion(records, AS_OF, [DEFAULT_SANCTION_PERIODS])
    rows = [
        dataclasses.replace(r, valid_from=D("2027-01-01"))
        if r.code == "PROMOTION.PROMOTION_FACTOR.PROHIBIT"
        else r
        for r in ROWS
    ]

    assessment = assess("PROMOTION", "PERSON", records, AS_OF, rows, promotion=promotion)

    assert assessment.decision == Decision.DENY
    assert [m.code for m in assessment.measures] == ["PROMOTION.SANCTION_WARNING"]


def test_factor_rows_beside_other_rows_of_a_scenario_both_apply() -> None:
    records = _promotion_records()
    promotion = evaluate_promotion(records, AS_OF, [DEFAULT_SANCTION_PERIODS])
    factor_row = row(code="HIRING.PROMOTION_FACTOR.RESTRICT", condition="PROMOTION_FACTOR")

    assessment = assess("HIRING", "PERSON", records, AS_OF, [*ROWS, factor_row],
                        promotion=promotion)

    # the SERIOUS demotion record prohibits hiring; the caution is listed beside it (the
    # blocker is not: this table has no PROHIBIT factor row)
    assert assessment.decision == Decision.DENY
    assert [(m.code, m.effect) for m in assessment.measures] == [
        ("HIRING.SERIOUS.PROHIBIT", MeasureEffect.PROHIBIT),
        ("PROMOTION.SANCTION_WARNING", MeasureEffect.RESTRICT),
    ]


def test_a_factor_row_decides_no_more_than_section_5_says() -> None:
    # an objected warning alone: section 5 says REVIEW, and so does the scenario
    records = _promotion_records()[1:]
    promotion = evaluate_promotion(records, AS_OF, [DEFAULT_SANCTION_PERIODS])
    factor_row = row(code="AWARDS.PROMOTION_FACTOR.PROHIBIT", scenario="AWARDS",
                     condition="PROMOTION_FACTOR", effect=MeasureEffect.PROHIBIT)

    assessment = assess("AWARDS", "PERSON", records, AS_OF, [factor_row], promotion=promotion)

    assert (assessment.decision, assessment.measures) == (Decision.REVIEW, [])


@pytest.mark.parametrize("as_of", [None, D("2026-06-02")], ids=["missing", "other day"])
def test_promotion_needs_the_result_for_the_same_day(as_of: date | None) -> None:
    promotion = None if as_of is None else evaluate_promotion([], as_of, [DEFAULT_SANCTION_PERIODS])

    with pytest.raises(ValueError):
        assess("PROMOTION", "PERSON", [], AS_OF, ROWS, promotion=promotion)


# ---------------------------------------------------------------- the default table


def test_default_rows_follow_the_code_pattern_and_cite_their_sources() -> None:
    for measure_row in DEFAULT_MEASURE_ROWS:
        assert measure_row.code == (
            f"{measure_row.scenario}.{measure_row.condition}.{measure_row.effect.value}"
        )
        assert "金府发〔2018〕12号" in measure_row.legal_basis
        assert "二.2" in measure_row.legal_basis
        assert "《上海市社会信用条例》" in measure_row.legal_basis
        assert re.search(r"[\u4e00-\u9fff].* / [A-Z]", measure_row.name)
        assert (measure_row.valid_from, measure_row.valid_to, measure_row.domains) == (
            D("1900-01-01"),
            None,
            (),
        )


def test_default_rows_are_unique_per_subject_kind() -> None:
    keys = [(r.code, r.subject_kind) for r in DEFAULT_MEASURE_ROWS]

    assert len(keys) == len(set(keys)) == 30
