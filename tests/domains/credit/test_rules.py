"""Record rules of DOMAIN.md section 2, table-driven at the boundary days."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from domains.credit.defaults import (
    DEFAULT_REPAIR_RULES,
    DEFAULT_VALIDITY_RULES,
    RULES_EPOCH,
    RepairRule,
    ValidityRule,
    pick_version,
    repair_rule_for,
    validity_rule_for,
)
from domains.credit.enums import (
    Audience,
    Disclosure,
    RecordCategory,
    RecordNature,
    Sanction,
    Severity,
)
from domains.credit.rules import (
    FieldError,
    RecordTerms,
    check_disclosure,
    check_investigation,
    check_nature_category,
    check_sanction,
    check_severity,
    check_source_system,
    default_share_scope,
    resolve_share_scope,
    resolve_validity,
    resolved_valid_until,
    same_content,
    validate_record,
)

D = date.fromisoformat
N = RecordNature
C = RecordCategory
S = Severity
X = Sanction
TODAY = D("2026-05-01")
DISHONEST_CATEGORIES = {
    C.JUDICIAL_JUDGMENT,
    C.ADMINISTRATIVE_PENALTY,
    C.DISCIPLINARY_SANCTION,
    C.ADMINISTRATIVE_SANCTION,
}


def _codes(errors: list[FieldError]) -> list[tuple[str | None, str]]:
    return [(error.field, error.code) for error in errors]


# ---------------------------------------------------------------- versions and defaults


def test_default_rows() -> None:
    assert {(r.nature, r.severity): r for r in DEFAULT_VALIDITY_RULES} == {
        (N.DISHONEST, S.MINOR): ValidityRule(RULES_EPOCH, N.DISHONEST, S.MINOR, 3, None, 3),
        (N.DISHONEST, S.GENERAL): ValidityRule(RULES_EPOCH, N.DISHONEST, S.GENERAL, 12, 3, 12),
        (N.DISHONEST, S.SERIOUS): ValidityRule(RULES_EPOCH, N.DISHONEST, S.SERIOUS, 36, 12, 36),
        (N.TRUSTWORTHY, None): ValidityRule(RULES_EPOCH, N.TRUSTWORTHY, None, 36, None, 60),
    }
    assert {r.severity: r.minimum_months for r in DEFAULT_REPAIR_RULES} == {
        S.MINOR: 0,
        S.GENERAL: 3,
        S.SERIOUS: 12,
    }
    assert RULES_EPOCH == D("1900-01-01")


NEW_GENERAL = ValidityRule(D("2026-04-01"), N.DISHONEST, S.GENERAL, 6, 3, 6)
VERSIONED = (*DEFAULT_VALIDITY_RULES, NEW_GENERAL)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D("1899-12-31"), None),
        (D("1900-01-01"), DEFAULT_VALIDITY_RULES[1]),
        (D("2026-03-31"), DEFAULT_VALIDITY_RULES[1]),
        (D("2026-04-01"), NEW_GENERAL),
        (D("2030-01-01"), NEW_GENERAL),
    ],
)
def test_pick_version(day: date, expected: ValidityRule | None) -> None:
    general = [r for r in VERSIONED if r.severity == S.GENERAL]
    assert pick_version(general, day) == expected
    assert validity_rule_for(VERSIONED, N.DISHONEST, S.GENERAL, day) == expected


def test_rule_for_selects_nature_and_severity() -> None:
    assert validity_rule_for(VERSIONED, N.TRUSTWORTHY, None, TODAY) == DEFAULT_VALIDITY_RULES[3]
    assert validity_rule_for(VERSIONED, N.TRUSTWORTHY, S.MINOR, TODAY) is None
    assert validity_rule_for(VERSIONED, N.DISHONEST, None, TODAY) is None
    later = RepairRule(D("2026-04-01"), S.GENERAL, 6)
    rows = (*DEFAULT_REPAIR_RULES, later)
    assert repair_rule_for(rows, S.GENERAL, D("2026-03-31")) == DEFAULT_REPAIR_RULES[1]
    assert repair_rule_for(rows, S.GENERAL, D("2026-04-01")) == later


# ---------------------------------------------------------------- field checks


@pytest.mark.parametrize("category", list(C))
@pytest.mark.parametrize("nature", list(N))
def test_check_nature_category(nature: RecordNature, category: RecordCategory) -> None:
    agrees = (
        (category != C.COMMENDATION or nature == N.TRUSTWORTHY)
        and (category not in DISHONEST_CATEGORIES or nature == N.DISHONEST)
    )
    error = check_nature_category(nature, category)
    assert (error is None) is agrees
    if error is not None:
        assert (error.field, error.code) == ("nature", "INVALID_VALUE")


@pytest.mark.parametrize(
    ("nature", "severity", "code"),
    [
        (N.TRUSTWORTHY, None, None),
        (N.TRUSTWORTHY, S.MINOR, "SEVERITY_NOT_ALLOWED"),
        (N.TRUSTWORTHY, S.SERIOUS, "SEVERITY_NOT_ALLOWED"),
        (N.DISHONEST, None, "SEVERITY_REQUIRED"),
        (N.DISHONEST, S.MINOR, None),
        (N.DISHONEST, S.GENERAL, None),
        (N.DISHONEST, S.SERIOUS, None),
    ],
)
def test_check_severity(nature: RecordNature, severity: Severity | None, code: str | None) -> None:
    error = check_severity(nature, severity)
    assert (error and (error.field, error.code)) == (code and ("severity", code))


@pytest.mark.parametrize(
    ("severity", "disclosure", "code"),
    [
        (S.MINOR, Disclosure.PUBLIC, "MINOR_NOT_PUBLIC"),
        (S.MINOR, Disclosure.GOVERNMENT_SHARED, None),
        (S.MINOR, Disclosure.AUTHORIZED_QUERY, None),
        (S.GENERAL, Disclosure.PUBLIC, None),
        (None, Disclosure.PUBLIC, None),
    ],
)
def test_check_disclosure(
    severity: Severity | None, disclosure: Disclosure, code: str | None
) -> None:
    error = check_disclosure(severity, disclosure)
    assert (error and (error.field, error.code)) == (code and ("disclosure", code))


SANCTION_CATEGORY = {
    **{s: C.ADMINISTRATIVE_SANCTION for s in (X.WARNING, X.DEMERIT, X.MAJOR_DEMERIT)},
    **{s: C.ADMINISTRATIVE_SANCTION for s in (X.DEMOTION, X.REMOVAL, X.DISMISSAL)},
    **{s: C.DISCIPLINARY_SANCTION for s in list(X) if s.startswith("PARTY_")},
    **{
        s: C.OTHER_ACCOUNTABILITY
        for s in (X.ADMONISHMENT, X.POST_ADJUSTMENT, X.RANK_REDUCTION, X.UNDER_INVESTIGATION)
    },
}


@pytest.mark.parametrize("category", list(C))
@pytest.mark.parametrize("sanction", list(X))
def test_sanction_matches_its_category(sanction: Sanction, category: RecordCategory) -> None:
    errors = check_sanction(True, N.DISHONEST, S.GENERAL, category, sanction, None)
    expected = [] if SANCTION_CATEGORY[sanction] == category else [("sanction", "INVALID_VALUE")]
    assert _codes(errors) == expected


DG = (N.DISHONEST, S.GENERAL)
AS = C.ADMINISTRATIVE_SANCTION
SM = ["sanctionMonths"]


@pytest.mark.parametrize(
    ("is_person", "nature", "severity", "category", "sanction", "months", "fields"),
    [
        (True, *DG, AS, None, None, []),
        (True, N.DISHONEST, S.SERIOUS, AS, X.DISMISSAL, None, []),
        (True, *DG, AS, X.WARNING, 1, []),
        (True, *DG, AS, X.REMOVAL, 48, []),
        (True, *DG, AS, X.WARNING, 0, SM),
        (True, *DG, AS, X.WARNING, 49, SM),
        (True, *DG, AS, X.DISMISSAL, 6, SM),
        (True, *DG, C.DISCIPLINARY_SANCTION, X.PARTY_WARNING, 12, SM),
        (True, *DG, C.OTHER_ACCOUNTABILITY, X.ADMONISHMENT, 6, SM),
        (True, *DG, AS, None, 6, SM),
        (False, *DG, AS, X.WARNING, None, ["sanction"]),
        (True, N.DISHONEST, S.MINOR, AS, X.WARNING, None, ["sanction"]),
        (True, N.TRUSTWORTHY, None, C.OTHER_ACCOUNTABILITY, X.ADMONISHMENT, None, ["sanction"]),
        # A missing severity is reported on `severity` (check_severity), not here.
        (True, N.DISHONEST, None, AS, X.WARNING, None, []),
        (False, *DG, AS, X.DISMISSAL, 6, ["sanction", "sanctionMonths"]),
    ],
)
def test_check_sanction(
    is_person: bool,
    nature: RecordNature,
    severity: Severity | None,
    category: RecordCategory,
    sanction: Sanction | None,
    months: int | None,
    fields: list[str],
) -> None:
    errors = check_sanction(is_person, nature, severity, category, sanction, months)
    assert _codes(errors) == [(field, "INVALID_VALUE") for field in fields]


@pytest.mark.parametrize(
    ("sanction", "valid_until", "disclosure", "fields"),
    [
        (X.UNDER_INVESTIGATION, None, Disclosure.AUTHORIZED_QUERY, []),
        (X.UNDER_INVESTIGATION, D("2026-12-31"), Disclosure.AUTHORIZED_QUERY, ["validUntil"]),
        (X.UNDER_INVESTIGATION, None, Disclosure.GOVERNMENT_SHARED, ["disclosure"]),
        (X.UNDER_INVESTIGATION, D("2026-12-31"), Disclosure.PUBLIC, ["validUntil", "disclosure"]),
        (X.ADMONISHMENT, D("2026-12-31"), Disclosure.PUBLIC, []),
        (None, None, Disclosure.PUBLIC, []),
    ],
)
def test_check_investigation(
    sanction: Sanction | None, valid_until: date | None, disclosure: Disclosure, fields: list[str]
) -> None:
    errors = check_investigation(sanction, valid_until, disclosure)
    assert _codes(errors) == [(field, "INVALID_VALUE") for field in fields]


@pytest.mark.parametrize(
    ("source_system", "reserved"),
    [("ppp", True), ("investment", True), (" PPP ", True), ("procurement-system", False)],
)
def test_check_source_system(source_system: str, reserved: bool) -> None:
    assert (check_source_system(source_system) is not None) is reserved


# ---------------------------------------------------------------- validity

_RULE = {(r.nature, r.severity): r for r in DEFAULT_VALIDITY_RULES}
OUT = "VALIDITY_OUT_OF_RANGE"
JAN31 = D("2026-01-31")


@pytest.mark.parametrize(
    ("nature", "severity", "valid_until", "act_ended_on", "expected"),
    [
        # MINOR: default 3 months, up to 3 months (vector: 2026-01-31 -> 2026-04-29)
        (N.DISHONEST, S.MINOR, None, None, D("2026-04-29")),
        (N.DISHONEST, S.MINOR, D("2026-04-29"), None, D("2026-04-29")),
        (N.DISHONEST, S.MINOR, D("2026-04-30"), None, OUT),
        (N.DISHONEST, S.MINOR, JAN31, None, JAN31),  # one day: validUntil = validFrom
        (N.DISHONEST, S.MINOR, D("2026-01-30"), None, OUT),  # before validFrom
        # GENERAL: default 1 year, at least 3 months, up to 1 year (vector: -> 2027-01-30)
        (N.DISHONEST, S.GENERAL, None, None, D("2027-01-30")),
        (N.DISHONEST, S.GENERAL, D("2027-01-30"), None, D("2027-01-30")),
        (N.DISHONEST, S.GENERAL, D("2027-01-31"), None, OUT),
        (N.DISHONEST, S.GENERAL, D("2026-04-29"), None, D("2026-04-29")),
        (N.DISHONEST, S.GENERAL, D("2026-04-28"), None, OUT),
        # SERIOUS: default 3 years, at least 1 year, up to 3 years
        (N.DISHONEST, S.SERIOUS, None, None, D("2029-01-30")),
        (N.DISHONEST, S.SERIOUS, D("2029-01-31"), None, OUT),
        (N.DISHONEST, S.SERIOUS, D("2027-01-30"), None, D("2027-01-30")),
        (N.DISHONEST, S.SERIOUS, D("2027-01-29"), None, OUT),
        # TRUSTWORTHY: default 3 years, up to 5 years
        (N.TRUSTWORTHY, None, None, None, D("2029-01-30")),
        (N.TRUSTWORTHY, None, D("2031-01-30"), None, D("2031-01-30")),
        (N.TRUSTWORTHY, None, D("2031-01-31"), None, OUT),
        (N.TRUSTWORTHY, None, JAN31, None, JAN31),
        (N.TRUSTWORTHY, None, D("2026-01-30"), None, OUT),
        # the 5-year window from the act's end: actEndedOn + 5 years - 1 day
        (N.DISHONEST, S.SERIOUS, D("2027-06-14"), D("2022-06-15"), D("2027-06-14")),
        (N.DISHONEST, S.SERIOUS, D("2027-06-15"), D("2022-06-15"), OUT),
        (N.DISHONEST, S.SERIOUS, None, D("2022-06-15"), OUT),  # default 2029-01-30 too late
        (N.DISHONEST, S.MINOR, D("2026-03-14"), D("2021-03-15"), D("2026-03-14")),
        (N.DISHONEST, S.MINOR, D("2026-03-15"), D("2021-03-15"), OUT),
        (N.DISHONEST, S.MINOR, None, D("2021-05-01"), D("2026-04-29")),  # window 2026-04-30
        (N.DISHONEST, S.GENERAL, D("2026-04-29"), D("2021-02-01"), OUT),  # window closed
        (N.DISHONEST, S.MINOR, JAN31, D("2021-01-31"), OUT),  # window ended 2026-01-30
        (N.DISHONEST, S.MINOR, JAN31, D("2021-02-01"), JAN31),  # its last day
        # the window is about dishonesty only
        (N.TRUSTWORTHY, None, D("2031-01-30"), D("2021-02-01"), D("2031-01-30")),
    ],
)
def test_resolve_validity(
    nature: RecordNature,
    severity: Severity | None,
    valid_until: date | None,
    act_ended_on: date | None,
    expected: date | str,
) -> None:
    rule = _RULE[(nature, severity)]
    result = resolve_validity(nature, severity, JAN31, valid_until, act_ended_on, rule)
    assert result == ((None, OUT) if expected == OUT else (expected, None))


def test_resolve_validity_refuses_another_rule() -> None:
    with pytest.raises(ValueError):
        resolve_validity(N.DISHONEST, S.MINOR, JAN31, None, None, _RULE[(N.DISHONEST, S.GENERAL)])


# ---------------------------------------------------------------- whole record

UNIT_GENERAL = RecordTerms(
    subject_is_person=False,
    nature=N.DISHONEST,
    category=C.ADMINISTRATIVE_PENALTY,
    severity=S.GENERAL,
    sanction=None,
    sanction_months=None,
    decided_on=JAN31,
    act_ended_on=None,
    valid_until=None,
    disclosure=Disclosure.PUBLIC,
)
PERSON_WARNING = dataclasses.replace(
    UNIT_GENERAL,
    subject_is_person=True,
    category=C.ADMINISTRATIVE_SANCTION,
    sanction=X.WARNING,
    sanction_months=9,
    disclosure=Disclosure.GOVERNMENT_SHARED,
)
INVESTIGATION = dataclasses.replace(
    PERSON_WARNING,
    category=C.OTHER_ACCOUNTABILITY,
    sanction=X.UNDER_INVESTIGATION,
    sanction_months=None,
    disclosure=Disclosure.AUTHORIZED_QUERY,
)
COMMENDATION = dataclasses.replace(
    UNIT_GENERAL, nature=N.TRUSTWORTHY, category=C.COMMENDATION, severity=None
)
_r = dataclasses.replace


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        (UNIT_GENERAL, []),
        (PERSON_WARNING, []),
        (INVESTIGATION, []),
        (COMMENDATION, []),
        (dataclasses.replace(UNIT_GENERAL, decided_on=TODAY), []),
        (_r(UNIT_GENERAL, decided_on=D("2026-05-02")), [("decidedOn", "INVALID_VALUE")]),
        (_r(UNIT_GENERAL, valid_until=D("2027-01-31")), [("validUntil", OUT)]),
        (_r(COMMENDATION, severity=S.MINOR), [("severity", "SEVERITY_NOT_ALLOWED")]),
        (_r(PERSON_WARNING, severity=None), [("severity", "SEVERITY_REQUIRED")]),
        (
            _r(INVESTIGATION, valid_until=D("2026-12-31"), disclosure=Disclosure.PUBLIC),
            [("disclosure", "INVALID_VALUE"), ("validUntil", "INVALID_VALUE")],
        ),
        (
            dataclasses.replace(
                UNIT_GENERAL, category=C.COMMENDATION, severity=S.MINOR, sanction=X.WARNING,
                sanction_months=60, valid_until=D("2026-05-01"),
            ),
            [
                ("disclosure", "MINOR_NOT_PUBLIC"),
                ("nature", "INVALID_VALUE"),
                ("sanction", "INVALID_VALUE"),
                ("sanctionMonths", "INVALID_VALUE"),
                ("validUntil", OUT),
            ],
        ),
    ],
)
def test_validate_record(terms: RecordTerms, expected: list[tuple[str, str]]) -> None:
    errors = validate_record(terms, today=TODAY, validity_rules=DEFAULT_VALIDITY_RULES)
    assert _codes(errors) == expected


def test_validity_message_names_the_default_and_bounds() -> None:
    terms = dataclasses.replace(UNIT_GENERAL, severity=S.SERIOUS, act_ended_on=D("2022-06-15"))
    [error] = validate_record(terms, today=TODAY, validity_rules=DEFAULT_VALIDITY_RULES)
    assert error == FieldError(
        "validUntil", OUT, "the default 2029-01-30 must be from 2027-01-30 to 2027-06-14"
    )


def test_validate_record_without_a_rule_for_the_day() -> None:
    rules = [dataclasses.replace(r, valid_from=D("2000-01-01")) for r in DEFAULT_VALIDITY_RULES]
    terms = dataclasses.replace(UNIT_GENERAL, decided_on=D("1999-12-31"))
    errors = validate_record(terms, today=TODAY, validity_rules=rules)
    assert _codes(errors) == [("decidedOn", "INVALID_VALUE")]


def test_a_correction_is_validated_on_the_merged_record() -> None:
    stored = dataclasses.replace(UNIT_GENERAL, severity=S.SERIOUS, valid_until=D("2029-01-30"))
    downgraded = dataclasses.replace(stored, severity=S.GENERAL)
    rules = DEFAULT_VALIDITY_RULES
    assert _codes(validate_record(downgraded, today=TODAY, validity_rules=rules)) == [
        ("validUntil", OUT)
    ]
    patched = dataclasses.replace(downgraded, valid_until=D("2027-01-30"))
    assert validate_record(patched, today=TODAY, validity_rules=rules) == []
    minor_public = dataclasses.replace(patched, severity=S.MINOR, valid_until=D("2026-04-29"))
    assert _codes(validate_record(minor_public, today=TODAY, validity_rules=rules)) == [
        ("disclosure", "MINOR_NOT_PUBLIC")
    ]


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        (UNIT_GENERAL, D("2027-01-30")),
        (dataclasses.replace(UNIT_GENERAL, valid_until=D("2026-06-30")), D("2026-06-30")),
        (COMMENDATION, D("2029-01-30")),
        (INVESTIGATION, None),
    ],
)
def test_resolved_valid_until(terms: RecordTerms, expected: date | None) -> None:
    assert resolved_valid_until(terms, DEFAULT_VALIDITY_RULES) == expected


def test_resolved_valid_until_needs_a_valid_record() -> None:
    with pytest.raises(ValueError):
        bad = dataclasses.replace(UNIT_GENERAL, valid_until=D("2027-01-31"))
        resolved_valid_until(bad, DEFAULT_VALIDITY_RULES)


# ---------------------------------------------------------------- share scope, idempotency

A = Audience


@pytest.mark.parametrize(
    ("is_person", "given", "expected"),
    [
        (False, None, list(A)),
        (True, None, [A.PERSONNEL, A.SUPERVISION, A.CREDIT_OFFICE]),
        (True, [], []),  # CREDIT_OFFICE only: it sees every record
        (False, [A.CREDIT_OFFICE, A.PROCUREMENT, A.PROCUREMENT], [A.PROCUREMENT, A.CREDIT_OFFICE]),
    ],
)
def test_share_scope(
    is_person: bool, given: list[Audience] | None, expected: list[Audience]
) -> None:
    assert resolve_share_scope(is_person, given) == expected
    if given is None:
        assert default_share_scope(is_person) == expected


STORED = {
    "subject": {"uscc": "91310116MA1FL0X0YK", "idNumber": None},
    "nature": N.DISHONEST,
    "severity": S.GENERAL,
    "shareScope": [A.PERSONNEL, A.SUPERVISION],
    "amount": Decimal("1200.50"),
    "validUntil": D("2027-01-30"),
    "summary": None,
}


@pytest.mark.parametrize(
    ("changes", "same"),
    [
        ({}, True),
        ({"subject": {"uscc": " 91310116ma1fl0x0yk "}}, True),  # keys normalised, null = absent
        ({"shareScope": [A.SUPERVISION, A.PERSONNEL, A.PERSONNEL]}, True),  # lists as sets
        ({"amount": Decimal("1200.5")}, True),  # decimals by value
        ({"severity": "GENERAL"}, True),  # enum member and its name
        ({"summary": "late"}, False),
        ({"shareScope": []}, False),
        ({"shareScope": [A.PERSONNEL]}, False),
        ({"amount": Decimal("1200.51")}, False),
        ({"validUntil": D("2027-01-29")}, False),
        ({"subject": {"uscc": "N2310116MA1FL0X0Y3"}}, False),
    ],
)
def test_same_content(changes: dict[str, object], same: bool) -> None:
    assert same_content(STORED, {**STORED, **changes}) is same
    assert same_content({**STORED, **changes}, STORED) is same
