"""GraphQL types of credit records (诚信档案): records, their history and objections, and the
reference to a record that decisions cite (RecordRef). Credit files live in graph.credit.files.

Visibility (DOMAIN.md section 3) is judged where a record is reached: lists filter in SQL
(loaders.credit.RecordsBySubjectLoader), single records through `visible_record`.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, TypeVar

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from domains.core.ids import parse_global_id, to_global_id
from domains.credit import models
from domains.credit.enums import RecordStatus as StoredStatus
from domains.credit.facts import RecordFacts
from domains.credit.lifecycle import effective_status
from domains.credit.transitions import PATCH_FIELDS
from domains.credit.visibility import record_visible
from graph.common import Node
from graph.enums import (
    Audience,
    Disclosure,
    RecordCategory,
    RecordEventKind,
    RecordNature,
    RecordStatus,
    Sanction,
    Severity,
    SourceDomain,
    SubjectKind,
)
from graph.subject.types import CreditSubject, UnitType, subject_object
from loaders import credit as credit_loaders
from loaders import subject as subject_loaders
from loaders.credit import EventView, RecordValues, record_values

if TYPE_CHECKING:
    from graph.investment.types import InvestmentProjectType
    from graph.ppp.types import PppEventType
    from graph.procurement.types import ProcurementContractType


AUDIENCE_ORDER = {a: n for n, a in enumerate(Audience)}
EVENT_KINDS = {kind.value: kind for kind in RecordEventKind}
STORED_STATUSES = {m.value: m for m in StoredStatus}
NATURES = {m.value: m for m in RecordNature}
CATEGORIES = {m.value: m for m in RecordCategory}
SEVERITIES = {m.value: m for m in Severity}
SANCTIONS = {m.value: m for m in Sanction}
DOMAINS = {m.value: m for m in SourceDomain}
DISCLOSURES = {m.value: m for m in Disclosure}
T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")
# what a relation's resolver answers: the value when prefetched (resolved synchronously: no
# awaitable for graphql-core to gather per item), else the loader's awaitable
Resolved: TypeAlias = T | Awaitable[T]


@lru_cache(maxsize=256)
def _scope_of(stored: tuple[str, ...]) -> tuple[Audience, ...]:
    return tuple(sorted({Audience(a) for a in stored}, key=AUDIENCE_ORDER.__getitem__))


def share_scope(stored: list[str]) -> list[Audience]:
    """A stored share scope as shown: distinct, in enum order (a page repeats a few scopes, so
    each is sorted once)."""
    return list(_scope_of(tuple(stored)))


def subject_gid(row: models.CreditRecord) -> str:
    """The global id of the record's subject (a Unit or a CivilServant)."""
    return _subject_gid(row.unit_id, row.civil_servant_id)


def page_subject_gid(values: RecordValues) -> str:
    """`subject_gid` of a page row (loaders.credit.RECORD_COLUMNS: unit_id, civil_servant_id
    at 1 and 2)."""
    return _subject_gid(values[1], values[2])


def _subject_gid(unit_id: uuid.UUID | None, civil_servant_id: uuid.UUID | None) -> str:
    if unit_id is not None:
        return to_global_id("Unit", unit_id)
    assert civil_servant_id is not None
    return to_global_id("CivilServant", civil_servant_id)


async def visible_record(info: Info[Any, Any], pk: uuid.UUID) -> CreditRecordType | None:
    """The record with this id as the caller may see it today (None when unknown or hidden);
    a record shown is audited (查询留痕)."""
    row = await info.context.loaders.get(credit_loaders.CreditRecordByIdLoader).load(pk)
    if row is None or not record_visible(row, info.context.client.audience, info.context.today):
        return None
    info.context.audit(info, [subject_gid(row)])
    return CreditRecordType.from_row(row, info.context.today)


@strawberry.type(name="FieldChange", description="One field a correction changed (an addition "
                 "to the contract).")
class FieldChange:
    field: str = strawberry.field(description="The field in input casing, as in "
                                  "CreditRecordPatch (e.g. `validUntil`).")
    old: str | None = strawberry.field(description="The value before; dates ISO, enum values as "
                                       "in the schema, a list's values sorted and joined by "
                                       "commas; null when empty.")
    new: str | None = strawberry.field(description="The value after, written as `old`.")


def field_changes(changes: dict[str, object] | None) -> list[FieldChange] | None:
    """A CORRECTED event's stored `changes` ({field: {"old", "new"}}), in patch field order."""
    if changes is None:
        return None
    order = {name: n for n, name in enumerate(PATCH_FIELDS.values())}
    return [FieldChange(field=name, old=_change_text(value, "old"),
                        new=_change_text(value, "new"))
            for name, value in sorted(changes.items(), key=lambda i: order.get(i[0], 99))]


def _change_text(change: object, side: str) -> str | None:
    value = change.get(side) if isinstance(change, dict) else None
    if value is None:
        return None
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)


@strawberry.type(name="RecordEvent", description="Something that happened to a record; "
                 "records change only by appending events.")
class RecordEventType:
    kind: RecordEventKind = strawberry.field(description="What happened.")
    at: datetime = strawberry.field(description="When (REPORTED and NOTIFIED share their time).")
    actor: str = strawberry.field(description="The acting client's name; `system` for NOTIFIED.")
    note: str | None = strawberry.field(description="Why, in the actor's words.")
    changes: list[FieldChange] | None = strawberry.field(
        description="What a CORRECTED event changed, in CreditRecordPatch field order; null for "
                    "every other kind (an addition to the contract).")

    @classmethod
    def from_row(cls, row: models.RecordEvent | EventView) -> RecordEventType:
        return cls(kind=EVENT_KINDS[row.kind], at=row.at, actor=row.actor, note=row.note,
                   changes=field_changes(row.changes) if row.changes is not None else None)


@strawberry.type(name="Objection", description="An objection (异议) to a record.")
class ObjectionType:
    filed_at: datetime = strawberry.field(description="When the objection was filed.")
    filed_by: str = strawberry.field(description="The client that filed it.")
    reason: str = strawberry.field(description="The grounds given.")
    due_on: date = strawberry.field(description="7 working days after filing (条例第三十六条).")
    resolved_at: datetime | None = strawberry.field(description="When it was resolved; null "
                                                    "while open.")
    upheld: bool | None = strawberry.field(description="Whether it was upheld (the record is "
                                           "then REVOKED); null while open.")

    @classmethod
    def from_row(cls, row: models.Objection) -> ObjectionType:
        return cls(filed_at=row.filed_at, filed_by=row.filed_by, reason=row.reason,
                   due_on=row.due_on, resolved_at=row.resolved_at, upheld=row.upheld)


@strawberry.type(name="CreditRecord", description="One record of a credit file: a finding "
                 "(失信) or a commendation (守信). Never deleted; every change is an event.")
class CreditRecordType(Node):
    pk: strawberry.Private[uuid.UUID]
    unit_id: strawberry.Private[uuid.UUID | None]
    civil_servant_id: strawberry.Private[uuid.UUID | None]
    decided_by_id: strawberry.Private[uuid.UUID | None]
    stored_status: strawberry.Private[StoredStatus]
    sanction_months: strawberry.Private[int | None]
    procurement_contract_id: strawberry.Private[uuid.UUID | None]
    ppp_event_id: strawberry.Private[uuid.UUID | None]
    investment_project_id: strawberry.Private[uuid.UUID | None]
    nature: RecordNature = strawberry.field(description="守信 or 失信.")
    category: RecordCategory = strawberry.field(description="The plan's record type.")
    severity: Severity | None = strawberry.field(description="Null for TRUSTWORTHY records.")
    sanction: Sanction | None = strawberry.field(description="The sanction imposed on a person.")
    domain: SourceDomain = strawberry.field(description="Where the record comes from.")
    title: str = strawberry.field(description="What was decided, in a line.")
    summary: str | None = strawberry.field(description="The facts, briefly.")
    decision_number: str | None = strawberry.field(description="文号 of the decision.")
    decided_on: date = strawberry.field(description="Day of the decision.")
    valid_from: date = strawberry.field(description="First day in force (= decidedOn).")
    valid_until: date | None = strawberry.field(description="Last day it is in force (shown and "
                                                "counted); null while open-ended "
                                                "(UNDER_INVESTIGATION).")
    act_ended_on: date | None = strawberry.field(
        description="Day the dishonest act or event ended, when reported (the 5-year window of "
        "条例第三十五条 runs from it).")
    disclosure: Disclosure = strawberry.field(description="公开属性.")
    share_scope: list[Audience] = strawberry.field(description="共享范围 of a GOVERNMENT_SHARED "
                                                   "record, in enum order; [] is CREDIT_OFFICE "
                                                   "only.")
    source_system: str = strawberry.field(description="The reporting system; (sourceSystem, "
                                          "sourceRef) is unique.")
    source_ref: str = strawberry.field(description="The reporting system's own key.")
    # filled by `prefetch_relations` for a page whose selection asks for them; None: the
    # resolver asks its loader (a record reached alone, or a relation not selected)
    prefetched_history: strawberry.Private[list[RecordEventType] | None] = None
    prefetched_objections: strawberry.Private[list[ObjectionType] | None] = None
    prefetched_decided_by: strawberry.Private[UnitType | None] = None

    @classmethod
    def from_row(cls, row: models.CreditRecord, today: date) -> CreditRecordType:
        """The record as shown on `today` (the request's day: `status` is derived from it)."""
        return cls.from_values(record_values(row), today)

    @classmethod
    def from_values(cls, values: RecordValues, today: date) -> CreditRecordType:
        """From a page row: loaders.credit.RECORD_COLUMNS by position (a page row carries more
        columns after them). Values the database constrains are mapped to enum members by
        look-up, not validated again: a page builds thousands of these."""
        (pk, unit_id, civil_servant_id, decided_by_id, status, valid_until, sanction_months,
         procurement_contract_id, ppp_event_id, investment_project_id, nature, category,
         severity, sanction, domain, title, summary, decision_number, decided_on, valid_from,
         act_ended_on, disclosure, scope, source_system, source_ref) = values[:25]
        stored = STORED_STATUSES[status]
        return cls(
            id=strawberry.ID(to_global_id("CreditRecord", pk)), pk=pk, unit_id=unit_id,
            civil_servant_id=civil_servant_id, decided_by_id=decided_by_id,
            stored_status=stored, status=effective_status(stored, valid_until, today),
            sanction_months=sanction_months, procurement_contract_id=procurement_contract_id,
            ppp_event_id=ppp_event_id, investment_project_id=investment_project_id,
            nature=NATURES[nature], category=CATEGORIES[category],
            severity=SEVERITIES[severity] if severity else None,
            sanction=SANCTIONS[sanction] if sanction else None, domain=DOMAINS[domain],
            title=title, summary=summary, decision_number=decision_number,
            decided_on=decided_on, valid_from=valid_from, valid_until=valid_until,
            act_ended_on=act_ended_on, disclosure=DISCLOSURES[disclosure],
            share_scope=share_scope(scope), source_system=source_system, source_ref=source_ref)

    @classmethod
    async def prefetch_relations(cls, info: Info[Any, Any], nodes: Sequence[CreditRecordType],
                                 selected: frozenset[str]) -> None:
        """See the module's `prefetch_relations` (here so that graph.credit.files needs no
        import besides this class)."""
        await prefetch_relations(info, nodes, selected)

    @strawberry.field(description="Whose file the record is in: a unit or a civil servant.")
    async def subject(self, info: Info[Any, Any]) -> CreditSubject:
        if self.unit_id is not None:
            return await subject_object(info, SubjectKind.UNIT, self.unit_id)
        assert self.civil_servant_id is not None
        return await subject_object(info, SubjectKind.PERSON, self.civil_servant_id)

    @strawberry.field(description="The unit that took the decision.",
                      graphql_type=UnitType | None)
    def decided_by(self, info: Info[Any, Any]) -> Resolved[UnitType | None]:
        if self.decided_by_id is None:
            return None
        if self.prefetched_decided_by is not None:
            return self.prefetched_decided_by
        return unit_by_id(info, self.decided_by_id)

    @strawberry.field(description="Last day the sanction blocks promotion (DOMAIN.md section "
                      "5); null without a sanction or while open-ended.")
    async def sanction_ends_on(self, info: Info[Any, Any]) -> date | None:
        from graph.restriction.resolvers import sanction_ends_on
        return await sanction_ends_on(info, self.pk, self.civil_servant_id, self.sanction)

    status: RecordStatus = strawberry.field(
        description="Where the record stands today: EXPIRED for an ACTIVE record past its "
        "validUntil.")

    @strawberry.field(description="Every event, `at` ascending (REPORTED before NOTIFIED).",
                      graphql_type=list[RecordEventType])
    def history(self, info: Info[Any, Any]) -> Resolved[list[RecordEventType]]:
        if self.prefetched_history is not None:
            return self.prefetched_history
        return record_history(info, self.pk)

    @strawberry.field(description="Objections to the record, oldest first.",
                      graphql_type=list[ObjectionType])
    def objections(self, info: Info[Any, Any]) -> Resolved[list[ObjectionType]]:
        if self.prefetched_objections is not None:
            return self.prefetched_objections
        return record_objections(info, self.pk)

    @strawberry.field(description="The procurement contract the record was reported on "
                      "(procurementContractCode); contracts are readable by every audience.")
    async def procurement_contract(
            self, info: Info[Any, Any],
    ) -> Annotated[ProcurementContractType, strawberry.lazy("graph.procurement.types")] | None:
        from graph.procurement.credit import record_procurement_contract
        return await record_procurement_contract(info, self.procurement_contract_id)

    @strawberry.field(description="The government investment project the record was reported "
                      "on (investmentProjectCode, or a project's violation); projects are "
                      "readable by every audience.")
    async def investment_project(
            self, info: Info[Any, Any],
    ) -> Annotated[InvestmentProjectType, strawberry.lazy("graph.investment.types")] | None:
        from graph.investment.types import record_investment_project
        return await record_investment_project(info, self.investment_project_id)
    @strawberry.field(description="The PPP event that wrote the record (sourceSystem ppp); "
                      "projects and events are readable by every audience.")
    async def ppp_event(
            self, info: Info[Any, Any],
    ) -> Annotated[PppEventType, strawberry.lazy("graph.ppp.types")] | None:
        from graph.ppp.fields import record_ppp_event
        return await record_ppp_event(info, self.ppp_event_id)


async def record_history(info: Info[Any, Any], pk: uuid.UUID) -> list[RecordEventType]:
    """A record's history through its loader (batched with every other record's)."""
    rows = await info.context.loaders.get(credit_loaders.EventsByRecordLoader).load(pk)
    return [RecordEventType.from_row(r) for r in rows]


async def record_objections(info: Info[Any, Any], pk: uuid.UUID) -> list[ObjectionType]:
    """A record's objections through their loader."""
    rows = await info.context.loaders.get(credit_loaders.ObjectionsByRecordLoader).load(pk)
    return [ObjectionType.from_row(r) for r in rows]


async def unit_by_id(info: Info[Any, Any], pk: uuid.UUID) -> UnitType | None:
    row = await info.context.loaders.get(subject_loaders.UnitByIdLoader).load(pk)
    return UnitType.from_row(row) if row else None


def _load_each(loader: DataLoader[K, V], keys: Sequence[K]) -> list[Awaitable[V]]:
    return [loader.load(key) for key in keys]


async def _all(pending: list[Awaitable[V]]) -> list[V]:
    """The loads' values: the first await waits for the batch, which answers them all (no
    asyncio.gather: it costs more than the batch's query for a page's worth of keys)."""
    return [await one for one in pending]


async def prefetch_relations(info: Info[Any, Any], nodes: Sequence[CreditRecordType],
                             selected: frozenset[str]) -> None:
    """Load the relations `selected` (GraphQL names) of a page of records at once, through the
    same loaders (so batched with every other page of the tick: no statement added), and attach
    them: the relation fields then resolve synchronously, with no awaitable per record."""
    if not nodes:
        return
    loaders = info.context.loaders
    pks = [n.pk for n in nodes]
    deciders = sorted({n.decided_by_id for n in nodes if n.decided_by_id is not None})
    # ask every loader before awaiting any: all of them join this tick's batches
    history = (_load_each(loaders.get(credit_loaders.EventsByRecordLoader), pks)
               if "history" in selected else None)
    objections = (_load_each(loaders.get(credit_loaders.ObjectionsByRecordLoader), pks)
                  if "objections" in selected else None)
    units = (_load_each(loaders.get(subject_loaders.UnitByIdLoader), deciders)
             if "decidedBy" in selected and deciders else None)
    if history is not None:
        for node, events in zip(nodes, await _all(history), strict=True):
            node.prefetched_history = [RecordEventType.from_row(e) for e in events]
    if objections is not None:
        for node, rows in zip(nodes, await _all(objections), strict=True):
            node.prefetched_objections = [ObjectionType.from_row(o) for o in rows]
    if units is not None:
        by_id = {pk: UnitType.from_row(row)
                 for pk, row in zip(deciders, await _all(units), strict=True) if row is not None}
        for node in nodes:
            if node.decided_by_id is not None:
                node.prefetched_decided_by = by_id.get(node.decided_by_id)


@strawberry.type(name="RecordRef", description="A basis record as the caller may see it: "
                 "record is null where its disclosure hides it from this client.")
class RecordRef:
    pk: strawberry.Private[uuid.UUID]
    id: strawberry.ID = strawberry.field(description="The record's global id.")
    category: RecordCategory = strawberry.field(description="The record's type.")
    severity: Severity | None = strawberry.field(description="Null for TRUSTWORTHY records.")
    decided_on: date = strawberry.field(description="Day of the decision.")

    @classmethod
    def of(cls, pk: uuid.UUID, category: str, severity: str | None,
           decided_on: date) -> RecordRef:
        return cls(pk=pk, id=strawberry.ID(to_global_id("CreditRecord", pk)),
                   category=RecordCategory(category),
                   severity=Severity(severity) if severity else None, decided_on=decided_on)

    @classmethod
    def from_facts(cls, facts: RecordFacts) -> RecordRef:
        return cls.of(facts.id, facts.category, facts.severity, facts.decided_on)

    @classmethod
    def from_snapshot(cls, d: dict[str, Any]) -> RecordRef:
        """From a stored snapshot {id, category, severity, decidedOn}; `id` is a uuid (as
        `restriction.service.snapshot` stores it) or a global id, `decidedOn` a date or its ISO
        form. The uuid is tried first: a global id never reads as one, and trying it second
        cost each basis record of a check a failed base64 decode and its exception."""
        raw = str(d["id"])
        try:
            pk = uuid.UUID(raw)
        except ValueError:
            parsed = parse_global_id(raw)
            if parsed is None or parsed[0] != "CreditRecord":
                raise
            pk = parsed[1]
        decided = d["decidedOn"]
        decided_on = decided if isinstance(decided, date) else date.fromisoformat(str(decided))
        return cls.of(pk, str(d["category"]), d.get("severity"), decided_on)

    @strawberry.field(description="The record, resolved for the reader now; null when hidden "
                      "from this client (DOMAIN.md section 3).")
    async def record(self, info: Info[Any, Any]) -> CreditRecordType | None:
        return await visible_record(info, self.pk)


__all__ = ["CreditRecordType", "FieldChange", "ObjectionType", "RecordEventType", "RecordRef",
           "visible_record"]
