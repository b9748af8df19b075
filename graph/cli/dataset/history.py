"""What happened to a record after it was reported: objections (open, rejected, upheld),
corrections, revocations, repairs and exemptions, each only from a status that allows it
(`domains.credit.lifecycle.TRANSITIONS`) and on a day the rules allow (a repair from decidedOn +
the repair minimum; an objection due 7 working days after filing, on the working calendar).

Events are stamped in order after the record's REPORTED event and never after today, so replay
(`status_as_of`) gives each day's status; the stored status is the last event's.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final, NamedTuple

from domains.credit import defaults, lifecycle
from domains.credit.enums import RecordEventKind, RecordNature, RecordStatus, Severity
from domains.credit.writing import SYSTEM_ACTOR
from graph.cli.dataset import identifiers
from graph.cli.dataset.copying import Row
from graph.cli.dataset.plan import Plan

_K = RecordEventKind
_S = RecordStatus
REASONS: Final = ("认定事实有误", "处罚决定已被撤销", "记录主体错误", "信息已过公示期限")
# Cumulative shares of the histories, in the order `History.make` tries them.
OPEN_OBJECTION, REJECTED, UPHELD, REVOKED, REPAIRED, EXEMPTED, CORRECTED = (
    0.04, 0.07, 0.09, 0.11, 0.16, 0.17, 0.20)


class Reported(NamedTuple):
    """The facts of a reported record that its history depends on (a NamedTuple: two million
    are made)."""

    id: uuid.UUID
    nature: RecordNature
    severity: Severity | None
    decided_on: date
    reported_at: datetime
    reporter: str
    title: str


@dataclass
class Outcome:
    """A record's stored status and title after its history, and the rows it wrote."""

    status: RecordStatus
    title: str
    events: list[Row] = field(default_factory=list)
    objections: list[Row] = field(default_factory=list)


def reported(rng: random.Random, record: Reported) -> list[Row]:
    """The REPORTED and NOTIFIED events of a new record."""
    at, active = record.reported_at, _S.ACTIVE
    return [(identifiers.new_uuid(rng), record.id, _K.REPORTED, at, record.reporter, None,
             active, None),
            (identifiers.new_uuid(rng), record.id, _K.NOTIFIED, at, SYSTEM_ACTOR, None,
             active, None)]


@dataclass
class History:
    """Makes histories; `repair_rows` and `overrides` come from the rule tables."""

    plan: Plan
    repair_rows: Sequence[defaults.RepairRule]
    overrides: Mapping[date, bool]
    _repairable: dict[tuple[date, Severity], date] = field(default_factory=dict)

    def make(self, rng: random.Random, record: Reported) -> Outcome:
        """REPORTED and NOTIFIED (one instant, NOTIFIED by `system`, as `write_reported`
        writes them), then perhaps one of the histories."""
        outcome = Outcome(RecordStatus.ACTIVE, record.title, reported(rng, record))
        first = record.reported_at.date() + timedelta(days=1)
        if first > self.plan.today:
            return outcome
        draw = rng.random()
        if draw < UPHELD:
            self._objection(rng, record, outcome, first, draw)
        elif draw < REVOKED:
            self._event(rng, record, outcome, _K.REVOKED, _S.REVOKED, self._day(rng, first),
                        record.reporter, "行政复议决定撤销原处理决定")
        elif draw < EXEMPTED and record.nature == RecordNature.DISHONEST:
            self._end(rng, record, outcome, first, repair=draw < REPAIRED)
        elif REPAIRED <= draw < CORRECTED:
            self._correct(rng, record, outcome, first)
        return outcome

    def _day(self, rng: random.Random, first: date, within: int | None = None) -> date:
        """A day from `first` to today (or to `first + within`)."""
        last = self.plan.today if within is None else min(self.plan.today,
                                                          first + timedelta(days=within))
        return first + timedelta(days=int(rng.random() * ((last - first).days + 1)))

    def _event(self, rng: random.Random, record: Reported, outcome: Outcome,
               kind: RecordEventKind, status: RecordStatus, day: date, actor: str,
               note: str | None, changes: dict[str, object] | None = None) -> datetime:
        at = self.plan.at(day, rng)
        if outcome.events and at <= outcome.events[-1][3]:
            at = outcome.events[-1][3] + timedelta(minutes=1)
        outcome.status = status
        outcome.events.append((identifiers.new_uuid(rng), record.id, kind.value, at, actor, note,
                               status.value, None if changes is None else json.dumps(changes)))
        return at

    def _objection(self, rng: random.Random, record: Reported, outcome: Outcome, first: date,
                   draw: float) -> None:
        clients = self.plan.clients
        filed_on = self._day(rng, max(first, self.plan.days_ago(60))) if draw < OPEN_OBJECTION \
            else self._day(rng, first)
        reason = f"当事人申请异议：{rng.choice(REASONS)}"
        filed_at = self._event(rng, record, outcome, _K.OBJECTION_FILED, _S.UNDER_OBJECTION,
                               filed_on, clients.supervision, reason)
        objection: list[object] = [identifiers.new_uuid(rng), record.id, filed_at,
                                   clients.supervision, reason,
                                   lifecycle.objection_due_on(filed_on, self.overrides),
                                   None, None, None, None]
        if draw >= OPEN_OBJECTION and filed_on < self.plan.today:
            upheld = draw >= REJECTED
            note = "异议成立，撤销记录" if upheld else "异议不成立，维持记录"
            kind, status = ((_K.OBJECTION_UPHELD, _S.REVOKED) if upheld
                            else (_K.OBJECTION_REJECTED, _S.ACTIVE))
            day = self._day(rng, filed_on + timedelta(days=1), within=14)
            objection[6:] = [self._event(rng, record, outcome, kind, status, day,
                                         clients.credit_office, note),
                             clients.credit_office, upheld, note]
        outcome.objections.append(tuple(objection))

    def _end(self, rng: random.Random, record: Reported, outcome: Outcome, first: date,
             repair: bool) -> None:
        """REPAIRED (from the repair minimum on) or EXEMPTED, by the credit office."""
        if not repair:
            self._event(rng, record, outcome, _K.EXEMPTED, _S.EXEMPTED, self._day(rng, first),
                        self.plan.clients.credit_office, "依规免责（容错纠错）")
            return
        assert record.severity is not None  # DISHONEST
        earliest = max(first, self._repairable_from(record.decided_on, record.severity))
        if earliest <= self.plan.today:
            self._event(rng, record, outcome, _K.REPAIRED, _S.REPAIRED, self._day(rng, earliest),
                        self.plan.clients.credit_office, "完成信用修复")

    def _repairable_from(self, decided_on: date, severity: Severity) -> date:
        key = (decided_on, severity)
        found = self._repairable.get(key)
        if found is None:
            rule = defaults.repair_rule_for(self.repair_rows, severity, self.plan.today)
            if rule is None:
                raise ValueError(f"no repair rule for {severity}")
            found = lifecycle.repair_allowed_from(decided_on, severity, rule)
            self._repairable[key] = found
        return found

    def _correct(self, rng: random.Random, record: Reported, outcome: Outcome,
                 first: date) -> None:
        """The credit office corrects the title; the event keeps the old one (corrections.py
        undoes it to recognise the source's unchanged re-send)."""
        new = f"{record.title}（更正）"
        self._event(rng, record, outcome, _K.CORRECTED, outcome.status, self._day(rng, first),
                    self.plan.clients.credit_office, "更正记录标题",
                    {"title": {"old": record.title, "new": new}})
        outcome.title = new
