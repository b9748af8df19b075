"""Deterministic keys and names: unified social credit codes, identity numbers, uuids, names.

Every key is valid as the API checks it (`domains.subject.keys`): the GB 32100 and GB 11643
check characters are computed, birth dates are real days before today, and each index gives a
different key, so a scale never produces a duplicate.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from typing import Final

from asyncpg.pgproto.pgproto import UUID as FastUUID  # noqa: N811 - asyncpg's name
from stdnum.cn import ric, uscc

# GB 32100 code characters (digits and capitals without I, O, S, V, Z), in stdnum's order.
CODE_CHARACTERS: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_BASE: Final = len(CODE_CHARACTERS)
CODE_SPACE: Final = _BASE ** 9  # organisation codes (characters 9-17)
_STRIDE: Final = 7_919  # prime and coprime to 31**9: i -> code is one-to-one
DISTRICTS: Final = ("310116", "310112", "310117", "310118", "310120", "310151")
BIRTH_DAYS: Final = 14_000  # born over about 38 years from FIRST_BIRTH
FIRST_BIRTH: Final = date(1962, 1, 1)
SURNAMES: Final = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN: Final = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉鹏飞海波宁晨宇"
    "浩然佳怡欣雨思涵梓博俊凯"
)


_VERSION_MASK: Final = ~((0xF000 << 64) | (0xC000 << 48))
_VERSION_4: Final = (0x4000 << 64) | (0x8000 << 48)


def new_uuid(rng: random.Random) -> uuid.UUID:
    """A random version-4 uuid from `rng`: reproducible, spread like uuid4's. asyncpg's own
    UUID (a `uuid.UUID`, built in C) is four times cheaper to make than the standard one."""
    bits = (rng.getrandbits(128) & _VERSION_MASK) | _VERSION_4
    made: uuid.UUID = FastUUID(bits.to_bytes(16, "big"))
    return made


def _code(n: int) -> str:
    chars = []
    for _ in range(9):
        n, digit = divmod(n, _BASE)
        chars.append(CODE_CHARACTERS[digit])
    return "".join(reversed(chars))


def unit_code(index: int, salt: int, prefix: str, district: str) -> str:
    """The USCC of unit `index`: `prefix` (registration office and type, e.g. 11 for an organ),
    the district, an organisation code unique per index, and the check character."""
    body = f"{prefix}{district}{_code((salt + index * _STRIDE) % CODE_SPACE)}"
    return body + uscc.calc_check_digit(body)


def id_number(index: int, salt: int) -> str:
    """The identity number of person `index`: a district, a birth date unique with the sequence
    number per index (up to 14,000,000 people), and the ISO 7064 check character."""
    block, position = divmod(index, BIRTH_DAYS)
    born_on = FIRST_BIRTH + timedelta(days=(salt + position * 37) % BIRTH_DAYS)
    body = f"{DISTRICTS[index % len(DISTRICTS)]}{born_on:%Y%m%d}{block % 1000:03d}"
    if block >= 1000:
        raise ValueError("at most 14,000,000 people")
    return body + ric.calc_check_digit(body + "X")


def person_name(rng: random.Random) -> str:
    """A plausible Chinese name: a surname and one or two given characters."""
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given
