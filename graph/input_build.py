"""Batch inputs built at the cost of a dict, not of strawberry's generic conversion.

strawberry turns each input object into its class through `convert_argument`, which resolves
every field's type again for every value: about 0.3 ms per CreditRecordInput, a quarter of
the server's time on a 1,000-row reportCreditRecords (issue 13, batch writes). `fast_input`
sets strawberry's own hook for this, the definition's `from_input`, to a builder that plans
each field once: a scalar or an enum (or a list of them) is taken as graphql-core already
parsed it, exactly what `convert_argument` returns for them; a nested input object and any
other type go through strawberry's conversion (`InputContext.convert`), so a nested input
with its own fast builder uses it. The result is the same instance either way; the tests of
the inputs (defaults, omitted fields, nulls) run through it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING
from typing import Any, TypeVar

from strawberry.relay.types import GlobalID
from strawberry.scalars import is_scalar
from strawberry.types.arguments import InputContext
from strawberry.types.base import (
    StrawberryList,
    StrawberryMaybe,
    StrawberryObjectDefinition,
    StrawberryOptional,
    get_object_definition,
)
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition
from strawberry.types.unset import UNSET

T = TypeVar("T")
Convert = Callable[[Any, InputContext, str], Any]


def fast_input(cls: type[T]) -> type[T]:
    """Give the strawberry input class `cls` the planned builder (use below @strawberry.input)."""
    definition = get_object_definition(cls, strict=True)
    definition.from_input = _Builder(definition)
    return cls


def _as_is(value: Any, context: InputContext, name: str) -> Any:
    return value


def _listed(value: Any, context: InputContext, name: str) -> Any:
    """A list of leaves is copied (graphql-core may share a default list between requests)."""
    return value if value is None or value is UNSET else list(value)


class _Builder:
    """The `from_input` of one input class; its plan is made at the first value (the scalar
    registry comes with the context)."""

    def __init__(self, definition: StrawberryObjectDefinition) -> None:
        self.definition = definition
        self.plan: list[tuple[str, str, Convert]] | None = None
        # as strawberry does: a field without a default is None unless the value holds it
        self.nulls = {field.python_name: None for field in definition.fields
                      if field.default_value is MISSING and field.default_factory is MISSING}

    def __call__(self, cls: type, value: Mapping[str, Any], context: InputContext) -> Any:
        plan = self.plan if self.plan is not None else self._make_plan(context)
        kwargs = dict(self.nulls)
        for graphql_name, python_name, convert in plan:
            if graphql_name in value:
                kwargs[python_name] = convert(value[graphql_name], context, graphql_name)
        return cls(**kwargs)

    def _make_plan(self, context: InputContext) -> list[tuple[str, str, Convert]]:
        names = context.config.name_converter
        self.plan = [(names.from_field(field), field.python_name,
                      self._converter(field.resolve_type(type_definition=self.definition),
                                      context))
                     for field in self.definition.fields]
        return self.plan

    @staticmethod
    def _converter(type_: Any, context: InputContext) -> Convert:
        def is_leaf(candidate: Any) -> bool:
            return candidate is not GlobalID and (
                is_scalar(candidate, context.scalar_registry)
                or isinstance(candidate, StrawberryEnumDefinition)
                or has_enum_definition(candidate))
        inner = type_.of_type if (isinstance(type_, StrawberryOptional)
                                  and not isinstance(type_, StrawberryMaybe)) else type_
        if is_leaf(inner):
            return _as_is
        if isinstance(inner, StrawberryList):
            item = inner.of_type
            if isinstance(item, StrawberryOptional) and not isinstance(item, StrawberryMaybe):
                item = item.of_type
            if is_leaf(item):
                return _listed

        def converted(value: Any, context: InputContext, name: str) -> Any:
            return context.convert(value, type_, name)
        return converted
