"""`integrity demo`: the demo district once, a fresh key per audience every time."""

from __future__ import annotations

from domains.access.service import AUDIENCES
from tests.cli.conftest import Cli


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
