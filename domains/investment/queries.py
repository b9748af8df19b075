"""Reusable select() builders of the investment domain, shared by the services and loaders."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import Select, case, select

from domains.investment.models import InvestmentApproval, InvestmentProject, InvestmentViolation
from domains.investment.rules import DOCUMENT_ORDER

# Approvals by document order then submittedOn (DOMAIN.md section 0).
DOCUMENT_RANK = case({d.value: n for d, n in DOCUMENT_ORDER.items()},
                     value=InvestmentApproval.document)
APPROVAL_ORDER = (InvestmentApproval.project_id, DOCUMENT_RANK, InvestmentApproval.submitted_on)
# Violations by occurredOn, then sourceRef (DOMAIN.md is silent).
VIOLATION_ORDER = (InvestmentViolation.project_id, InvestmentViolation.occurred_on,
                   InvestmentViolation.source_ref)


def projects_by_codes(codes: Collection[str]) -> Select[InvestmentProject]:
    return select(InvestmentProject).where(InvestmentProject.code.in_(set(codes)))


def projects_by_ids(ids: Collection[uuid.UUID]) -> Select[InvestmentProject]:
    return select(InvestmentProject).where(InvestmentProject.id.in_(set(ids)))


def projects_of_departments(unit_ids: Collection[uuid.UUID]) -> Select[InvestmentProject]:
    """The projects each unit supervises, by code."""
    return (select(InvestmentProject)
            .where(InvestmentProject.supervising_department_id.in_(set(unit_ids)))
            .order_by(InvestmentProject.supervising_department_id, InvestmentProject.code))


def approvals_of(project_ids: Collection[uuid.UUID]) -> Select[InvestmentApproval]:
    return (select(InvestmentApproval)
            .where(InvestmentApproval.project_id.in_(set(project_ids)))
            .order_by(*APPROVAL_ORDER))


def violations_of(project_ids: Collection[uuid.UUID]) -> Select[InvestmentViolation]:
    return (select(InvestmentViolation)
            .where(InvestmentViolation.project_id.in_(set(project_ids)))
            .order_by(*VIOLATION_ORDER))
