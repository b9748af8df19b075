"""The demo district's restriction data (DOMAIN.md sections 4 and 5): civil servants whose
records show every kind of promotion factor, and formal checks, some answered with an outcome.

Records go through `domains.credit.service` as the personnel system would report them; checks
are assessed with the same loaders as the API and stored through
`domains.restriction.service`. The people chosen have no other record in the demo, so each one
shows exactly one situation (dates count back from the load day, `demo.today`):

- a DEMOTION chain (降级 three times, the second and third decided while the earlier blocks),
- a PARTY_WARNING followed by a PARTY_SERIOUS_WARNING (the party group chains too),
- an UNDER_INVESTIGATION record (open-ended blocker, never counted elsewhere),
- an annual assessment 不称职 (blocker) and one 基本称职 (caution),
- an exempted WARNING (容错免责: it still blocks promotion),
- a commendation (incentive).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from sqlalchemy import select

from domains.core.clock import SHANGHAI
from domains.credit import service as credit
from domains.credit.enums import (
    Disclosure,
    RecordCategory,
    RecordNature,
    Sanction,
    Severity,
    SourceDomain,
)
from domains.credit.models import CreditRecord
from domains.restriction import service as restriction
from domains.subject import keys
from domains.subject import service as subjects
from graph.cli.demo.shared import Demo
from loaders.base import Loaders, Scope
from loaders.reader import RequestReader

PERSONNEL: Final = "PERSONNEL"
OFFICE: Final = "CREDIT_OFFICE"
SOURCE_SYSTEM: Final = "jinshan-personnel"
C, S, X = RecordCategory, Severity, Sanction


@dataclass(frozen=True)
class Entry:
    """One record of a demo person: `days` before the load day."""

    person: int  # index among the chosen people
    category: RecordCategory
    title: str
    days: int
    severity: Severity | None = None
    sanction: Sanction | None = None
    disclosure: Disclosure = Disclosure.GOVERNMENT_SHARED


SANCTIONED: Final = (
    Entry(0, C.ADMINISTRATIVE_SANCTION, "政务处分：降级（工程验收弄虚作假）", 400, S.SERIOUS,
          X.DEMOTION),
    Entry(0, C.ADMINISTRATIVE_SANCTION, "政务处分：降级（违规发放补贴）", 300, S.SERIOUS,
          X.DEMOTION),
    Entry(0, C.ADMINISTRATIVE_SANCTION, "政务处分：降级（瞒报安全事故）", 200, S.SERIOUS,
          X.DEMOTION),
    Entry(1, C.DISCIPLINARY_SANCTION, "党纪处分：警告（违规收受礼品）", 300, S.GENERAL,
          X.PARTY_WARNING),
    Entry(1, C.DISCIPLINARY_SANCTION, "党纪处分：严重警告（违规兼职取酬）", 90, S.SERIOUS,
          X.PARTY_SERIOUS_WARNING),
    Entry(2, C.OTHER_ACCOUNTABILITY, "正在接受监察调查", 30, S.GENERAL,
          X.UNDER_INVESTIGATION, Disclosure.AUTHORIZED_QUERY),
    Entry(3, C.PERFORMANCE_ASSESSMENT, "年度考核：不称职", 160, S.SERIOUS),
    Entry(4, C.PERFORMANCE_ASSESSMENT, "年度考核：基本称职", 160, S.GENERAL),
    Entry(5, C.ADMINISTRATIVE_SANCTION, "政务处分：警告（审批超时，后经认定容错免责）", 60,
          S.GENERAL, X.WARNING),
    Entry(6, C.COMMENDATION, "区级优秀公务员表彰", 100),
)
EXEMPTED_PERSON: Final = 5


async def _unrecorded_people(demo: Demo, count: int) -> list[str]:
    """Identity numbers of the first `count` demo people (in generated order) with no record."""
    recorded = set(await demo.session.scalars(
        select(CreditRecord.civil_servant_id).where(CreditRecord.civil_servant_id.is_not(None))))
    hashes = [keys.hash_id_number(p.id_number, demo.secret) for p in demo.people]
    found = await subjects.people_by_hash(demo.session, hashes)
    chosen = [p.id_number for p, h in zip(demo.people, hashes, strict=True)
              if h in found and found[h].id not in recorded]
    return chosen[:count]


def _row(entry: Entry, id_number: str, number: int, today: date) -> credit.RecordRow:
    trustworthy = entry.severity is None
    return credit.RecordRow(
        subject_uscc=None, subject_id_number=id_number,
        nature=RecordNature.TRUSTWORTHY if trustworthy else RecordNature.DISHONEST,
        category=entry.category, domain=SourceDomain.OTHER, title=entry.title,
        decided_on=today - timedelta(days=entry.days), disclosure=entry.disclosure,
        source_system=SOURCE_SYSTEM, source_ref=f"RS-{number:03d}", severity=entry.severity,
        sanction=entry.sanction)


async def report_people(demo: Demo) -> tuple[list[str], list[uuid.UUID]]:
    """Report the entries on their decision days; the chosen people and the record ids."""
    people = await _unrecorded_people(demo, 1 + max(e.person for e in SANCTIONED))
    ids: list[uuid.UUID] = []
    for number, entry in enumerate(SANCTIONED, start=1):
        row = _row(entry, people[entry.person], number, demo.today)
        ids += await credit.report_records(demo.session, [row], actor="demo-personnel",
                                           audience=PERSONNEL, today=row.decided_on,
                                           secret=demo.secret)
    exempted = next(i for e, i in zip(SANCTIONED, ids, strict=True)
                    if e.person == EXEMPTED_PERSON)
    await credit.exempt_record(demo.session, exempted, note="经认定属于容错免责情形。",
                               actor="demo-credit_office", audience=OFFICE,
                               today=demo.today - timedelta(days=20))
    return people, ids


@dataclass(frozen=True)
class DemoCheck:
    """A formal check by a demo client, and what it later reported (None: still pending)."""

    audience: str
    business_ref: str
    scenario: str
    uscc: str | None
    id_number: str | None
    outcome: tuple[str, tuple[str, ...], str | None] | None


def demo_checks(demo: Demo, people: list[str]) -> list[DemoCheck]:
    transport, reform = demo.units["jtw"].uscc, demo.units["fgw"].uscc
    return [
        DemoCheck("PROCUREMENT", "JSCG-2026-0417", "GOVERNMENT_PROCUREMENT", transport, None,
                  ("MEASURES_APPLIED", ("*",), None)),
        DemoCheck("PROJECT_APPROVAL", "2606-310116-04-01-517731", "INVESTMENT_APPROVAL", reform,
                  None, ("NOT_APPLIED", (), "项目单位已撤回申请，未进入审批")),
        DemoCheck(PERSONNEL, "RS-PROMO-2026-08", "PROMOTION", None, people[0], None),
        DemoCheck(PERSONNEL, "RS-AWARD-2026-03", "AWARDS", None, people[6],
                  ("MEASURES_APPLIED", ("*",), None)),
    ]


async def make_check(demo: Demo, check: DemoCheck, hour: int) -> bool:
    """Store one check (and its outcome); True when an outcome was reported."""
    client = "demo-" + check.audience.lower()
    request = restriction.CheckRequest(uscc=check.uscc, id_number=check.id_number,
                                       scenario=check.scenario,
                                       business_ref=check.business_ref, as_of=demo.today)
    reader = RequestReader(Loaders(Scope(session=demo.session, today=demo.today,
                                         audience=check.audience)))
    checked_at = datetime.combine(demo.today, time(hour), SHANGHAI)
    row = await restriction.check_restrictions(demo.session, request, reader=reader,
                                               client_name=client, today=demo.today,
                                               secret=demo.secret, now=checked_at)
    if check.outcome is None:
        return False
    kind, codes, reason = check.outcome
    chosen = [m["code"] for m in row.measures] if codes == ("*",) else list(codes)
    if kind == "MEASURES_APPLIED" and not chosen:
        return False  # nothing to apply: the check stays pending
    await restriction.report_outcome(
        demo.session, restriction.OutcomeReport(row.id, kind, chosen, reason),
        client_name=client, now=checked_at + timedelta(hours=2))
    return True


async def load_restrictions(demo: Demo) -> str:
    """The seed step: the promotion cases, then the formal checks."""
    people, ids = await report_people(demo)
    checks = demo_checks(demo, people)
    answered = 0
    for hour, check in enumerate(checks, start=9):
        answered += await make_check(demo, check, hour)
    return (f"restrictions: {len(ids)} personnel records on {len(people)} civil servants, "
            f"{len(checks)} formal checks ({answered} with an outcome)")
