"""Strict scalars (DOMAIN.md section 0): Date is YYYY-MM-DD only, DateTime carries an offset
(+08:00 on output), Decimal is a string of at most two decimals in, exactly two out."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from graph.scalars import (
    parse_date,
    parse_datetime,
    parse_decimal,
    serialize_datetime,
    serialize_decimal,
)
from tests.conftest import GraphQL
from tests.graph.procurement.support import CONTRACT, REGISTER, contract, given_purchasers, rows

BAD_DATES = ["2026-01-01\n", "2026-1-1", "2026-02-30", "20260101", "２０２６-01-01",
             "2026-01-01T00:00:00", " 2026-01-01", 20260101, None]
BAD_DECIMALS = ["1.50\n", "١٢", "１２", "1.005", "1e3", "NaN", "Infinity", "+1", "1.", ".5",
                " 1", "1,00", 120000, 1.5, None]


@pytest.mark.parametrize("value", BAD_DATES)
def test_a_date_is_yyyy_mm_dd_only(value: Any) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


def test_a_good_date() -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)


@pytest.mark.parametrize("value", BAD_DECIMALS)
def test_a_decimal_is_a_string_of_ascii_digits_with_at_most_two_decimals(value: Any) -> None:
    with pytest.raises(ValueError):
        parse_decimal(value)


@pytest.mark.parametrize(("value", "shown"), [("0", "0.00"), ("1.5", "1.50"), ("-2.25", "-2.25"),
                                              ("120000", "120000.00")])
def test_a_decimal_round_trips_with_two_decimals(value: str, shown: str) -> None:
    assert serialize_decimal(parse_decimal(value)) == shown
    assert serialize_decimal(Decimal("3")) == "3.00"


@pytest.mark.parametrize("value", ["2026-01-01", "2026-01-01T10:00:00", "yesterday", 1700000000])
def test_a_datetime_needs_an_offset(value: Any) -> None:
    with pytest.raises(ValueError):
        parse_datetime(value)


def test_a_datetime_is_shown_in_shanghai_time() -> None:
    assert serialize_datetime(datetime(2026, 6, 14, 16, 30, tzinfo=UTC)) == (
        "2026-06-15T00:30:00+08:00")
    assert parse_datetime("2026-06-15T00:30:00+08:00") == datetime(2026, 6, 14, 16, 30,
                                                                    tzinfo=UTC)


@pytest.mark.parametrize("amount", ["1.50\n", "١٢", "1.005", "1e3", "NaN", 120000, 1.5])
async def test_a_bad_decimal_variable_is_a_graphql_error_and_writes_nothing(
        gql: GraphQL, session: AsyncSession, amount: Any) -> None:
    await given_purchasers(gql)
    body = await gql("CREDIT_OFFICE", REGISTER, {"contracts": [contract(amount=amount)]})
    assert body.get("data") is None
    assert "Decimal" in body["errors"][0]["message"]
    assert await rows(session) == (0, 0)


async def test_a_bad_decimal_literal_is_a_graphql_error(gql: GraphQL) -> None:
    body = await gql("CREDIT_OFFICE", """mutation { registerProcurementContracts(contracts: [{
      code: "X", title: "t", purchaserUscc: "x", supplierName: "s", supplierIsSme: false,
      amount: 12.5, signedOn: "2026-01-01"}]) { accepted } }""")
    assert body.get("data") is None
    assert "Decimal must be given as a string" in body["errors"][0]["message"]


async def test_amounts_are_shown_with_two_decimals(gql: GraphQL) -> None:
    await given_purchasers(gql)
    payload = (await gql.data("CREDIT_OFFICE", REGISTER, {"contracts": [
        contract(amount="120000"), contract("JS-2026-002", amount="0.5")]}))
    assert payload["registerProcurementContracts"]["accepted"] == 2
    shown = [(await gql.data("PROCUREMENT", CONTRACT, {"code": code}))["procurementContract"][
        "amount"] for code in ("JS-2026-001", "JS-2026-002")]
    assert shown == ["120000.00", "0.50"]


@pytest.mark.parametrize("day", ["2026-06-15\n", "2026-6-15", "２０２６-06-15"])
async def test_a_bad_date_argument_is_a_graphql_error(gql: GraphQL, day: str) -> None:
    body = await gql("CREDIT_OFFICE", "query($d: Date) { measureRules(asOf: $d) { code } }",
                     {"d": day})
    assert body.get("data") is None
    assert "Date" in body["errors"][0]["message"]
