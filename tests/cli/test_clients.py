"""`integrity clients ...`: keys printed once, bad input refused with exit code 2."""

from __future__ import annotations

import pytest

from domains.access.service import KEY_PREFIX
from tests.cli.conftest import Cli

CLIENTS = "SELECT count(*) FROM access_client"


def test_add_prints_the_key_alone_on_stdout(cli: Cli) -> None:
    result = cli("clients", "add", "tendering", "--audience", "procurement")

    assert result.code == 0
    key = result.out.strip()
    assert key.startswith(KEY_PREFIX) and "\n" not in key
    assert "client tendering (PROCUREMENT) added" in result.err
    assert cli.authenticates(key) == "tendering"
    assert key not in result.err


def test_add_with_expiry_keeps_the_day(cli: Cli) -> None:
    result = cli("clients", "add", "audit-2026", "--audience", "SUPERVISION",
                 "--expires", "2026-12-31")

    assert result.code == 0
    assert "valid through 2026-12-31" in result.err
    listed = cli("clients", "list").out
    line = next(line for line in listed.splitlines() if line.startswith("audit-2026"))
    assert line.split()[1] == "SUPERVISION"
    assert line.split()[-3:] == ["2026-12-31", "-", "default"]  # valid through, not revoked


@pytest.mark.parametrize(("argv", "message"), [
    (["--audience", "MAYOR"], "unknown audience 'MAYOR'"),
    (["--audience", "PERSONNEL", "--expires", "2026-06-14"], "is in the past"),
    (["--audience", "PERSONNEL", "--expires", "2026-6-30"], "is not a date YYYY-MM-DD"),
    (["--audience", "PERSONNEL", "--expires", "2026-02-30"], "is not a date YYYY-MM-DD"),
    ([], "the following arguments are required: --audience"),
])
def test_add_refuses_bad_input_and_writes_nothing(cli: Cli, argv: list[str],
                                                   message: str) -> None:
    before = cli.scalar(CLIENTS) if cli.scalar("SELECT to_regclass('access_client')") else 0

    result = cli("clients", "add", "refused", *argv)

    assert result.code == 2
    assert message in result.err
    assert result.out == ""
    if before or cli.scalar("SELECT to_regclass('access_client')"):
        assert cli.scalar("SELECT count(*) FROM access_client WHERE name = 'refused'") == 0


def test_add_refuses_a_taken_name(cli: Cli) -> None:
    assert cli("clients", "add", "twice", "--audience", "PERSONNEL").code == 0

    result = cli("clients", "add", "twice", "--audience", "SUPERVISION")

    assert result.code == 2
    assert "a client named 'twice' exists already; nothing written" in result.err
    assert cli.scalar("SELECT audience FROM access_client WHERE name = 'twice'") == "PERSONNEL"


def test_list_shows_clients_never_keys(cli: Cli) -> None:
    key = cli("clients", "add", "listed", "--audience", "CREDIT_OFFICE").out.strip()

    result = cli("clients", "list")

    assert result.code == 0
    header, *rows = result.out.splitlines()
    assert header.split() == ["NAME", "AUDIENCE", "CREATED", "VALID", "THROUGH", "REVOKED", "ID",
                              "LOOKUPS/H"]
    assert any(row.split()[:2] == ["listed", "CREDIT_OFFICE"] for row in rows)
    assert key not in result.out + result.err


def test_revoke_stops_the_key_at_once(cli: Cli) -> None:
    key = cli("clients", "add", "leaving", "--audience", "PERSONNEL").out.strip()

    result = cli("clients", "revoke", "leaving")

    assert result.code == 0
    assert result.out.startswith("client leaving revoked at ")
    assert cli.authenticates(key) is None


def test_rotate_replaces_the_key(cli: Cli) -> None:
    old = cli("clients", "add", "rotating", "--audience", "PROCUREMENT").out.strip()

    result = cli("clients", "rotate", "rotating")

    assert result.code == 0
    new = result.out.strip()
    assert new.startswith(KEY_PREFIX) and new != old
    assert cli.authenticates(new) == "rotating"
    assert cli.authenticates(old) is None


@pytest.mark.parametrize("action", ["revoke", "rotate"])
def test_unknown_client_is_refused(cli: Cli, action: str) -> None:
    result = cli("clients", action, "nobody")

    assert result.code == 2
    assert "no client named 'nobody'; nothing written" in result.err


def test_rotate_refuses_a_revoked_client(cli: Cli) -> None:
    key = cli("clients", "add", "gone", "--audience", "PERSONNEL").out.strip()
    cli("clients", "revoke", "gone")

    result = cli("clients", "rotate", "gone")

    assert result.code == 2
    assert "is revoked" in result.err
    assert result.out == ""
    assert cli.authenticates(key) is None


BUDGET = "SELECT id_lookups_per_hour FROM access_client WHERE name = :name"


def test_a_client_gets_its_own_identity_look_up_budget_and_can_be_given_another(
        cli: Cli) -> None:
    added = cli("clients", "add", "hr-bulk", "--audience", "PERSONNEL",
                "--id-lookups-per-hour", "2000")
    assert added.code == 0
    assert cli.scalar(BUDGET, name="hr-bulk") == 2000
    listed = cli("clients", "list").out
    assert next(line for line in listed.splitlines()
                if line.startswith("hr-bulk")).split()[-1] == "2000"

    changed = cli("clients", "limit", "hr-bulk", "--id-lookups-per-hour", "50")
    assert changed.code == 0
    assert "may look up 50 distinct identity numbers per hour" in changed.out
    assert cli.scalar(BUDGET, name="hr-bulk") == 50
    back = cli("clients", "limit", "hr-bulk", "--id-lookups-per-hour", "default")
    assert back.code == 0 and "server's default" in back.out
    assert cli.scalar(BUDGET, name="hr-bulk") is None


@pytest.mark.parametrize(("argv", "message"), [
    (["limit", "nobody", "--id-lookups-per-hour", "5"], "no client named 'nobody'"),
    (["limit", "hr-bulk", "--id-lookups-per-hour", "0"], "is not a number of at least 1"),
    (["limit", "hr-bulk", "--id-lookups-per-hour", "lots"], "is not a number of at least 1"),
    (["add", "x", "--audience", "PERSONNEL", "--id-lookups-per-hour", "-3"],
     "is not a number of at least 1"),
    (["limit", "hr-bulk", "--id-lookups-per-hour", "1000001"], "must be 1 to 1000000"),
])
def test_a_bad_budget_is_refused_and_nothing_written(cli: Cli, argv: list[str],
                                                     message: str) -> None:
    cli("clients", "add", "hr-bulk", "--audience", "PERSONNEL")
    before = cli.scalar(BUDGET, name="hr-bulk")

    result = cli("clients", *argv)

    assert result.code == 2
    assert message in result.err
    assert cli.scalar(BUDGET, name="hr-bulk") == before
    assert cli.scalar("SELECT count(*) FROM access_client WHERE name = 'x'") == 0
