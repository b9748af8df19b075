"""Promotion eligibility rules (DOMAIN.md section 5), table-driven at the boundary days."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date
from typing import Any

import pytest

from domains.credit.facts import RecordFacts
from domains.restriction.defaults import DEFAULT_SANCTION_PERIODS
from domains.restriction.promotion import (
    SanctionPeriods,
    evaluate_promotion,
    periods_on,
    sanction_ends_on,
    sanction_last_days,
)
from domains.restriction.rules import Decision
from domains.restriction.texts import factor_text

PERIODS = [DEFAULT_SANCTION_PERIODS]
D = date.fromisoformat

_CATEGORY = {
    "WARNING": "ADMINISTRATIVE_SANCTION",
    "DEMERIT": "ADMINISTRATIVE_SANCTION",
    "MAJOR_DEMERIT": "ADMINISTRATIVE_SANCTION",
    "DEMOTION": "ADMINISTRATIVE_SANCTION",
    "REMOVAL": "ADMINISTRATIVE_SANCTION",
    "DISMISSAL": "ADMINISTRATIVE_SANCTION",
    "PARTY_WARNING": "DISCIPLINARY_SANCTION",
    "PARTY_SERIOUS_WARNING": "DISCIPLINARY_SANCTION",
    "PARTY_POST_REVOCATION": "DISCIPLINARY_SANCTION",
}


def sanction(n: int, kind: str, decided_on: str, **changes: Any) -> RecordFacts:
    """A person's sanction record, GENERAL, valid for the default year."""
    day = D(decided_on)
    record = RecordFacts(
        id=uuid.UUID(int=n),
        nature="DISHONEST",
        category=_CATEGORY.get(kind, "OTHER_ACCOUNTABILITY"),
        severity="SERIOUS" if kind in ("DEMOTION", "REMOVAL", "DISMISSAL") else "GENERAL",
        sanction=kind,
        sanction_months=None,
        decided_on=day,
        valid_from=day,
        valid_until=None if kind == "UNDER_INVESTIGATION" else D("2099-12-31"),
        status="ACTIVE",
        domain="OTHER",
    )
    return record._replace(**changes)


def finding(
    n: int, category: str, severity: str | None, decided_on: str, valid_until: str, **changes: Any
) -> RecordFacts:
    day = D(decided_on)
    record = RecordFacts(
        id=uuid.UUID(int=n),
        nature="TRUSTWORTHY" if severity is None else "DISHONEST",
        category=category,
        severity=severity,
        sanction=None,
        sanction_months=None,
        decided_on=day,
        valid_from=day,
        valid_until=D(valid_until),
        status="ACTIVE",
        domain="OTHER",
    )
    return record._replace(**changes)


# ---------------------------------------------------------------- sanction_last_days

LAST_DAY_CASES: list[tuple[str, list[RecordFacts], list[str | None]]] = [
    ("warning 6 months, clamped", [sanction(1, "WARNING", "2026-08-31")], ["2027-02-27"]),
    ("demerit 12", [sanction(1, "DEMERIT", "2026-01-01")], ["2026-12-31"]),
    ("major demerit 18", [sanction(1, "MAJOR_DEMERIT", "2026-01-01")], ["2027-06-30"]),
    ("removal 24", [sanction(1, "REMOVAL", "2026-01-01")], ["2027-12-31"]),
    ("party warning 12", [sanction(1, "PARTY_WARNING", "2026-01-01")], ["2026-12-31"]),
    ("party serious 18", [sanction(1, "PARTY_SERIOUS_WARNING", "2026-01-01")], ["2027-06-30"]),
    ("party post 24", [sanction(1, "PARTY_POST_REVOCATION", "2026-01-01")], ["2027-12-31"]),
    ("admonishment 6", [sanction(1, "ADMONISHMENT", "2026-01-01")], ["2026-06-30"]),
    ("post adjustment 12", [sanction(1, "POST_ADJUSTMENT", "2026-01-01")], ["2026-12-31"]),
    ("rank reduction 24", [sanction(1, "RANK_REDUCTION", "2026-01-01")], ["2027-12-31"]),
    ("dismissal open", [sanction(1, "DISMISSAL", "2026-01-01")], [None]),
    (
        "sanctionMonths replaces the period",
        [sanction(1, "DEMERIT", "2026-01-01", sanction_months=3)],
        ["2026-03-31"],
    ),
    (
        "the chaining vector, third one capped at 48 months",
        [
            sanction(1, "DEMOTION", "2026-01-01"),
            sanction(2, "DEMOTION", "2026-02-01"),
            sanction(3, "DEMOTION", "2026-03-01"),
        ],
        ["2027-12-31", "2029-12-31", "2030-02-28"],
    ),
    (
        "decided on the earlier last day: chains from the day after",
        [sanction(1, "WARNING", "2026-01-01"), sanction(2, "DEMOTION", "2026-06-30")],
        ["2026-06-30", "2028-06-30"],
    ),
    (
        "decided the day after the earlier last day: independent",
        [sanction(1, "WARNING", "2026-01-01"), sanction(2, "DEMOTION", "2026-07-01")],
        ["2026-06-30", "2028-06-30"],
    ),
    (
        "cap cuts a chained warning after a 48-month demotion",
        [
            sanction(1, "DEMOTION", "2026-01-01", sanction_months=48),
            sanction(2, "WARNING", "2026-02-01"),
        ],
        ["2029-12-31", "2030-01-31"],
    ),
    (
        "party sanctions chain among themselves",
        [sanction(1, "PARTY_WARNING", "2026-01-01"), sanction(2, "PARTY_WARNING", "2026-06-01")],
        ["2026-12-31", "2027-12-31"],
    ),
    (
        "party and administrative groups are independent",
        [sanction(1, "DEMOTION", "2026-01-01"), sanction(2, "PARTY_WARNING", "2026-06-01")],
        ["2027-12-31", "2027-05-31"],
    ),
    (
        "organisational handling never chains",
        [sanction(1, "ADMONISHMENT", "2026-01-01"), sanction(2, "ADMONISHMENT", "2026-02-01")],
        ["2026-06-30", "2026-07-31"],
    ),
    (
        "same-day sanctions of a group do not chain",
        [sanction(1, "WARNING", "2026-01-01"), sanction(2, "DEMERIT", "2026-01-01")],
        ["2026-06-30", "2026-12-31"],
    ),
    (
        "a REPAIRED earlier sanction still chains",
        [
            sanction(1, "WARNING", "2026-01-01", status="REPAIRED"),
            sanction(2, "WARNING", "2026-02-01", status="EXEMPTED"),
        ],
        ["2026-06-30", "2026-12-31"],
    ),
    (
        "under investigation open while ACTIVE",
        [sanction(1, "UNDER_INVESTIGATION", "2026-01-01")],
        [None],
    ),
    (
        "under investigation open while UNDER_OBJECTION",
        [sanction(1, "UNDER_INVESTIGATION", "2026-01-01", status="UNDER_OBJECTION")],
        [None],
    ),
]


@pytest.mark.parametrize(
    ("records", "expected"),
    [(records, expected) for _, records, expected in LAST_DAY_CASES],
    ids=[case[0] for case in LAST_DAY_CASES],
)
def test_sanction_last_days(records: list[RecordFacts], expected: list[str | None]) -> None:
    last_days = sanction_last_days(records, PERIODS)

    assert [last_days[r.id] for r in records] == [None if e is None else D(e) for e in expected]


@pytest.mark.parametrize(
    "records",
    [
        [sanction(1, "DEMOTION", "2026-01-01", status="REVOKED")],
        [sanction(1, "UNDER_INVESTIGATION", "2026-01-01", status="REVOKED")],
        [sanction(1, "UNDER_INVESTIGATION", "2026-01-01", status="REPAIRED")],
        [finding(1, "ADMINISTRATIVE_PENALTY", "SERIOUS", "2026-01-01", "2028-12-31")],
    ],
    ids=["revoked", "investigation revoked", "investigation closed", "no sanction"],
)
def test_records_that_never_block_have_no_last_day(records: list[RecordFacts]) -> None:
    assert sanction_last_days(records, PERIODS) == {}


def test_a_revoked_sanction_takes_no_part_in_chaining() -> None:
    revoked = sanction(1, "DEMOTION", "2026-01-01", status="REVOKED")
    later = sanction(2, "DEMOTION", "2026-02-01")

    assert sanction_last_days([revoked, later], PERIODS) == {later.id: D("2028-01-31")}


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (sanction(2, "DEMOTION", "2026-02-01"), D("2029-12-31")),
        (sanction(2, "DISMISSAL", "2026-02-01"), None),
        (sanction(2, "DEMOTION", "2026-02-01", status="REVOKED"), None),
        (finding(2, "ADMINISTRATIVE_PENALTY", "GENERAL", "2026-02-01", "2026-12-31"), None),
    ],
    ids=["chained", "open-ended", "revoked", "no sanction"],
)
def test_sanction_ends_on(record: RecordFacts, expected: date | None) -> None:
    person = [sanction(1, "DEMOTION", "2026-01-01"), record]

    assert sanction_ends_on(record, person, PERIODS) == expected


# ---------------------------------------------------------------- rule versions

NEW_LAW = dataclasses.replace(
    DEFAULT_SANCTION_PERIODS,
    valid_from=D("2027-01-01"),
    months={**DEFAULT_SANCTION_PERIODS.months, "WARNING": 3},
)


@pytest.mark.parametrize(
    ("decided_on", "expected"),
    [("2026-12-31", "2027-06-29"), ("2027-01-01", "2027-03-31")],
)
def test_periods_follow_the_version_in_force_on_decided_on(decided_on: str, expected: str) -> None:
    record = sanction(1, "WARNING", decided_on)

    last_days = sanction_last_days([record], [DEFAULT_SANCTION_PERIODS, NEW_LAW])

    assert last_days[record.id] == D(expected)


def test_no_version_in_force_is_an_error() -> None:
    with pytest.raises(LookupError):
        periods_on([NEW_LAW], D("2026-12-31"))


def test_default_periods_are_the_domain_values() -> None:
    periods: SanctionPeriods = DEFAULT_SANCTION_PERIODS

    assert (periods.chain_cap_months, periods.incompetent_months, periods.basic_months) == (
        48,
        12,
        12,
    )
    assert periods.valid_from == D("1900-01-01")


# ---------------------------------------------------------------- evaluate_promotion

Expect = tuple[Decision, str | None, list[str], list[str], list[str]]
DENY, REVIEW, PRIORITY, ALLOW = (
    Decision.DENY,
    Decision.REVIEW,
    Decision.ALLOW_WITH_PRIORITY,
    Decision.ALLOW,
)
CHAIN = [
    sanction(1, "DEMOTION", "2026-01-01"),
    sanction(2, "DEMOTION", "2026-02-01"),
    sanction(3, "DEMOTION", "2026-03-01"),
]
WARNING = [sanction(1, "WARNING", "2026-08-31")]
INCOMPETENT = [finding(1, "PERFORMANCE_ASSESSMENT", "SERIOUS", "2026-01-31", "2028-01-30")]
BASIC = [finding(1, "PERFORMANCE_ASSESSMENT", "GENERAL", "2026-01-31", "2027-01-30")]
PENALTY = [finding(1, "ADMINISTRATIVE_PENALTY", "GENERAL", "2026-01-31", "2027-01-30")]
COMMENDATION = [finding(9, "COMMENDATION", None, "2025-01-01", "2027-12-31")]

EVALUATE_CASES: list[tuple[str, list[RecordFacts], str, Expect]] = [
    ("nothing", [], "2026-06-01", (ALLOW, "2026-06-01", [], [], [])),
    ("warning last day", WARNING, "2027-02-27", (DENY, "2027-02-28", ["SANCTION_WARNING"], [], [])),
    ("warning day after, still counted", WARNING, "2027-02-28", (ALLOW, "2027-02-28", [], [], [])),
    ("warning before decided", WARNING, "2026-08-30", (ALLOW, "2026-08-30", [], [], [])),
    ("chain", CHAIN, "2026-06-01", (DENY, "2030-03-01", ["SANCTION_DEMOTION"] * 3, [], [])),
    ("chain last day", CHAIN, "2030-02-28", (DENY, "2030-03-01", ["SANCTION_DEMOTION"], [], [])),
    ("chain day after", CHAIN, "2030-03-01", (ALLOW, "2030-03-01", [], [], [])),
    (
        "dismissal open-ended",
        [sanction(1, "DISMISSAL", "2026-01-01")],
        "2040-01-01",
        (DENY, None, ["SANCTION_DISMISSAL"], [], []),
    ),
    (
        "under investigation ACTIVE",
        [sanction(1, "UNDER_INVESTIGATION", "2026-01-01")],
        "2026-06-01",
        (DENY, None, ["SANCTION_UNDER_INVESTIGATION"], [], []),
    ),
    (
        "under investigation under objection cautions",
        [sanction(1, "UNDER_INVESTIGATION", "2026-01-01", status="UNDER_OBJECTION")],
        "2026-06-01",
        (REVIEW, "2026-06-01", [], ["SANCTION_UNDER_INVESTIGATION"], []),
    ),
    (
        "under investigation REVOKED",
        [sanction(1, "UNDER_INVESTIGATION", "2026-01-01", status="REVOKED")],
        "2026-06-01",
        (ALLOW, "2026-06-01", [], [], []),
    ),
    (
        "repaired sanction keeps blocking",
        [sanction(1, "DEMERIT", "2026-01-01", status="REPAIRED")],
        "2026-12-31",
        (DENY, "2027-01-01", ["SANCTION_DEMERIT"], [], []),
    ),
    (
        "exempted sanction keeps blocking",
        [sanction(1, "DEMERIT", "2026-01-01", status="EXEMPTED")],
        "2026-06-01",
        (DENY, "2027-01-01", ["SANCTION_DEMERIT"], [], []),
    ),
    (
        "revoked sanction",
        [sanction(1, "DEMERIT", "2026-01-01", status="REVOKED")],
        "2026-06-01",
        (ALLOW, "2026-06-01", [], [], []),
    ),
    (
        "objection filed: the blocker becomes a caution",
        [sanction(1, "DEMERIT", "2026-01-01", status="UNDER_OBJECTION")],
        "2026-06-01",
        (REVIEW, "2026-06-01", [], ["SANCTION_DEMERIT"], []),
    ),
    (
        "incompetent last day",
        INCOMPETENT,
        "2027-01-30",
        (DENY, "2027-01-31", ["ASSESSMENT_INCOMPETENT"], [], []),
    ),
    ("incompetent day after", INCOMPETENT, "2027-01-31", (ALLOW, "2027-01-31", [], [], [])),
    ("basic last day", BASIC, "2027-01-30", (REVIEW, "2027-01-30", [], ["ASSESSMENT_BASIC"], [])),
    ("basic day after", BASIC, "2027-01-31", (ALLOW, "2027-01-31", [], [], [])),
    (
        "minor assessment",
        [finding(1, "PERFORMANCE_ASSESSMENT", "MINOR", "2026-01-31", "2026-04-29")],
        "2026-02-01",
        (ALLOW, "2026-02-01", [], [], []),
    ),
    (
        "dishonest record expiring on as_of",
        PENALTY,
        "2027-01-30",
        (REVIEW, "2027-01-30", [], ["DISHONEST_RECORD"], []),
    ),
    ("dishonest record day after", PENALTY, "2027-01-31", (ALLOW, "2027-01-31", [], [], [])),
    (
        "minor dishonest record",
        [finding(1, "COMPLAINT", "MINOR", "2026-01-31", "2026-04-29")],
        "2026-02-01",
        (ALLOW, "2026-02-01", [], [], []),
    ),
    (
        "repaired dishonest record",
        [PENALTY[0]._replace(status="REPAIRED")],
        "2026-06-01",
        (ALLOW, "2026-06-01", [], [], []),
    ),
    (
        "commendation in force",
        COMMENDATION,
        "2027-12-31",
        (PRIORITY, "2027-12-31", [], [], ["TRUSTWORTHY_RECORD"]),
    ),
    ("commendation expired", COMMENDATION, "2028-01-01", (ALLOW, "2028-01-01", [], [], [])),
    (
        "no incentive beside a caution",
        COMMENDATION + PENALTY,
        "2026-06-01",
        (REVIEW, "2026-06-01", [], ["DISHONEST_RECORD"], []),
    ),
    (
        "blocker and caution",
        WARNING + [PENALTY[0]._replace(id=uuid.UUID(int=2))],
        "2026-09-01",
        (DENY, "2027-02-28", ["SANCTION_WARNING"], ["DISHONEST_RECORD"], []),
    ),
    (
        "a record decided after as_of does not exist yet",
        [sanction(1, "DISMISSAL", "2026-06-02")],
        "2026-06-01",
        (ALLOW, "2026-06-01", [], [], []),
    ),
]


@pytest.mark.parametrize(
    ("records", "as_of", "expected"),
    [(records, as_of, expected) for _, records, as_of, expected in EVALUATE_CASES],
    ids=[case[0] for case in EVALUATE_CASES],
)
def test_evaluate_promotion(records: list[RecordFacts], as_of: str, expected: Expect) -> None:
    result = evaluate_promotion(records, D(as_of), PERIODS)

    decision, eligible_from, blockers, cautions, incentives = expected
    assert result.as_of == D(as_of)
    assert result.decision == decision
    assert result.eligible_from == (None if eligible_from is None else D(eligible_from))
    assert [f.code for f in result.blockers] == blockers
    assert [f.code for f in result.cautions] == cautions
    assert [f.code for f in result.incentives] == incentives


def test_factors_ordered_by_until_open_last_then_code() -> None:
    records = [
        sanction(1, "DISMISSAL", "2026-01-01"),
        sanction(2, "WARNING", "2026-01-01"),
        sanction(3, "ADMONISHMENT", "2026-01-01"),
        sanction(4, "DEMERIT", "2026-01-01"),
    ]

    result = evaluate_promotion(records, D("2026-03-01"), PERIODS)

    assert [(f.code, f.until) for f in result.blockers] == [
        ("SANCTION_ADMONISHMENT", D("2026-06-30")),
        ("SANCTION_WARNING", D("2026-06-30")),
        ("SANCTION_DEMERIT", D("2026-12-31")),
        ("SANCTION_DISMISSAL", None),
    ]


def test_one_factor_per_basis_record_with_its_texts() -> None:
    result = evaluate_promotion(CHAIN, D("2026-06-01"), PERIODS)

    assert [(f.until, f.basis) for f in result.blockers] == [
        (D("2027-12-31"), [CHAIN[0]]),
        (D("2029-12-31"), [CHAIN[1]]),
        (D("2030-02-28"), [CHAIN[2]]),
    ]
    factor = result.blockers[0]
    assert (factor.description, factor.legal_basis) == factor_text("SANCTION_DEMOTION")
    assert "《行政机关公务员处分条例》第十条" in factor.legal_basis
    assert "第八条" in factor.legal_basis


@pytest.mark.parametrize(
    ("code", "cited"),
    [
        ("SANCTION_WARNING", "《公务员法》第六十四条"),
        ("SANCTION_PARTY_WARNING", "《中国共产党纪律处分条例》"),
        ("SANCTION_ADMONISHMENT", "诫勉"),
        ("SANCTION_RANK_REDUCTION", "组织处理"),
        ("SANCTION_UNDER_INVESTIGATION", "审查"),
        ("ASSESSMENT_INCOMPETENT", "《公务员法》"),
        ("ASSESSMENT_BASIC", "《公务员法》"),
        ("DISHONEST_RECORD", "金府发〔2018〕12号"),
        ("TRUSTWORTHY_RECORD", "金府发〔2018〕12号"),
    ],
)
def test_every_factor_names_its_legal_basis(code: str, cited: str) -> None:
    description, legal_basis = factor_text(code)

    assert description
    assert cited in legal_basis
