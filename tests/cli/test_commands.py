"""Every command explains itself; configuration errors are refused before anything starts."""

from __future__ import annotations

import pytest

from domains.core.migrate import head_revision
from tests.cli.conftest import Cli

COMMANDS = [[], ["serve"], ["migrate"], ["clients"], ["clients", "add"], ["clients", "list"],
            ["clients", "revoke"], ["clients", "rotate"], ["clients", "limit"], ["calendar"],
            ["calendar", "load"], ["demo"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "integrity")
def test_every_command_has_help(cli: Cli, command: list[str]) -> None:
    result = cli(*command, "--help")

    assert result.code == 0
    assert result.out.startswith(f"usage: integrity {' '.join(command)}".rstrip())
    assert "DATABASE_URL" in result.out  # the environment is documented everywhere


@pytest.mark.parametrize("command", [[], ["clients"], ["calendar"]])
def test_a_group_without_action_shows_its_help(cli: Cli, command: list[str]) -> None:
    result = cli(*command)

    assert result.code == 2
    assert result.err.startswith("usage: integrity")


def test_unknown_command(cli: Cli) -> None:
    result = cli("launch")

    assert result.code == 2
    assert "invalid choice: 'launch'" in result.err


def test_migrate_reaches_head(cli: Cli) -> None:
    result = cli("migrate")

    assert result.code == 0
    assert f"database at revision {head_revision()}" in result.err
    assert cli.scalar("SELECT version_num FROM alembic_version") == head_revision()


def test_production_needs_the_id_secret(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INTEGRITY_ID_SECRET")

    result = cli("demo")

    assert result.code == 2
    assert "INTEGRITY_ID_SECRET must be set when DATABASE_URL is set" in result.err


def test_a_database_url_must_be_postgresql(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/integrity")

    result = cli("migrate")

    assert result.code == 2
    assert "DATABASE_URL is not a PostgreSQL URL" in result.err
    assert result.err.count("DATABASE_URL") == 1  # said once, not twice


@pytest.mark.parametrize("value", ["0", "80000", "http"])
def test_serve_refuses_a_bad_port(cli: Cli, value: str) -> None:
    result = cli("serve", "--port", value)

    assert result.code == 2
    assert "is not a port number" in result.err


def test_serve_refuses_a_bad_port_from_the_environment(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTEGRITY_PORT", "eighty")

    result = cli("serve")

    assert result.code == 2
    assert "'eighty' is not a port number" in result.err


def test_an_unreachable_database_fails(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")

    result = cli("migrate")

    assert result.code == 1
    assert "the database could not be used" in result.err


def test_serve_takes_its_address_from_the_environment_and_flags_win(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.cli.parser import build_parser

    monkeypatch.setenv("INTEGRITY_HOST", "0.0.0.0")
    monkeypatch.setenv("INTEGRITY_PORT", "9000")

    from_env = build_parser().parse_args(["serve"])
    flagged = build_parser().parse_args(["serve", "--host", "127.0.0.1", "--port", "8001"])

    assert (from_env.host, from_env.port) == ("0.0.0.0", 9000)
    assert (flagged.host, flagged.port) == ("127.0.0.1", 8001)


def test_a_bad_log_level_from_the_environment_is_refused(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTEGRITY_LOG_LEVEL", "LOUD")

    result = cli("migrate")

    assert result.code == 2
    assert "log level 'LOUD' is not one of DEBUG, INFO, WARNING, ERROR" in result.err
