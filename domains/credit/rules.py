"""Pure rules of credit records (DOMAIN.md sections 0, 2 and 3): plain values in, decisions out.

Checks answer a `FieldError` (field in input casing, stable code, message) or None; the service
turns them into `InputError` rows. Rule values (validity periods, repair minimums) come in as
`ValidityRule` / `RepairRule` rows of the versioned rule tables (`domains.credit.defaults`).
The lifecycle rules (status changes, replay, visibility, objection due dates) have their home in
`domains.credit.lifecycle` and are imported from there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final, NamedTuple

from domains.core.dates import last_day_of_period
from domains.credit.defaults import ValidityRule, validity_rule_for
from domains.credit.enums import (
    Audience,
    Disclosure,
    RecordCategory,
    RecordNature,
    Sanction,
    Severity,
)
from domains.subject.keys import normalise_key

INVALID_VALUE: Final = "INVALID_VALUE"
SEVERITY_REQUIRED: Final = "SEVERITY_REQUIRED"
SEVERITY_NOT_ALLOWED: Final = "SEVERITY_NOT_ALLOWED"
VALIDITY_OUT_OF_RANGE: Final = "VALIDITY_OUT_OF_RANGE"
MINOR_NOT_PUBLIC: Final = "MINOR_NOT_PUBLIC"

# 《上海市社会信用条例》第三十五条: dishonesty is not queried beyond 5 years from the act's end.
ACT_WINDOW_MONTHS: Final = 60
SANCTION_MONTHS_RANGE: Final = range(1, 49)
# The sourceSystem of generated records (DOMAIN.md sections 7 and 8): clients may not use them.
PPP_SOURCE_SYSTEM: Final = "ppp"
INVESTMENT_SOURCE_SYSTEM: Final = "investment"
RESERVED_SOURCE_SYSTEMS: Final = frozenset({PPP_SOURCE_SYSTEM, INVESTMENT_SOURCE_SYSTEM})

_S = Sanction
_C = RecordCategory
# DOMAIN.md section 2: the category each sanction sits on, every sanction named (a test
# requires every member, so a new one cannot go unclassified; the enum's order means nothing).
SANCTION_CATEGORY: Final[Mapping[Sanction, RecordCategory]] = MappingProxyType({
    _S.WARNING: _C.ADMINISTRATIVE_SANCTION,
    _S.DEMERIT: _C.ADMINISTRATIVE_SANCTION,
    _S.MAJOR_DEMERIT: _C.ADMINISTRATIVE_SANCTION,
    _S.DEMOTION: _C.ADMINISTRATIVE_SANCTION,
    _S.REMOVAL: _C.ADMINISTRATIVE_SANCTION,
    _S.DISMISSAL: _C.ADMINISTRATIVE_SANCTION,
    _S.PARTY_WARNING: _C.DISCIPLINARY_SANCTION,
    _S.PARTY_SERIOUS_WARNING: _C.DISCIPLINARY_SANCTION,
    _S.PARTY_POST_REVOCATION: _C.DISCIPLINARY_SANCTION,
    _S.ADMONISHMENT: _C.OTHER_ACCOUNTABILITY,
    _S.POST_ADJUSTMENT: _C.OTHER_ACCOUNTABILITY,
    _S.RANK_REDUCTION: _C.OTHER_ACCOUNTABILITY,
    _S.UNDER_INVESTIGATION: _C.OTHER_ACCOUNTABILITY,
})
# `sanctionMonths` replaces the standard period only of WARNING to REMOVAL (政务处分 with a
# period); the other sanctions have none to replace or are open-ended.
SANCTIONS_WITH_MONTHS: Final = frozenset(
    {_S.WARNING, _S.DEMERIT, _S.MAJOR_DEMERIT, _S.DEMOTION, _S.REMOVAL})
_DISHONEST_CATEGORIES = (
    _C.JUDICIAL_JUDGMENT,
    _C.ADMINISTRATIVE_PENALTY,
    _C.DISCIPLINARY_SANCTION,
    _C.ADMINISTRATIVE_SANCTION,
)
CATEGORY_NATURE: Final[Mapping[RecordCategory, RecordNature]] = MappingProxyType(
    {_C.COMMENDATION: RecordNature.TRUSTWORTHY}
    | {c: RecordNature.DISHONEST for c in _DISHONEST_CATEGORIES}
)
PERSON_SHARE_SCOPE: Final = (Audience.PERSONNEL, Audience.SUPERVISION, Audience.CREDIT_OFFICE)


class FieldError(NamedTuple):
    """One failed rule: `field` is a dot path in input casing, None for the whole row."""

    field: str | None
    code: str
    message: str


# ---------------------------------------------------------------- field checks


def check_nature_category(nature: RecordNature, category: RecordCategory) -> FieldError | None:
    """COMMENDATION is TRUSTWORTHY; judgments, penalties and sanctions are DISHONEST."""
    required = CATEGORY_NATURE.get(category)
    if required is None or required == nature:
        return None
    return FieldError("nature", INVALID_VALUE, f"a {category} record is {required}")


def check_decided_on(decided_on: date, today: date) -> FieldError | None:
    """A decision cannot be dated after today."""
    if decided_on <= today:
        return None
    return FieldError("decidedOn", INVALID_VALUE, f"decidedOn is after today ({today})")


def check_severity(nature: RecordNature, severity: Severity | None) -> FieldError | None:
    """TRUSTWORTHY records have no severity; DISHONEST ones must have one."""
    if nature == RecordNature.TRUSTWORTHY and severity is not None:
        return FieldError("severity", SEVERITY_NOT_ALLOWED, "a TRUSTWORTHY record has no severity")
    if nature == RecordNature.DISHONEST and severity is None:
        return FieldError("severity", SEVERITY_REQUIRED, "a DISHONEST record needs a severity")
    return None


def check_disclosure(severity: Severity | None, disclosure: Disclosure) -> FieldError | None:
    """MINOR records are normally unpublished: never PUBLIC."""
    if severity == Severity.MINOR and disclosure == Disclosure.PUBLIC:
        return FieldError("disclosure", MINOR_NOT_PUBLIC, "a MINOR record may not be PUBLIC")
    return None


def check_sanction(
    subject_is_person: bool,
    nature: RecordNature,
    severity: Severity | None,
    category: RecordCategory,
    sanction: Sanction | None,
    sanction_months: int | None,
) -> list[FieldError]:
    """Sanctions sit on a person's DISHONEST GENERAL/SERIOUS record of the matching category."""
    errors = []
    if sanction is not None:
        problem = _sanction_problem(subject_is_person, nature, severity, category, sanction)
        if problem:
            errors.append(FieldError("sanction", INVALID_VALUE, problem))
    if sanction_months is not None and sanction_months not in SANCTION_MONTHS_RANGE:
        errors.append(FieldError("sanctionMonths", INVALID_VALUE, "sanctionMonths is 1 to 48"))
    elif sanction_months is not None and sanction not in SANCTIONS_WITH_MONTHS:
        message = "sanctionMonths is only for WARNING to REMOVAL"
        errors.append(FieldError("sanctionMonths", INVALID_VALUE, message))
    return errors


def _sanction_problem(
    subject_is_person: bool,
    nature: RecordNature,
    severity: Severity | None,
    category: RecordCategory,
    sanction: Sanction,
) -> str | None:
    if not subject_is_person:
        return "a sanction sits only on a person's record"
    # A missing severity is reported on `severity` alone.
    if nature != RecordNature.DISHONEST or severity == Severity.MINOR:
        return "a sanction sits only on a DISHONEST GENERAL or SERIOUS record"
    if SANCTION_CATEGORY[sanction] != category:
        return f"{sanction} needs category {SANCTION_CATEGORY[sanction]}"
    return None


def check_investigation(
    sanction: Sanction | None, valid_until: date | None, disclosure: Disclosure
) -> list[FieldError]:
    """An UNDER_INVESTIGATION record is open-ended and AUTHORIZED_QUERY."""
    if sanction != Sanction.UNDER_INVESTIGATION:
        return []
    errors = []
    if valid_until is not None:
        message = "an UNDER_INVESTIGATION record must omit validUntil"
        errors.append(FieldError("validUntil", INVALID_VALUE, message))
    if disclosure != Disclosure.AUTHORIZED_QUERY:
        message = "an UNDER_INVESTIGATION record must be AUTHORIZED_QUERY"
        errors.append(FieldError("disclosure", INVALID_VALUE, message))
    return errors


def check_source_system(source_system: str) -> FieldError | None:
    """`ppp` and `investment` are reserved for generated records (any case)."""
    if source_system.strip().lower() not in RESERVED_SOURCE_SYSTEMS:
        return None
    return FieldError("sourceSystem", INVALID_VALUE, f"{source_system} is reserved")


# ---------------------------------------------------------------- validity


@dataclass(frozen=True)
class ValidityBounds:
    """The default validUntil and the range allowed for it (both ends inclusive)."""

    default: date
    earliest: date
    latest: date


def validity_bounds(
    rule: ValidityRule, decided_on: date, act_ended_on: date | None
) -> ValidityBounds:
    """Default and bounds from decidedOn (= validFrom), narrowed by the act's 5-year window."""
    earliest = decided_on
    if rule.min_months:
        earliest = max(earliest, last_day_of_period(decided_on, rule.min_months))
    latest = last_day_of_period(decided_on, rule.max_months)
    # The window of 条例第三十五条 is about dishonesty only.
    if act_ended_on is not None and rule.nature == RecordNature.DISHONEST:
        latest = min(latest, last_day_of_period(act_ended_on, ACT_WINDOW_MONTHS))
    default = last_day_of_period(decided_on, rule.default_months)
    return ValidityBounds(default=default, earliest=earliest, latest=latest)


def resolve_validity(
    nature: RecordNature,
    severity: Severity | None,
    decided_on: date,
    valid_until: date | None,
    act_ended_on: date | None,
    rule: ValidityRule,
) -> tuple[date | None, str | None]:
    """(validUntil to store, None) or (None, VALIDITY_OUT_OF_RANGE); omitted means default."""
    if (rule.nature, rule.severity) != (nature, severity):
        raise ValueError(f"the rule is for {rule.nature} {rule.severity}")
    bounds = validity_bounds(rule, decided_on, act_ended_on)
    end = bounds.default if valid_until is None else valid_until
    if bounds.earliest <= end <= bounds.latest:
        return end, None
    return None, VALIDITY_OUT_OF_RANGE


# ---------------------------------------------------------------- whole record


@dataclass(frozen=True)
class RecordTerms:
    """The fields of a record that rules constrain: a report, or a stored record with a
    correctRecord patch merged onto it (`dataclasses.replace`). `valid_until` None = omitted."""

    subject_is_person: bool
    nature: RecordNature
    category: RecordCategory
    severity: Severity | None
    sanction: Sanction | None
    sanction_months: int | None
    decided_on: date
    act_ended_on: date | None
    valid_until: date | None
    disclosure: Disclosure


def validate_record(
    terms: RecordTerms, *, today: date, validity_rules: Sequence[ValidityRule]
) -> list[FieldError]:
    """Every rule a report or a correction breaks, ordered by field; [] when it is valid."""
    t = terms
    severity_error = check_severity(t.nature, t.severity)
    single = (
        check_nature_category(t.nature, t.category),
        check_decided_on(t.decided_on, today),
        severity_error,
        # Rules keyed by severity only hold for a severity that is itself allowed.
        None if severity_error else check_disclosure(t.severity, t.disclosure),
    )
    errors = [error for error in single if error is not None]
    errors += check_sanction(
        t.subject_is_person, t.nature, t.severity, t.category, t.sanction, t.sanction_months
    )
    errors += check_investigation(t.sanction, t.valid_until, t.disclosure)
    if severity_error is None:
        errors += _validity_errors(t, validity_rules)
    return sorted(errors, key=lambda error: (error.field or "", error.code))


def _validity_errors(terms: RecordTerms, rows: Sequence[ValidityRule]) -> list[FieldError]:
    if terms.sanction == Sanction.UNDER_INVESTIGATION:
        return []  # open-ended: check_investigation covers validUntil
    rule = validity_rule_for(rows, terms.nature, terms.severity, terms.decided_on)
    if rule is None:
        return [FieldError("decidedOn", INVALID_VALUE, "no validity rule applies on that day")]
    _, code = resolve_validity(
        terms.nature, terms.severity, terms.decided_on, terms.valid_until, terms.act_ended_on, rule
    )
    if code is None:
        return []
    bounds = validity_bounds(rule, terms.decided_on, terms.act_ended_on)
    given = f"validUntil {terms.valid_until}"
    if terms.valid_until is None:
        given = f"the default {bounds.default}"
    message = f"{given} must be from {bounds.earliest} to {bounds.latest}"
    return [FieldError("validUntil", code, message)]


def resolved_valid_until(terms: RecordTerms, validity_rules: Sequence[ValidityRule]) -> date | None:
    """validUntil to store for terms that passed `validate_record` (None: open-ended)."""
    if terms.sanction == Sanction.UNDER_INVESTIGATION:
        return None
    rule = validity_rule_for(validity_rules, terms.nature, terms.severity, terms.decided_on)
    if rule is None:
        raise ValueError("no validity rule: validate the record first")
    t = terms
    end, code = resolve_validity(
        t.nature, t.severity, t.decided_on, t.valid_until, t.act_ended_on, rule
    )
    if code is not None:
        raise ValueError(f"{code}: validate the record first")
    return end


# ---------------------------------------------------------------- share scope, idempotency


def default_share_scope(subject_is_person: bool) -> list[Audience]:
    """All audiences for a unit's record; PERSONNEL, SUPERVISION, CREDIT_OFFICE for a person's."""
    return list(PERSON_SHARE_SCOPE) if subject_is_person else list(Audience)


def resolve_share_scope(
    subject_is_person: bool, given: Iterable[Audience] | None
) -> list[Audience]:
    """The scope to store, without repeats and in enum order; omitted means the default.

    `[]` is stored as given: CREDIT_OFFICE sees every record, so it means CREDIT_OFFICE only.
    """
    if given is None:
        return default_share_scope(subject_is_person)
    chosen = set(given)
    return [audience for audience in Audience if audience in chosen]


# Fields whose strings are keys (DOMAIN.md section 0), compared once normalised.
KEY_FIELDS: Final = frozenset({"uscc", "idNumber", "decidedByUscc"})


def same_content(
    a: Mapping[str, object], b: Mapping[str, object], *, key_fields: Iterable[str] = KEY_FIELDS
) -> bool:
    """Whether two records (defaults applied) say the same: null and absent are the same,
    lists compare as sets, decimals by value, key fields once normalised; nested inputs too."""
    keys = frozenset(key_fields)
    return _canonical(a, keys, None) == _canonical(b, keys, None)


def _canonical(value: object, key_fields: frozenset[str], name: str | None) -> object:
    if isinstance(value, Mapping):
        return frozenset(
            (k, _canonical(v, key_fields, k)) for k, v in value.items() if v is not None
        )
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(_canonical(item, key_fields, name) for item in value)
    if isinstance(value, str) and name in key_fields:
        return normalise_key(value)
    return value  # Decimal("1.0") == Decimal("1.00"), with equal hashes
