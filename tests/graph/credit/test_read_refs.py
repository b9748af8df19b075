"""RecordRef (DOMAIN.md sections 3 and 4): a basis record is always cited, but its `record`
is resolved for the reader and is null where the record is hidden from it."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.ids import to_global_id
from graph.credit.types import RecordRef
from tests.conftest import GraphQL
from tests.graph.credit.support import add_record, add_unit
from tests.support import unit_code

BASIS = """
query Basis($uscc: String!) {
  unit(uscc: $uscc) { restrictions(scenario: GOVERNMENT_PROCUREMENT) { measures {
    basis { id category severity decidedOn record { sourceRef } } } } }
}"""


async def test_a_hidden_basis_record_is_cited_without_details(gql: GraphQL,
                                                             session: AsyncSession) -> None:
    # given a unit's SERIOUS record that only the credit office may read
    unit = await add_unit(session, 1)
    record = await add_record(session, unit, "SECRET", severity="SERIOUS",
                              category="JUDICIAL_JUDGMENT", disclosure="AUTHORIZED_QUERY",
                              valid_until=date(2028, 2, 29))
    await session.commit()
    ref = {"id": to_global_id("CreditRecord", record.id), "category": "JUDICIAL_JUDGMENT",
           "severity": "SERIOUS", "decidedOn": "2026-03-01"}
    # when the procurement client and the credit office ask for its restrictions
    hidden = await gql.data("PROCUREMENT", BASIS, {"uscc": unit_code(1)})
    shown = await gql.data("CREDIT_OFFICE", BASIS, {"uscc": unit_code(1)})
    # then both see the citation; only the credit office sees the record
    hidden_refs = [b for m in hidden["unit"]["restrictions"]["measures"] for b in m["basis"]]
    shown_refs = [b for m in shown["unit"]["restrictions"]["measures"] for b in m["basis"]]
    assert hidden_refs and hidden_refs == [{**ref, "record": None}] * len(hidden_refs)
    assert shown_refs == [{**ref, "record": {"sourceRef": "SECRET"}}] * len(shown_refs)


def test_a_snapshot_names_its_record_by_uuid_or_global_id() -> None:
    pk = "6f1c2d4e-8a2b-4c1d-9e3f-0a1b2c3d4e5f"
    by_uuid = RecordRef.from_snapshot({"id": pk, "category": "COMMENDATION",
                                       "severity": None, "decidedOn": "2026-01-02"})
    by_gid = RecordRef.from_snapshot({"id": by_uuid.id, "category": "COMMENDATION",
                                      "decidedOn": date(2026, 1, 2)})
    assert by_uuid == by_gid
    assert str(by_uuid.pk) == pk and by_uuid.decided_on == date(2026, 1, 2)
    for other in (to_global_id("Unit", uuid.UUID(pk)), "not an id"):  # neither form: refused
        with pytest.raises(ValueError):
            RecordRef.from_snapshot({"id": other, "category": "COMMENDATION",
                                     "decidedOn": "2026-01-02"})
