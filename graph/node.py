"""`node(id:)`: any object by its global id, with the same permission checks as elsewhere."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domains.core.ids import parse_global_id
from graph.common import Node

NodeResolver = Callable[[Info[Any, Any], uuid.UUID], Awaitable[Any]]
NODE_RESOLVERS: dict[str, NodeResolver] = {}


def node_resolver(type_name: str) -> Callable[[NodeResolver], NodeResolver]:
    """Register how to fetch objects of `type_name` (each domain registers its own types)."""

    def register(fn: NodeResolver) -> NodeResolver:
        NODE_RESOLVERS[type_name] = fn
        return fn

    return register


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global id; null when unknown or hidden.")
    async def node(self, info: Info[Any, Any], id: Annotated[strawberry.ID, strawberry.argument(
            description="A global id, as any object's id field gives it.")]) -> Node | None:
        parsed = parse_global_id(str(id))
        if parsed is None or parsed[0] not in NODE_RESOLVERS:
            return None
        result: Node | None = await NODE_RESOLVERS[parsed[0]](info, parsed[1])
        return result
