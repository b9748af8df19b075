"""Government investment projects (DOMAIN.md section 8) as pure functions over plain values.

Nothing here reads a clock or the database: the service passes the approvals of a project
(stored ones and a batch's, merged) and gets decisions back. Money is `Decimal`, compared
exactly: 1,100,000.00 against 1,000,000.00 is exactly 10% and needs no re-approval (in binary
floating point it would).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Final

APPROVAL_OUT_OF_ORDER: Final = "APPROVAL_OUT_OF_ORDER"
INVALID_VALUE: Final = "INVALID_VALUE"

# 《政府投资条例》第十二条: an estimate above the approved investment by more than 10%.
REAPPROVAL_LINE: Final = Decimal("1.10")
OVERRUN_PLACES: Final = Decimal("0.0001")


class ApprovalDocument(StrEnum):
    """The approval documents, declared in procedure order (the list and rule order):
    项目建议书 → 可行性研究报告 → 初步设计及概算 (《政府投资条例》第九至十一条)."""

    PROJECT_PROPOSAL = "PROJECT_PROPOSAL"
    FEASIBILITY_STUDY = "FEASIBILITY_STUDY"
    PRELIMINARY_DESIGN = "PRELIMINARY_DESIGN"


# Procedure order (section 8), each document named: the order is a rule, not the enum's.
DOCUMENT_ORDER: Final[Mapping[ApprovalDocument, int]] = MappingProxyType({
    ApprovalDocument.PROJECT_PROPOSAL: 0,
    ApprovalDocument.FEASIBILITY_STUDY: 1,
    ApprovalDocument.PRELIMINARY_DESIGN: 2,
})


class ViolationKind(StrEnum):
    """What a violation in a project was (金府发〔2018〕12号; 条例第三十二至三十五条)."""

    ABUSE_OF_POWER = "ABUSE_OF_POWER"
    DERELICTION = "DERELICTION"
    FAVORITISM = "FAVORITISM"
    BRIBERY = "BRIBERY"
    FALSE_DOCUMENTS = "FALSE_DOCUMENTS"
    UNAUTHORISED_OVERRUN = "UNAUTHORISED_OVERRUN"
    OTHER = "OTHER"


@dataclass(frozen=True)
class Approval:
    """One approval of a project: a document submitted on a day, approved or not yet."""

    document: ApprovalDocument
    submitted_on: date
    approved_on: date | None = None
    estimated_total: Decimal | None = None


def check_dates(approval: Approval, today: date) -> list[tuple[str, str]]:
    """(field, message) of every date the approval may not have; [] when its dates are valid."""
    problems = []
    if approval.submitted_on > today:
        problems.append(("submittedOn", "submittedOn may not be after today"))
    if approval.approved_on is not None and approval.approved_on > today:
        problems.append(("approvedOn", "approvedOn may not be after today"))
    if approval.approved_on is not None and approval.approved_on < approval.submitted_on:
        problems.append(("approvedOn", "approvedOn may not be before submittedOn"))
    return problems


def _first_approvals(approvals: Sequence[Approval]) -> dict[ApprovalDocument, date]:
    """The day each document was first approved (documents never approved are left out)."""
    first: dict[ApprovalDocument, date] = {}
    for a in approvals:
        if a.approved_on is not None and (a.document not in first
                                          or a.approved_on < first[a.document]):
            first[a.document] = a.approved_on
    return first


def order_problem(approval: Approval, approvals: Sequence[Approval]) -> str | None:
    """Why `approval` stands out of order among all the project's `approvals` (it included),
    or None. Out of order (section 8): approved before an earlier document's (first)
    approval, or a PRELIMINARY_DESIGN approved while no FEASIBILITY_STUDY is approved; the
    same day is allowed, and a project may have no PROJECT_PROPOSAL."""
    day = approval.approved_on
    if day is None:
        return None
    first = _first_approvals(approvals)
    position = DOCUMENT_ORDER[approval.document]
    for earlier in sorted((d for d, n in DOCUMENT_ORDER.items() if n < position),
                          key=DOCUMENT_ORDER.__getitem__):
        if earlier in first and first[earlier] > day:
            return (f"{approval.document} approved on {day}, before the {earlier} approval of "
                    f"{first[earlier]}")
    study = first.get(ApprovalDocument.FEASIBILITY_STUDY)
    if approval.document == ApprovalDocument.PRELIMINARY_DESIGN and (study is None
                                                                     or study > day):
        return f"PRELIMINARY_DESIGN approved on {day} while no FEASIBILITY_STUDY is approved"
    return None


def out_of_order(approvals: Sequence[Approval], changed: Sequence[int]) -> dict[int, str]:
    """The positions among `changed` (the rows of a batch, as positions in `approvals`) that
    put the project's approvals out of order, with why.

    A changed approval is blamed when it is out of order itself, or when it is the approval
    of an earlier document that now comes after an unchanged later approval (approving the
    proposal after the stored feasibility study).
    """
    found: dict[int, str] = {}
    for position in changed:
        problem = order_problem(approvals[position], approvals)
        if problem is not None:
            found[position] = problem
    batch = set(changed)
    unchanged = [a for n, a in enumerate(approvals) if n not in batch]
    for position in changed:
        mine = approvals[position]
        if position in found or mine.approved_on is None:
            continue
        for later in unchanged:
            if (later.approved_on is not None
                    and DOCUMENT_ORDER[later.document] > DOCUMENT_ORDER[mine.document]
                    and later.approved_on < mine.approved_on
                    and order_problem(later, approvals) is not None):
                found[position] = (f"{mine.document} approved on {mine.approved_on}, after the "
                                   f"{later.document} approval of {later.approved_on}")
                break
    return found


def _latest(approvals: Sequence[Approval], document: ApprovalDocument, *,
            approved: bool) -> Decimal | None:
    """The estimate of the document's latest approval with one: by approvedOn (then
    submittedOn) among the approved ones, or by submittedOn among all."""
    candidates = [a for a in approvals if a.document == document
                  and a.estimated_total is not None and (a.approved_on or not approved)]
    if not candidates:
        return None
    if approved:
        latest = max(candidates, key=lambda a: (a.approved_on, a.submitted_on))
    else:
        latest = max(candidates, key=lambda a: a.submitted_on)
    return latest.estimated_total


def compared_estimates(approvals: Sequence[Approval]) -> tuple[Decimal, Decimal] | None:
    """(latest submitted PRELIMINARY_DESIGN estimate, latest approved FEASIBILITY_STUDY
    estimate), or None while either is missing."""
    design = _latest(approvals, ApprovalDocument.PRELIMINARY_DESIGN, approved=False)
    study = _latest(approvals, ApprovalDocument.FEASIBILITY_STUDY, approved=True)
    if design is None or study is None:
        return None
    return design, study


def requires_reapproval(approvals: Sequence[Approval]) -> bool:
    """PD > FS × 1.10, exactly in Decimal (条例第十二条); False while either is missing."""
    pair = compared_estimates(approvals)
    return pair is not None and pair[0] > pair[1] * REAPPROVAL_LINE


def estimate_overrun(approvals: Sequence[Approval]) -> Decimal | None:
    """PD / FS − 1 rounded half-up to 4 decimals (for display); None while either is missing."""
    pair = compared_estimates(approvals)
    if pair is None:
        return None
    design, study = pair
    return (design / study - 1).quantize(OVERRUN_PLACES, rounding=ROUND_HALF_UP)
