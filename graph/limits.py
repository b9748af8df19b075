"""Cheap bounds on a GraphQL document, checked before the costly steps they protect.

Parsing is bounded by the document's size in bytes (before the parser sees it) and by the
token limit; validation by how often fields repeat at one response path (graphql-core compares such
fields pairwise: 1,000 repeats took 1.5 s, on the event loop);
execution by a cost computed from page sizes and nesting, in the spirit of GitHub's node limit.
A document with several operations must name the one to run.

Parsing and validating the same document again and again took about a third of a simple read's
time: `DocumentCache` keeps, per app (hence per process), the parsed documents and which of them
passed validation under which rules. Only successes are kept, so a refused document goes
through every check again and answers the same errors (errors are mutated by masking, so they
are never shared between requests); a cached document has passed the size, repeat and
validation checks before, and the per-request checks (operation name, cost from the variables)
still run.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Hashable, Iterator
from typing import Any, Final

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from graphql.language import DocumentNode
from strawberry.extensions import SchemaExtension

from graph.errors import graph_error
from graph.pagination import DEFAULT_PAGE, MAX_PAGE  # the page bounds of DOMAIN.md section 0

DEFAULT_MAX_QUERY_BYTES: Final = 100_000
MAX_OVERLAP: Final = 2_000
# the 50-unit nested read of tests/graph/test_statement_count.py costs 22,050 nodes
MAX_NODES: Final = 50_000


DOCUMENT_CACHE_SIZE: Final = 256


class DocumentCache:
    """Parsed documents by text and (text, validation rules) that passed validation, each an
    LRU of `size` entries, so that clients sending ever new texts cannot grow it."""

    def __init__(self, size: int = DOCUMENT_CACHE_SIZE) -> None:
        self.size = size
        self.parsed: OrderedDict[str, DocumentNode] = OrderedDict()
        self.valid: OrderedDict[Hashable, None] = OrderedDict()

    def document(self, query: str) -> DocumentNode | None:
        found = self.parsed.get(query)
        if found is not None:
            self.parsed.move_to_end(query)
        return found

    def keep_document(self, query: str, document: DocumentNode) -> None:
        self.parsed[query] = document
        if len(self.parsed) > self.size:
            self.parsed.popitem(last=False)

    def is_valid(self, key: Hashable) -> bool:
        if key in self.valid:
            self.valid.move_to_end(key)
            return True
        return False

    def keep_valid(self, key: Hashable) -> None:
        self.valid[key] = None
        if len(self.valid) > self.size:
            self.valid.popitem(last=False)


def max_query_bytes() -> int:
    """INTEGRITY_MAX_QUERY_BYTES, or DEFAULT_MAX_QUERY_BYTES."""
    value = os.environ.get("INTEGRITY_MAX_QUERY_BYTES", "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_QUERY_BYTES


class DocumentLimits(SchemaExtension):
    """Refuses, with a GraphQL error and a code, a document too large to parse, too repetitive
    to validate, too costly to run, or with several operations and no operationName."""

    def _cache(self) -> DocumentCache | None:
        found = getattr(self.execution_context.context, "documents", None)
        return found if isinstance(found, DocumentCache) else None

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query or ""
        cache = self._cache()
        cached = cache.document(query) if cache is not None else None
        if cached is not None:  # it passed the size check and parsed before
            context.graphql_document = cached
            yield
            return
        limit = max_query_bytes()
        if len(query) > limit or len(query.encode("utf-8")) > limit:
            raise graph_error("QUERY_TOO_LARGE", f"the query document may have at most "
                              f"{limit} bytes")
        yield
        if cache is not None and context.graphql_document is not None:
            cache.keep_document(query, context.graphql_document)

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is None:
            yield
            return
        # the name the client sent: `operation_name` falls back to the first operation's,
        # which is how a document of several operations used to run its first one
        _check_operation_named(document, context._provided_operation_name)
        cache = self._cache()
        key = (context.query, context.validation_rules)
        if cache is not None and cache.is_valid(key):
            context.pre_execution_errors = []  # validated before: strawberry skips it
            yield
            return
        _check_repeats(document)
        yield
        if cache is not None and context.pre_execution_errors == []:
            cache.keep_valid(key)

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            nodes = document_cost(context.schema._schema, context.graphql_document,
                                  context.operation_name, context.variables or {})
            if nodes > MAX_NODES:
                raise graph_error("QUERY_TOO_COSTLY", f"this operation could return {nodes} "
                                  f"nodes (pages times their nesting); at most {MAX_NODES}: "
                                  "ask for smaller pages or fewer nested lists")
        yield


def _check_operation_named(document: DocumentNode, operation_name: str | None) -> None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) > 1 and not operation_name:
        raise graph_error("OPERATION_NAME_REQUIRED", "the document has several operations: "
                          "name the one to run with operationName")


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions
            if isinstance(d, FragmentDefinitionNode)}


def _check_repeats(document: DocumentNode) -> None:
    """Refuse a document whose fields, merged as validation merges them, repeat too much.

    graphql-core compares every two fields that share a response path (after fragments are
    spread), and recursively their sub-selections: the work grows with the square of each
    path's count, so 10 repeats nested 3 deep (1,000 fields at one path) took 4 s.
    """
    fragments = _fragments(document)
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode):
            weight = _overlap([definition.selection_set], fragments, 0)
            if weight > MAX_OVERLAP:
                raise graph_error("QUERY_TOO_REPETITIVE", "fields selected again and again at "
                                  "the same place (fragments included) would take too long "
                                  f"to check: weight {weight}, at most {MAX_OVERLAP}")


def _overlap(selection_sets: list[SelectionSetNode],
             fragments: dict[str, FragmentDefinitionNode], weight: int) -> int:
    """The sum, over every merged response path below these selection sets, of the square of
    the number of fields at that path; stops counting once past the limit."""
    by_name: dict[str, list[FieldNode]] = {}
    for selection_set in selection_sets:
        _collect(selection_set, fragments, by_name, set())
    for fields in by_name.values():
        weight += len(fields) ** 2
        if weight > MAX_OVERLAP:
            return weight
        children = [f.selection_set for f in fields if f.selection_set is not None]
        if children:
            weight = _overlap(children, fragments, weight)
    return weight


def _collect(selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode],
             by_name: dict[str, list[FieldNode]], spread: set[str]) -> None:
    """The fields a selection set selects, by response name, through its fragments (each
    fragment once, as graphql-core collects them)."""
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            by_name.setdefault((selection.alias or selection.name).value, []).append(selection)
        elif isinstance(selection, InlineFragmentNode):
            _collect(selection.selection_set, fragments, by_name, spread)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name not in spread and name in fragments:
                spread.add(name)
                _collect(fragments[name].selection_set, fragments, by_name, spread)


def document_cost(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
                  variables: dict[str, Any]) -> int:
    """The nodes an operation could return: every paged field counts its page size times the
    page sizes of the paged fields around it (`first`, default 20; a variable's value)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)
                  and (operation_name is None or (d.name and d.name.value == operation_name))]
    if not operations:
        return 0
    root = schema.get_root_type(operations[0].operation)
    walker = _CostWalker(schema, _fragments(document), variables)
    return walker.cost(operations[0].selection_set, root, 1, frozenset())


class _CostWalker:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode],
                 variables: dict[str, Any]) -> None:
        self.schema, self.fragments, self.variables = schema, fragments, variables

    def cost(self, selection_set: SelectionSetNode, parent: Any, multiplier: int,
             spread: frozenset[str]) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, multiplier, spread)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.cost(selection.selection_set, inner, multiplier, spread)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None and fragment.name.value not in spread:
                    inner = self.schema.get_type(fragment.type_condition.name.value)
                    total += self.cost(fragment.selection_set, inner, multiplier,
                                       spread | {fragment.name.value})
        return total

    def _field(self, node: FieldNode, parent: Any, multiplier: int,
               spread: frozenset[str]) -> int:
        definition = getattr(parent, "fields", {}).get(node.name.value)
        if definition is None or node.selection_set is None:
            return 0
        nodes = 0
        if "first" in definition.args:
            multiplier *= self._page(node)
            nodes = multiplier
        return nodes + self.cost(node.selection_set, get_named_type(definition.type),
                                 multiplier, spread)

    def _page(self, node: FieldNode) -> int:
        """The page size asked for; the largest one when it cannot be read before execution."""
        argument = next((a for a in node.arguments or () if a.name.value == "first"), None)
        if argument is None:
            return DEFAULT_PAGE
        value: Any = getattr(argument.value, "value", None)
        if isinstance(argument.value, VariableNode):
            value = self.variables.get(argument.value.name.value)
        if value is None:  # null or omitted: the default page
            return DEFAULT_PAGE
        try:
            size = int(value)
        except (TypeError, ValueError):
            return MAX_PAGE
        return size if 1 <= size <= MAX_PAGE else MAX_PAGE
