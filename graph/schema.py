"""The served schema: every domain's queries and mutations merged into one."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

import graph.credit.nodes  # noqa: F401  (registers node resolvers)
import graph.investment.nodes  # noqa: F401  (registers node resolvers)
import graph.memorandum.queries  # noqa: F401  (registers node resolvers)
import graph.ppp.nodes  # noqa: F401  (registers node resolvers)
import graph.procurement.nodes  # noqa: F401  (registers node resolvers)
import graph.restriction.queries  # noqa: F401  (registers node resolvers)
import graph.subject.nodes  # noqa: F401  (registers node resolvers)
from graph.access.queries import AccessQuery
from graph.common import Node
from graph.credit.mutations import CreditMutation
from graph.credit.queries import CreditQuery
from graph.credit.types import CreditRecordType
from graph.execution import LeafExecutionContext
from graph.extensions import extensions
from graph.input_guard import guard_inputs
from graph.investment.mutations import InvestmentMutation
from graph.investment.queries import InvestmentQuery
from graph.investment.types import InvestmentProjectType
from graph.memorandum.mutations import MemorandumMutation
from graph.memorandum.queries import MemorandumQuery
from graph.memorandum.types import JointActionType, MemorandumType
from graph.node import NodeQuery
from graph.page_wording import apply_page_wording
from graph.ppp.mutations import PppMutation
from graph.ppp.queries import PppQuery
from graph.ppp.types import PppEventType, PppProjectType
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


@strawberry.type(description="Every read; what a client sees depends on its audience (DOMAIN.md "
                 "section 3), and reads of credit data are audited (查询留痕).")
class Query(NodeQuery, SubjectQuery, CreditQuery, AccessQuery, ProcurementQuery,
            RestrictionQuery, InvestmentQuery, PppQuery, MemorandumQuery):
    pass


@strawberry.type(description="Every write; each is all-or-nothing, and one refused for its "
                 "content answers the errors in its payload (DOMAIN.md section 9).")
class Mutation(SubjectMutation, ProcurementMutation, RestrictionMutation, CreditMutation,
               InvestmentMutation, PppMutation, MemorandumMutation):
    pass


class Schema(strawberry.Schema):
    """Expected errors are answers, not incidents: only masked (unexpected) errors are logged,
    by graph.errors.MaskUnexpectedErrors, with the request id."""

    def process_errors(self, errors: list[GraphQLError],
                       execution_context: ExecutionContext | None = None) -> None:
        return None


TYPES = [Node, UnitType, CivilServantType, CreditRecordType, ProcurementContractType,
         RestrictionCheckType, InvestmentProjectType, PppProjectType, PppEventType, MemorandumType,
         JointActionType]
guard_inputs(Query, Mutation, *TYPES)

schema = Schema(
    query=Query,
    mutation=Mutation,
    types=TYPES,
    extensions=extensions(),  # type: ignore[arg-type]
    scalar_overrides=SCALAR_OVERRIDES,
    execution_context_class=LeafExecutionContext,
    config=StrawberryConfig(auto_camel_case=True),
)
apply_page_wording(schema)
