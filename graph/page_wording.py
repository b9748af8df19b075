"""The words each list's Connection and Edge show clients (the schema is their manual).

`Connection[T]` and `Edge[T]` (graph.pagination) are one generic pair, but every list says in
its own words what its items are ("A page of units.", "The record."). Strawberry copies a
generic's descriptions into each specialisation, so the words are registered per node type
(by its GraphQL name, beside it, as node resolvers are) and given to the specialised types
once the schema is built."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import GraphQLObjectType
from strawberry import Schema
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.lazy_type import LazyType

from graph.pagination import CURSOR, Connection, Edge


@dataclass(frozen=True)
class PageWording:
    """The descriptions of one node type's Edge and Connection, type and fields."""

    edge: str
    node: str
    connection: str
    edges: str
    total_count: str
    cursor: str = CURSOR
    page_info: str = "Where this page stands."


_WORDINGS: dict[str, PageWording] = {}


def word_pages(node_name: str, wording: PageWording) -> None:
    """Register the words of the pages of the node type named `node_name` in GraphQL; called
    beside the node type at import, as node resolvers are registered."""
    if _WORDINGS.setdefault(node_name, wording) is not wording:
        raise ValueError(f"{node_name} already has its page wording")


def apply_page_wording(schema: Schema,
                       wordings: Mapping[str, PageWording] | None = None) -> None:
    """Describe every Edge[T] and Connection[T] of `schema` in T's words (the registered ones
    unless `wordings` is given). A list whose node type has no words, or words no list uses,
    stops the start: every type and field must say what it is, and a misspelt name must not
    pass unseen."""
    wordings = _WORDINGS if wordings is None else wordings
    unused = set(wordings)
    for definition, served in specialised_pages(schema):
        name = node_name(definition.type_var_map["NodeT"])
        words = wordings.get(name)
        if words is None:
            raise LookupError(f"no PageWording for the pages of {name}: call word_pages "
                              "beside the node type")
        unused.discard(name)
        if definition.concrete_of is not None and definition.concrete_of.origin is Edge:
            describe(served, words.edge, cursor=words.cursor, node=words.node)
        else:
            describe(served, words.connection, edges=words.edges, pageInfo=words.page_info,
                     totalCount=words.total_count)
    if unused:
        raise LookupError(f"PageWording of no list in the schema: {sorted(unused)}")


def specialised_pages(
        schema: Schema) -> list[tuple[StrawberryObjectDefinition, GraphQLObjectType]]:
    """Every Edge[T] and Connection[T] the schema serves, as defined and as built."""
    found = []
    for concrete in schema.schema_converter.type_map.values():
        definition, served = concrete.definition, concrete.implementation
        if (isinstance(definition, StrawberryObjectDefinition)
                and definition.concrete_of is not None
                and definition.concrete_of.origin in (Edge, Connection)):
            assert isinstance(served, GraphQLObjectType)
            found.append((definition, served))
    return found


def node_name(node: object) -> str:
    """The GraphQL name of a page's node type (a lazy reference resolved first)."""
    node_type = node.resolve_type() if isinstance(node, LazyType) else node
    definition = getattr(node_type, "__strawberry_definition__", None)
    assert isinstance(definition, StrawberryObjectDefinition), node_type
    return definition.name


def describe(served: GraphQLObjectType, description: str, **fields: str) -> None:
    """Set the description of a built object type and of its fields (by GraphQL name)."""
    served.description = description
    for name, field_description in fields.items():
        served.fields[name].description = field_description
