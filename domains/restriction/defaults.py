"""The rule values of DOMAIN.md sections 4 and 5 as Python values: the measure list
(`DEFAULT_MEASURE_ROWS`, the section 4 table in its order) and the promotion periods
(`DEFAULT_SANCTION_PERIODS`), both the version valid from 1900-01-01.

Nothing at run time reads them: the service reads the rule tables, which migration 0005 seeds
from literals of its own (a migration must not change when code does; 0011 adds
`published_on`, left None here). They are the pure-rule tests' rule values, and
tests/domains/restriction/test_seeded_tables.py checks that the seeded tables hold exactly
them. A later change of law is a new table row from its own date, never an edit here.
"""

from __future__ import annotations

from datetime import date

from domains.restriction.promotion import SanctionPeriods
from domains.restriction.rules import Condition, MeasureEffect, MeasureRow, measure_code
from domains.subject.enums import SubjectKind

SEED_VALID_FROM = date(1900, 1, 1)

_SCENARIO_NAMES: dict[str, tuple[str, str]] = {
    "GOVERNMENT_PROCUREMENT": ("政府采购", "Government procurement"),
    "PPP": ("政府与社会资本合作", "PPP"),
    "PILOT_APPLICATION": ("试点申请", "Pilot application"),
    "BOND_ISSUANCE": ("政府发债", "Bond issuance"),
    "INVESTMENT_APPROVAL": ("投资项目审批", "Investment project approval"),
    "SUBSIDY_APPLICATION": ("政府补贴补助资金申请", "Subsidy application"),
    "AWARDS": ("评先评优、表彰评优", "Awards"),
    "PERFORMANCE_ASSESSMENT": ("绩效考核", "Performance assessment"),
    "HIRING": ("人员录用", "Hiring"),
    "PROMOTION": ("职务职级晋升", "Promotion"),
}

_CONDITION_NAMES: dict[str, tuple[str, str]] = {
    Condition.GENERAL: ("一般失信", "general dishonesty"),
    Condition.SERIOUS: ("严重失信", "serious dishonesty"),
    Condition.DISHONEST: ("失信", "dishonesty"),
    Condition.TRUSTWORTHY: ("守信", "trustworthiness"),
    Condition.GRADE_C: ("采购人履约验收信用C级", "procurement grade C"),
    Condition.GRADE_D: ("采购人履约验收信用D级", "procurement grade D"),
    Condition.PROMOTION_FACTOR: ("晋升考量因素", "promotion factor"),
}

_EFFECT_NAMES: dict[MeasureEffect, tuple[str, str]] = {
    MeasureEffect.PRIORITY: ("同等条件下优先", "priority on equal terms"),
    MeasureEffect.WRITTEN_EXPLANATION: ("书面说明", "written explanation"),
    MeasureEffect.RECTIFICATION: ("限期整改", "rectification within a time limit"),
    MeasureEffect.RESTRICT: ("限制", "restriction"),
    MeasureEffect.PROHIBIT: ("不得", "prohibition"),
}

_PLAN = "金府发〔2018〕12号《金山区加强政务诚信建设的实施方案》"
_PUBLISHED = "《上海市社会信用条例》第二十二条、第三十二条（应用清单公布后方可实施）"
_PUNISH = (
    f"{_PLAN}二.2（对存在政务失信记录的单位及其公务员，要求书面说明、限期整改，"
    "并在相应环节采取限制措施）；《上海市社会信用条例》第三十条（与失信行为相关联、相适应）；"
    f"{_PUBLISHED}"
)
_REWARD = (
    f"{_PLAN}二.2（对诚实守信的单位及其公务员，在评优评先、职务晋升等环节同等条件下予以优先考虑）；"
    f"{_PUBLISHED}"
)
_GRADE = (
    f"{_PLAN}二.2、三.1（加强对采购人履约验收环节信用情况的监督）；"
    f"《上海市社会信用条例》第三十条；{_PUBLISHED}"
)
_PROMOTION = f"{_PLAN}二.2（职级晋升）；{_PUBLISHED}"


def _legal_basis(condition: Condition) -> str:
    if condition == Condition.TRUSTWORTHY:
        return _REWARD
    if condition in (Condition.GRADE_C, Condition.GRADE_D):
        return _GRADE
    if condition == Condition.PROMOTION_FACTOR:
        return _PROMOTION
    return _PUNISH


def _rows(
    scenarios: tuple[str, ...],
    kinds: tuple[SubjectKind, ...],
    condition: Condition,
    effects: tuple[MeasureEffect, ...],
) -> list[MeasureRow]:
    rows = []
    for scenario in scenarios:
        for kind in kinds:
            for effect in effects:
                rows.append(_row(scenario, kind, condition, effect))
    return rows


def _row(scenario: str, kind: SubjectKind, condition: Condition,
         effect: MeasureEffect) -> MeasureRow:
    (scenario_zh, scenario_en) = _SCENARIO_NAMES[scenario]
    (condition_zh, condition_en) = _CONDITION_NAMES[condition]
    (effect_zh, effect_en) = _EFFECT_NAMES[effect]
    return MeasureRow(
        code=measure_code(scenario, condition, effect),
        name=f"{scenario_zh}：{condition_zh}，{effect_zh} / "
        f"{scenario_en}: {condition_en}, {effect_en}",
        scenario=scenario,
        subject_kind=kind,
        condition=condition.value,
        effect=effect,
        legal_basis=_legal_basis(condition),
        valid_from=SEED_VALID_FROM,
    )


_UNIT = (SubjectKind.UNIT,)
_PERSON = (SubjectKind.PERSON,)
_BOTH = (SubjectKind.UNIT, SubjectKind.PERSON)
_FINANCE = ("GOVERNMENT_PROCUREMENT", "PPP", "BOND_ISSUANCE", "INVESTMENT_APPROVAL")
_APPLICATIONS = ("PILOT_APPLICATION", "SUBSIDY_APPLICATION")
_E = MeasureEffect
_C = Condition

# The table of DOMAIN.md section 4, in its order.
DEFAULT_MEASURE_ROWS: tuple[MeasureRow, ...] = (
    *_rows(_FINANCE, _UNIT, _C.GENERAL, (_E.WRITTEN_EXPLANATION,)),
    *_rows(_FINANCE, _UNIT, _C.SERIOUS, (_E.RESTRICT, _E.RECTIFICATION)),
    *_rows(_APPLICATIONS, _UNIT, _C.GENERAL, (_E.RESTRICT,)),
    *_rows(_APPLICATIONS, _UNIT, _C.SERIOUS, (_E.PROHIBIT,)),
    *_rows(("AWARDS",), _BOTH, _C.DISHONEST, (_E.PROHIBIT,)),
    *_rows(("PERFORMANCE_ASSESSMENT",), _BOTH, _C.DISHONEST, (_E.RESTRICT,)),
    *_rows(("HIRING",), _PERSON, _C.GENERAL, (_E.RESTRICT,)),
    *_rows(("HIRING",), _PERSON, _C.SERIOUS, (_E.PROHIBIT,)),
    *_rows(("AWARDS",), _BOTH, _C.TRUSTWORTHY, (_E.PRIORITY,)),
    *_rows(("GOVERNMENT_PROCUREMENT",), _UNIT, _C.GRADE_C, (_E.WRITTEN_EXPLANATION,)),
    *_rows(("GOVERNMENT_PROCUREMENT",), _UNIT, _C.GRADE_D, (_E.RESTRICT, _E.RECTIFICATION)),
    *_rows(("PROMOTION",), _PERSON, _C.PROMOTION_FACTOR, (_E.PROHIBIT, _E.RESTRICT, _E.PRIORITY)),
)

_ADMINISTRATIVE_GROUP = "ADMINISTRATIVE"
_PARTY_GROUP = "PARTY"

DEFAULT_SANCTION_PERIODS = SanctionPeriods(
    valid_from=SEED_VALID_FROM,
    months={
        "WARNING": 6,
        "DEMERIT": 12,
        "MAJOR_DEMERIT": 18,
        "DEMOTION": 24,
        "REMOVAL": 24,
        "DISMISSAL": None,
        "PARTY_WARNING": 12,
        "PARTY_SERIOUS_WARNING": 18,
        "PARTY_POST_REVOCATION": 24,
        "ADMONISHMENT": 6,
        "POST_ADJUSTMENT": 12,
        "RANK_REDUCTION": 24,
        "UNDER_INVESTIGATION": None,
    },
    chain_groups={
        "WARNING": _ADMINISTRATIVE_GROUP,
        "DEMERIT": _ADMINISTRATIVE_GROUP,
        "MAJOR_DEMERIT": _ADMINISTRATIVE_GROUP,
        "DEMOTION": _ADMINISTRATIVE_GROUP,
        "REMOVAL": _ADMINISTRATIVE_GROUP,
        "PARTY_WARNING": _PARTY_GROUP,
        "PARTY_SERIOUS_WARNING": _PARTY_GROUP,
        "PARTY_POST_REVOCATION": _PARTY_GROUP,
    },
    chain_cap_months=48,
    incompetent_months=12,
    basic_months=12,
)
