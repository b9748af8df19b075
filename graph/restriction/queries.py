"""Queries of the restriction domain, and the node resolver of RestrictionCheck."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domains.restriction import service as restriction
from domains.restriction.models import RestrictionCheck
from domains.restriction.rules import MEASURE_ORDER, MeasureRow, Scenario, published_rows
from graph.common import AsOf
from graph.enums import SubjectKind
from graph.input_guard import text_argument
from graph.node import node_resolver
from graph.pagination import After, Connection, First, connection, page
from graph.permissions import CREDIT_OFFICE, CreditOfficeOnly
from graph.restriction.types import MeasureRuleType, RestrictionCheckType
from loaders import restriction as loaders

SCENARIO_ORDER = {scenario.value: n for n, scenario in enumerate(Scenario)}


def rule_order(row: MeasureRow) -> tuple[int, int, int, str]:
    """Scenario order, UNIT before PERSON, then measure order, then code."""
    return (SCENARIO_ORDER[row.scenario], 0 if row.subject_kind == SubjectKind.UNIT else 1,
            MEASURE_ORDER.index(row.effect), row.code)


@strawberry.type
class RestrictionQuery:
    @strawberry.field(description="The published measure list on asOf (default today), by "
                      "scenario, subject kind (UNIT first), effect and code.")
    async def measure_rules(self, info: Info[Any, Any],
                            as_of: AsOf = None) -> list[MeasureRuleType]:
        rows = await loaders.MeasureRowsLoader.versions(info.context.loaders)
        day = as_of or info.context.today
        return [MeasureRuleType.from_row(r) for r in sorted(published_rows(rows, day),
                                                            key=rule_order)]

    @strawberry.field(description="The calling client's own checks for one of its cases, "
                      "oldest first.")
    async def restriction_checks(self, info: Info[Any, Any],
                                 business_ref: Annotated[str, text_argument(
                                     RestrictionCheck.business_ref,
                                     description="The case's reference, as sent with the "
                                     "checks.")]) -> list[RestrictionCheckType]:
        rows = await info.context.read(restriction.checks_for_ref,
                                       client_name=info.context.client.name,
                                       business_ref=business_ref)
        return [RestrictionCheckType.from_row(r) for r in rows]

    @strawberry.field(description="Extension (not in the contract): checks of every client "
                      "still waiting for an outcome, oldest first. CREDIT_OFFICE only.",
                      permission_classes=[CreditOfficeOnly])
    async def pending_restriction_checks(self, info: Info[Any, Any], first: First = None,
                                         after: After = None) -> Connection[RestrictionCheckType]:
        window = page(first, after)
        rows, total = await info.context.read(restriction.pending_checks, client_name=None,
                                              offset=window.offset, limit=window.limit)
        return connection(window, [RestrictionCheckType.from_row(r) for r in rows], total)


@node_resolver("RestrictionCheck")
async def restriction_check_node(info: Info[Any, Any],
                                 pk: uuid.UUID) -> RestrictionCheckType | None:
    """A check, only for the client that made it and the credit office."""
    row = await info.context.loaders.get(loaders.RestrictionCheckByIdLoader).load(pk)
    client = info.context.client
    if row is None or (row.client_name != client.name and client.audience != CREDIT_OFFICE):
        return None
    return RestrictionCheckType.from_row(row)
