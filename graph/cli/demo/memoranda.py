"""The demo district's joint-punishment memoranda (联合惩戒备忘录, 金府发〔2018〕12号 二.2).

Two memoranda signed by demo bureaus, each bureau answering through a demo client bound to it
(`DEMO_BINDINGS`, applied when the demo keys are issued):

- 金信联〔2026〕1号, government procurement (拖欠中小企业款项等履约失信): 财政局, 发展和改革
  委员会, 市场监督管理局. One action, started by 财政局 30 days ago, answered by both others:
  CLOSED.
- 金信联〔2026〕2号, investment approval (政府投资项目审批违规): 发展和改革委员会, 财政局,
  建设和管理委员会. One action, started by 发展和改革委员会 20 days ago: 财政局 answered,
  建设和管理委员会 is overdue (5 working days), so the action is OPEN and its measures show in
  the subject's INVESTMENT_APPROVAL restrictions.

The subjects are demo units (not signatories) with a finding that meets the memorandum on the
action's day and is still in force today; everything goes through domains.memorandum's
services.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from sqlalchemy import select

from domains.core.clock import SHANGHAI
from domains.credit.models import CreditRecord
from domains.memorandum import actions, responses
from domains.memorandum import service as memoranda
from domains.memorandum.rules import Conditions, basis_problem
from domains.restriction.service import SubjectRef
from domains.subject.enums import SubjectKind
from graph.cli.demo.shared import Demo
from loaders.base import Loaders, Scope
from loaders.credit import RecordFactsBySubjectLoader

OFFICE: Final = "demo-credit_office"
PROCUREMENT_MEMO: Final = "金信联〔2026〕1号"
INVESTMENT_MEMO: Final = "金信联〔2026〕2号"
# demo client audience -> the bureaus (district handles) it acts for
DEMO_BINDINGS: Final = {"PROCUREMENT": ("czj",), "PROJECT_APPROVAL": ("fgw", "jsw"),
                        "SUPERVISION": ("scj",)}
CLIENT_OF: Final = {"czj": ("demo-procurement", "PROCUREMENT"),
                    "fgw": ("demo-project_approval", "PROJECT_APPROVAL"),
                    "jsw": ("demo-project_approval", "PROJECT_APPROVAL"),
                    "scj": ("demo-supervision", "SUPERVISION")}
SUSPEND = memoranda.MeasureDraft(
    code="SUSPEND-BIDDING", name="暂停参与区级政府采购活动6个月 / Suspended from district "
    "procurement for 6 months", effect="PROHIBIT",
    legal_basis="《政府采购法》第二十二条；《保障中小企业款项支付条例》第十四条；备忘录约定")
SPOT_CHECK = memoranda.MeasureDraft(
    code="SPOT-CHECK", name="列为重点监管对象，提高抽查比例 / Priority supervision, more spot "
    "checks", effect="RESTRICT", legal_basis="《上海市社会信用条例》第三十条；备忘录约定")


def _drafts(demo: Demo, effective_from: date) -> list[memoranda.MemorandumDraft]:
    u = demo.units
    procurement = memoranda.MemorandumDraft(
        number=PROCUREMENT_MEMO, title="关于对拖欠中小企业款项等履约失信采购人实施联合惩戒的"
        "合作备忘录", scenario="GOVERNMENT_PROCUREMENT", subject_kind=SubjectKind.UNIT,
        categories=(),
        severities=("GENERAL", "SERIOUS"), effective_from=effective_from, valid_until=None,
        response_working_days=10, signatories=[
            memoranda.SignatoryDraft(u["czj"].uscc, [
                memoranda.MeasureDraft("GOVERNMENT_PROCUREMENT.SERIOUS.RESTRICT"), SUSPEND]),
            memoranda.SignatoryDraft(u["fgw"].uscc, [
                memoranda.MeasureDraft("INVESTMENT_APPROVAL.GENERAL.WRITTEN_EXPLANATION")]),
            memoranda.SignatoryDraft(u["scj"].uscc, [SPOT_CHECK])])
    investment = memoranda.MemorandumDraft(
        number=INVESTMENT_MEMO, title="关于对政府投资项目审批违规单位实施联合惩戒的合作备忘录",
        scenario="INVESTMENT_APPROVAL", subject_kind=SubjectKind.UNIT, categories=(),
        severities=("SERIOUS",), effective_from=effective_from, valid_until=None,
        response_working_days=5, signatories=[
            memoranda.SignatoryDraft(u["fgw"].uscc, [
                memoranda.MeasureDraft("INVESTMENT_APPROVAL.SERIOUS.RESTRICT")]),
            memoranda.SignatoryDraft(u["czj"].uscc, [
                memoranda.MeasureDraft("GOVERNMENT_PROCUREMENT.SERIOUS.RECTIFICATION")]),
            memoranda.SignatoryDraft(u["jsw"].uscc, [SPOT_CHECK])])
    return [procurement, investment]


@dataclass(frozen=True)
class Basis:
    subject: SubjectRef
    uscc: str
    record_id: uuid.UUID


async def _basis(demo: Demo, severities: tuple[str, ...], day: date,
                 taken: set[uuid.UUID]) -> Basis:
    """The first PUBLIC unit finding (decidedOn, id) of these severities that meets the
    conditions on `day` and is still in force today, of a unit not taken (nor a signatory)."""
    from domains.subject.models import Unit

    rows = (await demo.session.execute(
        select(CreditRecord, Unit.uscc).join(Unit, Unit.id == CreditRecord.unit_id)
        .where(CreditRecord.severity.in_(severities), CreditRecord.disclosure == "PUBLIC",
               CreditRecord.decided_on <= day, CreditRecord.valid_until >= demo.today)
        .order_by(CreditRecord.decided_on, CreditRecord.id))).all()
    registry = Loaders(Scope(session=demo.session, today=day, audience="CREDIT_OFFICE"))
    for record, uscc in rows:
        if record.subject_id in taken:
            continue
        facts = await registry.get(RecordFactsBySubjectLoader).load((record.subject_id, day))
        own = next(f for f in facts if f.id == record.id)
        if basis_problem(own, Conditions((), severities), day) is None:
            return Basis(SubjectRef(SubjectKind.UNIT, record.subject_id), uscc, record.id)
    raise RuntimeError(f"no demo unit has a {'/'.join(severities)} finding in force on {day}")


def _acting(handle: str) -> actions.Acting:
    name, audience = CLIENT_OF[handle]
    return actions.Acting(name, audience, frozenset())


async def _unit_id(demo: Demo, handle: str) -> uuid.UUID:
    from domains.subject import service as subjects

    unit = await subjects.unit_by_uscc(demo.session, demo.units[handle].uscc)
    assert unit is not None
    return unit.id


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), SHANGHAI)


async def _start(demo: Demo, number: str, initiator: str, basis: Basis, day: date,
                 ref: str) -> uuid.UUID:
    """An action started by `initiator` on `day` (its client acting for it)."""
    version = await memoranda.version_in_effect(demo.session, number, day)
    assert version is not None
    note = "请各签署单位依备忘录实施惩戒并反馈。"
    prepared = actions.PreparedAction(version, basis.subject, await _unit_id(demo, initiator),
                                      (basis.record_id,), ref, note)
    registry = Loaders(Scope(session=demo.session, today=day, audience="CREDIT_OFFICE"))
    facts = await registry.get(RecordFactsBySubjectLoader).load((basis.subject.id, day))
    action = await actions.initiate_action(
        demo.session, prepared, facts=facts, visible={basis.record_id: basis.subject.id},
        caller=_acting(initiator), today=day, now=_at(day, 10))
    return action.id


async def _answer(demo: Demo, action_id: uuid.UUID, handle: str, day: date,
                  codes: tuple[str, ...] = (), reason: str | None = None) -> None:
    kind = "MEASURES_APPLIED" if codes else "NOT_APPLIED"
    report = responses.ResponseReport(action_id, demo.units[handle].uscc, kind, codes, reason)
    name, audience = CLIENT_OF[handle]
    caller = actions.Acting(name, audience, frozenset({await _unit_id(demo, handle)}))
    await responses.respond(demo.session, report, caller=caller, today=day, now=_at(day, 15))


async def load_memoranda(demo: Demo) -> str:
    """The seed step: two memoranda, one closed action and one open with an overdue
    signatory."""
    effective_from = demo.today - timedelta(days=90)
    for draft in _drafts(demo, effective_from):
        await memoranda.register_memorandum(demo.session, draft, actor=OFFICE,
                                            today=effective_from, now=_at(effective_from, 9))
    closed_on, opened_on = demo.today - timedelta(days=30), demo.today - timedelta(days=20)
    signatories = {await _unit_id(demo, handle) for handle in CLIENT_OF}
    first = await _basis(demo, ("GENERAL", "SERIOUS"), closed_on, signatories)
    second = await _basis(demo, ("SERIOUS",), opened_on, signatories | {first.subject.id})
    closed = await _start(demo, PROCUREMENT_MEMO, "czj", first, closed_on, "JSCZ-LHCJ-2026-01")
    await _answer(demo, closed, "fgw", closed_on + timedelta(days=2),
                  ("INVESTMENT_APPROVAL.GENERAL.WRITTEN_EXPLANATION",))
    await _answer(demo, closed, "scj", closed_on + timedelta(days=6),
                  reason="该单位不属于本局监管对象，未实施")
    opened = await _start(demo, INVESTMENT_MEMO, "fgw", second, opened_on, "JSFG-LHCJ-2026-07")
    await _answer(demo, opened, "czj", opened_on + timedelta(days=3),
                  ("GOVERNMENT_PROCUREMENT.SERIOUS.RECTIFICATION",))
    return (f"memoranda: 2 memoranda, 2 joint actions (1 closed; 1 open against {second.uscc} "
            "with 建设和管理委员会 overdue)")
