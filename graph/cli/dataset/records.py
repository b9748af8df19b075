"""Reported credit records: every category, nature, severity, sanction, disclosure and domain,
on units (most of them, a few units with thousands) and on civil servants.

Each record is built valid by construction (DOMAIN.md section 2: nature from the category,
severity only on DISHONEST, sanctions only on a person's GENERAL or SERIOUS record of their
category, UNDER_INVESTIGATION open-ended and AUTHORIZED_QUERY, MINOR never PUBLIC, validUntil
inside the bounds, a linked contract only with domain PROCUREMENT on its purchaser) and reported
by the client whose audience may write it, under that client's own sourceSystem.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Final, NamedTuple

from domains.credit import rules
from domains.credit.enums import (
    Audience,
    Disclosure,
    RecordCategory,
    RecordNature,
    Sanction,
    Severity,
    SourceDomain,
)
from domains.credit.writing import PERSONNEL_CATEGORIES
from graph.cli.dataset import identifiers
from graph.cli.dataset.copying import Row
from graph.cli.dataset.history import History, Outcome, Reported
from graph.cli.dataset.plan import HISTORY_DAYS, Plan, pick, weighted
from graph.cli.dataset.procurement import Contracts
from graph.cli.dataset.rows import PERSON_SCOPE, UNIT_SCOPE, Validity
from graph.cli.dataset.subjects import Subjects

_C = RecordCategory
UNIT_CATEGORIES: Final = {
    _C.JUDICIAL_JUDGMENT: 6, _C.ADMINISTRATIVE_PENALTY: 18, _C.ADMINISTRATIVE_RECONSIDERATION: 5,
    _C.MOTION_PROPOSAL_HANDLING: 5, _C.DISCIPLINARY_SANCTION: 1, _C.ADMINISTRATIVE_SANCTION: 1,
    _C.PERFORMANCE_ASSESSMENT: 6, _C.COMPLAINT: 10, _C.OTHER_ACCOUNTABILITY: 4,
    _C.CONTRACT_PERFORMANCE: 24, _C.COMMENDATION: 20}
PERSON_CATEGORIES: Final = {
    _C.JUDICIAL_JUDGMENT: 2, _C.ADMINISTRATIVE_PENALTY: 2, _C.ADMINISTRATIVE_RECONSIDERATION: 1,
    _C.MOTION_PROPOSAL_HANDLING: 2, _C.DISCIPLINARY_SANCTION: 12, _C.ADMINISTRATIVE_SANCTION: 14,
    _C.PERFORMANCE_ASSESSMENT: 25, _C.COMPLAINT: 6, _C.OTHER_ACCOUNTABILITY: 12,
    _C.CONTRACT_PERFORMANCE: 4, _C.COMMENDATION: 20}
TITLES: Final = {
    _C.JUDICIAL_JUDGMENT: "法院判决", _C.ADMINISTRATIVE_PENALTY: "行政处罚决定",
    _C.ADMINISTRATIVE_RECONSIDERATION: "行政复议决定", _C.MOTION_PROPOSAL_HANDLING: "议案提案办理",
    _C.DISCIPLINARY_SANCTION: "党纪处分决定", _C.ADMINISTRATIVE_SANCTION: "政务处分决定",
    _C.PERFORMANCE_ASSESSMENT: "年度考核结果", _C.COMPLAINT: "投诉举报处理",
    _C.OTHER_ACCOUNTABILITY: "问责处理决定", _C.CONTRACT_PERFORMANCE: "合同履约情况",
    _C.COMMENDATION: "表彰奖励"}
SEVERITIES: Final = weighted({Severity.MINOR: 1, Severity.GENERAL: 2, Severity.SERIOUS: 1})
DISCLOSURES: Final = weighted({Disclosure.PUBLIC: 6, Disclosure.GOVERNMENT_SHARED: 11,
                               Disclosure.AUTHORIZED_QUERY: 3})
SANCTIONS: Final = {category: [s for s, c in rules.SANCTION_CATEGORY.items() if c == category]
                    for category in set(rules.SANCTION_CATEGORY.values())}
OFFICE_DOMAINS: Final = (SourceDomain.DEBT, SourceDomain.RIVER_GOVERNANCE,
                         SourceDomain.ADMINISTRATIVE_APPROVAL, SourceDomain.OTHER)
UNIT_SHARE: Final = 0.7  # of reported records, the rest are on civil servants
# Domains of the rest: few PROCUREMENT records, as each counted one costs a purchaser 10 or 20
# points of procurementCredit (a busy unit would otherwise always be graded D).
PROCUREMENT_SHARE: Final = 0.03
INVESTMENT_SHARE: Final = 0.07


class Kind(NamedTuple):
    """What a record is: the constrained fields (a NamedTuple: two million are made)."""

    category: RecordCategory
    nature: RecordNature
    severity: Severity | None
    sanction: Sanction | None
    sanction_months: int | None


class RecordMaker:
    """Builds reported records one by one; counts them per subject for the summary."""

    def __init__(self, plan: Plan, subjects: Subjects, contracts: Contracts,
                 project_ids: Sequence[object], validity: Validity, history: History) -> None:
        self.plan, self.subjects, self.contracts = plan, subjects, contracts
        self.project_ids, self.validity, self.history = project_ids, validity, history
        self.rng = plan.rng("credit_record")
        self.unit_counts = [0] * len(subjects.unit_ids)
        self.person_counts = [0] * len(subjects.person_ids)
        self._unit_categories = weighted(UNIT_CATEGORIES)
        self._person_categories = weighted(PERSON_CATEGORIES)
        # decidedOn is days[n] for n days ago; an index is cheaper than date arithmetic
        self._days = [plan.days_ago(n) for n in range(HISTORY_DAYS + 400)]

    def rows(self) -> Iterator[tuple[Row, Outcome]]:
        for index in range(self.plan.counts.credit_records):
            yield self._record(index)

    def _subject(self) -> tuple[int | None, int | None]:
        draw = self.rng.random
        if draw() < UNIT_SHARE:
            units = len(self.unit_counts)
            unit = int(units * (draw() if draw() < 0.8 else draw() ** 2))
            self.unit_counts[unit] += 1
            return unit, None
        person = int(draw() * len(self.person_counts))
        self.person_counts[person] += 1
        return None, person

    def _kind(self, is_person: bool) -> Kind:
        rng = self.rng
        category = pick(rng, self._person_categories if is_person else self._unit_categories)
        nature = rules.CATEGORY_NATURE.get(category) or (
            RecordNature.DISHONEST if rng.random() < 0.7 else RecordNature.TRUSTWORTHY)
        if nature == RecordNature.TRUSTWORTHY:
            return Kind(category, nature, None, None, None)
        severity = pick(rng, SEVERITIES)
        sanction, months = None, None
        if is_person and severity != Severity.MINOR and category in SANCTIONS \
                and rng.random() < 0.7:
            sanction = pick(rng, SANCTIONS[category])
            if sanction in rules.SANCTIONS_WITH_MONTHS and rng.random() < 0.1:
                months = rng.randint(1, 48)
        return Kind(category, nature, severity, sanction, months)

    def _valid_until(self, kind: Kind, decided_on: date, act_ended_on: date | None) -> date | None:
        """The stored validUntil: open for UNDER_INVESTIGATION, mostly the default, sometimes
        a day chosen inside the bounds (as a source may report it)."""
        if kind.sanction == Sanction.UNDER_INVESTIGATION:
            return None
        if act_ended_on is not None or self.rng.random() < 0.85:
            return self.validity.default(kind.nature, kind.severity, decided_on)
        earliest, days = self.validity.span(kind.nature, kind.severity, decided_on)
        return earliest + timedelta(days=int(self.rng.random() * days))

    def _disclosure(self, kind: Kind) -> Disclosure:
        if kind.sanction == Sanction.UNDER_INVESTIGATION:
            return Disclosure.AUTHORIZED_QUERY
        chosen = pick(self.rng, DISCLOSURES)
        if chosen == Disclosure.PUBLIC and kind.severity == Severity.MINOR:
            return Disclosure.GOVERNMENT_SHARED
        return chosen

    def _scope(self, is_person: bool) -> list[str]:
        if self.rng.random() < 0.9:
            return PERSON_SCOPE if is_person else UNIT_SCOPE
        return [a.value for a in Audience if self.rng.random() < 0.5]

    def _source(self, kind: Kind, is_person: bool) -> tuple[SourceDomain, str]:
        """(domain, reporting client): a client reports only what its audience may write."""
        clients, draw = self.plan.clients, self.rng.random()
        if is_person and kind.category in PERSONNEL_CATEGORIES and draw < 0.8:
            return pick(self.rng, OFFICE_DOMAINS), clients.personnel
        if draw < PROCUREMENT_SHARE:
            return SourceDomain.PROCUREMENT, clients.procurement
        if draw < PROCUREMENT_SHARE + INVESTMENT_SHARE:
            return SourceDomain.INVESTMENT, clients.project_approval
        return pick(self.rng, OFFICE_DOMAINS), clients.credit_office

    def _links(self, domain: SourceDomain, unit: int | None, person: int | None
               ) -> tuple[object, object]:
        """(procurement contract, investment project) the record is linked to, if any."""
        rng = self.rng
        if domain == SourceDomain.PROCUREMENT and unit is not None and rng.random() < 0.5:
            found = self.contracts.of_unit.get(unit)
            return (pick(rng, found)[0] if found else None), None
        if domain == SourceDomain.INVESTMENT and self.project_ids and rng.random() < 0.3:
            return None, pick(rng, self.project_ids)
        return None, None

    def _record(self, index: int) -> tuple[Row, Outcome]:
        rng, plan, subjects, days = self.rng, self.plan, self.subjects, self._days
        draw = rng.random
        unit, person = self._subject()
        is_person = person is not None
        kind = self._kind(is_person)
        ago = int(draw() ** 1.5 * HISTORY_DAYS)
        decided_on = days[ago]
        act_ended_on = days[ago + int(draw() * 365)] \
            if kind.nature == RecordNature.DISHONEST and draw() < 0.2 else None
        domain, reporter = self._source(kind, is_person)
        contract, project = self._links(domain, unit, person)
        organ = pick(rng, subjects.organs) if subjects.organs else None
        reported_on = days[max(0, ago - int(draw() * 20))]
        record_id = identifiers.new_uuid(rng)
        title = f"{TITLES[kind.category]}（{decided_on.year}）第{index}号"
        reported = Reported(record_id, kind.nature, kind.severity, decided_on,
                            plan.at(reported_on, rng), reporter, title)
        outcome = self.history.make(rng, reported)
        # StrEnum members are the strings COPY sends (no `.value` look-up per field)
        row = (record_id, None if unit is None else subjects.unit_ids[unit],
               None if person is None else subjects.person_ids[person], kind.nature,
               kind.category, kind.severity, kind.sanction, kind.sanction_months, domain,
               outcome.title, "经核查，情况属实。" if draw() < 0.3 else None,
               f"金信决〔{decided_on.year}〕{index}号" if draw() < 0.6 else None,
               None if organ is None or draw() < 0.2 else subjects.unit_ids[organ],
               decided_on, decided_on, self._valid_until(kind, decided_on, act_ended_on),
               act_ended_on, self._disclosure(kind), self._scope(is_person), outcome.status,
               reporter, f"R{index:09d}", contract, None, project, reporter,
               reported.reported_at)
        return row, outcome
