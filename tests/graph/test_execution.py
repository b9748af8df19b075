"""graph.execution: plain leaf fields are answered without graphql-core's resolve round trip,
with the same answers and the same errors as graphql-core's own path."""

from __future__ import annotations

import asyncio
import enum
from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graph.execution import LeafExecutionContext, leaf_plan
from graph.permissions import PersonnelOnly
from graph.schema import schema as served


@strawberry.enum
class Colour(enum.Enum):
    RED = "RED"
    BLUE = "blue"


@strawberry.type
class Item:
    name: str
    colour: Colour
    note: str | None
    count: int | None
    colours: list[Colour] | None

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return [Item(name="a", colour=Colour.RED, note=None, count="x",  # type: ignore[arg-type]
                     colours=[Colour.BLUE, None]),  # type: ignore[list-item]
                Item(name=None, colour=Colour.BLUE, note="n", count=1,  # type: ignore[arg-type]
                     colours=[Colour.RED, Colour.BLUE])]


SCHEMA = strawberry.Schema(Query, execution_context_class=LeafExecutionContext)
PLAIN = strawberry.Schema(Query)
QUERY = "{ items { name colour note count shout } }"


def infos_built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    built: list[str] = []
    original = StrawberryGraphQLCoreExecutionContext.build_resolve_info

    def counting(self: Any, field_def: Any, field_nodes: Any, *args: Any) -> Any:
        built.append(field_nodes[0].name.value)
        return original(self, field_def, field_nodes, *args)

    monkeypatch.setattr(StrawberryGraphQLCoreExecutionContext, "build_resolve_info", counting)
    return built


def test_plain_leaves_skip_the_resolve_round_trip(monkeypatch: pytest.MonkeyPatch) -> None:
    # given the served execution context
    built = infos_built(monkeypatch)
    # when two items are read: the first with a count Int refuses, the second without a name
    result = SCHEMA.execute_sync(QUERY)
    # then only fields with resolvers (and the failing leaves) built a resolve info
    assert sorted(set(built)) == ["count", "items", "name", "shout"]
    assert (built.count("name"), built.count("count")) == (1, 1)
    # and the answer and the error are graphql-core's own
    plain = PLAIN.execute_sync(QUERY)
    assert (result.data, [e.formatted for e in result.errors or []]) == (
        plain.data, [e.formatted for e in plain.errors or []])
    assert result.errors and len(result.errors) == 2


def test_lists_of_leaves_are_coerced_item_by_item(monkeypatch: pytest.MonkeyPatch) -> None:
    # given the served execution context
    built = infos_built(monkeypatch)
    # when the colours are read: the first item's list holds a null, the second's does not
    query = "{ items { colour colours } }"
    result = SCHEMA.execute_sync(query)
    # then only the list with a null took graphql-core's path
    assert (built.count("colours"), built.count("colour")) == (1, 0)
    # and the enum names (looked up, BLUE's value is not its name) and the error are the same
    plain = PLAIN.execute_sync(query)
    assert (result.data, [e.formatted for e in result.errors or []]) == (
        plain.data, [e.formatted for e in plain.errors or []])
    assert result.data == {"items": [{"colour": "RED", "colours": None},
                                     {"colour": "BLUE", "colours": ["RED", "BLUE"]}]}
    assert result.errors and len(result.errors) == 1


@strawberry.type
class Slow:
    name: str
    colour: Colour

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0)
        return self.name

    @strawberry.field
    async def fails(self) -> str | None:
        await asyncio.sleep(0)
        raise ValueError("boom")


@strawberry.type
class SlowQuery:
    @strawberry.field
    def slow(self) -> list[Slow]:
        return [Slow(name="a", colour=Colour.BLUE), Slow(name=None, colour=Colour.RED)]  # type: ignore[arg-type]


@pytest.mark.parametrize("query", [
    "{ slow { n: name later colour __typename name } }",  # leaves around an awaited field
    "{ slow { later fails name colour } }",  # a failing field beside an awaited one
    "{ slow { name } }",  # a non-null leaf that is null: its error, the item nulled
])
async def test_objects_with_leaves_and_resolvers_answer_as_graphql_core(query: str) -> None:
    # given the served execution context and graphql-core's own, over the same objects
    served_slow = strawberry.Schema(SlowQuery, execution_context_class=LeafExecutionContext)
    plain_slow = strawberry.Schema(SlowQuery)
    # when the same query runs on both
    result, plain = await served_slow.execute(query), await plain_slow.execute(query)
    # then the data, the errors, their paths and their order are the same
    assert (result.data, [e.formatted for e in result.errors or []]) == (
        plain.data, [e.formatted for e in plain.errors or []])
    assert result.errors, "each query has an error"


def field(type_name: str, name: str) -> Any:
    graphql_type: Any = served._schema.type_map[type_name]
    return graphql_type.fields[name]


def test_only_basic_leaf_fields_have_a_plan() -> None:
    title = leaf_plan(field("CreditRecord", "title"))
    assert title is not None and title.text  # a String: a str answered as it is
    decided_on = leaf_plan(field("CreditRecord", "decidedOn"))
    assert decided_on is not None and not decided_on.text
    assert leaf_plan(field("CreditRecord", "status")) is not None
    share_scope = leaf_plan(field("CreditRecord", "shareScope"))  # [Audience!]!
    assert share_scope is not None and share_scope.each
    assert leaf_plan(field("CreditRecord", "history")) is None  # a resolver
    assert leaf_plan(field("CreditRecord", "decidedBy")) is None  # an object
    assert leaf_plan(field("Unit", "civilServants")) is None  # arguments
    assert PersonnelOnly in next(
        f for f in served.get_type_by_name("CivilServant").fields  # type: ignore[union-attr]
        if f.name == "name").permission_classes
    assert leaf_plan(field("CivilServant", "name")) is None  # a permission
