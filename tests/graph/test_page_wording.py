"""One generic Connection[T]/Edge[T] serves every list under the contract's names
(`Connection[UnitType]` is UnitConnection), each list in its own words (graph.page_wording);
a list without words, or words of no list, stops the schema from starting."""

from __future__ import annotations

import pytest
import strawberry

from graph.page_wording import PageWording, apply_page_wording, specialised_pages, word_pages
from graph.pagination import Connection, Edge, connection, page
from graph.schema import schema

LISTS = ["AuditEntry", "CivilServant", "CreditRecord", "IdentityLookup", "JointAction",
         "Memorandum", "PppResponsibilityGap", "ProcurementContract", "RestrictionCheck", "Unit"]
WORDS = PageWording(edge="A thing in a page.", node="The thing.", connection="A page of things.",
                    edges="The things of this page.", total_count="All things, ignoring paging.")


def generic_words() -> set[str | None]:
    """The descriptions the generic pair itself carries: no served list may show them."""
    definitions = [Edge.__strawberry_definition__,  # type: ignore[attr-defined]
                   Connection.__strawberry_definition__]  # type: ignore[attr-defined]
    return {d.description for d in definitions} | {
        f.description for d in definitions for f in d.fields
        if f.python_name in ("node", "edges", "total_count")}


@strawberry.type(name="Thing", description="Something listed.")
class Thing:
    name: str = strawberry.field(description="Its name.")


def one_thing() -> Connection[Thing]:
    return connection(page(None, None), [Thing(name="one")], 1)


@strawberry.type(name="Query", description="Lists things.")
class ThingQuery:
    things: Connection[Thing] = strawberry.field(resolver=one_thing, description="Things.")


def test_every_list_is_served_under_its_contract_names() -> None:
    served = sorted(t.name for _, t in specialised_pages(schema))
    assert served == sorted(f"{name}{kind}" for name in LISTS for kind in ("Connection", "Edge"))
    assert {"Edge", "Connection"}.isdisjoint(schema._schema.type_map)


def test_every_list_says_what_its_items_are() -> None:
    generic = generic_words()
    for _, served in specialised_pages(schema):
        descriptions = [served.description, *(f.description for f in served.fields.values())]
        assert all(descriptions), served.name
        assert generic.isdisjoint(descriptions), served.name


def test_a_list_keeps_its_own_words() -> None:
    printed = schema.as_str()
    assert '"""A page of units."""\ntype UnitConnection {\n  """The units of this page."""\n' \
        '  edges: [UnitEdge!]!\n\n  """Where this page stands."""\n  pageInfo: PageInfo!\n' \
        in printed
    assert '"""A check in a page."""\ntype RestrictionCheckEdge {\n' \
        '  """Where this item stands, for after."""\n  cursor: String!\n\n' \
        '  """The check."""\n  node: RestrictionCheck!\n}' in printed


def test_a_list_without_words_stops_the_start() -> None:
    with pytest.raises(LookupError, match="no PageWording for the pages of Thing"):
        apply_page_wording(strawberry.Schema(query=ThingQuery), {})


def test_words_of_no_list_stop_the_start() -> None:
    with pytest.raises(LookupError, match="PageWording of no list in the schema: \\['Thung'\\]"):
        apply_page_wording(strawberry.Schema(query=ThingQuery), {"Thing": WORDS, "Thung": WORDS})


def test_the_words_are_served() -> None:
    things = strawberry.Schema(query=ThingQuery)
    apply_page_wording(things, {"Thing": WORDS})
    printed = things.as_str()
    assert '"""A thing in a page."""\ntype ThingEdge {\n' \
        '  """Pass as `after` to read on from here."""\n  cursor: String!\n\n' \
        '  """The thing."""\n  node: Thing!\n}' in printed
    assert '"""A page of things."""\ntype ThingConnection {\n' \
        '  """The things of this page."""\n  edges: [ThingEdge!]!\n\n' \
        '  """Where this page stands."""\n  pageInfo: PageInfo!\n\n' \
        '  """All things, ignoring paging."""\n  totalCount: Int!\n}' in printed


def test_a_node_type_has_one_wording() -> None:
    with pytest.raises(ValueError, match="Unit already has its page wording"):
        word_pages("Unit", WORDS)
    assert 'A page of units."""\ntype UnitConnection' in schema.as_str()
