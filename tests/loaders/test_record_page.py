"""RecordsBySubjectLoader's page rows are plain columns read by position
(CreditRecordType.from_values): the statement's columns must be RECORD_COLUMNS in order, then
the subject, n and total, and an ORM record gives the same values as a page row."""

from __future__ import annotations

import uuid
from datetime import date

from domains.credit.models import CreditRecord
from domains.credit.queries import RecordFilter
from graph.credit.types import CreditRecordType
from graph.enums import Audience, Severity
from loaders.credit import RECORD_COLUMNS, ranked_records


def test_the_page_columns_are_the_record_columns_in_order() -> None:
    statement = ranked_records(RecordFilter(), "PUBLIC", date(2026, 12, 1))
    names = [c.name for c in statement.selected_columns]
    assert names == [*RECORD_COLUMNS, "subject_id", "n", "total"]


def test_from_values_reads_each_column_at_its_position() -> None:
    """A row of distinct values, one per RECORD_COLUMNS name, lands in the matching fields."""
    row = {
        "id": uuid.uuid4(), "unit_id": uuid.uuid4(), "civil_servant_id": None,
        "decided_by_id": uuid.uuid4(), "status": "ACTIVE", "valid_until": date(2027, 5, 1),
        "sanction_months": 7, "procurement_contract_id": uuid.uuid4(),
        "ppp_event_id": uuid.uuid4(), "investment_project_id": uuid.uuid4(),
        "nature": "DISHONEST", "category": "ADMINISTRATIVE_PENALTY", "severity": "SERIOUS",
        "sanction": None, "domain": "PROCUREMENT", "title": "t", "summary": "s",
        "decision_number": "n", "decided_on": date(2026, 1, 2), "valid_from": date(2026, 1, 3),
        "act_ended_on": date(2025, 12, 31), "disclosure": "PUBLIC",
        "share_scope": ["PERSONNEL", "PROCUREMENT", "PERSONNEL"], "source_system": "sys",
        "source_ref": "ref"}
    assert set(row) == set(RECORD_COLUMNS)
    assert set(RECORD_COLUMNS) <= set(CreditRecord.__table__.columns.keys())
    # when built from the values in RECORD_COLUMNS order, with a page row's extra columns
    record = CreditRecordType.from_values(
        [*(row[name] for name in RECORD_COLUMNS), uuid.uuid4(), 1, 1], date(2026, 12, 1))
    # then each field holds its column's value
    assert (record.pk, record.unit_id, record.civil_servant_id, record.decided_by_id) == (
        row["id"], row["unit_id"], None, row["decided_by_id"])
    assert (record.procurement_contract_id, record.ppp_event_id,
            record.investment_project_id, record.sanction_months) == (
        row["procurement_contract_id"], row["ppp_event_id"], row["investment_project_id"], 7)
    assert (record.stored_status.value, record.status.value, record.valid_until) == (
        "ACTIVE", "ACTIVE", date(2027, 5, 1))
    assert (record.nature.value, record.category.value, record.severity, record.sanction,
            record.domain.value, record.disclosure.value) == (
        "DISHONEST", "ADMINISTRATIVE_PENALTY", Severity.SERIOUS, None, "PROCUREMENT",
        "PUBLIC")
    assert (record.title, record.summary, record.decision_number, record.decided_on,
            record.valid_from, record.act_ended_on) == (
        "t", "s", "n", date(2026, 1, 2), date(2026, 1, 3), date(2025, 12, 31))
    assert (record.share_scope, record.source_system, record.source_ref) == (
        [Audience.PROCUREMENT, Audience.PERSONNEL], "sys", "ref")
