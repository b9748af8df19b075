"""`integrity demo`: the demo district once, a fresh key per audience every time."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
import pytest

from domains.access.service import AUDIENCES
from domains.core.db import make_engine, make_sessionmaker
from graph.app import create_app
from tests.cli.conftest import CLI_SECRET, Cli

# Each test here takes seconds: the quick loop (pytest -m "not slow") leaves them out.
pytestmark = pytest.mark.slow


def _keys(out: str) -> dict[str, str]:
    """client name -> key, from the lines `  AUDIENCE  demo-audience  igk_...`."""
    rows = [line.split() for line in out.splitlines() if line.startswith("  ")]
    return {name: key for _, name, key in rows}


def test_demo_loads_once_and_rotates_the_keys(cli: Cli) -> None:
    first = cli("demo")

    assert first.code == 0, first.err
    assert "demo [1/" in first.err
    keys = _keys(first.out)
    assert sorted(keys) == sorted(f"demo-{audience.lower()}" for audience in AUDIENCES)
    assert all(cli.authenticates(key) == name for name, key in keys.items())
    units = cli.scalar("SELECT count(*) FROM subject_unit")
    assert units >= 30
    assert cli.scalar("SELECT count(*) FROM subject_civil_servant") == 300

    second = cli("demo")

    assert second.code == 0, second.err
    assert "demo district already loaded; nothing to do" in second.err
    assert cli.scalar("SELECT count(*) FROM subject_unit") == units
    again = _keys(second.out)
    assert sorted(again) == sorted(keys)
    assert all(cli.authenticates(key) == name for name, key in again.items())
    assert all(cli.authenticates(key) is None for key in keys.values())


def test_a_revoked_demo_client_stays_revoked(cli: Cli) -> None:
    cli("demo")
    assert cli("clients", "revoke", "demo-procurement").code == 0

    result = cli("demo")

    assert result.code == 0
    line = next(line for line in result.out.splitlines() if "demo-procurement" in line)
    assert line.split()[2:] == ["(revoked:", "no", "key)"]


SHOWN = re.compile(r"^(?P<scenario>.+?)\s{2,}(?P<key>\S+)  (?P<name>.+?)  -- ")
CHECKS = {
    "purchaser graded D": ("PROCUREMENT", "query($k: String!) { unit(uscc: $k) { "
                           "procurementCredit { grade } } }"),
    "unit under RESTRICT": ("PROCUREMENT", "query($k: String!) { unit(uscc: $k) { "
                            "restrictions(scenario: GOVERNMENT_PROCUREMENT) { "
                            "measures { effect } } } }"),
    "person blocked by chained sanctions": ("PERSONNEL", "query($k: String!) { civilServant("
                                            "idNumber: $k) { promotionEligibility { decision "
                                            "blockers { code } } } }"),
    "person eligible for promotion": ("PERSONNEL", "query($k: String!) { civilServant(idNumber: "
                                      "$k) { promotionEligibility { decision blockers { code } } "
                                      "} }"),
}


def _answers(cli: Cli, keys: dict[str, str], shown: list[tuple[str, str]]) -> list[Any]:
    """Each shown subject's answer to its scenario's query, over HTTP through the real app."""

    async def ask() -> list[Any]:
        engine = make_engine(cli.url)
        app = create_app(make_sessionmaker(engine), id_secret=CLI_SECRET.encode())
        answers = []
        try:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                         base_url="http://test") as http:
                for scenario, key in shown:
                    audience, query = CHECKS[scenario]
                    response = await http.post("/graphql", json={
                        "query": query, "variables": {"k": key}}, headers={
                        "Authorization": f"Bearer {keys['demo-' + audience.lower()]}"})
                    answers.append(response.json()["data"])
        finally:
            await engine.dispose()
        return answers

    return asyncio.run(ask())


def test_demo_show_prints_subjects_that_answer_as_it_says(cli: Cli) -> None:
    assert cli("demo").code == 0  # loaded once for the module (an earlier test revoked a key)
    keys = {f"demo-{audience.lower()}": cli("clients", "add", f"show-{audience.lower()}",
                                            "--audience", audience).out.strip()
            for audience in ("PROCUREMENT", "PERSONNEL")}

    result = cli("demo", "--show")

    assert result.code == 0, result.err
    matches = [SHOWN.match(line) for line in result.out.splitlines()]
    shown = [(m["scenario"], m["key"]) for m in matches if m]
    assert {scenario for scenario, _ in shown} == set(CHECKS)
    for (scenario, _), answer in zip(shown, _answers(cli, keys, shown), strict=True):
        if scenario == "purchaser graded D":
            assert answer["unit"]["procurementCredit"]["grade"] == "D"
        elif scenario == "unit under RESTRICT":
            effects = {m["effect"] for m in answer["unit"]["restrictions"]["measures"]}
            assert "RESTRICT" in effects
        elif scenario == "person eligible for promotion":
            assert answer["civilServant"]["promotionEligibility"]["decision"] == "ALLOW"
        else:
            eligibility = answer["civilServant"]["promotionEligibility"]
            assert eligibility["decision"] == "DENY" and len(eligibility["blockers"]) >= 2
