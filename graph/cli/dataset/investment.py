"""Government investment projects, their approvals and violations (DOMAIN.md section 8).

Approvals follow the procedure (proposal, then feasibility study, then preliminary design, each
approved on or after its submission and after the previous document's approval), so no
APPROVAL_OUT_OF_ORDER; about one design in five overruns the study's estimate by more than 10%
(requiresReapproval). A violation writes its DISHONEST record as `recordInvestmentViolations`
does: sourceSystem `investment`, sourceRef `<projectCode>/<sourceRef>`, domain INVESTMENT,
GOVERNMENT_SHARED with the default scope and validity.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from domains.credit.enums import Disclosure, RecordCategory, RecordNature, Severity, SourceDomain
from domains.investment.rules import ApprovalDocument, ViolationKind
from domains.investment.violations import SOURCE_SYSTEM
from graph.cli.dataset import identifiers
from graph.cli.dataset.copying import Copier, Row
from graph.cli.dataset.plan import Plan
from graph.cli.dataset.rows import PERSON_SCOPE, UNIT_SCOPE, Validity
from graph.cli.dataset.subjects import Subjects

PROJECT_COLUMNS: Final = ("id", "code", "name", "supervising_department_id", "reported_by",
                          "created_at", "updated_at")
APPROVAL_COLUMNS: Final = ("id", "project_id", "document", "submitted_on", "approved_on",
                           "approval_number", "estimated_total", "recorded_by", "created_at",
                           "updated_at")
VIOLATION_COLUMNS: Final = ("id", "project_id", "source_ref", "kind", "occurred_on",
                            "description", "unit_id", "civil_servant_id", "record_id",
                            "recorded_by", "created_at")
WORKS: Final = ("道路新建工程", "学校改扩建工程", "污水处理厂提标改造", "河道综合整治",
                "社区卫生服务中心新建", "体育中心建设", "保障性住房建设")


@dataclass
class Investment:
    """Project ids (records may link them), and the violations' records and rows."""

    project_ids: list[uuid.UUID] = field(default_factory=list)
    records: list[Row] = field(default_factory=list)
    violations: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class _Project:
    id: uuid.UUID
    code: str
    unit: int
    started: date


def _approvals(plan: Plan, rng: random.Random, project: _Project) -> Iterator[Row]:
    """The documents as far as the procedure got by today."""
    estimate = Decimal(rng.randrange(1_000_000, 500_000_000)).scaleb(-2) * 100
    documents = list(ApprovalDocument)[0 if rng.random() < 0.7 else 1:]
    day, clients = project.started, plan.clients
    for position, document in enumerate(documents):
        submitted = day + timedelta(days=rng.randrange(5, 60))
        if submitted > plan.today:
            return
        approved: date | None = submitted + timedelta(days=rng.randrange(0, 90))
        if approved is not None and (approved > plan.today or rng.random() < 0.1):
            approved = None
        total = None
        if document != ApprovalDocument.PROJECT_PROPOSAL:
            total = estimate if document == ApprovalDocument.FEASIBILITY_STUDY else (
                estimate * Decimal(rng.randrange(85, 125)) / 100).quantize(Decimal("0.01"))
        number = f"金发改投〔{submitted.year}〕{position}{rng.randrange(1000)}号" if approved \
            else None
        at = plan.at(submitted, rng)
        yield (identifiers.new_uuid(rng), project.id, document.value, submitted, approved,
               number, total, clients.project_approval, at, at)
        if approved is None:
            return
        day = approved


def _violation(plan: Plan, rng: random.Random, project: _Project, subjects: Subjects,
               validity: Validity, investment: Investment) -> None:
    occurred = project.started + timedelta(days=rng.randrange(max(1, (plan.today -
                                                                      project.started).days)))
    decided = min(plan.today, occurred + timedelta(days=rng.randrange(60)))
    staff = subjects.staff_of(project.unit)
    person = rng.choice(staff) if staff and rng.random() < 0.6 else None
    kind, severity = rng.choice(list(ViolationKind)), rng.choice((Severity.GENERAL,
                                                                  Severity.SERIOUS))
    category = RecordCategory.ADMINISTRATIVE_SANCTION if person is not None \
        else RecordCategory.ADMINISTRATIVE_PENALTY
    reference, record_id = f"V{len(investment.violations) + 1:06d}", identifiers.new_uuid(rng)
    description = f"项目建设中存在{kind.value}问题"
    unit_id = None if person is not None else subjects.unit_ids[project.unit]
    person_id = None if person is None else subjects.person_ids[person]
    at, actor = plan.at(decided, rng), plan.clients.project_approval
    investment.records.append((
        record_id, unit_id, person_id, RecordNature.DISHONEST.value, category.value,
        severity.value, None, None, SourceDomain.INVESTMENT.value, description, None, None, None,
        decided, decided, validity.default(RecordNature.DISHONEST, severity, decided), None,
        Disclosure.GOVERNMENT_SHARED.value, PERSON_SCOPE if person is not None else UNIT_SCOPE,
        "ACTIVE", SOURCE_SYSTEM, f"{project.code}/{reference}", None, None, project.id, actor,
        at))
    investment.violations.append((identifiers.new_uuid(rng), project.id, reference, kind.value,
                                  occurred, description, unit_id, person_id, record_id, actor,
                                  at))


def _project_rows(plan: Plan, subjects: Subjects, made: list[_Project]) -> Iterator[Row]:
    rng = plan.rng("investment_project")
    organs = subjects.organs or list(range(len(subjects.unit_ids)))
    for index in range(plan.counts.investment_projects):
        started = plan.days_ago(rng.randrange(90, 6 * 365))
        code = f"{started.year}-310116-48-01-{index:06d}"
        project = _Project(identifiers.new_uuid(rng), code, rng.choice(organs), started)
        made.append(project)
        at = plan.at(started, rng)
        yield (project.id, code, f"金山区{rng.choice(WORKS)}{index}",
               subjects.unit_ids[project.unit], plan.clients.project_approval, at, at)


async def load_investment(plan: Plan, copier: Copier, subjects: Subjects,
                          validity: Validity) -> Investment:
    """COPY projects and approvals; the violations and their records wait for the records
    (`Investment.records` then `Investment.violations`, which refer to them)."""
    made: list[_Project] = []
    await copier.copy_all("investment_project", PROJECT_COLUMNS,
                          _project_rows(plan, subjects, made))
    rng = plan.rng("investment_approval")
    await copier.copy_all("investment_approval", APPROVAL_COLUMNS,
                          (row for project in made for row in _approvals(plan, rng, project)))
    investment = Investment(project_ids=[project.id for project in made])
    rng = plan.rng("investment_violation")
    for project in made:
        if rng.random() < 0.15 or project is made[0]:
            _violation(plan, rng, project, subjects, validity, investment)
    return investment
