"""Registering contracts and recording milestones over HTTP (DOMAIN.md sections 3, 6, 9)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.ids import parse_global_id
from tests.conftest import GraphQL
from tests.graph.procurement.support import (
    CITY_FIRM,
    CONTRACT,
    MILESTONES,
    OFFICER,
    REGISTER,
    SCHOOL,
    SUPPLIER,
    contract,
    errors_of,
    given_purchasers,
    milestone,
    rows,
)
from tests.support import id_number, unit_code


async def test_register_a_contract_with_default_terms(gql: GraphQL) -> None:
    # given a purchaser and its responsible officer
    await given_purchasers(gql)
    # when the procurement system registers a contract, keys with blanks and lower case
    data = await gql.data("PROCUREMENT", REGISTER, {"contracts": [contract(
        " js-2026-001 ", responsiblePersonIdNumber=OFFICER, purchaserUscc=SCHOOL.lower())]})
    payload = data["registerProcurementContracts"]
    assert payload["errors"] == [] and payload["accepted"] == 1
    # then it is stored under the normalised code with the 30/30-day defaults
    found = await gql.data("PERSONNEL", CONTRACT, {"code": "JS-2026-001"})
    assert found["procurementContract"] == {
        "id": payload["ids"][0], "code": "JS-2026-001", "title": "教室课桌椅",
        "supplierName": "上海某家具有限公司", "supplierUscc": SUPPLIER, "supplierIsSme": True,
        "amount": "120000.00", "signedOn": "2026-01-15", "acceptanceDays": 30,
        "paymentDays": 30, "deliveredOn": None, "acceptanceDueOn": None, "acceptedOn": None,
        "paymentDueOn": None, "paidOn": None, "purchaser": {"uscc": SCHOOL},
        "responsiblePerson": {"displayName": "王*"}, "breaches": []}
    parsed = parse_global_id(payload["ids"][0])
    assert parsed is not None and parsed[0] == "ProcurementContract"


async def test_unknown_contract_is_null(gql: GraphQL) -> None:
    assert await gql.data("PROCUREMENT", CONTRACT, {"code": "NOPE"}) == {
        "procurementContract": None}


async def test_milestones_give_due_dates_and_breaches(gql: GraphQL) -> None:
    # given a contract delivered 2026-03-02 and accepted late, on 2026-04-03 (due 2026-04-01)
    await given_purchasers(gql)
    await gql.data("PROCUREMENT", REGISTER, {"contracts": [contract()]})
    data = await gql.data("PROCUREMENT", MILESTONES, {"milestones": [
        milestone("ACCEPTED", "2026-04-03"), milestone("DELIVERED", "2026-03-02")]})
    assert data["recordContractMilestones"]["accepted"] == 2
    # when read today (2026-06-15): payment due 2026-05-01 (clock from the due day), unpaid
    found = (await gql.data("PROCUREMENT", CONTRACT, {"code": "JS-2026-001"}))[
        "procurementContract"]
    # then both breaches, the SME owed 120000 × 0.0005 × 45 = 2700.00
    assert (found["deliveredOn"], found["acceptanceDueOn"], found["acceptedOn"],
            found["paymentDueOn"], found["paidOn"]) == (
        "2026-03-02", "2026-04-01", "2026-04-03", "2026-05-01", None)
    assert found["breaches"] == [
        {"kind": "ACCEPTANCE_LATE", "dueOn": "2026-04-01", "resolvedOn": "2026-04-03",
         "daysLate": 2, "lateInterest": "0.00", "contract": {"code": "JS-2026-001"}},
        {"kind": "PAYMENT_OVERDUE", "dueOn": "2026-05-01", "resolvedOn": None,
         "daysLate": 45, "lateInterest": "2700.00", "contract": {"code": "JS-2026-001"}}]
    # and on asOf 2026-04-02 the acceptance had not happened yet: overdue by 1 day
    replay = (await gql.data("PROCUREMENT", CONTRACT, {"code": "JS-2026-001",
                                                       "asOf": "2026-04-02"}))
    assert [(b["kind"], b["daysLate"]) for b in replay["procurementContract"]["breaches"]] == [
        ("ACCEPTANCE_OVERDUE", 1)]


async def test_registering_and_recording_again_is_idempotent(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_purchasers(gql)
    first = await gql.data("PROCUREMENT", REGISTER, {"contracts": [contract()]})
    await gql.data("PROCUREMENT", MILESTONES, {"milestones": [milestone("DELIVERED",
                                                                        "2026-03-02")]})
    before = await rows(session)
    # the same content again, with the defaults spelled out, and the same milestone again
    again = await gql.data("PROCUREMENT", REGISTER, {"contracts": [
        contract(acceptanceDays=30, paymentDays=30, amount="120000")]})
    assert again["registerProcurementContracts"] == {
        "accepted": 1, "ids": first["registerProcurementContracts"]["ids"], "errors": []}
    same = await gql.data("CREDIT_OFFICE", MILESTONES, {"milestones": [
        milestone("DELIVERED", "2026-03-02"), milestone("DELIVERED", "2026-03-02")]})
    assert same["recordContractMilestones"]["accepted"] == 2
    assert await rows(session) == before


async def test_a_contract_is_updated_until_it_has_a_milestone(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_purchasers(gql)
    await gql.data("PROCUREMENT", REGISTER, {"contracts": [contract()]})
    updated = await gql.data("PROCUREMENT", REGISTER, {"contracts": [
        contract(title="课桌椅（补充）", paymentDays=45)]})
    assert updated["registerProcurementContracts"]["errors"] == []
    await gql.data("PROCUREMENT", MILESTONES, {"milestones": [milestone("DELIVERED",
                                                                        "2026-03-02")]})
    before = await rows(session)
    frozen = await gql.data("PROCUREMENT", REGISTER, {"contracts": [contract(paymentDays=50)]})
    assert errors_of(frozen["registerProcurementContracts"]) == [(0, "code", "CONFLICT")]
    assert frozen["registerProcurementContracts"]["accepted"] == 0
    found = await gql.data("PROCUREMENT", CONTRACT, {"code": "JS-2026-001"})
    assert found["procurementContract"]["paymentDays"] == 45
    assert await rows(session) == before


BAD_CONTRACTS: list[tuple[dict[str, Any], tuple[str, str]]] = [
    (contract(acceptanceDays=0), ("acceptanceDays", "INVALID_VALUE")),
    (contract(acceptanceDays=366), ("acceptanceDays", "INVALID_VALUE")),
    (contract(paymentDays=0), ("paymentDays", "INVALID_VALUE")),
    (contract(paymentDays=366, supplierIsSme=False), ("paymentDays", "INVALID_VALUE")),
    (contract(paymentDays=61), ("paymentDays", "PAYMENT_TERM_TOO_LONG")),
    (contract(amount="0.00"), ("amount", "INVALID_VALUE")),
    (contract(amount="-5.00"), ("amount", "INVALID_VALUE")),
    (contract(signedOn="2026-06-16"), ("signedOn", "INVALID_VALUE")),
    (contract(code=" "), ("code", "INVALID_VALUE")),
    (contract(title=""), ("title", "INVALID_VALUE")),
    (contract(supplierName="  "), ("supplierName", "INVALID_VALUE")),
    (contract(purchaserUscc="91310116MA1J"), ("purchaserUscc", "INVALID_USCC")),
    (contract(supplierUscc="123"), ("supplierUscc", "INVALID_USCC")),
    (contract(purchaserUscc=unit_code(299)), ("purchaserUscc", "NOT_FOUND")),
    (contract(responsiblePersonIdNumber="310116198503150000"),
     ("responsiblePersonIdNumber", "INVALID_ID_NUMBER")),
    (contract(responsiblePersonIdNumber=id_number(99)),
     ("responsiblePersonIdNumber", "NOT_FOUND")),
]


@pytest.mark.parametrize(("bad", "expected"), BAD_CONTRACTS,
                         ids=[f"{e[0]}-{e[1]}" for _, e in BAD_CONTRACTS])
async def test_a_bad_contract_rejects_the_batch(
        gql: GraphQL, session: AsyncSession, bad: dict[str, Any],
        expected: tuple[str, str]) -> None:
    # given a good row before the bad one
    await given_purchasers(gql)
    before = await rows(session)
    data = await gql.data("PROCUREMENT", REGISTER, {"contracts": [
        contract("JS-OK"), {**bad, "code": bad["code"] if bad["code"] != "JS-2026-001"
                            else "JS-BAD"}]})
    payload = data["registerProcurementContracts"]
    # then one error on the bad row, and nothing at all is written
    assert errors_of(payload) == [(1, *expected)]
    assert payload["accepted"] == 0 and payload["ids"] == []
    assert payload["errors"][0]["message"]
    assert await rows(session) == before


async def test_a_state_enterprise_may_agree_a_longer_term_with_an_sme(gql: GraphQL) -> None:
    await given_purchasers(gql)
    data = await gql.data("PROCUREMENT", REGISTER, {"contracts": [
        contract(purchaserUscc=CITY_FIRM, paymentDays=90), contract("JS-2", paymentDays=60),
        contract("JS-3", paymentDays=90, supplierIsSme=False)]})
    assert data["registerProcurementContracts"]["errors"] == []
    assert data["registerProcurementContracts"]["accepted"] == 3


async def test_a_key_repeated_in_a_batch(gql: GraphQL, session: AsyncSession) -> None:
    await given_purchasers(gql)
    same = await gql.data("PROCUREMENT", REGISTER, {"contracts": [
        contract(), contract(" js-2026-001")]})
    payload = same["registerProcurementContracts"]
    assert payload["accepted"] == 2 and payload["ids"][0] == payload["ids"][1]
    before = await rows(session)
    other = await gql.data("PROCUREMENT", REGISTER, {"contracts": [
        contract("JS-9"), contract("JS-9", title="另一个")]})
    assert errors_of(other["registerProcurementContracts"]) == [(1, "code", "CONFLICT")]
    assert await rows(session) == before


async def test_a_decimal_scalar_is_strict(gql: GraphQL, session: AsyncSession) -> None:
    await given_purchasers(gql)
    for amount in (120000, "1.005", "1e3", "NaN"):
        body = await gql("PROCUREMENT", REGISTER, {"contracts": [contract(amount=amount)]})
        assert body["data"] is None and "errors" in body
    assert await rows(session) == (0, 0)


BAD_MILESTONES: list[tuple[list[dict[str, str]], list[tuple[int, str, str]]]] = [
    ([milestone("ACCEPTED", "2026-04-01")], [(0, "milestone", "MILESTONE_OUT_OF_ORDER")]),
    ([milestone("PAID", "2026-04-01")], [(0, "milestone", "MILESTONE_OUT_OF_ORDER")]),
    ([milestone("DELIVERED", "2026-03-02"), milestone("ACCEPTED", "2026-03-01")],
     [(1, "milestone", "MILESTONE_OUT_OF_ORDER")]),
    ([milestone("DELIVERED", "2026-06-16")], [(0, "on", "INVALID_VALUE")]),
    ([milestone("DELIVERED", "2026-03-02", code="NOPE")], [(0, "contractCode", "NOT_FOUND")]),
    ([milestone("DELIVERED", "2026-03-02"), milestone("DELIVERED", "2026-03-03")],
     [(1, "on", "CONFLICT")]),
]


@pytest.mark.parametrize(("batch", "expected"), BAD_MILESTONES)
async def test_a_bad_milestone_rejects_the_batch(
        gql: GraphQL, session: AsyncSession, batch: list[dict[str, str]],
        expected: list[tuple[int, str, str]]) -> None:
    await given_purchasers(gql)
    await gql.data("PROCUREMENT", REGISTER, {"contracts": [contract(), contract("JS-2")]})
    before = await rows(session)
    data = await gql.data("PROCUREMENT", MILESTONES, {"milestones": [
        milestone("DELIVERED", "2026-03-02", code="JS-2"), *batch]})
    payload = data["recordContractMilestones"]
    assert errors_of(payload) == [(index + 1, field, code) for index, field, code in expected]
    assert payload["accepted"] == 0 and payload["ids"] == []
    assert await rows(session) == before


async def test_a_recorded_milestone_never_changes(gql: GraphQL, session: AsyncSession) -> None:
    await given_purchasers(gql)
    await gql.data("PROCUREMENT", REGISTER, {"contracts": [contract()]})
    await gql.data("PROCUREMENT", MILESTONES, {"milestones": [
        milestone("DELIVERED", "2026-03-02"), milestone("PAID", "2026-03-20")]})
    before = await rows(session)
    data = await gql.data("PROCUREMENT", MILESTONES, {"milestones": [
        milestone("PAID", "2026-03-21"), milestone("ACCEPTED", "2026-03-01")]})
    assert errors_of(data["recordContractMilestones"]) == [
        (0, "on", "CONFLICT"), (1, "milestone", "MILESTONE_OUT_OF_ORDER")]
    assert await rows(session) == before
    # PAID without ACCEPTED is allowed; ACCEPTED later is too
    ok = await gql.data("PROCUREMENT", MILESTONES, {"milestones": [
        milestone("ACCEPTED", "2026-03-25")]})
    assert ok["recordContractMilestones"]["errors"] == []


@pytest.mark.parametrize("audience", ["PERSONNEL", "SUPERVISION", "PROJECT_APPROVAL"])
async def test_only_procurement_and_the_credit_office_write_contracts(
        gql: GraphQL, session: AsyncSession, audience: str) -> None:
    await given_purchasers(gql)
    body = await gql(audience, REGISTER, {"contracts": [contract()]})
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    body = await gql(audience, MILESTONES, {"milestones": [milestone("DELIVERED",
                                                                     "2026-03-02")]})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert await rows(session) == (0, 0)
    written = await gql.data("CREDIT_OFFICE", REGISTER, {"contracts": [contract()]})
    assert written["registerProcurementContracts"]["accepted"] == 1
