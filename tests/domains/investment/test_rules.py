"""DOMAIN.md section 8 as table-driven tests of the pure rules: approval order in every
combination, the exact 10% line in Decimal, the overrun rounded half-up, null when missing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import permutations, product

import pytest

from domains.investment import rules
from domains.investment.rules import Approval, ApprovalDocument

PP, FS, PD = (ApprovalDocument.PROJECT_PROPOSAL, ApprovalDocument.FEASIBILITY_STUDY,
              ApprovalDocument.PRELIMINARY_DESIGN)
SUBMITTED = date(2026, 1, 2)
TODAY = date(2026, 6, 15)


def day(n: int) -> date:
    return date(2026, 3, n)


def approved(document: ApprovalDocument, on: date | None,
             estimate: str | None = None, submitted: date = SUBMITTED) -> Approval:
    return Approval(document, submitted, on, Decimal(estimate) if estimate else None)


def expected_problems(days: dict[ApprovalDocument, int | None]) -> set[ApprovalDocument]:
    """The oracle, written from section 8's words for one approval per document: a document
    approved before an earlier document's approval, or PD approved with no FS approved by
    then; the same day is allowed; no proposal is allowed."""
    order = [PP, FS, PD]
    bad = set()
    for n, document in enumerate(order):
        mine = days[document]
        if mine is None:
            continue
        if any(days[e] is not None and days[e] > mine for e in order[:n]):  # type: ignore[operator]
            bad.add(document)
        if document == PD and (days[FS] is None or days[FS] > mine):  # type: ignore[operator]
            bad.add(document)
    return bad


# Every combination of three documents, each not approved (None) or approved on day 1, 2 or 3.
COMBINATIONS = list(product([None, 1, 2, 3], repeat=3))


@pytest.mark.parametrize(("pp", "fs", "pd"), COMBINATIONS)
def test_order_in_every_combination(pp: int | None, fs: int | None, pd: int | None) -> None:
    days = {PP: pp, FS: fs, PD: pd}
    approvals = [approved(d, day(n) if n else None) for d, n in days.items()]
    found = {a.document for a in approvals if rules.order_problem(a, approvals) is not None}
    assert found == expected_problems(days)


@pytest.mark.parametrize(("pp", "fs", "pd", "bad"), [
    # the procedure's order, and the same day, are in order
    (1, 2, 3, set()), (1, 1, 1, set()), (None, 1, 2, set()), (None, 2, 2, set()),
    (1, 2, None, set()), (1, None, None, set()), (None, None, None, set()),
    # every other order of three distinct days: the later-document approvals that come early
    (1, 3, 2, {PD}), (2, 1, 3, {FS}), (2, 3, 1, {PD}), (3, 1, 2, {FS, PD}), (3, 2, 1, {FS, PD}),
    # PRELIMINARY_DESIGN with no FEASIBILITY_STUDY approved (by then)
    (1, None, 2, {PD}), (None, None, 1, {PD}), (None, 3, 2, {PD}),
])
def test_order_table(pp: int | None, fs: int | None, pd: int | None,
                     bad: set[ApprovalDocument]) -> None:
    approvals = [approved(d, day(n) if n else None) for d, n in ((PP, pp), (FS, fs), (PD, pd))]
    assert {a.document for a in approvals if rules.order_problem(a, approvals)} == bad


def test_every_order_of_three_distinct_days_but_the_procedure_is_out_of_order() -> None:
    for days in permutations([1, 2, 3]):
        approvals = [approved(d, day(n)) for d, n in zip((PP, FS, PD), days, strict=True)]
        out = [a for a in approvals if rules.order_problem(a, approvals)]
        assert (out == []) == (days == (1, 2, 3))


def test_a_pending_approval_is_never_out_of_order() -> None:
    approvals = [approved(PD, None), approved(FS, None)]
    assert [rules.order_problem(a, approvals) for a in approvals] == [None, None]


def test_the_first_approval_of_an_earlier_document_counts() -> None:
    # re-approval: a second feasibility study approved after the first design stands in order
    approvals = [approved(FS, day(1)), approved(PD, day(2)),
                 approved(FS, day(5), submitted=day(4)), approved(PD, day(6), submitted=day(5))]
    assert [rules.order_problem(a, approvals) for a in approvals] == [None] * 4


@pytest.mark.parametrize(("stored", "batch", "blamed"), [
    # approving the proposal after the stored study: the proposal row is blamed
    ([approved(FS, day(2))], [approved(PP, day(3))], [1]),
    ([approved(FS, day(2))], [approved(PP, day(2))], []),
    # the batch's own design before the batch's study
    ([], [approved(FS, day(3)), approved(PD, day(2))], [1]),
    # a stored design, then a study approved after it
    ([approved(PD, day(2))], [approved(FS, day(3))], [1]),
    ([approved(PD, day(2))], [approved(FS, day(1))], []),
])
def test_out_of_order_blames_the_batch_rows(stored: list[Approval], batch: list[Approval],
                                            blamed: list[int]) -> None:
    approvals = stored + batch
    changed = list(range(len(stored), len(approvals)))
    assert sorted(rules.out_of_order(approvals, changed)) == blamed


@pytest.mark.parametrize(("submitted", "approved_on", "fields"), [
    (day(1), day(1), []),
    (day(2), day(1), ["approvedOn"]),                        # approvedOn < submittedOn
    (date(2026, 6, 16), None, ["submittedOn"]),               # tomorrow
    (TODAY, date(2026, 6, 16), ["approvedOn"]),              # approved tomorrow
    (date(2026, 6, 16), date(2026, 6, 16), ["submittedOn", "approvedOn"]),
])
def test_dates(submitted: date, approved_on: date | None, fields: list[str]) -> None:
    problems = rules.check_dates(Approval(FS, submitted, approved_on), TODAY)
    assert [field for field, _ in problems] == fields


@pytest.mark.parametrize(("design", "study", "reapproval", "overrun"), [
    ("1100000.00", "1000000.00", False, "0.1000"),   # exactly 10%: no re-approval
    ("1100000.01", "1000000.00", True, "0.1000"),    # one cent more
    ("1099999.99", "1000000.00", False, "0.1000"),
    ("1000000.00", "1000000.00", False, "0.0000"),
    ("900000.00", "1000000.00", False, "-0.1000"),
    ("1100050.00", "1000000.00", True, "0.1001"),    # 0.10005 rounds half-up
    ("1100049.99", "1000000.00", True, "0.1000"),
    ("3.30", "3.00", False, "0.1000"),
    ("2000000.00", "1000000.00", True, "1.0000"),
    ("1.00", "3.00", False, "-0.6667"),
])
def test_overrun_and_the_ten_percent_line(design: str, study: str, reapproval: bool,
                                          overrun: str) -> None:
    approvals = [approved(FS, day(1), study), approved(PD, None, design, submitted=day(2))]
    assert rules.requires_reapproval(approvals) is reapproval
    assert rules.estimate_overrun(approvals) == Decimal(overrun)


def test_floating_point_would_get_the_line_wrong() -> None:
    assert 1100000.00 / 1000000.00 - 1 > 0.10  # why the rule compares Decimals
    approvals = [approved(FS, day(1), "1000000.00"), approved(PD, day(2), "1100000.00")]
    assert rules.requires_reapproval(approvals) is False


@pytest.mark.parametrize("approvals", [
    [],
    [approved(FS, day(1), "1000.00")],                                   # no design
    [approved(PD, day(2), "1000.00")],                                   # no study
    [approved(FS, None, "1000.00"), approved(PD, None, "5000.00")],      # study not approved
    [approved(FS, day(1)), approved(PD, day(2), "5000.00")],             # study without estimate
    [approved(FS, day(1), "1000.00"), approved(PD, day(2))],             # design without estimate
])
def test_missing_estimates_give_null(approvals: list[Approval]) -> None:
    assert rules.estimate_overrun(approvals) is None
    assert rules.requires_reapproval(approvals) is False


def test_latest_submitted_design_against_latest_approved_study() -> None:
    approvals = [
        approved(FS, day(1), "1000.00", submitted=day(1)),
        approved(FS, day(9), "2000.00", submitted=day(3)),      # the latest approved study
        approved(FS, None, "9000.00", submitted=day(10)),       # pending: not compared
        approved(PD, day(12), "9999.00", submitted=day(11)),
        approved(PD, None, "2300.00", submitted=day(20)),       # the latest submitted design
    ]
    assert rules.compared_estimates(approvals) == (Decimal("2300.00"), Decimal("2000.00"))
    assert rules.estimate_overrun(approvals) == Decimal("0.1500")
    assert rules.requires_reapproval(approvals) is True
