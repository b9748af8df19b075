"""Identifier rules (DOMAIN.md section 1), table-driven."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

import pytest
from stdnum.cn import ric, uscc

from domains.subject.keys import (
    hash_id_number,
    is_valid_id_number,
    is_valid_uscc,
    mask_id_number,
    mask_name,
    normalise_key,
    parse_id_number,
    parse_uscc,
    subject_key_error,
)

TODAY = date(2026, 5, 1)
# Check characters computed once with stdnum's calc_check_digit (see test_vectors_agree).
COMPANY = "91310116MA1FL0X0YK"
COOPERATIVE = "N2310116MA1FL0X0Y3"  # letter registration code: stdnum's validate() refuses it
ORGAN = "113100000024200184"
JINSHAN_1985 = "310116198503151237"  # stdnum.cn.ric.validate refuses it (address code dates)
JINSHAN_1985_X = "31011619850315119X"
GB_11643_EXAMPLE = "11010519491231002X"  # the standard's own example
BORN_TODAY = "310116202605010012"
LEAP_DAY = "310116202402290018"


def _with_ric_check(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "X")


def test_vectors_agree_with_stdnum() -> None:
    for code in (COMPANY, COOPERATIVE, ORGAN):
        assert uscc.calc_check_digit(code[:17]) == code[17]
    for number in (JINSHAN_1985, JINSHAN_1985_X, GB_11643_EXAMPLE, BORN_TODAY, LEAP_DAY):
        assert _with_ric_check(number[:17]) == number
    assert not ric.is_valid(JINSHAN_1985)
    assert not uscc.is_valid(COOPERATIVE)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  91310116ma1fl0x0yk \t", "91310116MA1FL0X0YK"),
        ("31011619850315119x", "31011619850315119X"),
        ("", ""),
    ],
)
def test_normalise_key(raw: str, expected: str) -> None:
    assert normalise_key(raw) == expected


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        (COMPANY, True),
        (COOPERATIVE, True),
        (ORGAN, True),
        (" " + COMPANY.lower() + " ", True),  # keys are normalised first
        (COMPANY[:17] + "L", False),  # bad check character
        (COOPERATIVE[:17] + "K", False),
        (COMPANY[:17], False),  # 17 characters
        (COMPANY + "0", False),  # 19 characters
        ("91310116 MA1FL0X0YK", False),  # inner blank
        ("91310116-MA1FL0X0Y", False),  # inner hyphen
        ("9131011AMA1FL0X0Y" + uscc.calc_check_digit("9131011AMA1FL0X0Y"), False),  # 3-8 digits
        ("91310116MA1FL0X0IK", False),  # I
        ("9I310116MA1FL0X0Y3", False),  # I in the registration code
        ("91310116MA1FL0X0O3", False),  # O
        ("91310116MA1FL0S0Y3", False),  # S
        ("91310116MA1FL0V0Y3", False),  # V
        ("91310116MA1FL0Z0Y3", False),  # Z
        ("91310１16MA1FL0X0YK", False),  # full-width digit
        ("", False),
    ],
)
def test_is_valid_uscc(code: str, valid: bool) -> None:
    assert is_valid_uscc(code) is valid


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        (JINSHAN_1985, True),  # address code not checked
        (JINSHAN_1985_X, True),
        (JINSHAN_1985_X.lower(), True),  # x accepted
        (GB_11643_EXAMPLE, True),
        (BORN_TODAY, True),  # born today: not after today
        (LEAP_DAY, True),
        (_with_ric_check("31011620260502001"), False),  # born tomorrow
        (_with_ric_check("31011619850230001"), False),  # 30 February
        (_with_ric_check("31011620230229001"), False),  # 29 February of a common year
        (_with_ric_check("31011619851301001"), False),  # month 13
        (_with_ric_check("31011619850300001"), False),  # day 0
        (_with_ric_check("31011600000101001"), False),  # year 0
        (JINSHAN_1985[:17] + "8", False),  # bad check
        (JINSHAN_1985_X[:17] + "0", False),
        (JINSHAN_1985[:17] + "x", False),  # x where the check is 7
        ("3101161985 0315123", False),  # inner blank
        ("310116-19850315123", False),
        (JINSHAN_1985[:17], False),  # 17 characters
        (JINSHAN_1985 + "1", False),
        ("X10116198503151237", False),  # X only as the check character
        ("31011619850315123" + "Y", False),
        ("٣10116198503151237", False),  # a non-ASCII digit
        ("", False),
    ],
)
def test_is_valid_id_number(number: str, valid: bool) -> None:
    assert is_valid_id_number(number, TODAY) is valid


def test_parse_returns_the_stored_form() -> None:
    assert parse_uscc(f" {COOPERATIVE.lower()} ") == COOPERATIVE
    assert parse_uscc(COMPANY[:17] + "L") is None
    assert parse_id_number(f" {JINSHAN_1985_X.lower()}", TODAY) == JINSHAN_1985_X
    assert parse_id_number(_with_ric_check("31011620260502001"), TODAY) is None


def test_hash_is_hmac_sha256_over_the_normalised_form() -> None:
    secret = b"server-secret"
    expected = hmac.new(secret, JINSHAN_1985_X.encode(), hashlib.sha256).hexdigest()
    assert hash_id_number(JINSHAN_1985_X, secret) == expected
    assert hash_id_number(f" {JINSHAN_1985_X.lower()} ", secret) == expected
    assert hash_id_number(JINSHAN_1985_X, b"another secret") != expected
    assert hash_id_number(JINSHAN_1985, secret) != expected
    assert len(expected) == 64


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("31011619850315123X", "****************3X"),
        (JINSHAN_1985_X.lower(), "****************9X"),
        (GB_11643_EXAMPLE, "****************2X"),
    ],
)
def test_mask_id_number(number: str, masked: str) -> None:
    assert mask_id_number(number) == masked


def test_mask_refuses_a_short_number() -> None:
    with pytest.raises(ValueError):
        mask_id_number("31011619850315")


@pytest.mark.parametrize(
    ("uscc_value", "id_number", "error"),
    [
        (COMPANY, None, None),
        (None, JINSHAN_1985_X.lower(), None),
        (None, None, ("subject", "INVALID_VALUE")),
        (COMPANY, JINSHAN_1985, ("subject", "INVALID_VALUE")),
        (COMPANY[:17] + "L", None, ("subject.uscc", "INVALID_USCC")),
        ("", None, ("subject.uscc", "INVALID_USCC")),
        (None, JINSHAN_1985[:17] + "8", ("subject.idNumber", "INVALID_ID_NUMBER")),
    ],
)
def test_subject_key_error(
    uscc_value: str | None, id_number: str | None, error: tuple[str, str] | None
) -> None:
    assert subject_key_error(uscc_value, id_number, TODAY) == error


@pytest.mark.parametrize(("name", "shown"), [
    ("王强", "王*"), ("欧阳娜娜", "欧***"), (" 李 ", "李"), ("Li Na", "L****")])
def test_a_name_keeps_its_first_character_only(name: str, shown: str) -> None:
    assert mask_name(name) == shown
