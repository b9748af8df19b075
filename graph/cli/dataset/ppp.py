"""PPP projects, responsibilities per stage, events, their traces and records (section 7).

Each reached stage has one or two people answering for it in turn (never two overlapping periods
of one person), sometimes with a gap. An event is traced on its day as `recordPppEvents` traces
it (every responsibility of its stage covering the day, copied into ppp_trace) and writes a
CONTRACT_PERFORMANCE record on the implementing agency and on each traced person: sourceSystem
`ppp`, sourceRef `<projectCode>/<event sourceRef>/<subject global id>`, domain PPP, decided by
the agency, GOVERNMENT_SHARED with the default scope and validity.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

from domains.core.ids import to_global_id
from domains.credit.enums import Disclosure, RecordCategory, Severity, SourceDomain
from domains.ppp import rules
from graph.cli.dataset import identifiers
from graph.cli.dataset.copying import Copier, Row
from graph.cli.dataset.plan import Plan
from graph.cli.dataset.rows import PERSON_SCOPE, UNIT_SCOPE, Validity
from graph.cli.dataset.subjects import Subjects

PROJECT_COLUMNS: Final = ("id", "code", "name", "implementing_agency_id", "current_stage",
                          "social_capital_parties", "consultants", "contracts", "reported_by",
                          "created_at", "updated_at")
RESPONSIBILITY_COLUMNS: Final = ("id", "project_id", "stage", "civil_servant_id", "role",
                                 "started_on", "ended_on", "assigned_by", "created_at",
                                 "updated_at")
EVENT_COLUMNS: Final = ("id", "project_id", "stage", "kind", "occurred_on", "description",
                        "severity", "source_ref", "recorded_by", "created_at")
TRACE_COLUMNS: Final = ("id", "event_id", "responsibility_id", "civil_servant_id", "role",
                        "started_on", "ended_on")
STAGE_DAYS: Final = 180
ROLES: Final = ("项目负责人", "分管领导", "经办人")


@dataclass(frozen=True)
class _Duty:
    id: uuid.UUID
    stage: rules.PppStage
    person: int
    role: str
    started_on: date
    ended_on: date | None

    def covers(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)


@dataclass
class Ppp:
    """Rows of every PPP table, and the records the events wrote (loaded with the records)."""

    projects: list[Row] = field(default_factory=list)
    responsibilities: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    traces: list[Row] = field(default_factory=list)
    records: list[Row] = field(default_factory=list)


def _duties(plan: Plan, rng: random.Random, started: date, reached: int,
            people: list[int]) -> list[_Duty]:
    duties = []
    for position, stage in enumerate(list(rules.PppStage)[:reached + 1]):
        begin = started + timedelta(days=position * STAGE_DAYS)
        first = rng.choice(people)
        handover = begin + timedelta(days=rng.randrange(30, STAGE_DAYS))
        second = rng.choice(people) if rng.random() < 0.5 and handover <= plan.today else None
        gap = 20 if rng.random() < 0.2 else 0  # nobody answered for a while: a visible gap
        duties.append(_Duty(identifiers.new_uuid(rng), stage, first, rng.choice(ROLES), begin,
                            None if second is None else handover - timedelta(days=1 + gap)))
        if second is not None and second != first:
            duties.append(_Duty(identifiers.new_uuid(rng), stage, second, rng.choice(ROLES),
                                handover, None))
    return duties


class PppMaker:
    """Builds one project at a time into `Ppp`."""

    def __init__(self, plan: Plan, subjects: Subjects, validity: Validity) -> None:
        self.plan, self.subjects, self.validity = plan, subjects, validity
        self.rng = plan.rng("ppp_project")
        self.ppp = Ppp()

    def project(self, index: int) -> None:
        plan, rng, subjects = self.plan, self.rng, self.subjects
        organs = subjects.organs or list(range(len(subjects.unit_ids)))
        agency = rng.choice(organs)
        started = plan.days_ago(rng.randrange(200, 5 * 365))
        reached = min(len(rules.PppStage) - 1, (plan.today - started).days // STAGE_DAYS)
        project_id, code = identifiers.new_uuid(rng), f"PPP-{started.year}-{index:05d}"
        at = plan.at(started, rng)
        self.ppp.projects.append((
            project_id, code, f"金山区{index}号片区综合开发PPP项目", subjects.unit_ids[agency],
            list(rules.PppStage)[reached].value, [f"社会资本方{index}有限公司"],
            [f"咨询机构{rng.randrange(50)}"], [f"PPP合同{code}"], plan.clients.credit_office,
            at, at))
        people = subjects.staff_of(agency) or list(range(len(subjects.person_ids)))
        duties = _duties(plan, rng, started, reached, people)
        for duty in duties:
            self.ppp.responsibilities.append((
                duty.id, project_id, duty.stage.value, subjects.person_ids[duty.person],
                duty.role, duty.started_on, duty.ended_on, plan.clients.personnel, at, at))
        for number in range(1 + rng.randrange(3)):
            self._event(project_id, code, agency, started, reached, duties, number)

    def _event(self, project_id: uuid.UUID, code: str, agency: int, started: date,
               reached: int, duties: list[_Duty], number: int) -> None:
        plan, rng, subjects = self.plan, self.rng, self.subjects
        position = rng.randrange(reached + 1)
        stage = list(rules.PppStage)[position]
        day = min(plan.today, started + timedelta(days=position * STAGE_DAYS +
                                                  rng.randrange(STAGE_DAYS)))
        broken = rng.random() < 0.4
        kind = rules.PppEventKind.COMMITMENT_BROKEN if broken else \
            rules.PppEventKind.COMMITMENT_KEPT
        severity = rng.choice((Severity.GENERAL, Severity.SERIOUS)) if broken else None
        event_id, reference = identifiers.new_uuid(rng), f"E{number + 1}"
        description = f"{stage.value}阶段{'未履行' if broken else '履行'}政府方承诺"
        at = plan.at(day, rng)
        self.ppp.events.append((event_id, project_id, stage.value, kind.value, day, description,
                                severity and severity.value, reference,
                                plan.clients.credit_office, at))
        traced = [duty for duty in duties if duty.stage == stage and duty.covers(day)]
        for duty in traced:
            self.ppp.traces.append((identifiers.new_uuid(rng), event_id, duty.id,
                                    subjects.person_ids[duty.person], duty.role, duty.started_on,
                                    duty.ended_on))
        agency_id = subjects.unit_ids[agency]
        subjects_hit: list[tuple[uuid.UUID | None, uuid.UUID | None, str]] = [
            (agency_id, None, to_global_id("Unit", agency_id))]
        subjects_hit += [(None, subjects.person_ids[d.person], subjects.person_gids[d.person])
                         for d in traced]
        nature = rules.record_nature(kind)
        for unit_id, person_id, gid in subjects_hit:
            self.ppp.records.append((
                identifiers.new_uuid(rng), unit_id, person_id, nature.value,
                RecordCategory.CONTRACT_PERFORMANCE.value, severity and severity.value, None,
                None, SourceDomain.PPP.value, description, None, None, subjects.unit_ids[agency],
                day, day, self.validity.default(nature, severity, day), None,
                Disclosure.GOVERNMENT_SHARED.value, UNIT_SCOPE if person_id is None else
                PERSON_SCOPE, "ACTIVE", rules.SOURCE_SYSTEM,
                rules.generated_source_ref(code, reference, gid), None, event_id, None,
                plan.clients.credit_office, at))


async def load_ppp(plan: Plan, copier: Copier, subjects: Subjects, validity: Validity) -> Ppp:
    """COPY projects, responsibilities, events and traces; the records wait for the others."""
    maker = PppMaker(plan, subjects, validity)
    for index in range(plan.counts.ppp_projects):
        maker.project(index)
    ppp = maker.ppp
    await copier.copy_all("ppp_project", PROJECT_COLUMNS, ppp.projects)
    await copier.copy_all("ppp_responsibility", RESPONSIBILITY_COLUMNS, ppp.responsibilities)
    await copier.copy_all("ppp_event", EVENT_COLUMNS, ppp.events)
    await copier.copy_all("ppp_trace", TRACE_COLUMNS, ppp.traces)
    return ppp
