"""Rule values of credit records: their row types, which version applies, and the rows the
first migration seeds (valid from 1900-01-01).

DOMAIN.md: periods are data with an effective date, not constants in code. Validity defaults and
bounds are chosen by the record's decidedOn, repair minimums by the repair date; a later law is
a new row from its own date (the NDRC credit-repair rules changed on 2026-04-01).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final, Protocol, TypeVar

from domains.credit.enums import RecordNature, Severity


@dataclass(frozen=True)
class ValidityRule:
    """Default and bounds of validUntil, in months from decidedOn, for a nature and severity.

    `min_months` None: no lower bound besides validFrom ("up to" only).
    """

    valid_from: date
    nature: RecordNature
    severity: Severity | None
    default_months: int
    min_months: int | None
    max_months: int


@dataclass(frozen=True)
class RepairRule:
    """Months after decidedOn before a DISHONEST record of this severity may be repaired."""

    valid_from: date
    severity: Severity
    minimum_months: int


class _Versioned(Protocol):
    @property
    def valid_from(self) -> date: ...


_V = TypeVar("_V", bound=_Versioned)


def pick_version(rows: Iterable[_V], day: date) -> _V | None:
    """The row with the latest `valid_from` on or before `day`; None when none is in effect."""
    in_effect = [row for row in rows if row.valid_from <= day]
    return max(in_effect, key=lambda row: row.valid_from, default=None)


def validity_rule_for(
    rows: Iterable[ValidityRule], nature: RecordNature, severity: Severity | None, decided_on: date
) -> ValidityRule | None:
    """The validity rule of this nature and severity in effect on the decision day."""
    matching = (r for r in rows if (r.nature, r.severity) == (nature, severity))
    return pick_version(matching, decided_on)


def repair_rule_for(
    rows: Iterable[RepairRule], severity: Severity, repaired_on: date
) -> RepairRule | None:
    """The repair minimum of this severity in effect on the repair day."""
    return pick_version((r for r in rows if r.severity == severity), repaired_on)


RULES_EPOCH: Final = date(1900, 1, 1)

# 国办发〔2025〕22号 and the NDRC 信用修复管理办法: 轻微 at most 3 months, 一般 3 months to
# 1 year, 严重 1 to 3 years, from the decision date. TRUSTWORTHY: a platform default.
DEFAULT_VALIDITY_RULES: Final[tuple[ValidityRule, ...]] = (
    ValidityRule(RULES_EPOCH, RecordNature.DISHONEST, Severity.MINOR, 3, None, 3),
    ValidityRule(RULES_EPOCH, RecordNature.DISHONEST, Severity.GENERAL, 12, 3, 12),
    ValidityRule(RULES_EPOCH, RecordNature.DISHONEST, Severity.SERIOUS, 36, 12, 36),
    ValidityRule(RULES_EPOCH, RecordNature.TRUSTWORTHY, None, 36, None, 60),
)

# Repair allowed from decidedOn + minimum: MINOR any day, GENERAL 3 months, SERIOUS 1 year.
DEFAULT_REPAIR_RULES: Final[tuple[RepairRule, ...]] = (
    RepairRule(RULES_EPOCH, Severity.MINOR, 0),
    RepairRule(RULES_EPOCH, Severity.GENERAL, 3),
    RepairRule(RULES_EPOCH, Severity.SERIOUS, 12),
)
