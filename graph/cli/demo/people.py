"""The demo district's civil servants: valid identity numbers, Chinese names, posts and ranks.

Identity numbers are generated (address code 310228 for the former 金山县, 310116 since 1997),
so they belong to nobody; they exist only in memory while the demo is loaded.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import IntEnum
from typing import Final

from stdnum.cn import ric

from domains.core.dates import add_months
from domains.subject.enums import UnitKind
from domains.subject.service import PersonRow
from graph.cli.demo.district import STAFFED_KINDS, DemoUnit

PEOPLE: Final = 300
TRANSFERS: Final = 30
ENDINGS: Final = 15
LAST_DAY: Final = date(2025, 12, 31)  # no generated date is later: the demo loads from 2026 on
LAST_START: Final = date(2025, 6, 30)
RETIREMENT_AGE: Final = 60

# Common surnames, the Shanghai ones (沈, 陆, 顾, 钱, 朱 …) listed twice to weigh them up.
SURNAMES: Final = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
                   "蒋蔡余杜叶程苏魏吕丁任沈姚卢姜钟谭陆汪范金石夏顾钱严戴孔汤倪龚陶施"
                   "沈陆顾钱朱张王陈徐周姚金")
MALE_GIVEN: Final = "伟强磊军勇杰涛斌浩明辉华建国峰俊宇晨昊文博志鹏飞晓东海波林刚毅鸣栋"
FEMALE_GIVEN: Final = "芳娜敏静丽艳娟霞燕玲婷雪慧颖洁琳倩佳怡欣雯蕾晶萍红英梅琴莉"

ORGAN_SECTIONS: Final = ("办公室", "综合科", "政策法规科", "财务审计科", "组织人事科",
                         "监督管理科", "信用管理科", "规划发展科")
TOWN_SECTIONS: Final = ("党政办公室", "经济发展办公室", "社会事务管理办公室", "城市建设管理办公室",
                        "平安办")
# 职级 of non-leading staff by birth year (older staff have served longer).
STAFF_RANKS: Final = ((1970, "二级调研员"), (1975, "三级调研员"), (1979, "四级调研员"),
                      (1983, "一级主任科员"), (1987, "二级主任科员"), (1990, "三级主任科员"),
                      (1993, "四级主任科员"), (1996, "一级科员"), (9999, "二级科员"))


class Level(IntEnum):
    """Seniority of a post; a transfer came from one level below."""

    HEAD = 0
    DEPUTY = 1
    CHIEF = 2
    DEPUTY_CHIEF = 3
    STAFF = 4

    def junior(self) -> Level:
        return Level(min(self + 1, Level.STAFF))


BIRTH_YEARS: Final = {Level.HEAD: (1965, 1976), Level.DEPUTY: (1966, 1982),
                      Level.CHIEF: (1968, 1988), Level.DEPUTY_CHIEF: (1972, 1992),
                      Level.STAFF: (1965, 1998)}
LEADING_RANKS: Final = {Level.HEAD: "正处级", Level.DEPUTY: "副处级", Level.CHIEF: "正科级",
                        Level.DEPUTY_CHIEF: "副科级"}
# Age at which the current post started, at the earliest; a transfer needs two years' room.
START_AGE: Final = {Level.HEAD: 40, Level.DEPUTY: 35, Level.CHIEF: 30, Level.DEPUTY_CHIEF: 27,
                    Level.STAFF: 23}
FIRST_JOB_AGE: Final = 22
YEARS_BEFORE_TRANSFER: Final = 2


@dataclass(frozen=True)
class DemoPerson:
    """A generated civil servant: posts earliest first (two after a transfer)."""

    id_number: str
    name: str
    posts: tuple[PersonRow, ...]
    ended_on: date | None = None


def _leader_title(unit: DemoUnit, deputy: bool) -> str:
    name = unit.spec.name
    if unit.spec.handle == "gov":
        title = "区长"
    elif name.endswith("镇人民政府"):
        title = "镇长"
    elif name.endswith("局"):
        title = "局长"
    else:  # 委员会, 办公室, 街道办事处, 管委会
        title = "主任"
    return "副" + title if deputy else title


def position_of(unit: DemoUnit, level: Level, section: str) -> str:
    if level in (Level.HEAD, Level.DEPUTY):
        return _leader_title(unit, deputy=level is Level.DEPUTY)
    if level is Level.STAFF:
        return f"{section}科员"
    title = "科长" if section.endswith("科") else "主任"
    return f"{section}{'副' if level is Level.DEPUTY_CHIEF else ''}{title}"


def rank_of(unit: DemoUnit, level: Level, born: date) -> str:
    if unit.spec.handle == "gov" and level in (Level.HEAD, Level.DEPUTY):
        return "正局级" if level is Level.HEAD else "副局级"
    if level is not Level.STAFF:
        return LEADING_RANKS[level]
    return next(rank for until, rank in STAFF_RANKS if born.year <= until)


def day_between(rng: random.Random, first: date, last: date) -> date:
    """A day from `first` to `last`, both included (`first` when `last` is earlier)."""
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _name(rng: random.Random, male: bool) -> str:
    given = MALE_GIVEN if male else FEMALE_GIVEN
    length = 1 if rng.random() < 0.25 else 2
    return rng.choice(SURNAMES) + "".join(rng.sample(given, length))


def id_number(rng: random.Random, born: date, male: bool) -> str:
    """A valid GB 11643 number of a person born in Jinshan on `born`."""
    region = "310228" if born.year < 1997 and rng.random() < 0.7 else "310116"
    order = rng.randrange(100) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
    first17 = f"{region}{born:%Y%m%d}{order:03d}"
    # calc_check_digit drops the last character: it wants the number with a placeholder.
    return first17 + ric.calc_check_digit(first17 + "X")


@dataclass(frozen=True)
class _Post:
    unit: DemoUnit
    level: Level
    section: str


@dataclass(frozen=True)
class _Draft:
    post: _Post
    born: date
    row: PersonRow


def _sections(unit: DemoUnit) -> tuple[str, ...]:
    return TOWN_SECTIONS if unit.spec.kind is UnitKind.TOWN_OR_STREET else ORGAN_SECTIONS


def _postings(rng: random.Random, staffed: list[DemoUnit]) -> list[_Post]:
    """Every unit gets a head, a deputy, a section chief and a deputy chief; the remaining
    places are staff spread over the units."""
    posts: list[_Post] = []
    for unit in staffed:
        section = rng.choice(_sections(unit))
        posts += [_Post(unit, Level.HEAD, ""), _Post(unit, Level.DEPUTY, ""),
                  _Post(unit, Level.CHIEF, section), _Post(unit, Level.DEPUTY_CHIEF, section)]
    while len(posts) < PEOPLE:
        unit = rng.choice(staffed)
        posts.append(_Post(unit, Level.STAFF, rng.choice(_sections(unit))))
    return posts


def _draft(rng: random.Random, post: _Post, used: set[str]) -> _Draft:
    low, high = BIRTH_YEARS[post.level]
    born = day_between(rng, date(low, 1, 1), date(high, 12, 31))
    male = rng.random() < 0.6
    number = id_number(rng, born, male)
    while number in used:
        number = id_number(rng, born, male)
    used.add(number)
    started = day_between(rng, add_months(born, 12 * START_AGE[post.level]), LAST_START)
    row = PersonRow(id_number=number, name=_name(rng, male), unit_uscc=post.unit.uscc,
                    started_on=started, position=position_of(post.unit, post.level, post.section),
                    rank=rank_of(post.unit, post.level, born))
    return _Draft(post, born, row)


def _transfer_window(draft: _Draft) -> tuple[date, date] | None:
    """When the post before a transfer may have started, or None if there is no room."""
    first = add_months(draft.born, 12 * FIRST_JOB_AGE)
    last = add_months(draft.row.started_on, -12 * YEARS_BEFORE_TRANSFER)
    return (first, last) if first <= last else None


def _earlier_post(rng: random.Random, draft: _Draft, staffed: list[DemoUnit]) -> PersonRow:
    """The post held at another unit, one level junior, before the transfer."""
    window = _transfer_window(draft)
    assert window is not None
    unit = rng.choice([u for u in staffed if u.uscc != draft.post.unit.uscc])
    level = draft.post.level.junior()
    return replace(draft.row, unit_uscc=unit.uscc, started_on=day_between(rng, *window),
                   position=position_of(unit, level, rng.choice(_sections(unit))),
                   rank=rank_of(unit, level, draft.born))


def _end_day(rng: random.Random, draft: _Draft) -> date:
    """Retirement at 60 when that falls in the post, otherwise a resignation."""
    retirement = add_months(draft.born, 12 * RETIREMENT_AGE)
    if draft.row.started_on < retirement <= LAST_DAY:
        return retirement
    return day_between(rng, draft.row.started_on + timedelta(days=30), LAST_DAY)


def civil_servants(units: dict[str, DemoUnit], rng: random.Random) -> list[DemoPerson]:
    """PEOPLE civil servants; TRANSFERS of them moved from another unit, ENDINGS have left."""
    staffed = [unit for unit in units.values() if unit.spec.kind in STAFFED_KINDS]
    used: set[str] = set()
    drafts = [_draft(rng, post, used) for post in _postings(rng, staffed)]
    movable = [i for i, draft in enumerate(drafts) if _transfer_window(draft) is not None]
    moved = set(rng.sample(movable, TRANSFERS))
    juniors = [i for i, draft in enumerate(drafts)
               if i not in moved and draft.post.level >= Level.DEPUTY_CHIEF]
    ending = set(rng.sample(juniors, ENDINGS))
    people = []
    for index, draft in enumerate(drafts):
        posts: tuple[PersonRow, ...] = (draft.row,)
        if index in moved:
            posts = (_earlier_post(rng, draft, staffed), draft.row)
        ended_on = _end_day(rng, draft) if index in ending else None
        people.append(DemoPerson(draft.row.id_number, draft.row.name, posts, ended_on))
    return people
