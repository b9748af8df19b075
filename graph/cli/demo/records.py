"""The demo's credit-record catalogue: one template per kind of record, each with the fates
(final statuses) it is given; `graph.cli.demo.credit` turns every (template, fate) into a record.

Together the templates cover every category, nature, severity, disclosure, sanction and status
(tests/cli/demo checks it). Titles follow real 金山 practice; subjects are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Final

from domains.credit.enums import (
    Audience,
    Disclosure,
    RecordCategory,
    RecordNature,
    Sanction,
    Severity,
    SourceDomain,
)


class Fate(Enum):
    """What happens to a record after it is reported, and so its status on the load day."""

    ACTIVE = "in force"
    EXPIRED = "validUntil passed"
    UNDER_OBJECTION = "objection pending"
    OBJECTION_UPHELD = "objection upheld: REVOKED"
    OBJECTION_REJECTED = "objection rejected: ACTIVE again"
    REVOKED = "decision annulled: REVOKED"
    REPAIRED = "credit repaired"
    EXEMPTED = "exempted (容错免责)"
    CORRECTED = "corrected, still ACTIVE"


@dataclass(frozen=True)
class Template:
    category: RecordCategory
    nature: RecordNature
    title: str
    document: str  # decision-number prefix, e.g. 金市监处 in 金市监处〔2026〕12号
    fates: tuple[Fate, ...]
    person: bool = False
    severity: Severity | None = None
    sanction: Sanction | None = None
    sanction_months: int | None = None
    disclosure: Disclosure = Disclosure.GOVERNMENT_SHARED
    domain: SourceDomain = SourceDomain.OTHER
    decided_by: str | None = None  # a unit handle of the district, or "employer"
    summary: str | None = None
    act_ended: bool = False
    share_scope: tuple[Audience, ...] | None = None


C, N, S, X, D, F = RecordCategory, RecordNature, Severity, Sanction, Disclosure, Fate
DISHONEST, TRUSTWORTHY = N.DISHONEST, N.TRUSTWORTHY
PUBLIC, SHARED, AUTHORIZED = D.PUBLIC, D.GOVERNMENT_SHARED, D.AUTHORIZED_QUERY

UNIT_RECORDS: Final[tuple[Template, ...]] = (
    Template(C.JUDICIAL_JUDGMENT, DISHONEST, "拖欠工程款经法院判决后未履行，被列为失信被执行人",
             "(2025)沪0116执", (F.ACTIVE, F.EXPIRED, F.OBJECTION_UPHELD), severity=S.SERIOUS,
             disclosure=PUBLIC, act_ended=True),
    Template(C.ADMINISTRATIVE_PENALTY, DISHONEST, "违规设置招标资格条件，被处以罚款",
             "金市监处", (F.ACTIVE, F.REPAIRED, F.OBJECTION_REJECTED, F.EXPIRED),
             severity=S.GENERAL, disclosure=PUBLIC, decided_by="scj"),
    Template(C.ADMINISTRATIVE_PENALTY, DISHONEST, "建设项目环评手续不全，受到警告处罚",
             "金环罚", (F.ACTIVE, F.EXPIRED, F.REPAIRED), severity=S.MINOR,
             decided_by="sthj"),
    Template(C.ADMINISTRATIVE_PENALTY, DISHONEST, "建设项目未批先建，被责令停止建设并处罚款",
             "金规划罚", (F.ACTIVE, F.OBJECTION_UPHELD), severity=S.SERIOUS,
             disclosure=PUBLIC, domain=SourceDomain.ADMINISTRATIVE_APPROVAL, decided_by="ghj"),
    Template(C.ADMINISTRATIVE_RECONSIDERATION, DISHONEST, "行政复议决定确认其具体行政行为违法",
             "金府复决", (F.ACTIVE, F.REVOKED), severity=S.GENERAL, decided_by="sfj",
             share_scope=()),
    Template(C.ADMINISTRATIVE_RECONSIDERATION, TRUSTWORTHY, "行政复议维持其具体行政行为",
             "金府复决", (F.ACTIVE,), disclosure=PUBLIC, decided_by="sfj"),
    Template(C.MOTION_PROPOSAL_HANDLING, TRUSTWORTHY, "人大代表建议办理，代表评价满意",
             "金人大建", (F.ACTIVE, F.EXPIRED), disclosure=PUBLIC, decided_by="office"),
    Template(C.MOTION_PROPOSAL_HANDLING, DISHONEST, "政协提案逾期未答复",
             "金政协提", (F.ACTIVE, F.EXEMPTED), severity=S.MINOR, decided_by="office"),
    Template(C.COMPLAINT, DISHONEST, "12345市民服务热线投诉查实：推诿群众合理诉求",
             "金信访", (F.ACTIVE, F.UNDER_OBJECTION), severity=S.MINOR, disclosure=AUTHORIZED),
    Template(C.COMPLAINT, DISHONEST, "投诉举报查实：政务服务事项超时办结",
             "金信访", (F.UNDER_OBJECTION, F.CORRECTED), severity=S.GENERAL,
             decided_by="service"),
    Template(C.CONTRACT_PERFORMANCE, DISHONEST, "政府采购合同货物交付后逾期组织验收",
             "金采履", (F.ACTIVE, F.REPAIRED, F.EXPIRED), severity=S.GENERAL,
             domain=SourceDomain.PROCUREMENT, decided_by="procure",
             share_scope=(Audience.PROCUREMENT,)),
    Template(C.CONTRACT_PERFORMANCE, TRUSTWORTHY, "政府采购合同按约验收并及时支付",
             "金采履", (F.ACTIVE,), disclosure=PUBLIC, domain=SourceDomain.PROCUREMENT,
             decided_by="procure"),
    Template(C.CONTRACT_PERFORMANCE, DISHONEST, "拖欠中小企业账款逾期未清偿",
             "金清欠", (F.ACTIVE, F.EXEMPTED), severity=S.SERIOUS, domain=SourceDomain.DEBT,
             decided_by="czj"),
    Template(C.CONTRACT_PERFORMANCE, TRUSTWORTHY, "PPP项目按合同约定完成年度绩效目标",
             "金PPP绩", (F.ACTIVE,), domain=SourceDomain.PPP, decided_by="czj"),
    Template(C.CONTRACT_PERFORMANCE, DISHONEST, "政府投资项目超批复概算且未按规定报批",
             "金发改投", (F.ACTIVE,), severity=S.GENERAL, domain=SourceDomain.INVESTMENT,
             decided_by="fgw", share_scope=(Audience.PROJECT_APPROVAL, Audience.SUPERVISION)),
    Template(C.COMMENDATION, TRUSTWORTHY, "获评上海市文明单位", "沪文明",
             (F.ACTIVE, F.EXPIRED), disclosure=PUBLIC, decided_by="gov"),
    Template(C.PERFORMANCE_ASSESSMENT, TRUSTWORTHY, "年度绩效考核结果为优秀", "金绩考",
             (F.ACTIVE, F.ACTIVE), decided_by="gov"),
    Template(C.OTHER_ACCOUNTABILITY, DISHONEST, "河长制考核未达标，被约谈问责", "金河长办",
             (F.ACTIVE, F.EXEMPTED), severity=S.GENERAL,
             domain=SourceDomain.RIVER_GOVERNANCE, decided_by="swj"),
)

PERSON_RECORDS: Final[tuple[Template, ...]] = (
    Template(C.ADMINISTRATIVE_SANCTION, DISHONEST, "违反工作纪律，给予警告处分", "金人社处",
             (F.ACTIVE, F.EXPIRED, F.OBJECTION_UPHELD, F.REPAIRED), person=True,
             severity=S.GENERAL, sanction=X.WARNING, decided_by="employer"),
    Template(C.ADMINISTRATIVE_SANCTION, DISHONEST, "违规审批，给予警告处分（处分期间六个月）",
             "金人社处", (F.ACTIVE,), person=True, severity=S.GENERAL, sanction=X.WARNING,
             sanction_months=6, decided_by="employer"),
    Template(C.ADMINISTRATIVE_SANCTION, DISHONEST, "不履行监管职责，给予记过处分", "金人社处",
             (F.ACTIVE, F.OBJECTION_REJECTED), person=True, severity=S.GENERAL,
             sanction=X.DEMERIT, decided_by="employer"),
    Template(C.ADMINISTRATIVE_SANCTION, DISHONEST, "违规发放津补贴，给予记大过处分", "金人社处",
             (F.ACTIVE,), person=True, severity=S.SERIOUS, sanction=X.MAJOR_DEMERIT,
             decided_by="employer"),
    Template(C.ADMINISTRATIVE_SANCTION, DISHONEST, "弄虚作假骗取荣誉，给予降级处分", "金人社处",
             (F.ACTIVE,), person=True, severity=S.SERIOUS, sanction=X.DEMOTION,
             sanction_months=24, decided_by="employer"),
    Template(C.ADMINISTRATIVE_SANCTION, DISHONEST, "严重失职造成重大损失，给予撤职处分",
             "金人社处", (F.ACTIVE, F.CORRECTED), person=True, severity=S.SERIOUS,
             sanction=X.REMOVAL, decided_by="employer"),
    Template(C.ADMINISTRATIVE_SANCTION, DISHONEST, "贪污公款，给予开除处分", "金人社处",
             (F.ACTIVE,), person=True, severity=S.SERIOUS, sanction=X.DISMISSAL,
             disclosure=PUBLIC, decided_by="employer"),
    Template(C.DISCIPLINARY_SANCTION, DISHONEST, "违规接受宴请，给予党内警告处分", "金纪处",
             (F.ACTIVE, F.REVOKED, F.EXPIRED), person=True, severity=S.GENERAL,
             sanction=X.PARTY_WARNING),
    Template(C.DISCIPLINARY_SANCTION, DISHONEST, "违规插手工程项目，给予党内严重警告处分",
             "金纪处", (F.ACTIVE, F.UNDER_OBJECTION), person=True, severity=S.SERIOUS,
             sanction=X.PARTY_SERIOUS_WARNING),
    Template(C.DISCIPLINARY_SANCTION, DISHONEST, "滥用职权，给予撤销党内职务处分", "金纪处",
             (F.ACTIVE,), person=True, severity=S.SERIOUS, sanction=X.PARTY_POST_REVOCATION),
    Template(C.OTHER_ACCOUNTABILITY, DISHONEST, "履职不力，予以诫勉", "金组诫",
             (F.ACTIVE, F.EXEMPTED, F.REPAIRED), person=True, severity=S.GENERAL,
             sanction=X.ADMONISHMENT, decided_by="employer"),
    Template(C.OTHER_ACCOUNTABILITY, DISHONEST, "安全生产监管失职，予以调离岗位", "金组调",
             (F.ACTIVE,), person=True, severity=S.GENERAL, sanction=X.POST_ADJUSTMENT,
             decided_by="employer"),
    Template(C.OTHER_ACCOUNTABILITY, DISHONEST, "重大决策失误，予以降职", "金组降",
             (F.ACTIVE,), person=True, severity=S.SERIOUS, sanction=X.RANK_REDUCTION,
             decided_by="employer"),
    Template(C.OTHER_ACCOUNTABILITY, DISHONEST, "正在接受审查调查", "金监立",
             (F.ACTIVE, F.UNDER_OBJECTION), person=True, severity=S.SERIOUS,
             sanction=X.UNDER_INVESTIGATION, disclosure=AUTHORIZED),
    Template(C.OTHER_ACCOUNTABILITY, DISHONEST, "工作作风问题，予以提醒谈话", "金组谈",
             (F.ACTIVE, F.EXPIRED), person=True, severity=S.MINOR, decided_by="employer"),
    Template(C.PERFORMANCE_ASSESSMENT, DISHONEST, "年度考核确定为基本称职", "金考核",
             (F.ACTIVE, F.EXPIRED), person=True, severity=S.MINOR, decided_by="employer"),
    Template(C.PERFORMANCE_ASSESSMENT, TRUSTWORTHY, "年度考核确定为优秀等次", "金考核",
             (F.ACTIVE, F.ACTIVE, F.ACTIVE, F.EXPIRED), person=True, decided_by="employer"),
    Template(C.COMMENDATION, TRUSTWORTHY, "记三等功", "金奖",
             (F.ACTIVE, F.EXPIRED), person=True, disclosure=PUBLIC, decided_by="gov"),
    Template(C.COMMENDATION, TRUSTWORTHY, "获评优秀公务员", "金奖", (F.ACTIVE, F.ACTIVE),
             person=True, decided_by="rsj"),
    Template(C.JUDICIAL_JUDGMENT, DISHONEST, "犯受贿罪，被判处有期徒刑", "(2025)沪0116刑初",
             (F.ACTIVE,), person=True, severity=S.SERIOUS, disclosure=PUBLIC, act_ended=True),
    Template(C.COMPLAINT, DISHONEST, "投诉举报查实：对办事群众态度恶劣", "金信访",
             (F.ACTIVE, F.OBJECTION_REJECTED), person=True, severity=S.MINOR,
             disclosure=AUTHORIZED),
)

CATALOGUE: Final = UNIT_RECORDS + PERSON_RECORDS
