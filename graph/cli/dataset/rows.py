"""The credit_record row as COPY sends it, and what builds its defaults from the rule tables.

A generated record is stored exactly as `reportCreditRecords` stores a report: validFrom is
decidedOn, an omitted validUntil is the default of the rule version in force on decidedOn, an
omitted share scope is the subject kind's default (`domains.credit.rules`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from domains.core.dates import last_day_of_period
from domains.credit import defaults, rules
from domains.credit.enums import RecordNature, Severity

RECORD_COLUMNS: Final = (
    "id", "unit_id", "civil_servant_id", "nature", "category", "severity", "sanction",
    "sanction_months", "domain", "title", "summary", "decision_number", "decided_by_id",
    "decided_on", "valid_from", "valid_until", "act_ended_on", "disclosure", "share_scope",
    "status", "source_system", "source_ref", "procurement_contract_id", "ppp_event_id",
    "investment_project_id", "reported_by", "created_at")
EVENT_COLUMNS: Final = ("id", "record_id", "kind", "at", "actor", "note", "status_after",
                        "changes")
OBJECTION_COLUMNS: Final = ("id", "record_id", "filed_at", "filed_by", "reason", "due_on",
                            "resolved_at", "resolved_by", "upheld", "resolution_note")
UNIT_SCOPE: Final = [a.value for a in rules.default_share_scope(False)]
PERSON_SCOPE: Final = [a.value for a in rules.default_share_scope(True)]


@dataclass
class Validity:
    """Default validUntil and bounds per (nature, severity, decidedOn), from the rule rows;
    memoised because two million records share a few thousand days."""

    rows: Sequence[defaults.ValidityRule]
    _defaults: dict[tuple[RecordNature, Severity | None, date], date] = field(
        default_factory=dict)
    _spans: dict[tuple[RecordNature, Severity | None, date], tuple[date, int]] = field(
        default_factory=dict)

    def rule(self, nature: RecordNature, severity: Severity | None,
             decided_on: date) -> defaults.ValidityRule:
        found = defaults.validity_rule_for(self.rows, nature, severity, decided_on)
        if found is None:
            raise ValueError(f"no validity rule for {nature} {severity} on {decided_on}")
        return found

    def default(self, nature: RecordNature, severity: Severity | None, decided_on: date) -> date:
        key = (nature, severity, decided_on)
        found = self._defaults.get(key)
        if found is None:
            rule = self.rule(nature, severity, decided_on)
            found = self._defaults[key] = last_day_of_period(decided_on, rule.default_months)
        return found

    def span(self, nature: RecordNature, severity: Severity | None,
             decided_on: date) -> tuple[date, int]:
        """(earliest validUntil allowed, number of days allowed from it), no act end given."""
        key = (nature, severity, decided_on)
        found = self._spans.get(key)
        if found is None:
            bounds = self.bounds(nature, severity, decided_on, None)
            found = self._spans[key] = (bounds.earliest,
                                        (bounds.latest - bounds.earliest).days + 1)
        return found

    def bounds(self, nature: RecordNature, severity: Severity | None, decided_on: date,
               act_ended_on: date | None) -> rules.ValidityBounds:
        return rules.validity_bounds(self.rule(nature, severity, decided_on), decided_on,
                                     act_ended_on)
