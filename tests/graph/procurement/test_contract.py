"""The served schema keeps the procurement part of the integration contract unchanged (until
tests/graph/test_contract.py covers it itself)."""

from __future__ import annotations

import pytest

from tests.graph import test_contract as contract

PROCUREMENT = {
    "ProcurementContract", "ProcurementContractEdge", "ProcurementContractConnection",
    "ProcurementBreach", "ProcurementCredit", "Query.procurementContract",
    "Mutation.registerProcurementContracts", "Mutation.recordContractMilestones",
}


def test_the_procurement_contract_is_served_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contract, "COVERED", contract.COVERED | PROCUREMENT)
    contract.test_every_covered_name_is_in_the_contract()
    contract.test_no_covered_type_or_field_is_missing()
    contract.test_the_served_schema_breaks_nothing_covered()
