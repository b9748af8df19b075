"""The demo district's PPP projects (DOMAIN.md section 7): one project in every stage, through
`domains.ppp.service` as the credit office and the personnel system would send them.

Every date counts back from the load day (`demo.today`), so the picture holds whenever the demo
is loaded:

- 污水处理厂提标改造 (水务局, IMPLEMENTATION): every stage assigned; implementation handed over
  from one official to another 200 days ago; a broken commitment (GENERAL) 250 days ago traced
  to the first, a kept one 100 days ago traced to the second.
- 新城综合交通枢纽 (交通委员会, FINANCING): the financing official's assignment ended 120 days
  ago and nobody followed (a gap up to today); a SERIOUS broken commitment 60 days ago that
  nobody answered for (the agency's record only).
- 生活垃圾焚烧发电 (城市管理行政执法局, PROCUREMENT): two officials at once in tendering; a
  month in preparation with nobody.
- 养老服务综合体 (民政局, TENDERING): a kept commitment traced to the tendering official.
- 滨海旅游配套 (文化和旅游局, PREPARATION): one open assignment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from sqlalchemy import select

from domains.credit.enums import Severity
from domains.credit.models import CreditRecord
from domains.ppp import service as ppp
from domains.ppp.rules import PppEventKind, PppStage
from domains.subject import keys
from domains.subject import service as subjects
from graph.cli.demo.shared import Demo

CREDIT_OFFICE: Final = "demo-credit_office"
PERSONNEL: Final = "demo-personnel"
S = PppStage


@dataclass(frozen=True)
class Project:
    code: str
    name: str
    agency: str
    stage: PppStage
    parties: tuple[str, ...]
    consultants: tuple[str, ...]
    contracts: tuple[str, ...]


@dataclass(frozen=True)
class Duty:
    """An official (the n-th picked for the project) answering for a stage; days before the
    load day (`until` None: open-ended)."""

    code: str
    stage: PppStage
    official: int
    role: str
    since: int
    until: int | None = None


@dataclass(frozen=True)
class Happening:
    code: str
    stage: PppStage
    kind: PppEventKind
    days_ago: int
    description: str
    ref: str
    severity: Severity | None = None


PROJECTS: Final[tuple[Project, ...]] = (
    Project("PPP-JS-2022-01", "金山区污水处理厂提标改造PPP项目", "swj", S.IMPLEMENTATION,
            ("上海金山水务集团有限公司", "上海某环境工程有限公司"), ("上海某工程咨询有限公司",),
            ("金山区污水处理厂提标改造PPP项目合同",)),
    Project("PPP-JS-2023-02", "金山新城综合交通枢纽PPP项目", "jtw", S.FINANCING,
            ("上海某交通建设集团有限公司",), ("上海某投资咨询有限公司",),
            ("金山新城综合交通枢纽PPP项目合同",)),
    Project("PPP-JS-2024-03", "金山区生活垃圾焚烧发电PPP项目", "cgj", S.PROCUREMENT,
            ("上海某环保能源有限公司",), ("上海某工程咨询有限公司",), ()),
    Project("PPP-JS-2025-04", "金山区养老服务综合体PPP项目", "mzj", S.TENDERING, (),
            ("上海某社会服务咨询有限公司",), ()),
    Project("PPP-JS-2025-05", "金山滨海旅游度假区配套设施PPP项目", "wlj", S.PREPARATION, (), (),
            ()),
)

DUTIES: Final[tuple[Duty, ...]] = (
    Duty("PPP-JS-2022-01", S.PREPARATION, 0, "项目发起人", 900, 701),
    Duty("PPP-JS-2022-01", S.TENDERING, 1, "招标负责人", 700, 601),
    Duty("PPP-JS-2022-01", S.PROCUREMENT, 1, "采购负责人", 600, 501),
    Duty("PPP-JS-2022-01", S.FINANCING, 2, "融资负责人", 500, 401),
    Duty("PPP-JS-2022-01", S.IMPLEMENTATION, 0, "项目负责人", 400, 201),
    Duty("PPP-JS-2022-01", S.IMPLEMENTATION, 3, "项目负责人", 200),            # hand-over
    Duty("PPP-JS-2023-02", S.PREPARATION, 0, "项目发起人", 600, 451),
    Duty("PPP-JS-2023-02", S.TENDERING, 1, "招标负责人", 450, 251),
    Duty("PPP-JS-2023-02", S.PROCUREMENT, 1, "采购负责人", 250, 181),
    Duty("PPP-JS-2023-02", S.FINANCING, 2, "融资负责人", 180, 121),            # then nobody
    Duty("PPP-JS-2024-03", S.PREPARATION, 0, "项目发起人", 400, 331),
    Duty("PPP-JS-2024-03", S.PREPARATION, 1, "项目发起人", 300, 201),          # 30 days gap
    Duty("PPP-JS-2024-03", S.TENDERING, 1, "招标负责人", 200, 101),
    Duty("PPP-JS-2024-03", S.TENDERING, 2, "评标监督人", 200, 101),            # two at once
    Duty("PPP-JS-2024-03", S.PROCUREMENT, 2, "采购负责人", 100),
    Duty("PPP-JS-2025-04", S.PREPARATION, 0, "项目发起人", 300, 121),
    Duty("PPP-JS-2025-04", S.TENDERING, 1, "招标负责人", 120),
    Duty("PPP-JS-2025-05", S.PREPARATION, 0, "项目发起人", 60),
)

HAPPENINGS: Final[tuple[Happening, ...]] = (
    Happening("PPP-JS-2022-01", S.IMPLEMENTATION, PppEventKind.COMMITMENT_BROKEN, 250,
              "未按合同约定按期支付可用性付费", "JS-PPP-E-001", Severity.GENERAL),
    Happening("PPP-JS-2022-01", S.IMPLEMENTATION, PppEventKind.COMMITMENT_KEPT, 100,
              "按期完成年度绩效考核并足额支付运营服务费", "JS-PPP-E-002"),
    Happening("PPP-JS-2023-02", S.FINANCING, PppEventKind.COMMITMENT_BROKEN, 60,
              "未按承诺落实项目资本金出资", "JS-PPP-E-003", Severity.SERIOUS),
    Happening("PPP-JS-2025-04", S.TENDERING, PppEventKind.COMMITMENT_KEPT, 30,
              "按承诺时限公开发布招标文件并完成资格预审", "JS-PPP-E-004"),
)


def _ago(today: date, days: int | None) -> date | None:
    return None if days is None else today - timedelta(days=days)


async def with_records(demo: Demo) -> set[str]:
    """The identity numbers of the demo people who already have a credit record (left out, so
    that what PPP writes on an official reads on its own)."""
    hashes = {keys.hash_id_number(p.id_number, demo.secret): p.id_number for p in demo.people}
    found = await subjects.people_by_hash(demo.session, list(hashes))
    ids = set(await demo.session.scalars(select(CreditRecord.civil_servant_id).where(
        CreditRecord.civil_servant_id.in_([p.id for p in found.values()]))))
    return {hashes[h] for h, person in found.items() if person.id in ids}


def officials(demo: Demo, left_out: set[str]) -> dict[str, list[str]]:
    """Per project, the identity numbers of four officials still serving, picked first at the
    implementing agency, then elsewhere (each official picked once in the district)."""
    serving = [p for p in demo.people if p.ended_on is None and p.id_number not in left_out]
    taken: set[str] = set()
    picked: dict[str, list[str]] = {}
    for project in PROJECTS:
        agency = demo.units[project.agency].uscc
        ranked = sorted(serving, key=lambda p: p.posts[-1].unit_uscc != agency)
        chosen = [p.id_number for p in ranked if p.id_number not in taken][:4]
        taken.update(chosen)
        picked[project.code] = chosen
    return picked


def project_rows(demo: Demo) -> list[ppp.ProjectRow]:
    return [ppp.ProjectRow(code=p.code, name=p.name,
                           implementing_agency_uscc=demo.units[p.agency].uscc,
                           current_stage=p.stage, social_capital_parties=p.parties,
                           consultants=p.consultants, contracts=p.contracts) for p in PROJECTS]


def assignment_rows(demo: Demo, left_out: set[str]) -> list[ppp.AssignmentRow]:
    people = officials(demo, left_out)
    rows = []
    for duty in DUTIES:
        since = _ago(demo.today, duty.since)
        assert since is not None
        rows.append(ppp.AssignmentRow(
            project_code=duty.code, stage=duty.stage, id_number=people[duty.code][duty.official],
            role=duty.role, started_on=since, ended_on=_ago(demo.today, duty.until)))
    return rows


def event_rows(today: date) -> list[ppp.EventRow]:
    rows = []
    for happening in HAPPENINGS:
        on = _ago(today, happening.days_ago)
        assert on is not None
        rows.append(ppp.EventRow(
            project_code=happening.code, stage=happening.stage, kind=happening.kind,
            occurred_on=on, description=happening.description, source_ref=happening.ref,
            severity=happening.severity))
    return rows


async def register_ppp(demo: Demo) -> str:
    """Projects, then who answered for each stage, then the events and the records they write."""
    projects = await ppp.register_projects(demo.session, project_rows(demo),
                                           reported_by=CREDIT_OFFICE)
    assignments = assignment_rows(demo, await with_records(demo))
    await ppp.assign_responsibilities(demo.session, assignments, secret=demo.secret,
                                      today=demo.today, assigned_by=PERSONNEL)
    events = await ppp.record_events(demo.session, event_rows(demo.today), today=demo.today,
                                     recorded_by=CREDIT_OFFICE)
    return (f"PPP: {len(projects)} projects (one per stage), {len(assignments)} "
            f"responsibilities, {len(events)} events with their records")
