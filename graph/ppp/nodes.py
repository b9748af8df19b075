"""node(id:) resolvers of the PPP domain (projects and events are readable by every audience)."""

from __future__ import annotations

import uuid
from typing import Any

from strawberry.types import Info

from graph.node import node_resolver
from graph.ppp.types import PppEventType, PppProjectType
from loaders import ppp as loaders


@node_resolver("PppProject")
async def ppp_project_node(info: Info[Any, Any], pk: uuid.UUID) -> PppProjectType | None:
    row = await info.context.loaders.get(loaders.PppProjectByIdLoader).load(pk)
    return PppProjectType.from_row(row) if row else None


@node_resolver("PppEvent")
async def ppp_event_node(info: Info[Any, Any], pk: uuid.UUID) -> PppEventType | None:
    row = await info.context.loaders.get(loaders.PppEventByIdLoader).load(pk)
    return PppEventType.from_row(row) if row else None
