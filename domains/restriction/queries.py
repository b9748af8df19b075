"""Select builders shared by the restriction service and its loaders."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date

from sqlalchemy import Select, func, select

from domains.restriction.models import (
    MeasureRuleRow,
    PromotionRuleRow,
    RestrictionCheck,
    SanctionPeriodRow,
)


def measure_rules() -> Select[MeasureRuleRow]:
    """Every version of every measure row, in a stable order."""
    return select(MeasureRuleRow).order_by(
        MeasureRuleRow.scenario, MeasureRuleRow.subject_kind, MeasureRuleRow.code,
        MeasureRuleRow.valid_from)


def sanction_periods() -> Select[SanctionPeriodRow]:
    return select(SanctionPeriodRow).order_by(SanctionPeriodRow.valid_from,
                                              SanctionPeriodRow.sanction)


def promotion_rules() -> Select[PromotionRuleRow]:
    return select(PromotionRuleRow).order_by(PromotionRuleRow.valid_from)


def checks_by_id(ids: Collection[uuid.UUID]) -> Select[RestrictionCheck]:
    return select(RestrictionCheck).where(RestrictionCheck.id.in_(ids))


def check_by_key(client_name: str, business_ref: str, subject_id: uuid.UUID, scenario: str,
                 as_of: date) -> Select[RestrictionCheck]:
    """The check with this idempotency key (client, businessRef, subject, scenario, asOf)."""
    return select(RestrictionCheck).where(
        RestrictionCheck.client_name == client_name,
        RestrictionCheck.business_ref == business_ref,
        RestrictionCheck.subject_id == subject_id,
        RestrictionCheck.scenario == scenario,
        RestrictionCheck.as_of == as_of)


def checks_by_ref(client_name: str, business_ref: str) -> Select[RestrictionCheck]:
    """A client's checks for one of its cases, oldest first."""
    return (select(RestrictionCheck)
            .where(RestrictionCheck.client_name == client_name,
                   RestrictionCheck.business_ref == business_ref)
            .order_by(RestrictionCheck.checked_at, RestrictionCheck.id))


def pending_checks(client_name: str | None) -> Select[RestrictionCheck]:
    """Checks still waiting for an outcome, oldest first (optionally one client's)."""
    stmt = select(RestrictionCheck).where(RestrictionCheck.outcome_kind.is_(None))
    if client_name is not None:
        stmt = stmt.where(RestrictionCheck.client_name == client_name)
    return stmt.order_by(RestrictionCheck.checked_at, RestrictionCheck.id)


def count_of(stmt: Select[RestrictionCheck]) -> Select[int]:
    return select(func.count()).select_from(stmt.order_by(None).subquery())
