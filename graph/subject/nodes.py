"""node(id:) resolvers of the subject domain."""

from __future__ import annotations

import uuid
from typing import Any

from strawberry.types import Info

from graph.node import node_resolver
from graph.subject.types import CivilServantType, UnitType
from loaders import subject as loaders


@node_resolver("Unit")
async def unit_node(info: Info[Any, Any], pk: uuid.UUID) -> UnitType | None:
    row = await info.context.loaders.get(loaders.UnitByIdLoader).load(pk)
    return UnitType.from_row(row) if row else None


@node_resolver("CivilServant")
async def civil_servant_node(info: Info[Any, Any], pk: uuid.UUID) -> CivilServantType | None:
    row = await info.context.loaders.get(loaders.CivilServantByIdLoader).load(pk)
    return CivilServantType.from_row(row) if row else None
