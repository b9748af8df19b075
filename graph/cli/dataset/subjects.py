"""Units (with a hierarchy), civil servants and their employment histories.

Units: a few district organs at the top, every other unit under an earlier one (so a parent is
always loaded first and there is never a cycle). Civil servants: identity numbers are kept as the
API keeps them, the keyed hash (`keys.hash_id_number` with the id secret) and the masked form,
never in clear; about a third changed unit once (the old employment closed the day before the new
one started, as `registerCivilServants` does).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Final

from domains.core.ids import to_global_id
from domains.subject import keys
from domains.subject.enums import UnitKind
from graph.cli.dataset import identifiers
from graph.cli.dataset.copying import Copier, Row
from graph.cli.dataset.plan import Plan

UNIT_COLUMNS: Final = ("id", "uscc", "name", "kind", "region_code", "parent_id", "created_at",
                       "updated_at")
PERSON_COLUMNS: Final = ("id", "id_hash", "masked_id_number", "name", "created_at")
EMPLOYMENT_COLUMNS: Final = ("id", "civil_servant_id", "unit_id", "position", "rank",
                             "started_on", "ended_on")
# kind, weight, USCC registration prefix, name stem
KINDS: Final = (
    (UnitKind.GOVERNMENT_ORGAN, 30, "11", "局"),
    (UnitKind.PUBLIC_INSTITUTION, 30, "12", "中心"),
    (UnitKind.TOWN_OR_STREET, 8, "11", "镇人民政府"),
    (UnitKind.INDUSTRIAL_ZONE, 4, "12", "工业区管委会"),
    (UnitKind.STATE_ENTERPRISE, 20, "91", "有限公司"),
    (UnitKind.OTHER, 8, "N2", "协会"),
)
PLACES: Final = "金山朱泾枫泾张堰亭林吕巷廉江山阳石化漕泾金卫新农"
TOPICS: Final = ("发展改革", "财政", "住房建设", "交通", "水务", "教育", "卫生健康", "生态环境",
                 "市场监管", "规划资源", "农业农村", "文化旅游", "民政", "人力资源", "应急管理")
POSITIONS: Final = ("科员", "副科长", "科长", "副处长", "处长", "副局长", "局长", "主任")
RANKS: Final = ("一级科员", "四级主任科员", "二级主任科员", "一级主任科员", "四级调研员",
                "二级调研员", "一级调研员")
TOP_UNITS: Final = 5
HISTORY_OFFSET: Final = 6 * 365 + 30  # subjects exist before the first record


@dataclass
class Subjects:
    """What later tables need of the subjects: ids, keys and who works where."""

    unit_ids: list[uuid.UUID] = field(default_factory=list)
    usccs: list[str] = field(default_factory=list)
    kinds: list[UnitKind] = field(default_factory=list)
    organs: list[int] = field(default_factory=list)  # unit indexes that decide and supervise
    person_ids: list[uuid.UUID] = field(default_factory=list)
    person_gids: list[str] = field(default_factory=list)
    staff: dict[int, list[int]] = field(default_factory=dict)  # unit -> people working there

    def staff_of(self, unit: int) -> list[int]:
        return self.staff.get(unit, [])


def _unit_rows(plan: Plan, subjects: Subjects) -> Iterator[Row]:
    rng = plan.rng("subject_unit")
    salt = rng.randrange(identifiers.CODE_SPACE)
    weights = [weight for _, weight, _, _ in KINDS]
    for index in range(plan.counts.units):
        kind, _, prefix, stem = KINDS[0] if index < TOP_UNITS else rng.choices(KINDS, weights)[0]
        district = identifiers.DISTRICTS[0] if rng.random() < 0.8 else rng.choice(
            identifiers.DISTRICTS)
        code = identifiers.unit_code(index, salt, prefix, district)
        unit_id = identifiers.new_uuid(rng)
        parent = None if index < TOP_UNITS else subjects.unit_ids[
            rng.randrange(min(index, TOP_UNITS + index // 4))]
        name = f"{rng.choice(PLACES)}{rng.choice(PLACES)}{rng.choice(TOPICS)}{stem}{index}"
        at = plan.at(plan.days_ago(HISTORY_OFFSET + rng.randrange(365)), rng)
        subjects.unit_ids.append(unit_id)
        subjects.usccs.append(code)
        subjects.kinds.append(kind)
        if kind in (UnitKind.GOVERNMENT_ORGAN, UnitKind.TOWN_OR_STREET):
            subjects.organs.append(index)
        yield (unit_id, code, name, kind.value, district + "000000", parent, at, at)



def _person_rows(plan: Plan, subjects: Subjects, secret: bytes) -> Iterator[Row]:
    rng = plan.rng("subject_civil_servant")
    salt = rng.randrange(identifiers.BIRTH_DAYS)
    for index in range(plan.counts.civil_servants):
        number = identifiers.id_number(index, salt)
        person_id = identifiers.new_uuid(rng)
        subjects.person_ids.append(person_id)
        subjects.person_gids.append(to_global_id("CivilServant", person_id))
        at = plan.at(plan.days_ago(HISTORY_OFFSET + rng.randrange(365)), rng)
        yield (person_id, keys.hash_id_number(number, secret), keys.mask_id_number(number),
               identifiers.person_name(rng), at)


def _employment_rows(plan: Plan, subjects: Subjects) -> Iterator[Row]:
    """One or two employments per person; the last one is open (they work there today)."""
    rng = plan.rng("subject_employment")
    units = len(subjects.unit_ids)
    for index, person_id in enumerate(subjects.person_ids):
        unit = rng.randrange(units)
        started = plan.days_ago(HISTORY_OFFSET + rng.randrange(3650))
        position, rank = rng.randrange(len(POSITIONS)), rng.randrange(len(RANKS))
        if rng.random() < 0.3:
            moved = plan.days_ago(rng.randrange(30, HISTORY_OFFSET))
            yield (identifiers.new_uuid(rng), person_id, subjects.unit_ids[unit],
                   POSITIONS[position], RANKS[rank], started, moved - timedelta(days=1))
            unit, started = rng.randrange(units), moved
            position, rank = min(position + 1, len(POSITIONS) - 1), min(rank + 1, len(RANKS) - 1)
        subjects.staff.setdefault(unit, []).append(index)
        yield (identifiers.new_uuid(rng), person_id, subjects.unit_ids[unit],
               POSITIONS[position], RANKS[rank], started, None)


async def load_subjects(plan: Plan, copier: Copier, secret: bytes) -> Subjects:
    """COPY units, civil servants and employments; returns what later tables refer to."""
    subjects = Subjects()
    await copier.copy_all("subject_unit", UNIT_COLUMNS, _unit_rows(plan, subjects))
    await copier.copy_all("subject_civil_servant", PERSON_COLUMNS,
                          _person_rows(plan, subjects, secret))
    await copier.copy_all("subject_employment", EMPLOYMENT_COLUMNS,
                          _employment_rows(plan, subjects))
    return subjects
