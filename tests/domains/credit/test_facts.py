"""`undo_corrections`: the record facts for an asOf, with later corrections undone newest first
(DOMAIN.md section 0, replay)."""

from __future__ import annotations

import uuid
from datetime import date

from domains.credit.facts import RecordFacts, undo_corrections

NOW = RecordFacts(
    id=uuid.uuid4(), nature="DISHONEST", category="ADMINISTRATIVE_SANCTION", severity="SERIOUS",
    sanction="DEMERIT", sanction_months=10, decided_on=date(2026, 1, 10),
    valid_from=date(2026, 1, 10), valid_until=date(2029, 1, 9), status="ACTIVE", domain="OTHER")


def test_no_later_correction_keeps_the_facts() -> None:
    assert undo_corrections(NOW, None) is NOW
    assert undo_corrections(NOW, []) is NOW


def test_each_correction_is_undone_newest_first() -> None:
    newest = {"severity": {"old": "GENERAL", "new": "SERIOUS"},
              "validUntil": {"old": "2027-01-09", "new": "2029-01-09"},
              "title": {"old": "a", "new": "b"}}
    older = {"validUntil": {"old": "2026-12-31", "new": "2027-01-09"},
             "sanction": {"old": "WARNING", "new": "DEMERIT"},
             "sanctionMonths": {"old": None, "new": 10}}
    then = undo_corrections(NOW, [newest, older])
    assert (then.severity, then.sanction, then.sanction_months, then.valid_until) == (
        "GENERAL", "WARNING", None, date(2026, 12, 31))
    # what no correction changes stays
    assert (then.id, then.status, then.decided_on, then.valid_from) == (
        NOW.id, NOW.status, NOW.decided_on, NOW.valid_from)


def test_an_open_validity_is_restored_as_open() -> None:
    then = undo_corrections(NOW, [{"validUntil": {"old": None, "new": "2029-01-09"}}])
    assert then.valid_until is None
