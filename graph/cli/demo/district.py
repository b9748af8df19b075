"""The demo district's units: a Jinshan-like hierarchy with valid unified social credit codes.

Names follow Jinshan's real bodies (区政府, 委办局, 镇/街道, 工业区) but the codes are generated:
the organisation-code part is random (seeded), so the data is fictional and must not be taken
for the real register.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final

from stdnum.cn import uscc

from domains.subject.enums import UnitKind
from domains.subject.service import UnitRow

REGION: Final = "310116"
# GB 11714 organisation-code check: weights of the 8 body characters, modulus 11.
ORG_CODE_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)

# GB 32100 registration authority + entity type:
# 机构编制 机关 / 事业单位 / 群团, 民政 基金会, 工商 企业.
ORGAN: Final = "11"
INSTITUTION: Final = "12"
MASS_ORGANISATION: Final = "13"
FOUNDATION: Final = "53"
ENTERPRISE: Final = "91"


@dataclass(frozen=True)
class UnitSpec:
    """One unit of the catalogue; `handle` names it inside the demo (parents, postings)."""

    handle: str
    name: str
    kind: UnitKind
    registration: str
    parent: str | None = None
    region_code: str = REGION


def _organ(handle: str, name: str) -> UnitSpec:
    return UnitSpec(handle, f"上海市金山区{name}", UnitKind.GOVERNMENT_ORGAN, ORGAN, "gov")


def _town(handle: str, name: str, township: str) -> UnitSpec:
    return UnitSpec(handle, f"上海市金山区{name}", UnitKind.TOWN_OR_STREET, ORGAN, "gov",
                    REGION + township)


def _institution(handle: str, name: str, parent: str) -> UnitSpec:
    return UnitSpec(handle, name, UnitKind.PUBLIC_INSTITUTION, INSTITUTION, parent)


def _enterprise(handle: str, name: str, parent: str) -> UnitSpec:
    return UnitSpec(handle, name, UnitKind.STATE_ENTERPRISE, ENTERPRISE, parent)


CATALOGUE: Final[tuple[UnitSpec, ...]] = (
    UnitSpec("gov", "上海市金山区人民政府", UnitKind.GOVERNMENT_ORGAN, ORGAN),
    _organ("office", "人民政府办公室"),
    _organ("fgw", "发展和改革委员会"),
    _organ("jw", "经济委员会"),
    _organ("jyj", "教育局"),
    _organ("kw", "科学技术委员会"),
    _organ("mzj", "民政局"),
    _organ("sfj", "司法局"),
    _organ("czj", "财政局"),
    _organ("rsj", "人力资源和社会保障局"),
    _organ("ghj", "规划和自然资源局"),
    _organ("sthj", "生态环境局"),
    _organ("jsw", "建设和管理委员会"),
    _organ("jtw", "交通委员会"),
    _organ("nyw", "农业农村委员会"),
    _organ("swj", "水务局"),
    _organ("wlj", "文化和旅游局"),
    _organ("wjw", "卫生健康委员会"),
    _organ("yjj", "应急管理局"),
    _organ("sjj", "审计局"),
    _organ("gzw", "国有资产监督管理委员会"),
    _organ("scj", "市场监督管理局"),
    _organ("tjj", "统计局"),
    _organ("jgj", "机关事务管理局"),
    _organ("cgj", "城市管理行政执法局"),
    _town("shihua", "石化街道办事处", "001"),
    _town("zhujing", "朱泾镇人民政府", "101"),
    _town("fengjing", "枫泾镇人民政府", "102"),
    _town("zhangyan", "张堰镇人民政府", "103"),
    _town("tinglin", "亭林镇人民政府", "104"),
    _town("lvxiang", "吕巷镇人民政府", "105"),
    _town("langxia", "廊下镇人民政府", "107"),
    _town("jinshanwei", "金山卫镇人民政府", "109"),
    _town("caojing", "漕泾镇人民政府", "112"),
    _town("shanyang", "山阳镇人民政府", "113"),
    UnitSpec("jsgyq", "上海金山工业区管理委员会", UnitKind.INDUSTRIAL_ZONE, ORGAN, "gov"),
    UnitSpec("wanqu", "上海湾区高新技术产业开发区管理委员会", UnitKind.INDUSTRIAL_ZONE, ORGAN,
             "gov"),
    UnitSpec("tangu", "上海碳谷绿湾产业园管理委员会", UnitKind.INDUSTRIAL_ZONE, ORGAN, "gov"),
    _institution("credit", "上海市金山区公共信用信息服务中心", "fgw"),
    _institution("procure", "上海市金山区政府采购中心", "czj"),
    _institution("service", "上海市金山区行政服务中心", "office"),
    _institution("trading", "上海市金山区公共资源交易中心", "service"),
    _institution("cdc", "上海市金山区疾病预防控制中心", "wjw"),
    _institution("hospital", "上海市金山区中心医院", "wjw"),
    _institution("school", "上海市金山中学", "jyj"),
    _institution("library", "上海市金山区图书馆", "wlj"),
    _institution("safety", "上海市金山区建设工程安全质量监督站", "jsw"),
    _enterprise("capital", "上海金山资本管理集团有限公司", "gzw"),
    _enterprise("assets", "上海金山资产经营有限公司", "capital"),
    _enterprise("urban", "上海金山城市建设投资有限公司", "gzw"),
    _enterprise("water", "上海金山水务集团有限公司", "gzw"),
    UnitSpec("union", "上海市金山区总工会", UnitKind.OTHER, MASS_ORGANISATION),
    UnitSpec("charity", "上海市金山区慈善基金会", UnitKind.OTHER, FOUNDATION),
)

# Units whose staff are civil servants (机关, 镇/街道, 工业区管委会); others employ none here.
STAFFED_KINDS: Final = frozenset(
    {UnitKind.GOVERNMENT_ORGAN, UnitKind.TOWN_OR_STREET, UnitKind.INDUSTRIAL_ZONE})


def org_code_check(body: str) -> str:
    """GB 11714 check character of an 8-digit organisation-code body."""
    total = sum(int(char) * weight for char, weight in zip(body, ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def make_uscc(registration: str, rng: random.Random) -> str:
    """A valid code: registration, region 310116, a random organisation code, the check."""
    body = f"{rng.randrange(10**8):08d}"
    first17 = registration + REGION + body + org_code_check(body)
    return first17 + uscc.calc_check_digit(first17)


@dataclass(frozen=True)
class DemoUnit:
    """A catalogue unit with its generated code."""

    spec: UnitSpec
    uscc: str

    def row(self, parent_uscc: str | None) -> UnitRow:
        return UnitRow(uscc=self.uscc, name=self.spec.name, kind=self.spec.kind.value,
                       region_code=self.spec.region_code, parent_uscc=parent_uscc)


def district_units(rng: random.Random) -> dict[str, DemoUnit]:
    """Every catalogue unit by handle, each with a distinct valid code."""
    units: dict[str, DemoUnit] = {}
    used: set[str] = set()
    for spec in CATALOGUE:
        code = make_uscc(spec.registration, rng)
        while code in used:
            code = make_uscc(spec.registration, rng)
        used.add(code)
        units[spec.handle] = DemoUnit(spec, code)
    return units


def unit_rows(units: dict[str, DemoUnit]) -> list[UnitRow]:
    """The registration rows, parents named by code."""
    return [unit.row(units[unit.spec.parent].uscc if unit.spec.parent else None)
            for unit in units.values()]
