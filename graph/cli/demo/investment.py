"""The demo district's government investment projects (DOMAIN.md section 8), sent through
`domains.investment` as the project-approval system would: a project at every approval stage,
one design estimate above the 10% line (re-approval required), one exactly on it (not), and
violations by civil servants and by units, whose DISHONEST records the credit path writes.

Every date counts back from the load day (`demo.today`), so the records are in force whenever
the demo is loaded:

- JS-01 水务局: proposal submitted, pending.
- JS-02 农业农村委员会: proposal approved.
- JS-03 建设和管理委员会: feasibility study approved, no proposal (allowed).
- JS-04 水务局: design submitted at 56,000,000.00 against a study of 50,000,000.00 (+12%):
  requiresReapproval; the bureau is held to account for the unreported overrun, and its
  project manager sanctioned (WARNING).
- JS-05 交通委员会: design approved at 22,000,000.00 against 20,000,000.00: exactly 10%, no
  re-approval.
- JS-06 建设和管理委员会: design approved 3% over; a state enterprise supplied false documents
  (SERIOUS) and an official took bribes (criminal judgment, SERIOUS).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from sqlalchemy import select

from domains.credit.enums import RecordCategory, Sanction, Severity
from domains.credit.models import CreditRecord
from domains.investment import service as investment
from domains.investment import violations
from domains.investment.rules import ApprovalDocument, ViolationKind
from domains.subject import keys
from domains.subject import service as subjects
from graph.cli.demo.shared import Demo

CLIENT: Final = "demo-project_approval"
AUDIENCE: Final = "PROJECT_APPROVAL"
DECIDER: Final = "fgw"  # 发展和改革委员会 approves and holds to account
PREFIX: Final = "2025-310116-48-01-0000"
PP, FS, PD = (ApprovalDocument.PROJECT_PROPOSAL, ApprovalDocument.FEASIBILITY_STUDY,
              ApprovalDocument.PRELIMINARY_DESIGN)

PROJECTS: Final = (("JS-01", "金山区朱泾镇雨污混接改造工程", "swj"),
                   ("JS-02", "金山区廊下镇高标准农田建设项目", "nyw"),
                   ("JS-03", "金山区公共卫生应急物资储备库", "jsw"),
                   ("JS-04", "金山区张泾河综合整治工程", "swj"),
                   ("JS-05", "金山区亭卫公路改建工程", "jtw"),
                   ("JS-06", "金山区第二社会福利院新建工程", "jsw"))
# project, document, submitted and approved (days before the load day), estimate
APPROVALS: Final = (
    ("JS-01", PP, 20, None, None),
    ("JS-02", PP, 90, 60, "8000000.00"),
    ("JS-03", FS, 150, 120, "35000000.00"),
    ("JS-04", PP, 400, 380, "48000000.00"), ("JS-04", FS, 330, 300, "50000000.00"),
    ("JS-04", PD, 200, None, "56000000.00"),
    ("JS-05", PP, 420, 400, None), ("JS-05", FS, 350, 320, "20000000.00"),
    ("JS-05", PD, 250, 220, "22000000.00"),
    ("JS-06", PP, 500, 480, None), ("JS-06", FS, 450, 430, "60000000.00"),
    ("JS-06", PD, 400, 370, "61800000.00"),
)


@dataclass(frozen=True)
class Violation:
    """A violation; `subject` is a unit handle, or a unit handle prefixed `staff:` for a
    civil servant of that unit."""

    project: str
    ref: str
    kind: ViolationKind
    subject: str
    severity: Severity
    category: RecordCategory | None
    sanction: Sanction | None
    occurred: int
    decided: int
    description: str


VIOLATIONS: Final = (
    Violation("JS-04", "WG-01", ViolationKind.UNAUTHORISED_OVERRUN, "swj", Severity.GENERAL,
              RecordCategory.OTHER_ACCOUNTABILITY, None, 150, 60,
              "初步设计概算超出可行性研究报告估算10%以上，未向审批部门报告"),
    Violation("JS-04", "WG-02", ViolationKind.DERELICTION, "staff:swj", Severity.GENERAL,
              None, Sanction.WARNING, 150, 50, "项目负责人玩忽职守，未按批复组织实施"),
    Violation("JS-06", "WG-01", ViolationKind.FALSE_DOCUMENTS, "urban", Severity.SERIOUS,
              RecordCategory.ADMINISTRATIVE_PENALTY, None, 300, 90,
              "申报材料中提供虚假工程量清单"),
    Violation("JS-06", "WG-02", ViolationKind.BRIBERY, "staff:jsw", Severity.SERIOUS,
              RecordCategory.JUDICIAL_JUDGMENT, None, 400, 30,
              "在项目招标中收受投标人财物，被判处受贿罪"),
)


def _ago(today: date, days: int) -> date:
    return today - timedelta(days=days)


async def _staff(demo: Demo, handles: set[str]) -> dict[str, str]:
    """For each unit handle, the identity number of a person with an open post there and no
    record yet (so the other demo steps' people keep their outcomes)."""
    recorded = set(await demo.session.scalars(
        select(CreditRecord.civil_servant_id).where(CreditRecord.civil_servant_id.is_not(None))))
    candidates = [p for p in demo.people if p.ended_on is None]
    hashes = [keys.hash_id_number(p.id_number, demo.secret) for p in candidates]
    found = await subjects.people_by_hash(demo.session, hashes)
    chosen: dict[str, str] = {}
    for person, hashed in zip(candidates, hashes, strict=True):
        for handle in handles - set(chosen):
            if (person.posts[-1].unit_uscc == demo.units[handle].uscc and hashed in found
                    and found[hashed].id not in recorded):
                chosen[handle] = person.id_number
    return chosen


def violation_rows(demo: Demo, staff: dict[str, str]) -> list[violations.ViolationRow]:
    rows = []
    for v in VIOLATIONS:
        person = staff.get(v.subject.removeprefix("staff:")) if v.subject.startswith(
            "staff:") else None
        rows.append(violations.ViolationRow(
            project_code=PREFIX + v.project.removeprefix("JS-"), kind=v.kind,
            occurred_on=_ago(demo.today, v.occurred), description=v.description,
            subject_uscc=None if person else demo.units[v.subject].uscc,
            subject_id_number=person, severity=v.severity,
            decided_on=_ago(demo.today, v.decided), source_ref=v.ref, category=v.category,
            sanction=v.sanction, decided_by_uscc=demo.units[DECIDER].uscc))
    return rows


def approval_rows(today: date) -> list[investment.ApprovalRow]:
    return [investment.ApprovalRow(
        project_code=PREFIX + project.removeprefix("JS-"), document=document,
        submitted_on=_ago(today, submitted),
        approved_on=None if approved is None else _ago(today, approved),
        estimated_total=None if estimate is None else Decimal(estimate))
        for project, document, submitted, approved, estimate in APPROVALS]


async def register_investment(demo: Demo) -> str:
    """Projects, their approvals, then the violations and the records they write."""
    projects = await investment.register_projects(demo.session, [investment.ProjectRow(
        code=PREFIX + code.removeprefix("JS-"), name=name,
        supervising_department_uscc=demo.units[unit].uscc) for code, name, unit in PROJECTS],
        reported_by=CLIENT)
    approvals = approval_rows(demo.today)
    await investment.record_approvals(demo.session, approvals, today=demo.today,
                                      recorded_by=CLIENT)
    staff = await _staff(demo, {v.subject.removeprefix("staff:") for v in VIOLATIONS
                                if v.subject.startswith("staff:")})
    records = await violations.record_violations(
        demo.session, violation_rows(demo, staff), actor=CLIENT, audience=AUDIENCE,
        today=demo.today, secret=demo.secret)
    return (f"investment: {len(projects)} projects, {len(approvals)} approvals, "
            f"{len(records)} violations with their records (one design above the 10% line, "
            "one exactly on it)")
