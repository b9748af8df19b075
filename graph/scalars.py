"""Strict custom scalars (DOMAIN.md section 0): Date, DateTime and Decimal."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from graphql import StringValueNode, ValueNode

from domains.core.clock import SHANGHAI

# ASCII digits, the whole string (`$` alone would let a trailing newline through, `\d` other
# scripts' digits, which Decimal() accepts).
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DECIMAL = re.compile(r"-?\d+(\.\d{1,2})?", re.ASCII)
TWO_PLACES = Decimal("0.01")


def _string_literal(node: ValueNode, scalar: str) -> str:
    if not isinstance(node, StringValueNode):
        raise ValueError(f"{scalar} must be given as a string")
    return node.value


def parse_date(value: Any) -> date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ValueError(f"Date must be YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a calendar date") from None


def serialize_date(value: date) -> str:
    return value.isoformat()


def parse_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("DateTime must be an ISO 8601 string with an offset")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 instant") from None
    if parsed.tzinfo is None:
        raise ValueError("DateTime must carry an offset, e.g. +08:00")
    return parsed


def serialize_datetime(value: datetime) -> str:
    return value.astimezone(SHANGHAI).isoformat()


def parse_decimal(value: Any) -> Decimal:
    if not isinstance(value, str) or not _DECIMAL.fullmatch(value):
        raise ValueError(f"Decimal must be a string like \"1234.50\" (at most two decimals), "
                         f"got {value!r}")
    return Decimal(value)


def serialize_decimal(value: Decimal) -> str:
    return str(Decimal(value).quantize(TWO_PLACES))


DateScalar = strawberry.scalar(
    name="Date",
    description="Calendar date, ISO 8601 (YYYY-MM-DD), Asia/Shanghai.",
    serialize=serialize_date,
    parse_value=parse_date,
    parse_literal=lambda node, _vars=None: parse_date(_string_literal(node, "Date")),  # type: ignore[misc]
)
DateTimeScalar = strawberry.scalar(
    name="DateTime",
    description="Instant, ISO 8601 with offset.",
    serialize=serialize_datetime,
    parse_value=parse_datetime,
    parse_literal=lambda node, _vars=None: parse_datetime(  # type: ignore[misc]
        _string_literal(node, "DateTime")),
)
DecimalScalar = strawberry.scalar(
    name="Decimal",
    description='Money in yuan as a decimal string, e.g. "1234.50". Never a float.',
    serialize=serialize_decimal,
    parse_value=parse_decimal,
    parse_literal=lambda node, _vars=None: parse_decimal(  # type: ignore[misc]
        _string_literal(node, "Decimal")),
)

SCALAR_OVERRIDES: dict[object, Any] = {
    date: DateScalar,
    datetime: DateTimeScalar,
    Decimal: DecimalScalar,
}
