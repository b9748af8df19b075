"""The demo district's credit records: every category, nature, severity, disclosure, sanction
and status, reported and changed through `domains.credit.service` as the clients would.

Dates count back from the load day, so the demo looks the same whenever it is loaded: records
meant to be in force are in force, EXPIRED ones have an old `validUntil`. Each record is
reported a few days after its decision and its later events (objection, resolution, repair,
exemption, correction, revocation) happen on later days, so a replay for an earlier `asOf`
shows the history as it unfolded. The catalogue itself is in `graph.cli.demo.records`.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from domains.core.dates import add_months
from domains.credit import service as credit
from domains.credit.enums import Audience, Severity, SourceDomain
from graph.cli.demo.people import DemoPerson, day_between
from graph.cli.demo.records import CATALOGUE, Fate, Template
from graph.cli.demo.shared import Demo, client_name, generator

# One system per reporting client: a client reports only under its own (README, issue 7).
SOURCE_SYSTEM: Final = "jinshan-demo"
OFFICE: Final = Audience.CREDIT_OFFICE
# Whole months a record of this severity stays in force by default (TRUSTWORTHY: None).
DEFAULT_MONTHS: Final = {Severity.MINOR: 3, Severity.GENERAL: 12, Severity.SERIOUS: 36, None: 36}
REPAIR_MONTHS: Final[dict[Severity | None, int]] = {
    Severity.MINOR: 0, Severity.GENERAL: 3, Severity.SERIOUS: 12}
TRUSTWORTHY_EXPIRED_MONTHS: Final = 12  # an explicit validUntil, so it can lie in the past
# The catalogue is applied this many times, each time to other subjects.
ROUNDS: Final = {False: 3, True: 2}  # units, civil servants


@dataclass(frozen=True)
class Planned:
    """One record to report: the service row, who reports it and when, what happens next."""

    row: credit.RecordRow
    fate: Fate
    reported_on: date
    actor: str
    audience: str
    person: bool


def reporter(template: Template) -> str:
    """The audience that reports such a record in its write scope (DOMAIN.md section 3)."""
    if template.domain == SourceDomain.PROCUREMENT:
        return Audience.PROCUREMENT
    if template.domain == SourceDomain.INVESTMENT:
        return Audience.PROJECT_APPROVAL
    if template.person and template.category in credit.PERSONNEL_CATEGORIES:
        return Audience.PERSONNEL
    return OFFICE


def _decided_on(rng: random.Random, template: Template, fate: Fate, today: date) -> date:
    months = DEFAULT_MONTHS[template.severity]
    if fate is Fate.EXPIRED:
        if template.severity is None:
            months = TRUSTWORTHY_EXPIRED_MONTHS
        return add_months(today, -months) - timedelta(days=rng.randint(10, 150))
    if fate is Fate.REPAIRED:  # past the repair minimum, still in force
        earliest = add_months(today, -months) + timedelta(days=15)
        latest = add_months(today, -REPAIR_MONTHS[template.severity]) - timedelta(days=10)
        return earliest + timedelta(days=rng.randint(0, (latest - earliest).days))
    span = (today - add_months(today, -months)).days - 20  # in force for 20 days at least
    return today - timedelta(days=rng.randint(12, max(12, min(span, 700))))


def plan_record(rng: random.Random, template: Template, fate: Fate, subject: str, employer: str,
                units: dict[str, str], number: int, today: date) -> Planned:
    decided = _decided_on(rng, template, fate, today)
    valid_until = None
    if fate is Fate.EXPIRED and template.severity is None:
        valid_until = add_months(decided, TRUSTWORTHY_EXPIRED_MONTHS) - timedelta(days=1)
    decided_by = employer if template.decided_by == "employer" else units.get(
        template.decided_by or "")
    audience = reporter(template)
    row = credit.RecordRow(
        subject_uscc=None if template.person else subject,
        subject_id_number=subject if template.person else None,
        nature=template.nature, category=template.category, domain=template.domain,
        title=template.title, summary=template.summary, decided_on=decided,
        disclosure=template.disclosure, source_system=f"{SOURCE_SYSTEM}-{audience.lower()}",
        source_ref=f"JS-{number:04d}", severity=template.severity, sanction=template.sanction,
        sanction_months=template.sanction_months,
        decision_number=f"{template.document}〔{decided.year}〕{rng.randint(1, 180)}号",
        decided_by_uscc=decided_by, valid_until=valid_until,
        act_ended_on=decided - timedelta(days=rng.randint(30, 400)) if template.act_ended
        else None,
        share_scope=template.share_scope)
    return Planned(row, fate, min(today, decided + timedelta(days=rng.randint(1, 5))),
                   client_name(audience), audience, template.person)


def _subjects(demo: Demo, rng: random.Random) -> tuple[list[str], list[DemoPerson]]:
    units = [unit.uscc for unit in demo.units.values() if unit.spec.parent is not None]
    people = list(demo.people)
    rng.shuffle(units)
    rng.shuffle(people)
    return units, people


def plan(demo: Demo, rng: random.Random) -> list[Planned]:
    """Every (template, fate) of the catalogue, ROUNDS times; each civil servant at most one
    record, the units in turn."""
    units, people = _subjects(demo, rng)
    by_handle = {handle: unit.uscc for handle, unit in demo.units.items()}
    pairs = [(template, fate) for round_ in range(max(ROUNDS.values()))
             for template in CATALOGUE if round_ < ROUNDS[template.person]
             for fate in template.fates]
    planned: list[Planned] = []
    taken = {False: 0, True: 0}
    for number, (template, fate) in enumerate(pairs, start=1):
        index = taken[template.person]
        taken[template.person] += 1
        if template.person:
            person = people[index % len(people)]
            subject, employer = person.id_number, person.posts[-1].unit_uscc
        else:
            subject = employer = units[index % len(units)]
        planned.append(plan_record(rng, template, fate, subject, employer, by_handle, number,
                                   demo.today))
    return planned


async def report(demo: Demo, planned: list[Planned]) -> list[uuid.UUID]:
    """Report the rows day by day and reporter by reporter; ids in `planned` order."""
    batches: dict[tuple[date, str, str], list[int]] = defaultdict(list)
    for index, item in enumerate(planned):
        batches[(item.reported_on, item.actor, item.audience)].append(index)
    ids: dict[int, uuid.UUID] = {}
    for (day, actor, audience), indexes in sorted(batches.items()):
        rows = [planned[i].row for i in indexes]
        written = await credit.report_records(demo.session, rows, actor=actor,
                                              audience=audience, today=day, secret=demo.secret)
        ids.update(zip(indexes, written, strict=True))
    return [ids[i] for i in range(len(planned))]


@dataclass(frozen=True)
class Change:
    """One status change of one record on one day."""

    day: date
    record_id: uuid.UUID
    kind: str
    objector: str = OFFICE
    upheld: bool = False


def changes_of(rng: random.Random, item: Planned, record_id: uuid.UUID,
               today: date) -> list[Change]:
    first = day_between(rng, item.reported_on + timedelta(days=1), today)
    objector = Audience.SUPERVISION if item.person else OFFICE
    fate = item.fate
    if fate is Fate.REPAIRED:
        minimum = add_months(item.row.decided_on, REPAIR_MONTHS[item.row.severity or
                                                                Severity.MINOR])
        return [Change(day_between(rng, max(minimum, first), today), record_id, "repair")]
    if fate in (Fate.UNDER_OBJECTION, Fate.OBJECTION_UPHELD, Fate.OBJECTION_REJECTED):
        first = min(first, today - timedelta(days=1)) if fate is not Fate.UNDER_OBJECTION \
            else first
        filed = Change(first, record_id, "object", objector)
        if fate is Fate.UNDER_OBJECTION:
            return [filed]
        resolved = day_between(rng, first + timedelta(days=1), today)
        return [filed, Change(resolved, record_id, "resolve",
                              upheld=fate is Fate.OBJECTION_UPHELD)]
    simple = {Fate.REVOKED: "revoke", Fate.EXEMPTED: "exempt", Fate.CORRECTED: "correct"}
    if fate in simple:
        return [Change(first, record_id, simple[fate])]
    return []


NOTES: Final = {
    "object": "被认定主体提出异议：认定事实与处理依据有误，申请核查。",
    "upheld": "经核查异议成立，原认定撤销。",
    "rejected": "经核查认定事实清楚，异议不成立。",
    "repair": "已完成整改并提交信用承诺，准予信用修复。",
    "exempt": "经认定属于容错免责情形。",
    "revoke": "原处理决定经行政复议被撤销。",
    "correct": "更正处理决定摘要。",
}


async def apply(demo: Demo, change: Change, planned: Planned) -> None:
    """One status change, by the demo client that would make it, on its day."""
    session, record_id, day = demo.session, change.record_id, change.day
    office = client_name(OFFICE)
    if change.kind == "object":
        await credit.file_objection(session, record_id, reason=NOTES["object"],
                                    actor=client_name(change.objector), audience=change.objector,
                                    today=day)
    elif change.kind == "resolve":
        note = NOTES["upheld" if change.upheld else "rejected"]
        await credit.resolve_objection(session, record_id, upheld=change.upheld, note=note,
                                       actor=office, audience=OFFICE, today=day)
    elif change.kind == "correct":
        summary = f"{planned.row.summary or planned.row.title}（经核实更正认定细节）"
        await credit.correct_record(session, record_id, patch=credit.RecordPatch(summary=summary),
                                    note=NOTES["correct"], actor=office, audience=OFFICE,
                                    today=day)
    else:
        transition = {"repair": credit.repair_record, "exempt": credit.exempt_record,
                      "revoke": credit.revoke_record}[change.kind]
        await transition(session, record_id, note=NOTES[change.kind], actor=office,
                         audience=OFFICE, today=day)


async def report_credit_records(demo: Demo) -> str:
    """The seed step: report the catalogue, then replay the status changes in date order."""
    rng = generator("credit records")
    planned = plan(demo, rng)
    ids = await report(demo, planned)
    changes = [(change, item) for item, record_id in zip(planned, ids, strict=True)
               for change in changes_of(rng, item, record_id, demo.today)]
    order = {"object": 0, "resolve": 1, "correct": 2, "repair": 3, "exempt": 4, "revoke": 5}
    changes.sort(key=lambda pair: (pair[0].day, order[pair[0].kind]))
    for change, item in changes:
        await apply(demo, change, item)
    people = sum(1 for item in planned if item.person)
    return (f"credit records: {len(planned)} reported ({people} on civil servants), "
            f"{len(changes)} later status changes")

