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


def _listed(value: Any, context: InputContext, name: str) -> Any:
    """A list of leaves is copied (graphql-core may share a default list between requests)."""
    return value if value is None or value is UNSET else list(value)


class _Builder:
    """The `from_input` of one input class; its plan is made at the first value (the scalar
    registry comes with the context)."""

    def __init__(self, definition: StrawberryObjectDefinition) -> None:
        self.definition = definition
        # GraphQL name -> (python name, conversion; None: the value as graphql-core parsed it)
        self.plan: dict[str, tuple[str, Convert | None]] | None = None
        # as strawberry does: a field without a default is None unless the value holds it
        self.nulls = {field.python_name: None for field in definition.fields
                      if field.default_value is MISSING and field.default_factory is MISSING}

    def __call__(self, cls: type, value: Mapping[str, Any], context: InputContext) -> Any:
        plan = self.plan if self.plan is not None else self._make_plan(context)
        kwargs = dict(self.nulls)
        # the value's own names: graphql-core's coercion keeps only the type's fields
        for graphql_name, item in value.items():
            step = plan.get(graphql_name)
            if step is not None:
                python_name, convert = step
                kwargs[python_name] = item if convert is None else convert(
                    item, context, graphql_name)
        return cls(**kwargs)

    def _make_plan(self, context: InputContext) -> dict[str, tuple[str, Convert | None]]:
        names = context.config.name_converter
        self.plan = {names.from_field(field): (field.python_name, self._converter(
            field.resolve_type(type_definition=self.definition), context))
            for field in self.definition.fields}
        return self.plan

    @staticmethod
    def _converter(type_: Any, context: InputContext) -> Convert | None:
        def is_leaf(candidate: Any) -> bool:
            return candidate is not GlobalID and (
                is_scalar(candidate, context.scalar_registry)
                or isinstance(candidate, StrawberryEnumDefinition)
                or has_enum_definition(candidate))
        inner = type_.of_type if (isinstance(type_, StrawberryOptional)
                                  and not isinstance(type_, StrawberryMaybe)) else type_
        if is_leaf(inner):
            return None
        if isinstance(inner, StrawberryList):
            item = inner.of_type
            if isinstance(item, StrawberryOptional) and not isinstance(item, StrawberryMaybe):
                item = item.of_type
            if is_leaf(item):
                return _listed
        if isinstance(inner, type):
            nested = get_object_definition(inner)
            if nested is not None and isinstance(nested.from_input, _Builder):
                return _nested(inner, nested.from_input)

        def converted(value: Any, context: InputContext, name: str) -> Any:
            return context.convert(value, type_, name)
        return converted


def _nested(cls: type, builder: _Builder) -> Convert:
    """A nested input object with its own planned builder, called directly: what
    `convert_argument` does for it (null and UNSET as they are), without looking the type up
    again for every row."""
    def convert(value: Any, context: InputContext, name: str) -> Any:
        if value is None or value is UNSET:
            return value
        return builder(cls, value, InputContext(
            info=context.info, config=context.config, scalar_registry=context.scalar_registry,
            path=(*context.path, name)))
    return convert
