"""The served schema contains the integration contract unchanged (tests/contract/schema.graphql,
a copy of the shared contract): graphql-core finds no breaking change from the contract to the
served schema. Every part of the contract is served; extensions are additive."""

from __future__ import annotations

from pathlib import Path

from graphql import build_schema, find_breaking_changes

from graph.schema import schema

CONTRACT = Path(__file__).parent.parent / "contract" / "schema.graphql"


def test_the_contract_copy_is_the_shared_one_when_available() -> None:
    shared = Path("/work/shared/contract/schema.graphql")
    if shared.exists():
        assert CONTRACT.read_bytes() == shared.read_bytes()


def test_the_served_schema_breaks_nothing_of_the_contract() -> None:
    contract = build_schema(CONTRACT.read_text(encoding="utf-8"))
    served = build_schema(schema.as_str())
    changes = [f"{c.type.name}: {c.description}" for c in find_breaking_changes(contract, served)]
    assert changes == []


def test_every_contract_type_and_field_is_served() -> None:
    contract = build_schema(CONTRACT.read_text(encoding="utf-8"))
    served = build_schema(schema.as_str())
    missing = []
    for name, contract_type in contract.type_map.items():
        served_type = served.type_map.get(name)
        if served_type is None:
            missing.append(name)
            continue
        missing += [f"{name}.{field}" for field in getattr(contract_type, "fields", {})
                    if field not in getattr(served_type, "fields", {})]
    assert missing == []
