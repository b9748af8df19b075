"""Relay connections (DOMAIN.md section 0): `first` 1..100 (default 20), opaque `after`."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

import strawberry

from graph.errors import graph_error
from graph.input_guard import key_argument

DEFAULT_PAGE = 20
MAX_PAGE = 100

First = Annotated[int | None, strawberry.argument(
    description=f"How many items, 1 to {MAX_PAGE} (default {DEFAULT_PAGE}).")]
After = Annotated[str | None, key_argument(
    description="Read on after this cursor (an edge's cursor, or pageInfo.endCursor); omitted: "
    "from the start.")]


@strawberry.type(description="Where a page stands in its list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether items follow this page.")
    has_previous_page: bool = strawberry.field(
        description="Whether items precede this page (false when after was omitted).")
    start_cursor: str | None = strawberry.field(
        description="The first edge's cursor; null for an empty page.")
    end_cursor: str | None = strawberry.field(
        description="The last edge's cursor (pass it as after); null for an empty page.")


@dataclass(frozen=True)
class Page:
    """A validated window: rows offset+1 .. offset+limit."""

    offset: int
    limit: int
    after_given: bool

    def cursor(self, position: int) -> str:
        return encode_cursor(self.offset + position)


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"cursor:{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        kind, _, value = base64.b64decode(cursor.encode(), validate=True).decode().partition(":")
        offset = int(value)
    except (ValueError, UnicodeDecodeError):
        raise graph_error("INVALID_VALUE", "after is not a cursor of this list") from None
    if kind != "cursor" or offset < 0:
        raise graph_error("INVALID_VALUE", "after is not a cursor of this list")
    return offset


def page(first: int | None, after: str | None) -> Page:
    """The window asked for; a GraphQL error INVALID_VALUE for a bad `first` or `after`."""
    limit = DEFAULT_PAGE if first is None else first
    if not 1 <= limit <= MAX_PAGE:
        raise graph_error("INVALID_VALUE", f"first must be between 1 and {MAX_PAGE}")
    offset = 0 if after is None else decode_cursor(after) + 1
    return Page(offset=offset, limit=limit, after_given=after is not None)


def page_info(window: Page, count: int, total: int) -> PageInfo:
    """PageInfo of `count` items shown of `total` (hasPreviousPage iff an item precedes `after`)."""
    return PageInfo(
        has_next_page=window.offset + count < total,
        has_previous_page=window.after_given and window.offset > 0 and total > 0,
        start_cursor=window.cursor(0) if count else None,
        end_cursor=window.cursor(count - 1) if count else None,
    )


NodeT = TypeVar("NodeT")

CURSOR = "Pass as `after` to read on from here."


@strawberry.type(name="Edge", description="An item in a page (worded per item type).")
class Edge(Generic[NodeT]):
    """One generic edge; strawberry names `Edge[UnitType]` UnitEdge (from the node's GraphQL
    name), so the contract's names come out of the node type alone."""

    cursor: str = strawberry.field(description=CURSOR)
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(name="Connection", description="A page of items (worded per item type).")
class Connection(Generic[NodeT]):
    """One generic connection (named like Edge: `Connection[UnitType]` is UnitConnection); the
    descriptions each list shows clients come from its PageWording (graph.page_wording)."""

    edges: list[Edge[NodeT]] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page stands.")
    total_count: int = strawberry.field(description="All matching items, ignoring paging.")


NOT_SELECTED = ""  # an edge's cursor when the document cannot ask for it


def connection(window: Page, nodes: Sequence[NodeT], total: int,
               cursors: bool = True) -> Connection[NodeT]:
    """The connection of one page of `total` items: each node in an edge with its cursor.
    `cursors=False` when no `cursor` of an edge may be selected (see
    graph.selection.selected_below, conditional): a page of 50 then encodes none."""
    if not cursors:
        edges = [Edge(cursor=NOT_SELECTED, node=node) for node in nodes]
        return Connection(edges=edges, page_info=page_info(window, len(edges), total),
                          total_count=total)
    edges = [Edge(cursor=window.cursor(i), node=node) for i, node in enumerate(nodes)]
    return Connection(edges=edges, page_info=page_info(window, len(edges), total),
                      total_count=total)
