"""Civil servants, employment history and who may read what (DOMAIN.md sections 1 and 3)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.subject.models import CivilServant, Employment
from tests.conftest import GraphQL
from tests.support import id_number, unit_code

REGISTER_UNITS = """
mutation($units: [UnitInput!]!) { registerUnits(units: $units) { accepted errors { code } } }"""
REGISTER = """
mutation Register($people: [CivilServantInput!]!) {
  registerCivilServants(people: $people) { accepted ids errors { index field code message } }
}"""
END = """
mutation End($idNumber: String!, $endedOn: Date!) {
  endEmployment(idNumber: $idNumber, endedOn: $endedOn) { accepted ids errors { field code } }
}"""
PERSON = """
query Person($idNumber: String!) {
  civilServant(idNumber: $idNumber) {
    id displayName maskedIdNumber name position rank unit { uscc }
    employments { unit { uscc } position rank startedOn endedOn }
  }
}"""
PUBLIC_PERSON = """
query Person($idNumber: String!) {
  civilServant(idNumber: $idNumber) { id displayName maskedIdNumber }
}"""
FINANCE, TAX = unit_code(11), unit_code(12)
ZHANG = id_number(1, born=date(1985, 3, 15))


def person(number: str = ZHANG, unit: str = FINANCE, started: str = "2020-01-01",
           name: str = "张伟", position: str | None = "科员", rank: str | None = "一级科员"
           ) -> dict[str, object]:
    return {"idNumber": number, "name": name, "unitUscc": unit, "startedOn": started,
            "position": position, "rank": rank}


async def given_units(gql: GraphQL) -> None:
    data = await gql.data("CREDIT_OFFICE", REGISTER_UNITS, {"units": [
        {"uscc": FINANCE, "name": "金山区财政局", "kind": "GOVERNMENT_ORGAN"},
        {"uscc": TAX, "name": "金山区税务局", "kind": "GOVERNMENT_ORGAN"}]})
    assert data["registerUnits"]["errors"] == []


async def counts(session: AsyncSession) -> tuple[int, int]:
    people = await session.scalar(select(func.count()).select_from(CivilServant))
    jobs = await session.scalar(select(func.count()).select_from(Employment))
    return int(people or 0), int(jobs or 0)


async def test_the_identity_number_is_never_returned_or_stored_in_clear(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_units(gql)
    lower_x = id_number(7, born=date(1990, 1, 1))
    data = await gql.data("PERSONNEL", REGISTER, {"people": [person(), person(lower_x.lower(),
                                                                             name="李娜")]})
    assert data["registerCivilServants"]["accepted"] == 2
    body = await gql("PERSONNEL", PERSON, {"idNumber": f" {ZHANG} "})
    assert ZHANG not in str(body)
    assert body["data"]["civilServant"]["maskedIdNumber"] == "*" * 16 + ZHANG[-2:]
    stored = (await session.scalars(select(CivilServant))).all()
    assert all(ZHANG not in (p.id_hash + p.masked_id_number) for p in stored)
    found = await gql.data("PERSONNEL", PUBLIC_PERSON, {"idNumber": lower_x.upper()})
    assert found["civilServant"]["displayName"] == "李*"


async def test_a_transfer_closes_the_open_employment_the_day_before(gql: GraphQL) -> None:
    await given_units(gql)
    await gql.data("PERSONNEL", REGISTER, {"people": [person()]})
    data = await gql.data("PERSONNEL", REGISTER, {"people": [
        person(unit=TAX, started="2024-03-01", position="副科长", rank="四级主任科员")]})
    assert data["registerCivilServants"]["errors"] == []
    found = await gql.data("PERSONNEL", PERSON, {"idNumber": ZHANG})
    assert found["civilServant"]["employments"] == [
        {"unit": {"uscc": FINANCE}, "position": "科员", "rank": "一级科员",
         "startedOn": "2020-01-01", "endedOn": "2024-02-29"},
        {"unit": {"uscc": TAX}, "position": "副科长", "rank": "四级主任科员",
         "startedOn": "2024-03-01", "endedOn": None}]
    assert found["civilServant"]["unit"] == {"uscc": TAX}
    assert found["civilServant"]["position"] == "副科长"


async def test_same_unit_and_start_updates_the_post(gql: GraphQL, session: AsyncSession) -> None:
    await given_units(gql)
    await gql.data("PERSONNEL", REGISTER, {"people": [person()]})
    await gql.data("PERSONNEL", REGISTER, {"people": [person(name="张伟伟", rank="二级主任科员")]})
    found = await gql.data("PERSONNEL", PERSON, {"idNumber": ZHANG})
    assert found["civilServant"]["name"] == "张伟伟"
    assert found["civilServant"]["rank"] == "二级主任科员"
    assert await counts(session) == (1, 1)


async def test_bad_rows_are_reported_and_nothing_is_written(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_units(gql)
    await gql.data("PERSONNEL", REGISTER, {"people": [person()]})
    before = await counts(session)
    future_birth = id_number(3, born=date(2027, 1, 1))
    data = await gql.data("PERSONNEL", REGISTER, {"people": [
        person(started="2019-12-31", unit=TAX),          # earlier start at another unit
        person(id_number(2)[:17] + "0" if id_number(2)[17] != "0" else id_number(2)[:17] + "1"),
        person(future_birth),
        person(id_number(4), unit=unit_code(99)),        # unknown unit
        person(id_number(5), unit="bad"),
        person(id_number(6), started="2026-06-16"),      # after today
        person(id_number(8), name=""),
    ]})
    errors = [(e["index"], e["field"], e["code"]) for e in data["registerCivilServants"]["errors"]]
    assert errors == [
        (0, "startedOn", "INVALID_VALUE"),
        (1, "idNumber", "INVALID_ID_NUMBER"),
        (2, "idNumber", "INVALID_ID_NUMBER"),
        (3, "unitUscc", "NOT_FOUND"),
        (4, "unitUscc", "INVALID_USCC"),
        (5, "startedOn", "INVALID_VALUE"),
        (6, "name", "INVALID_VALUE"),
    ]
    data = await gql.data("PERSONNEL", REGISTER, {"people": [
        person(started="2019-12-31", unit=TAX), person(id_number(4), unit=unit_code(99))]})
    errors = [(e["index"], e["field"], e["code"]) for e in data["registerCivilServants"]["errors"]]
    assert errors == [(0, "startedOn", "INVALID_VALUE"), (1, "unitUscc", "NOT_FOUND")]
    assert await counts(session) == before


async def test_end_employment(gql: GraphQL, session: AsyncSession) -> None:
    await given_units(gql)
    await gql.data("PERSONNEL", REGISTER, {"people": [person()]})
    too_early = await gql.data("PERSONNEL", END, {"idNumber": ZHANG, "endedOn": "2019-01-01"})
    assert too_early["endEmployment"]["errors"] == [{"field": "endedOn", "code": "INVALID_VALUE"}]
    done = await gql.data("PERSONNEL", END, {"idNumber": ZHANG, "endedOn": "2026-05-31"})
    assert done["endEmployment"]["accepted"] == 1
    again = await gql.data("PERSONNEL", END, {"idNumber": ZHANG, "endedOn": "2026-06-01"})
    assert again["endEmployment"]["errors"] == [{"field": None, "code": "INVALID_STATE"}]
    unknown = await gql.data("PERSONNEL", END, {"idNumber": id_number(9), "endedOn": "2026-06-01"})
    assert unknown["endEmployment"]["errors"] == [{"field": "idNumber", "code": "NOT_FOUND"}]
    bad = await gql.data("PERSONNEL", END, {"idNumber": "123", "endedOn": "2026-06-01"})
    assert bad["endEmployment"]["errors"] == [{"field": "idNumber", "code": "INVALID_ID_NUMBER"}]
    found = await gql.data("PERSONNEL", PERSON, {"idNumber": ZHANG})
    assert found["civilServant"]["unit"] is None
    assert found["civilServant"]["employments"][0]["endedOn"] == "2026-05-31"


async def test_other_audiences_see_only_the_public_fields(gql: GraphQL) -> None:
    await given_units(gql)
    await gql.data("PERSONNEL", REGISTER, {"people": [person()]})
    for audience in ("PROCUREMENT", "PROJECT_APPROVAL"):
        public = await gql.data(audience, PUBLIC_PERSON, {"idNumber": ZHANG})
        assert public["civilServant"]["displayName"] == "张*"
        for field in ("name", "position", "rank", "unit { uscc }", "employments { rank }"):
            query = f"query($n: String!) {{ civilServant(idNumber: $n) {{ id {field} }} }}"
            body = await gql(audience, query, {"n": ZHANG})
            assert [(e["extensions"]["code"], e["path"][-1]) for e in body["errors"]] == [
                ("FORBIDDEN", field.split()[0])]
    for audience in ("SUPERVISION", "CREDIT_OFFICE"):
        await gql.data(audience, PERSON, {"idNumber": ZHANG})


async def test_only_personnel_and_the_credit_office_write_people(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_units(gql)
    for audience in ("PROCUREMENT", "PROJECT_APPROVAL", "SUPERVISION"):
        body = await gql(audience, REGISTER, {"people": [person()]})
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        body = await gql(audience, END, {"idNumber": ZHANG, "endedOn": "2026-06-01"})
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await counts(session) == (0, 0)
    await gql.data("CREDIT_OFFICE", REGISTER, {"people": [person()]})


async def test_a_unit_lists_its_serving_people_to_personnel_only(gql: GraphQL) -> None:
    await given_units(gql)
    await gql.data("PERSONNEL", REGISTER, {"people": [
        person(id_number(i), name=f"人员{i:02d}") for i in range(1, 4)]})
    query = """query($uscc: String!) { unit(uscc: $uscc) {
        civilServants(first: 2) { totalCount edges { node { name displayName } } } } }"""
    data = await gql.data("PERSONNEL", query, {"uscc": FINANCE})
    listed = data["unit"]["civilServants"]
    assert listed["totalCount"] == 3
    assert [(e["node"]["name"], e["node"]["displayName"]) for e in listed["edges"]] == [
        ("人员01", "人***"), ("人员02", "人***")]
    body = await gql("PROCUREMENT", query, {"uscc": FINANCE})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_malformed_number_is_an_error_and_an_unknown_one_null(gql: GraphQL) -> None:
    body = await gql("PERSONNEL", PUBLIC_PERSON, {"idNumber": "31011619850315123"})
    assert body["data"] == {"civilServant": None}
    assert body["errors"][0]["extensions"] == {"code": "INVALID_ID_NUMBER"}
    assert "31011619850315123" not in body["errors"][0]["message"]
    assert await gql.data("PERSONNEL", PUBLIC_PERSON, {"idNumber": id_number(5)}) == {
        "civilServant": None}


async def test_a_repeated_person_counts_once_or_conflicts(gql: GraphQL,
                                                         session: AsyncSession) -> None:
    await given_units(gql)
    lower_x = id_number(7, born=date(1990, 1, 1))
    same = await gql.data("PERSONNEL", REGISTER, {"people": [
        person(), person(f" {ZHANG} "), person(lower_x), person(lower_x.lower())]})
    ids = same["registerCivilServants"]["ids"]
    assert same["registerCivilServants"]["errors"] == [] and len(ids) == 4
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2]
    assert await counts(session) == (2, 2)
    other = await gql.data("PERSONNEL", REGISTER, {"people": [
        person(id_number(8)), person(id_number(8), started="2021-01-01")]})
    assert [(e["index"], e["field"], e["code"])
            for e in other["registerCivilServants"]["errors"]] == [(1, "idNumber", "CONFLICT")]
    assert await counts(session) == (2, 2)
