"""One rule for every String input (issue 7): no NUL character, no lone UTF-16 surrogate, and
no longer than the column that keeps it (`domains.core.texts`); and one for every Date or
DateTime input: a day from 1900-01-01 to 2099-12-31 (`domains.core.dates.day_problem`, so no
date arithmetic can overflow). A bad value is INVALID_VALUE on its field before the resolver
runs, never a database error or an OverflowError masked as INTERNAL:

- a mutation whose payload has `failed(errors)` (BatchPayload, RecordPayload, CheckPayload)
  answers it in the payload: `index` is the row of a batch argument, `field` the dot path inside
  the row (or the argument's name), and nothing is written;
- any other field answers null and a GraphQL error with `extensions {code: INVALID_VALUE,
  field}`.

Every String input declares its width: `text_field(Model.column)` / `text_argument(...)` for a
text kept in (or compared with) a column, `key_field()` / `key_argument()` for a key or cursor
that its own parser bounds (INVALID_USCC, a cursor's INVALID_VALUE). `guard_inputs(Query,
Mutation, ...)` puts `InputGuard` on every field that takes arguments, innermost, so the
permission check runs first; a domain merged into Query or Mutation gets it with nothing to do.
`tests/graph/test_input_guard.py` fails for a String input that declares nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any, Final

import strawberry
from graphql import GraphQLError
from strawberry.extensions import FieldExtension
from strawberry.types import Info
from strawberry.types.base import StrawberryOptional, get_object_definition
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition
from strawberry.types.field import StrawberryField
from strawberry.types.lazy_type import LazyType

from domains.core.dates import day_problem
from domains.core.errors import InputError
from domains.core.texts import column_width, text_problem

WIDTH: Final = "integrity.width"  # metadata: the most characters, or None for a parsed key
INVALID_VALUE: Final = "INVALID_VALUE"
Path = tuple[str | int, ...]


def text_field(column: Any, *, description: str, **default: Any) -> Any:
    """An input field holding a text of `column` (at most its width), e.g.
    `name: str = text_field(Unit.name, description=...)`; pass `default=None` if optional."""
    return strawberry.field(description=description, metadata={WIDTH: column_width(column)},
                            **default)


def key_field(*, description: str, **default: Any) -> Any:
    """An input field holding a key whose parser bounds it (a uscc, an identity number)."""
    return strawberry.field(description=description, metadata={WIDTH: None}, **default)


def text_argument(column: Any, *, description: str) -> Any:
    """A String argument compared with or kept in `column` (at most its width)."""
    return strawberry.argument(description=description, metadata={WIDTH: column_width(column)})


def key_argument(*, description: str) -> Any:
    """A String argument holding a key or a cursor that its own parser bounds."""
    return strawberry.argument(description=description, metadata={WIDTH: None})


def _is_id(type_: Any) -> bool:
    """A global ID: one that does not decode is NOT_FOUND (DOMAIN.md section 0), not text."""
    while hasattr(type_, "of_type"):
        type_ = type_.of_type
    return type_ is strawberry.ID


def _is_text(type_: Any) -> bool:
    """A String field (null allowed), not a list."""
    return (type_.of_type if isinstance(type_, StrawberryOptional) else type_) is str


def _is_enum(type_: Any) -> bool:
    """An enum field, or a list of enums."""
    while hasattr(type_, "of_type"):
        type_ = type_.of_type
    return isinstance(type_, StrawberryEnumDefinition) or has_enum_definition(type_)


def _is_number(type_: Any) -> bool:
    """An Int, Float or Boolean argument (or a list of them) holds neither text nor a day."""
    while hasattr(type_, "of_type"):
        type_ = type_.of_type
    return type_ in (int, float, bool)


def _problems(value: Any, width: int | None, path: Path, info: Info[Any, Any]
              ) -> list[tuple[Path, str]]:
    """(path, message) of every text or day inside `value` that breaks the rule."""
    found: list[tuple[Path, str]] = []
    _collect(value, width, path, info.schema.config.name_converter, found)
    return found


def _collect(value: Any, width: int | None, path: Path, names: Any,
             found: list[tuple[Path, str]]) -> None:
    if isinstance(value, str):
        problem = text_problem(value, width)
        if problem is not None:
            found.append((path, problem))
    elif isinstance(value, date):
        problem = day_problem(value.date() if isinstance(value, datetime) else value)
        if problem is not None:
            found.append((path, problem))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _collect(item, width, (*path, index), names, found)
    elif (fields := _fields(type(value), names)) is not None:
        for python_name, width, name, text in fields:
            item = getattr(value, python_name)
            if item is None:  # most optional fields of a batch's rows are left out
                continue
            if text and type(item) is str:  # the common case, without the dispatch above
                problem = text_problem(item, width)
                if problem is not None:
                    found.append(((*path, name), problem))
            else:
                _collect(item, width, (*path, name), names, found)


# (input class, name converter) -> its fields that can hold a text or a day (None: the class
# is not an input type): worked out once, not for each of a batch's thousand rows
_FIELDS: dict[tuple[type, object], list[tuple[str, int | None, str, bool]] | None] = {}


def _fields(cls: type, names: Any) -> list[tuple[str, int | None, str, bool]] | None:
    """(python name, width, GraphQL name, declared a String) of the input fields that are
    neither IDs, numbers nor enums (an enum's values are names, never a bad text)."""
    try:
        return _FIELDS[(cls, names)]
    except KeyError:
        pass
    definition = get_object_definition(cls)
    found = _FIELDS[(cls, names)] = None if definition is None else [
        (field.python_name, field.metadata.get(WIDTH), names.get_graphql_name(field),
         _is_text(field.type))
        for field in definition.fields
        if not _is_id(field.type) and not _is_number(field.type) and not _is_enum(field.type)]
    return found


def _input_error(path: Path, message: str) -> InputError:
    """The payload error: the row index of a batch argument, the dot path inside the row."""
    index = path[1] if len(path) > 1 and isinstance(path[1], int) else None
    inside = [p for p in path[1:] if isinstance(p, str)]
    items = [str(p) for p in path[2 if index is not None else 1:] if isinstance(p, int)]
    where = f"item {', '.join(items)}: " if items else ""
    return InputError(code=INVALID_VALUE, message=where + message, index=index,
                      field=".".join(inside) if inside else str(path[0]))


def _graph_error(path: Path, message: str) -> GraphQLError:
    field = ".".join(str(p) for p in path)
    return GraphQLError(f"{field}: {message}", extensions={"code": INVALID_VALUE, "field": field})


class InputGuard(FieldExtension):
    """Refuses a field's String arguments that break the rule (see the module's text)."""

    def apply(self, field: StrawberryField) -> None:
        self.field = field
        self._checked: list[tuple[str, int | None, str]] | None = None

    def _arguments(self, info: Info[Any, Any]) -> list[tuple[str, int | None, str]]:
        """(python name, width, GraphQL name) of the arguments that can hold a text or a day,
        worked out once (at the first call: GraphQL names need the schema's name converter)."""
        if self._checked is None:
            names = info.schema.config.name_converter
            self._checked = [(a.python_name, a.metadata.get(WIDTH), names.get_graphql_name(a))
                             for a in self.field.arguments
                             if not _is_id(a.type) and not _is_number(a.type)]
        return self._checked

    def _refusal(self, info: Info[Any, Any], kwargs: dict[str, Any]) -> Any:
        """The answer to bad arguments, or None when they are all acceptable."""
        problems = [found for python_name, width, name in self._arguments(info)
                    for found in _problems(kwargs.get(python_name), width, (name,), info)]
        if not problems:
            return None
        failed = getattr(self.field.type, "failed", None)
        if callable(failed):
            return failed([_input_error(path, message) for path, message in problems])
        raise _graph_error(*problems[0])

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info[Any, Any],
                **kwargs: Any) -> Any:
        refusal = self._refusal(info, kwargs)
        return next_(source, info, **kwargs) if refusal is None else refusal

    async def resolve_async(self, next_: Callable[..., Awaitable[Any]], source: Any,
                            info: Info[Any, Any], **kwargs: Any) -> Any:
        refusal = self._refusal(info, kwargs)
        return await next_(source, info, **kwargs) if refusal is None else refusal


def _named_type(type_: Any) -> Any:
    while hasattr(type_, "of_type"):
        type_ = type_.of_type
    return type_.resolve_type() if isinstance(type_, LazyType) else type_


def guard_inputs(*roots: type) -> None:
    """Put InputGuard innermost on every field with arguments reachable from `roots` (before
    the schema is built: strawberry wraps resolvers then). Idempotent."""
    seen: set[str] = set()
    pending = list(roots)
    while pending:
        definition = get_object_definition(pending.pop())
        if definition is None or definition.name in seen:
            continue
        seen.add(definition.name)
        for field in definition.fields:
            if field.arguments and not any(isinstance(e, InputGuard) for e in field.extensions):
                field.extensions.insert(0, InputGuard())
            pending.append(_named_type(field.type))
