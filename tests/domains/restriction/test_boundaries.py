"""Boundary days of DOMAIN.md sections 4 and 5, table-driven: each sanction's last blocked day
and the day after, the three DEMOTION chain vectors, the PARTY_* chain, objections filed,
upheld and rejected, repaired and exempted records."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from domains.core.dates import ONE_DAY
from domains.credit.facts import RecordFacts
from domains.restriction.defaults import DEFAULT_MEASURE_ROWS, DEFAULT_SANCTION_PERIODS
from domains.restriction.promotion import evaluate_promotion
from domains.restriction.rules import Decision, assess

D = date.fromisoformat
PERIODS = [DEFAULT_SANCTION_PERIODS]
ROWS = list(DEFAULT_MEASURE_ROWS)
CATEGORY = {"PARTY": "DISCIPLINARY_SANCTION", "ORG": "OTHER_ACCOUNTABILITY"}


def record(n: int, decided_on: str, *, sanction: str | None = None,
           severity: str | None = "GENERAL", **changes: Any) -> RecordFacts:
    day = D(decided_on)
    base = RecordFacts(
        id=uuid.UUID(int=n), nature="DISHONEST" if severity else "TRUSTWORTHY",
        category="ADMINISTRATIVE_SANCTION" if sanction else "ADMINISTRATIVE_PENALTY",
        severity=severity, sanction=sanction, sanction_months=None, decided_on=day,
        valid_from=day, valid_until=D("2099-12-31"), status="ACTIVE", domain="OTHER")
    return base._replace(**changes)


# ---------------------------------------------------------------- every sanction's period

# sanction, decided on, last blocked day (DOMAIN.md section 5 periods; clamped month ends)
LAST_DAYS = [
    ("WARNING", "2026-08-31", "2027-02-27"),
    ("DEMERIT", "2026-02-28", "2027-02-27"),
    ("MAJOR_DEMERIT", "2026-03-31", "2027-09-29"),
    ("DEMOTION", "2024-02-29", "2026-02-27"),
    ("REMOVAL", "2026-01-31", "2028-01-30"),
    ("PARTY_WARNING", "2026-01-31", "2027-01-30"),
    ("PARTY_SERIOUS_WARNING", "2026-01-31", "2027-07-30"),
    ("PARTY_POST_REVOCATION", "2026-01-31", "2028-01-30"),
    ("ADMONISHMENT", "2026-08-31", "2027-02-27"),
    ("POST_ADJUSTMENT", "2026-01-31", "2027-01-30"),
    ("RANK_REDUCTION", "2026-01-31", "2028-01-30"),
]


@pytest.mark.parametrize(("sanction", "decided_on", "last_day"), LAST_DAYS,
                         ids=[c[0] for c in LAST_DAYS])
def test_each_sanction_blocks_through_its_last_day(sanction: str, decided_on: str,
                                                   last_day: str) -> None:
    facts = [record(1, decided_on, sanction=sanction)]
    on_last = evaluate_promotion(facts, D(last_day), PERIODS)
    after = evaluate_promotion(facts, D(last_day) + ONE_DAY, PERIODS)
    assert (on_last.decision, [f.until for f in on_last.blockers]) == (
        Decision.DENY, [D(last_day)])
    assert on_last.eligible_from == after.as_of
    assert (after.decision, after.blockers, after.cautions) == (Decision.ALLOW, [], [])


# ---------------------------------------------------------------- chains

CHAIN_CASES = [
    ("first DEMOTION alone", ["2026-01-01"], ["2027-12-31"]),
    ("second chains after the first", ["2026-01-01", "2026-02-01"],
     ["2027-12-31", "2029-12-31"]),
    ("third capped at its 48 months", ["2026-01-01", "2026-02-01", "2026-03-01"],
     ["2027-12-31", "2029-12-31", "2030-02-28"]),
]


@pytest.mark.parametrize(("days", "untils"), [c[1:] for c in CHAIN_CASES],
                         ids=[c[0] for c in CHAIN_CASES])
def test_demotion_chain_vectors(days: list[str], untils: list[str]) -> None:
    facts = [record(n, day, sanction="DEMOTION") for n, day in enumerate(days, start=1)]
    last = D(untils[-1])
    on_last = evaluate_promotion(facts, last, PERIODS)
    after = evaluate_promotion(facts, last + ONE_DAY, PERIODS)
    assert [f.until for f in evaluate_promotion(facts, D(days[-1]), PERIODS).blockers] == [
        D(u) for u in untils]
    assert (on_last.decision, after.decision) == (Decision.DENY, Decision.ALLOW)


def test_party_sanctions_chain_but_not_with_administrative_ones() -> None:
    facts = [record(1, "2026-01-01", sanction="PARTY_WARNING", category=CATEGORY["PARTY"]),
             record(2, "2026-06-01", sanction="PARTY_SERIOUS_WARNING",
                    category=CATEGORY["PARTY"]),
             record(3, "2026-06-01", sanction="WARNING")]
    result = evaluate_promotion(facts, D("2026-06-01"), PERIODS)
    assert [(f.code, f.until) for f in result.blockers] == [
        ("SANCTION_WARNING", D("2026-11-30")),
        ("SANCTION_PARTY_WARNING", D("2026-12-31")),
        ("SANCTION_PARTY_SERIOUS_WARNING", D("2028-06-30"))]
    assert result.eligible_from == D("2028-07-01")


# ---------------------------------------------------------------- objections, repair, exemption

STATUS_CASES = [
    # status replayed for asOf, promotion decision, AWARDS decision
    ("in force", "ACTIVE", Decision.DENY, Decision.DENY),
    ("objection filed", "UNDER_OBJECTION", Decision.REVIEW, Decision.REVIEW),
    ("objection upheld", "REVOKED", Decision.ALLOW, Decision.ALLOW),
    ("objection rejected", "ACTIVE", Decision.DENY, Decision.DENY),
    ("repaired", "REPAIRED", Decision.DENY, Decision.ALLOW),
    ("exempted", "EXEMPTED", Decision.DENY, Decision.ALLOW),
]


@pytest.mark.parametrize(("status", "promotion", "awards"), [c[1:] for c in STATUS_CASES],
                         ids=[c[0] for c in STATUS_CASES])
def test_a_sanction_record_in_each_status(status: str, promotion: Decision,
                                          awards: Decision) -> None:
    # a DEMERIT on a GENERAL record, valid one year: it blocks promotion 12 months, and as a
    # counted record it bars awards; repair and exemption end only the latter
    facts = [record(1, "2026-01-01", sanction="DEMERIT", status=status,
                    valid_until=D("2026-12-31"))]
    as_of = D("2026-06-01")
    result = evaluate_promotion(facts, as_of, PERIODS)
    assessed = assess("AWARDS", "PERSON", facts, as_of, ROWS)
    assert (result.decision, assessed.decision) == (promotion, awards)
    assert result.eligible_from == (D("2027-01-01") if promotion == Decision.DENY else as_of)


def test_a_dishonest_record_expiring_on_as_of_cautions_then_not() -> None:
    facts = [record(1, "2025-06-15", valid_until=D("2026-06-14"))]
    on_last = evaluate_promotion(facts, D("2026-06-14"), PERIODS)
    after = evaluate_promotion(facts, D("2026-06-15"), PERIODS)
    assert [(f.code, f.until) for f in on_last.cautions] == [
        ("DISHONEST_RECORD", D("2026-06-14"))]
    assert (on_last.decision, after.decision) == (Decision.REVIEW, Decision.ALLOW)
    hiring = [assess("HIRING", "PERSON", facts, D(day), ROWS).decision
              for day in ("2026-06-14", "2026-06-15")]
    assert hiring == [Decision.REVIEW, Decision.ALLOW]
