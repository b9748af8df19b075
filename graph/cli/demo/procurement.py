"""The demo district's procurement (DOMAIN.md section 6): four purchasers, one per grade, whose
contracts show every kind of breach, through `domains.procurement.service` as the procurement
system would send them; the C and D purchasers also have PROCUREMENT-domain records reported
through `domains.credit.service`.

Every date counts back from the load day (`demo.today`) and no milestone is after it, so the
grades hold whenever the demo is loaded (scores with the seeded weights):

- 教育局 (A, 98): one acceptance 2 days late, everything else on time.
- 中心医院 (B, 82): an SME paid 10 days late (interest 850000 × 0.05% × 10 = 4250.00), an
  acceptance 5 days late, an acceptance overdue, a payment overdue.
- 城市建设投资有限公司 (C, 69): a state enterprise, so a 90-day term with an SME is allowed;
  that payment is 100 days overdue (interest 100000.00); another contract is neither accepted
  nor paid; one GENERAL record.
- 交通委员会 (D, 36): three contracts neither accepted nor paid, one accepted and paid late,
  one SERIOUS record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from stdnum.cn import uscc as uscc_check

from domains.credit import service as credit
from domains.credit.enums import Disclosure, RecordCategory, RecordNature, Severity, SourceDomain
from domains.procurement import service as procurement
from domains.procurement.rules import ContractMilestone
from graph.cli.demo.shared import Demo

CLIENT: Final = "demo-procurement"
AUDIENCE: Final = "PROCUREMENT"
SOURCE_SYSTEM: Final = "jinshan-procurement"
SUPERVISOR: Final = "czj"  # 财政局 supervises government procurement


@dataclass(frozen=True)
class Plan:
    """One contract; the milestones are days before the load day (None: not yet)."""

    purchaser: str
    code: str
    title: str
    supplier: str
    sme: bool
    amount: str
    signed: int
    delivered: int | None = None
    accepted: int | None = None
    paid: int | None = None
    payment_days: int | None = None


@dataclass(frozen=True)
class Finding:
    """A PROCUREMENT-domain record on a purchaser, linked to one of its contracts."""

    code: str
    severity: Severity
    decided: int
    title: str


PLANS: Final[tuple[Plan, ...]] = (
    Plan("jyj", "JSZC-JYJ-01", "中小学课桌椅", "上海金山家具有限公司", True, "380000.00",
         signed=130, delivered=100, accepted=68, paid=60),            # ACCEPTANCE_LATE 2
    Plan("jyj", "JSZC-JYJ-02", "智慧教室设备", "上海某信息技术有限公司", True, "560000.00",
         signed=70, delivered=40, accepted=20, paid=5),
    Plan("jyj", "JSZC-JYJ-03", "校园安保服务", "上海某保安服务有限公司", False, "240000.00",
         signed=30, delivered=10),                                    # not yet due
    Plan("hospital", "JSZC-YY-01", "医用耗材", "上海某医疗器械有限公司", True, "850000.00",
         signed=120, delivered=90, accepted=55, paid=20),             # ACCEPTANCE_LATE 5,
    #                                                                   PAYMENT_LATE 10 (SME)
    Plan("hospital", "JSZC-YY-02", "病房空调维修", "上海某机电工程有限公司", False, "96000.00",
         signed=70, delivered=50),                                    # ACCEPTANCE_OVERDUE 20
    Plan("hospital", "JSZC-YY-03", "影像设备", "上海某影像设备有限公司", False, "1350000.00",
         signed=110, delivered=80, accepted=50),                      # PAYMENT_OVERDUE 20
    Plan("urban", "JSZC-CT-01", "道路照明改造", "上海金山照明工程有限公司", True, "2000000.00",
         signed=230, delivered=200, accepted=190, payment_days=90),   # PAYMENT_OVERDUE 100
    Plan("urban", "JSZC-CT-02", "绿化养护", "上海某园林绿化有限公司", False, "420000.00",
         signed=130, delivered=100),                                  # both overdue
    Plan("jtw", "JSZC-JTW-01", "公交站亭更新", "上海某市政设施有限公司", True, "680000.00",
         signed=200, delivered=170),
    Plan("jtw", "JSZC-JTW-02", "交通信号维护", "上海某交通科技有限公司", True, "310000.00",
         signed=160, delivered=140),
    Plan("jtw", "JSZC-JTW-03", "道路标线施划", "上海某道路工程有限公司", False, "450000.00",
         signed=150, delivered=120),                                  # three both overdue
    Plan("jtw", "JSZC-JTW-04", "停车诱导系统", "上海某智能科技有限公司", False, "900000.00",
         signed=260, delivered=240, accepted=200, paid=150),          # both late
)

FINDINGS: Final[tuple[Finding, ...]] = (
    Finding("JSZC-CT-01", Severity.GENERAL, 30, "拖欠中小企业账款，经督促仍未支付"),
    Finding("JSZC-JTW-01", Severity.SERIOUS, 20, "多个采购项目长期不验收、不付款，造成恶劣影响"),
)


def supplier_uscc(n: int) -> str:
    body = f"91310116MA1J{n:05d}"
    return body + uscc_check.calc_check_digit(body)


def _ago(today: date, days: int | None) -> date | None:
    return None if days is None else today - timedelta(days=days)


def _responsible(demo: Demo, purchaser_uscc: str) -> str | None:
    """Someone whose latest post is at the purchaser and still open, when there is one."""
    for person in demo.people:
        if person.ended_on is None and person.posts[-1].unit_uscc == purchaser_uscc:
            return person.id_number
    return None


def contract_rows(demo: Demo) -> list[procurement.ContractRow]:
    rows = []
    for n, plan in enumerate(PLANS, start=1):
        purchaser = demo.units[plan.purchaser].uscc
        signed_on = _ago(demo.today, plan.signed)
        assert signed_on is not None
        rows.append(procurement.ContractRow(
            code=plan.code, title=plan.title, purchaser_uscc=purchaser,
            responsible_person_id_number=_responsible(demo, purchaser),
            supplier_name=plan.supplier, supplier_uscc=supplier_uscc(n),
            supplier_is_sme=plan.sme, amount=Decimal(plan.amount), signed_on=signed_on,
            payment_days=plan.payment_days))
    return rows


def milestone_rows(today: date) -> list[procurement.MilestoneRow]:
    rows = []
    for plan in PLANS:
        for kind, days in ((ContractMilestone.DELIVERED, plan.delivered),
                           (ContractMilestone.ACCEPTED, plan.accepted),
                           (ContractMilestone.PAID, plan.paid)):
            on = _ago(today, days)
            if on is not None:
                rows.append(procurement.MilestoneRow(plan.code, kind, on))
    return rows


def record_rows(demo: Demo) -> list[credit.RecordRow]:
    purchasers = {plan.code: demo.units[plan.purchaser].uscc for plan in PLANS}
    rows = []
    for finding in FINDINGS:
        decided_on = _ago(demo.today, finding.decided)
        assert decided_on is not None
        rows.append(credit.RecordRow(
            subject_uscc=purchasers[finding.code], subject_id_number=None,
            nature=RecordNature.DISHONEST, category=RecordCategory.CONTRACT_PERFORMANCE,
            domain=SourceDomain.PROCUREMENT, title=finding.title, decided_on=decided_on,
            disclosure=Disclosure.PUBLIC, source_system=SOURCE_SYSTEM,
            source_ref=f"{finding.code}/{finding.severity.value}", severity=finding.severity,
            decided_by_uscc=demo.units[SUPERVISOR].uscc,
            procurement_contract_code=finding.code))
    return rows


async def register_procurement(demo: Demo) -> str:
    """Contracts, then their milestones, then the records that cite them."""
    contracts = await procurement.register_contracts(
        demo.session, contract_rows(demo), secret=demo.secret, today=demo.today,
        reported_by=CLIENT)
    milestones = milestone_rows(demo.today)
    await procurement.record_milestones(demo.session, milestones, today=demo.today,
                                        recorded_by=CLIENT)
    records = await credit.report_records(demo.session, record_rows(demo), actor=CLIENT,
                                          audience=AUDIENCE, today=demo.today,
                                          secret=demo.secret)
    return (f"procurement: {len(contracts)} contracts, {len(milestones)} milestones, "
            f"{len(records)} records (grades A, B, C, D)")
