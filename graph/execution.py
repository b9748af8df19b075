"""graphql-core's executor with a short path for plain leaf fields.

A page of records is mostly leaves read off an object (title, kind, at, status: about 14,000
of the 23,000 fields of the nested credit read). For each, graphql-core builds a resolve info,
calls strawberry's default resolver through two wrappers and completes the value through
several type checks. A field that strawberry itself resolves as "basic" (no resolver, no
permission, no extension, no argument) and whose type is a scalar or an enum is answered here
directly, with the same coercion: in the nested read, 2.01 M -> 1.72 M Python calls and about
a tenth of the CPU time. Anything else, and any value that is not plainly a value (None for a
non-null field, an exception, an awaitable, a coercion that fails), takes graphql-core's own
path, which raises exactly the errors it always did.

`execute_fields` (an object's fields) answers those leaves in its loop, without the `Path`, the
`execute_field` call and the awaitable check graphql-core spends on each field: the credit-file
read 23,056 -> 20,934 Python calls (`python -m tests.request_cost`), the PROCUREMENT read
14,066 -> 13,553.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, NamedTuple

from graphql import (
    GraphQLField,
    GraphQLID,
    GraphQLObjectType,
    GraphQLString,
    Undefined,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
)
from graphql.pyutils import Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import CustomGraphQLEnumType, GraphQLCoreConverter
from strawberry.types.field import StrawberryField

_PLAIN = frozenset({str, int, float, bool, date, datetime, Decimal})
_TEXT = (GraphQLString.coerce_output_value, GraphQLID.coerce_output_value)


class LeafPlan(NamedTuple):
    """How to answer one plain leaf field: the attribute, how strawberry reads it, the type's
    coercion, whether null is an error (left to graphql-core), and whether the value is a list
    of non-null leaves (each item coerced; `[Audience!]!`, `[String!]`)."""

    python_name: str
    read: Any
    coerce: Any
    non_null: bool
    each: bool = False
    enum: Any = None  # an enum type's class: its members are answered by `names`
    names: dict[Any, str] = {}  # noqa: RUF012  (read only)
    text: bool = False  # String or ID: a str is its own output (graphql-core returns it as is)


def leaf_plan(field_def: GraphQLField) -> LeafPlan | None:
    """The short path of a field, or None when graphql-core's path is needed."""
    definition = field_def.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    resolve = field_def.resolve
    if (not isinstance(definition, StrawberryField) or not definition.is_basic_field
            or field_def.args or resolve is None
            or not getattr(resolve, "__qualname__", "").endswith("_get_basic_result")):
        return None
    non_null, named = _unwrap(field_def.type)
    each = is_list_type(named)
    if each:
        item_non_null, named = _unwrap(named.of_type)
        if not item_non_null:  # a null item is graphql-core's to complete
            return None
    if not is_leaf_type(named):
        return None
    coerce = _coercion(named)
    if isinstance(coerce, EnumNames) and not each:  # (a list's items: see _coerce_all)
        return LeafPlan(definition.python_name, definition.default_resolver, coerce, non_null,
                        each, coerce.enum, coerce.names)
    return LeafPlan(definition.python_name, definition.default_resolver, coerce, non_null, each,
                    text=not each and coerce in _TEXT)


def _unwrap(graphql_type: Any) -> tuple[bool, Any]:
    """(whether the type is non-null, the type inside)."""
    if is_non_null_type(graphql_type):
        return True, graphql_type.of_type
    return False, graphql_type


class EnumNames:
    """An enum's output coercion by one look-up: strawberry's `coerce_output_value` scans the
    enum's values and reads each member's `value` (a property) until one matches, which for
    the record page's seven enums was about 1,400 property reads a request. A member of the
    enum's own class answers the name strawberry's scan finds first; anything else goes to it."""

    def __init__(self, enum_type: CustomGraphQLEnumType) -> None:
        self.enum = enum_type.wrapped_cls
        self.fallback = enum_type.coerce_output_value
        self.names: dict[Any, str] = {}
        members: list[Any] = list(self.enum)
        for name, value in reversed(enum_type.values.items()):  # the first match wins
            for member in members:
                if member.value == value.value:
                    self.names[member] = name

    def __call__(self, value: Any) -> Any:
        if type(value) is self.enum:
            return self.names.get(value) or self.fallback(value)
        return self.fallback(value)


def _coercion(named: Any) -> Any:
    return EnumNames(named) if isinstance(named, CustomGraphQLEnumType) else \
        named.coerce_output_value


PLANS = "integrity.leaf_plans"  # where an object type keeps its fields' plans, by name
_UNKNOWN: Any = object()


class LeafExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with plain leaf fields answered directly.

    `execute_fields` meets every field of an object (about 900 in the credit-file read), so it
    is written for its common case: the plan looked up by the field's name on its object type
    (no `get_field`), an enum member named by one dict look-up (`_answer`). `execute_field`
    answers a plain leaf the same way where graphql-core calls it directly (a mutation's
    fields, run one after the other)."""

    _middleware: bool | None = None

    def execute_field(self, parent_type: GraphQLObjectType, source: Any,
                      field_details_list: Any, path: Any, position_context: Any) -> Any:
        name = field_details_list[0].node.name.value
        plans = parent_type.extensions.get(PLANS)
        plan = _UNKNOWN if plans is None else plans.get(name, _UNKNOWN)
        if plan is _UNKNOWN:
            plan = self._plan(parent_type, name)
        middleware = self._middleware
        if middleware is None:
            middleware = self._has_middleware()
        if plan is not None and not middleware:
            value = _answer(plan, source)
            if value is not _UNKNOWN:
                return value
        return super().execute_field(parent_type, source, field_details_list, path,
                                     position_context)

    def execute_fields(self, parent_type: GraphQLObjectType, source_value: Any,
                       path: Path | None, grouped_field_set: Any,
                       position_context: Any) -> Any:
        """graphql-core's `execute_fields` (3.3.2, the pinned version), with each plain leaf
        answered in the loop: no `Path`, no `execute_field` call, no awaitable check for it.
        A leaf the short path cannot answer, and every other field, goes through
        `execute_field` with its path as graphql-core sends it."""
        if self._middleware is None:
            self._has_middleware()
        if self._middleware:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set,
                                          position_context)
        plans = parent_type.extensions.get(PLANS) or {}
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list in grouped_field_set.items():
                name = field_details_list[0].node.name.value
                plan = plans.get(name, _UNKNOWN)
                if plan is _UNKNOWN:
                    plan = self._plan(parent_type, name)
                    plans = parent_type.extensions[PLANS]
                if plan is not None:
                    value = _answer(plan, source_value)
                    if value is not _UNKNOWN:
                        results[response_name] = value
                        continue
                result = self.execute_field(parent_type, source_value, field_details_list,
                                            Path(path, response_name, parent_type.name),
                                            position_context)
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:  # settle the other fields' awaitables, as graphql-core does
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return self._gathered(results, awaitable_fields)

    @staticmethod
    async def _gathered(results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
        if len(awaitable_fields) == 1:
            field = awaitable_fields[0]
            results[field] = await results[field]
        else:
            awaited = await gather_with_cancel(*(results[field] for field in awaitable_fields))
            results.update(zip(awaitable_fields, awaited, strict=True))
        return results

    def _plan(self, parent_type: GraphQLObjectType, name: str) -> LeafPlan | None:
        """The field's plan, worked out at its first use and kept on its object type."""
        field_def = self.schema.get_field(parent_type, name)
        plan = leaf_plan(field_def) if field_def is not None else None
        parent_type.extensions.setdefault(PLANS, {})[name] = plan
        return plan

    def _has_middleware(self) -> bool:
        if self._middleware is None:  # once per request: a schema extension with `resolve`
            manager = self.middleware_manager
            self._middleware = manager is not None and bool(manager.middlewares)
        return self._middleware


def _answer(plan: LeafPlan, source: Any) -> Any:
    """The leaf's answer on the short path, or _UNKNOWN for graphql-core's."""
    value = plan.read(source, plan.python_name)
    if value is None:
        return _UNKNOWN if plan.non_null else None
    if type(value) is plan.enum:
        enum_name = plan.names.get(value)
        if enum_name is not None:
            return enum_name
    elif plan.text and type(value) is str:
        return value
    else:
        coerced = _coerce_all(plan, value) if plan.each else _coerce(plan, value)
        if coerced is not None:
            return coerced
    return _UNKNOWN


def _coerce(plan: LeafPlan, value: Any) -> Any:
    """The value as the field's type serialises it, or None for graphql-core's path."""
    if type(value) in _PLAIN or isinstance(value, Enum):
        try:
            coerced = plan.coerce(value)
        except Exception:  # noqa: BLE001  (graphql-core's path reports it)
            return None
        if coerced is not Undefined:
            return coerced
    return None


def _coerce_all(plan: LeafPlan, value: Any) -> list[Any] | None:
    """A list's items each coerced, or None for graphql-core's path when any one is not
    plainly a value (so its error and path are graphql-core's own)."""
    if type(value) is not list:
        return None
    coerce = plan.coerce
    if type(coerce) is EnumNames:  # a list of enum members (shareScope): named inline
        enum, names = coerce.enum, coerce.names
        coerced = [names.get(item) if type(item) is enum else None for item in value]
        if None not in coerced:
            return coerced
    coerced = [_coerce(plan, item) for item in value]
    return None if None in coerced else coerced
