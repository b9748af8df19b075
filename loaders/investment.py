"""Loaders of the investment domain: projects, their approvals and violations."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from domains.investment import queries
from domains.investment.models import InvestmentApproval, InvestmentProject, InvestmentViolation
from loaders.base import Loader, grouped, in_key_order


class InvestmentProjectByIdLoader(Loader[uuid.UUID, InvestmentProject | None]):
    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[InvestmentProject | None]:
        rows = await session.scalars(queries.projects_by_ids(keys))
        return in_key_order(keys, {p.id: p for p in rows}, None)


class InvestmentProjectByCodeLoader(Loader[str, InvestmentProject | None]):
    """Keys are normalised codes (blanks stripped, upper-cased)."""

    async def fetch(self, session: AsyncSession,
                    keys: list[str]) -> Sequence[InvestmentProject | None]:
        rows = await session.scalars(queries.projects_by_codes(keys))
        return in_key_order(keys, {p.code: p for p in rows}, None)


class InvestmentProjectsByDepartmentLoader(Loader[uuid.UUID, list[InvestmentProject]]):
    """The projects a unit supervises, by code."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[list[InvestmentProject]]:
        rows = await session.scalars(queries.projects_of_departments(keys))
        return grouped(keys, [(p.supervising_department_id, p) for p in rows])


class InvestmentApprovalsByProjectLoader(Loader[uuid.UUID, list[InvestmentApproval]]):
    """A project's approvals in document order, then submittedOn."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[list[InvestmentApproval]]:
        rows = await session.scalars(queries.approvals_of(keys))
        return grouped(keys, [(a.project_id, a) for a in rows])


class InvestmentViolationsByProjectLoader(Loader[uuid.UUID, list[InvestmentViolation]]):
    """A project's violations, occurredOn ascending, then sourceRef."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[list[InvestmentViolation]]:
        rows = await session.scalars(queries.violations_of(keys))
        return grouped(keys, [(v.project_id, v) for v in rows])
