"""`integrity calendar load FILE`: the whole file or nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.cli.conftest import Cli

GOOD = """day,status,note
# 2031: State Council notice (example)
2031-01-01,off,元旦
2031-01-26,on,春节调休
2031-01-27,off,春节
"""


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "calendar.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _days(cli: Cli, year: int) -> int:
    return int(cli.scalar("SELECT count(*) FROM working_calendar WHERE extract(year FROM day) "
                          "= :year", year=year))


def test_load_writes_every_day(cli: Cli, tmp_path: Path) -> None:
    result = cli("calendar", "load", str(_file(tmp_path, GOOD)))

    assert result.code == 0, result.err
    assert result.out == "loaded 3 calendar days (2031-01-01 to 2031-01-27)\n"
    assert cli.scalar("SELECT is_working FROM working_calendar WHERE day = :day",
                      day=date(2031, 1, 26)) is True
    assert cli.scalar("SELECT note FROM working_calendar WHERE day = :day",
                      day=date(2031, 1, 27)) == "春节"


def test_loading_again_replaces_a_day(cli: Cli, tmp_path: Path) -> None:
    cli("calendar", "load", str(_file(tmp_path, GOOD)))

    result = cli("calendar", "load", str(_file(tmp_path, "2031-01-27,on,改为工作日\n")))

    assert result.code == 0
    assert cli.scalar("SELECT is_working FROM working_calendar WHERE day = :day",
                      day=date(2031, 1, 27)) is True
    assert _days(cli, 2031) == 3


@pytest.mark.parametrize(("text", "message"), [
    ("2032-01-01,off,元旦\n2032-01-02,holiday,x\n", "line 2: expected day,on|off,note"),
    ("2032-01-01,off,元旦\n2032-13-01,off,x\n", "line 2: '2032-13-01' is not a date"),
    ("2032-01-01,off,元旦\n2032-01-01,on,x\n", "2032-01-01 appears twice"),
    ("day,status,note\n", "no calendar days in the file"),
])
def test_a_bad_file_loads_nothing(cli: Cli, tmp_path: Path, text: str, message: str) -> None:
    result = cli("calendar", "load", str(_file(tmp_path, text)))

    assert result.code == 2
    assert message in result.err and "nothing loaded" in result.err
    if cli.scalar("SELECT to_regclass('working_calendar')"):
        assert _days(cli, 2032) == 0


def test_a_missing_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    result = cli("calendar", "load", str(tmp_path / "absent.csv"))

    assert result.code == 2
    assert "absent.csv" in result.err and "nothing loaded" in result.err


def test_help_documents_the_file_format(cli: Cli) -> None:
    result = cli("calendar", "load", "--help")

    assert result.code == 0
    assert "2027-02-07,on,春节调休" in result.out
    assert "status is `off` (no work) or `on` (work)" in result.out
