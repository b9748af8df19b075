"""What each promotion factor says (DOMAIN.md section 5): its description and legal basis."""

from __future__ import annotations

_ADMINISTRATIVE = (
    "《公职人员政务处分法》第七条、第八条；《公务员法》第六十四条、第六十五条；"
    "处分期间再受处分的，处分期合并计算，最长不超过48个月（《行政机关公务员处分条例》第十条）"
)
_PARTY = (
    "《中国共产党纪律处分条例》（警告一年内、严重警告一年半内不得在党内提升职务，"
    "撤销党内职务二年内不得担任相当职务）；影响期内再受处分的合并计算"
    "（平台规则，参照《行政机关公务员处分条例》第十条）"
)
_ORGANISATIONAL = (
    "《关于对党员领导干部进行组织处理的规定（试行）》（调整职务一年内、降职二年内不得提拔）"
)
_ASSESSMENT = "《公务员法》第三十七条；《公务员考核规定》；期限为平台默认（12个月）"
_PLAN = "金府发〔2018〕12号《金山区加强政务诚信建设的实施方案》二.2"

_FACTOR_TEXTS: dict[str, tuple[str, str]] = {
    "SANCTION_WARNING": ("政务处分 警告 / administrative sanction: warning", _ADMINISTRATIVE),
    "SANCTION_DEMERIT": ("政务处分 记过 / administrative sanction: demerit", _ADMINISTRATIVE),
    "SANCTION_MAJOR_DEMERIT": ("政务处分 记大过 / administrative: major demerit", _ADMINISTRATIVE),
    "SANCTION_DEMOTION": ("政务处分 降级 / administrative sanction: demotion", _ADMINISTRATIVE),
    "SANCTION_REMOVAL": ("政务处分 撤职 / administrative sanction: removal", _ADMINISTRATIVE),
    "SANCTION_DISMISSAL": (
        "政务处分 开除 / administrative sanction: dismissal (open-ended)",
        "《公职人员政务处分法》第七条、第八条；《公务员法》第六十二条",
    ),
    "SANCTION_PARTY_WARNING": ("党纪处分 警告 / party discipline: warning", _PARTY),
    "SANCTION_PARTY_SERIOUS_WARNING": ("党纪 严重警告 / party discipline: serious warning", _PARTY),
    "SANCTION_PARTY_POST_REVOCATION": ("党纪 撤销党内职务 / party: post revoked", _PARTY),
    "SANCTION_ADMONISHMENT": (
        "诫勉 / admonishment",
        "《关于对党员领导干部进行诫勉的规定》（受到诫勉的，六个月内不得提拔或者重用）",
    ),
    "SANCTION_POST_ADJUSTMENT": ("组织处理 调整职务 / post adjusted", _ORGANISATIONAL),
    "SANCTION_RANK_REDUCTION": ("组织处理 降职 / rank reduced", _ORGANISATIONAL),
    "SANCTION_UNDER_INVESTIGATION": (
        "正在接受审查调查 / under disciplinary review or supervisory investigation",
        "《党政领导干部选拔任用工作条例》（正在接受纪律审查、监察调查的，不得列为考察对象）",
    ),
    "ASSESSMENT_INCOMPETENT": ("年度考核不称职 / annual assessment: incompetent", _ASSESSMENT),
    "ASSESSMENT_BASIC": ("年度考核基本称职 / annual assessment: basically competent", _ASSESSMENT),
    "DISHONEST_RECORD": (
        "政务失信记录 / dishonesty record in force",
        f"{_PLAN}（对存在政务失信记录的公务员在职级晋升等环节采取限制措施）；"
        "《上海市社会信用条例》第三十条",
    ),
    "TRUSTWORTHY_RECORD": (
        "守信记录 / trustworthiness record in force",
        f"{_PLAN}（诚实守信的公务员在职务晋升中同等条件下予以优先考虑）",
    ),
}


def factor_text(code: str) -> tuple[str, str]:
    """The description and legal basis of a factor code."""
    return _FACTOR_TEXTS[code]
