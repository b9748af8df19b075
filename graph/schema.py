"""The served schema: every domain's queries and mutations merged into one."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

import graph.credit.nodes  # noqa: F401  (registers node resolvers)
import graph.procurement.nodes  # noqa: F401  (registers node resolvers)
import graph.restriction.queries  # noqa: F401  (registers node resolvers)
import graph.subject.nodes  # noqa: F401  (registers node resolvers)
from graph.access.queries import AccessQuery
from graph.common import Node
from graph.credit.mutations import CreditMutation
from graph.credit.queries import CreditQuery
from graph.credit.types import CreditRecordType
from graph.extensions import extensions
from graph.node import NodeQuery
from graph.procurement.mutations import ProcurementMutation
from graph.procurement.queries import ProcurementQuery
from graph.procurement.types import ProcurementContractType
from graph.restriction.mutations import RestrictionMutation
from graph.restriction.queries import RestrictionQuery
from graph.restriction.types import RestrictionCheckType
from graph.scalars import SCALAR_OVERRIDES
from graph.subject.mutations import SubjectMutation
from graph.subject.queries import SubjectQuery
from graph.subject.types import CivilServantType, UnitType

Query = merge_types("Query", (NodeQuery, SubjectQuery, CreditQuery, AccessQuery,
                                ProcurementQuery, RestrictionQuery))
Mutation = merge_types("Mutation", (SubjectMutation, ProcurementMutation,
                                      RestrictionMutation, CreditMutation))

class Schema(strawberry.Schema):
    """Expected errors are answers, not incidents: only masked (unexpected) errors are logged,
    by graph.errors.MaskUnexpectedErrors, with the request id."""

    def process_errors(self, errors: list[GraphQLError],
                       execution_context: ExecutionContext | None = None) -> None:
        return None


schema = Schema(
    query=Query,
    mutation=Mutation,
    types=[Node, UnitType, CivilServantType, CreditRecordType, ProcurementContractType,
           RestrictionCheckType],
    extensions=extensions(),  # type: ignore[arg-type]
    scalar_overrides=SCALAR_OVERRIDES,
    config=StrawberryConfig(auto_camel_case=True),
)
