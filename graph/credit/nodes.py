"""node(id:) resolvers of the credit domain: a record only while the caller may see it."""

from __future__ import annotations

import uuid
from typing import Any

from strawberry.types import Info

from graph.credit.types import CreditRecordType, visible_record
from graph.node import node_resolver


@node_resolver("CreditRecord")
async def credit_record_node(info: Info[Any, Any], pk: uuid.UUID) -> CreditRecordType | None:
    return await visible_record(info, pk)
