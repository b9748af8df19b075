"""Valid identifiers for tests, computed with the same check-character rules as production."""

from __future__ import annotations

from datetime import date

from stdnum.cn import ric, uscc


def unit_code(n: int, prefix: str = "11") -> str:
    """The n-th valid unified social credit code (a 机关 code of Jinshan by default)."""
    body = f"{prefix}310116{n:08d}{n % 10}"[:17]
    return body + uscc.calc_check_digit(body)


def id_number(n: int, born: date = date(1985, 3, 15), region: str = "310116") -> str:
    """The n-th valid identity-card number (sequence code 3 digits)."""
    body = f"{region}{born:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "X")
