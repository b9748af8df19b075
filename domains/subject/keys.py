"""Identifier rules of DOMAIN.md section 1: unit and person keys, pure functions.

Every function here works on the normalised key (`normalise_key`): a value that only differs
by surrounding blanks or letter case is the same key. `parse_uscc` / `parse_id_number` give the
form to store and look up, or None when the key is malformed.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from functools import lru_cache
from typing import Final

from stdnum.cn import ric, uscc

from domains.core.dates import EARLIEST_DAY

INVALID_VALUE: Final = "INVALID_VALUE"
INVALID_USCC: Final = "INVALID_USCC"
INVALID_ID_NUMBER: Final = "INVALID_ID_NUMBER"

# GB 32100-2015 code characters: digits and capitals without I, O, S, V, Z.
USCC_CHARACTERS: Final = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")
# ASCII only: str.isdigit() also accepts full-width and other scripts' digits.
DIGITS: Final = frozenset("0123456789")
# The masked form keeps the last 2 characters only (README, "the masked identity number"):
# with the first 3 and last 4 a person's number was one of about 3,400 candidates.
MASK_KEPT_TAIL: Final = 2


def normalise_key(value: str) -> str:
    """A key as stored and looked up: surrounding blanks removed, letters upper-cased."""
    return value.strip().upper()


def optional_key(value: str | None) -> str | None:
    """An optional key as stored and looked up; omitted (None) when null or blank."""
    return None if value is None or not value.strip() else normalise_key(value)


def is_valid_uscc(code: str) -> bool:
    """Whether `code` (once normalised) is a well-formed unified social credit code.

    The check character is computed with stdnum's `calc_check_digit`; its `validate()` refuses
    letter registration codes such as N2… and is not used.
    """
    code = normalise_key(code)
    return len(code) == 18 and _is_valid_18(code)


@lru_cache(maxsize=65536)  # a batch names the same units again and again (subject, decider);
def _is_valid_18(code: str) -> bool:  # only 18 characters are kept, so the cache stays small
    if not set(code[:2] + code[8:17]) <= USCC_CHARACTERS or not set(code[2:8]) <= DIGITS:
        return False
    return code[17] == uscc.calc_check_digit(code[:17])


def is_valid_id_number(number: str, today: date) -> bool:
    """Whether `number` (once normalised, so x counts as X) is a well-formed identity number.

    The address code (characters 1–6) is not checked: numbers keep the code of first issuance.
    """
    number = normalise_key(number)
    if len(number) != 18 or not set(number[:17]) <= DIGITS or number[17] not in DIGITS | {"X"}:
        return False
    born_on = _birth_date(number)
    if born_on is None or born_on > today or born_on < EARLIEST_DAY:
        return False
    # ric.calc_check_digit drops the last character: it wants the number with a placeholder.
    return number[17] == ric.calc_check_digit(number[:17] + "X")


def _birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def parse_uscc(code: str) -> str | None:
    """The normalised code, or None when it is malformed (INVALID_USCC)."""
    return normalise_key(code) if is_valid_uscc(code) else None


def parse_id_number(number: str, today: date) -> str | None:
    """The normalised number (x stored as X), or None when it is malformed (INVALID_ID_NUMBER)."""
    return normalise_key(number) if is_valid_id_number(number, today) else None


def hash_id_number(number: str, secret: bytes) -> str:
    """Keyed look-up hash of an identity number: HMAC-SHA256 hex over its normalised form."""
    message = normalise_key(number).encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def mask_id_number(number: str) -> str:
    """The shown form: the last 2 characters kept, e.g. ****************3X."""
    number = normalise_key(number)
    if len(number) != 18:
        raise ValueError("an identity number has 18 characters")
    return "*" * (len(number) - MASK_KEPT_TAIL) + number[-MASK_KEPT_TAIL:]


def mask_name(name: str) -> str:
    """A person's name as every client may see it: the first character (the surname, or the
    first of a compound one) kept and the rest masked, e.g. 王* or 欧阳娜娜 -> 欧***."""
    name = name.strip()
    return name[:1] + "*" * (len(name) - 1)


def subject_key_error(
    uscc_value: str | None, id_number: str | None, today: date
) -> tuple[str, str] | None:
    """(field, code) wrong with a `SubjectKey` input, or None when it names one valid key.

    Exactly one of the two must be given (null and omitted are the same): otherwise
    INVALID_VALUE on `subject`; a malformed key is reported on its own field.
    """
    if (uscc_value is None) == (id_number is None):
        return ("subject", INVALID_VALUE)
    if uscc_value is not None:
        return None if is_valid_uscc(uscc_value) else ("subject.uscc", INVALID_USCC)
    assert id_number is not None
    if is_valid_id_number(id_number, today):
        return None
    return ("subject.idNumber", INVALID_ID_NUMBER)


# The message of each code `subject_key_error` returns.
SUBJECT_KEY_MESSAGES: Final = {
    INVALID_VALUE: "name exactly one of uscc and idNumber",
    INVALID_USCC: "not a valid unified social credit code",
    INVALID_ID_NUMBER: "not a valid identity-card number",
}
