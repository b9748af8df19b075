"""Queries of joint-punishment memoranda, and the node resolvers of Memorandum and
JointAction."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domains.memorandum import actions
from domains.memorandum import service as memoranda
from domains.memorandum.models import MemorandumVersion
from graph.common import AsOf
from graph.input_guard import text_argument
from graph.memorandum.types import JointActionType, MemorandumType, may_see
from graph.node import node_resolver
from graph.pagination import After, Connection, First, connection, page
from graph.permissions import CREDIT_OFFICE
from loaders import memorandum as loaders


async def _units(info: Info[Any, Any]) -> frozenset[uuid.UUID] | None:
    """The caller's units; None for the credit office, which acts for any."""
    client = info.context.client
    if client.audience == CREDIT_OFFICE:
        return None
    units: frozenset[uuid.UUID] = await info.context.loaders.get(
        loaders.UnitsByClientLoader).load(client.name)
    return units


@strawberry.type
class MemorandumQuery:
    @strawberry.field(description="A memorandum's version in effect on asOf (default today); "
                      "null when unknown or not yet in effect. Every audience.")
    async def memorandum(self, info: Info[Any, Any], number: Annotated[
            str, text_argument(MemorandumVersion.number,
                              description="The memorandum's number (文号).")],
                         as_of: AsOf = None) -> MemorandumType | None:
        row = await info.context.read(memoranda.version_in_effect, number,
                                      as_of or info.context.today)
        return MemorandumType.from_row(row) if row else None

    @strawberry.field(description="The memoranda in force on asOf (default today), each in its "
                      "version of that day, by number. Every audience.")
    async def memoranda(self, info: Info[Any, Any], as_of: AsOf = None, first: First = None,
                        after: After = None) -> Connection[MemorandumType]:
        window = page(first, after)
        rows, total = await info.context.read(memoranda.memoranda_page,
                                              day=as_of or info.context.today,
                                              offset=window.offset, limit=window.limit)
        return connection(window, [MemorandumType.from_row(r) for r in rows], total)

    @strawberry.field(description="Open joint actions waiting for a response of one of the "
                      "caller's units (the credit office: of any signatory), oldest first.")
    async def pending_joint_actions(self, info: Info[Any, Any], first: First = None,
                                    after: After = None) -> Connection[JointActionType]:
        window = page(first, after)
        rows, total = await info.context.read(actions.pending_page, units=await _units(info),
                                              offset=window.offset, limit=window.limit)
        return connection(window, [JointActionType.from_row(r) for r in rows], total)

    @strawberry.field(description="Joint actions under memoranda the caller's units signed "
                      "(the credit office: all), newest first: the initiator follows its "
                      "actions here.")
    async def joint_actions(self, info: Info[Any, Any], first: First = None,
                            after: After = None) -> Connection[JointActionType]:
        window = page(first, after)
        rows, total = await info.context.read(actions.actions_page, units=await _units(info),
                                              offset=window.offset, limit=window.limit)
        return connection(window, [JointActionType.from_row(r) for r in rows], total)


@node_resolver("Memorandum")
async def memorandum_node(info: Info[Any, Any], pk: uuid.UUID) -> MemorandumType | None:
    row = await info.context.loaders.get(loaders.MemorandumVersionByIdLoader).load(pk)
    return MemorandumType.from_row(row) if row else None


@node_resolver("JointAction")
async def joint_action_node(info: Info[Any, Any], pk: uuid.UUID) -> JointActionType | None:
    """An action, for the credit office and the clients of its signatories."""
    row = await info.context.loaders.get(loaders.JointActionByIdLoader).load(pk)
    if row is None or not await may_see(info, row):
        return None
    return JointActionType.from_row(row)
