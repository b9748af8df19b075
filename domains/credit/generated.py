"""Records another domain writes from its own facts (a PPP event, DOMAIN.md section 7; an
investment violation, section 8), in that domain's transaction.

They are reported records in every respect: the same rules (`rules.validate_record`), the same
defaults (validity from the rule table in force on decidedOn, the subject kind's share scope),
the same REPORTED and NOTIFIED events (`writing.write_reported`), so they count, show and
change like any other. What differs: the subject is already resolved to its id (a person is
never looked up by identity number here), and the sourceSystem is one of the reserved ones.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.errors import DomainError, ErrorCollector
from domains.credit import errors as codes
from domains.credit import rules
from domains.credit.defaults import ValidityRule
from domains.credit.enums import Disclosure, RecordCategory, RecordNature, Severity, SourceDomain
from domains.credit.models import CreditRecord
from domains.credit.writing import add_rule_errors, lock_source_keys, validity_rules, write_reported


@dataclass(frozen=True)
class GeneratedRecord:
    """One record to write on a unit (`unit_id`) or a person (`civil_servant_id`); validity
    and share scope take their defaults. `index` is the row of the caller's batch it comes from
    (errors are reported on it)."""

    index: int
    unit_id: uuid.UUID | None
    civil_servant_id: uuid.UUID | None
    nature: RecordNature
    category: RecordCategory
    severity: Severity | None
    domain: SourceDomain
    title: str
    decided_on: date
    decided_by_id: uuid.UUID | None
    source_system: str
    source_ref: str
    disclosure: Disclosure = Disclosure.GOVERNMENT_SHARED
    ppp_event_id: uuid.UUID | None = None
    investment_project_id: uuid.UUID | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.source_system, self.source_ref)

    def terms(self) -> rules.RecordTerms:
        return rules.RecordTerms(
            subject_is_person=self.civil_servant_id is not None, nature=self.nature,
            category=self.category, severity=self.severity, sanction=None,
            sanction_months=None, decided_on=self.decided_on, act_ended_on=None,
            valid_until=None, disclosure=self.disclosure)

    def columns(self, validity: Sequence[ValidityRule]) -> dict[str, object]:
        """The stored content, defaults applied (as `reporting` stores a report's)."""
        is_person = self.civil_servant_id is not None
        return {
            "unit_id": self.unit_id, "civil_servant_id": self.civil_servant_id,
            "nature": self.nature.value, "category": self.category.value,
            "severity": self.severity and self.severity.value, "sanction": None,
            "sanction_months": None, "domain": self.domain.value, "title": self.title,
            "summary": None, "decision_number": None, "decided_by_id": self.decided_by_id,
            "decided_on": self.decided_on, "valid_from": self.decided_on,
            "valid_until": rules.resolved_valid_until(self.terms(), validity),
            "act_ended_on": None, "disclosure": self.disclosure.value,
            "share_scope": [a.value for a in rules.resolve_share_scope(is_person, None)],
            "procurement_contract_id": None, "ppp_event_id": self.ppp_event_id,
            "investment_project_id": self.investment_project_id,
        }


async def write_generated(session: AsyncSession, rows: Sequence[GeneratedRecord], *,
                          actor: str, today: date) -> list[uuid.UUID]:
    """Write these records (all new: the caller writes each key once) with their events.

    A rule they break, or a key already stored, is a DomainError on the row's `index`, and
    nothing is written (the caller's transaction rolls back).
    """
    errors = ErrorCollector()
    if any(rules.check_source_system(row.source_system) is None for row in rows):
        raise ValueError("generated records use a reserved sourceSystem")
    validity = await validity_rules(session)
    for row in rows:
        add_rule_errors(rules.validate_record(row.terms(), today=today,
                                              validity_rules=validity), row.index, errors)
    errors.raise_if_any()
    keys = {row.key for row in rows}
    taken: set[tuple[str, str]] = set()
    if keys:
        await lock_source_keys(session, keys)
        found = await session.execute(select(CreditRecord.source_system, CreditRecord.source_ref)
                                      .where(tuple_(CreditRecord.source_system,
                                                    CreditRecord.source_ref).in_(keys)))
        taken = {(system, ref) for system, ref in found.all()}
    for row in rows:
        if row.key in taken:
            errors.add(codes.CONFLICT, codes.STORED_CONFLICT, row.index, "sourceRef")
    if errors:
        raise DomainError(errors.errors)
    columns = {position: row.columns(validity) for position, row in enumerate(rows)}
    return await write_reported(session, rows, columns, {}, actor=actor, today=today)
