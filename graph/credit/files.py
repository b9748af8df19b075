"""A subject's credit file (诚信档案): its visible records as a Relay connection, and the counts
that include hidden records (DOMAIN.md section 3)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domains.credit.queries import RecordFilter
from graph.credit.types import CreditRecordType
from graph.enums import RecordCategory, RecordNature, RecordStatus, SourceDomain, SubjectKind
from graph.page_wording import PageWording, word_pages
from graph.pagination import After, Connection, First, Page, connection, page
from graph.selection import selected_below
from graph.subject.types import CreditSubject, subject_object
from loaders import credit as credit_loaders
from loaders.credit import RecordPage


@strawberry.input(name="CreditRecordFilter", description="Conditions on records; every given "
                  "one must hold. An empty list matches nothing.")
class CreditRecordFilter:
    nature: RecordNature | None = strawberry.field(default=None, description="守信 or 失信.")
    categories: list[RecordCategory] | None = strawberry.field(
        default=None, description="Any of these record types.")
    domains: list[SourceDomain] | None = strawberry.field(
        default=None, description="Any of these source domains.")
    statuses: list[RecordStatus] | None = strawberry.field(
        default=None, description="Any of these statuses as shown today (EXPIRED derived).")
    in_force_on: date | None = strawberry.field(
        default=None, description="Only records in force on this date (status replayed as of "
        "that day).")

    def to_domain(self) -> RecordFilter:
        def of(values: list[Any] | None) -> frozenset[Any] | None:
            return None if values is None else frozenset(values)

        return RecordFilter(nature=self.nature, categories=of(self.categories),
                            domains=of(self.domains), statuses=of(self.statuses),
                            in_force_on=self.in_force_on)


RecordFilterArg = Annotated[CreditRecordFilter | None, strawberry.argument(
    description="Only the records that meet it; omitted: every record.")]


def record_filter(given: CreditRecordFilter | None) -> RecordFilter:
    return RecordFilter() if given is None else given.to_domain()


word_pages("CreditRecord", PageWording(
    edge="A record in a page of records.", node="The record.",
    connection="A page of records, decidedOn desc then id desc; records hidden from the caller "
    "are left out.", edges="The records of this page.",
    total_count="Visible matching records, ignoring paging."))


async def records_connection(info: Info[Any, Any], window: Page,
                             result: RecordPage) -> Connection[CreditRecordType]:
    """The connection of a page of records as the record loaders answer it (rows, total), with
    the relations its selection asks for loaded for the whole page (prefetch_relations)."""
    rows, total = result
    today = info.context.today
    nodes = [CreditRecordType.from_values(r, today) for r in rows]
    await CreditRecordType.prefetch_relations(info, nodes, selected_below(info, "edges", "node"))
    cursors = "cursor" in selected_below(info, "edges", conditional=True)
    return connection(window, nodes, total, cursors)


@strawberry.type(name="CreditFile", description="A subject's credit file (诚信档案).")
class CreditFile:
    subject_kind: strawberry.Private[SubjectKind]
    subject_pk: strawberry.Private[uuid.UUID]
    subject_gid: strawberry.Private[str]

    @classmethod
    def of(cls, kind: SubjectKind, pk: uuid.UUID, gid: str) -> CreditFile:
        return cls(subject_kind=kind, subject_pk=pk, subject_gid=gid)

    @strawberry.field(description="Whose file it is.")
    async def subject(self, info: Info[Any, Any]) -> CreditSubject:
        return await subject_object(info, self.subject_kind, self.subject_pk)

    @strawberry.field(description="The records the caller may see, decidedOn desc then id desc "
                      "(first 1 to 100, default 20).")
    async def records(self, info: Info[Any, Any], first: First = None, after: After = None,
                      filter: RecordFilterArg = None) -> Connection[CreditRecordType]:
        window = page(first, after)
        info.context.audit(info, [self.subject_gid])
        result = await info.context.loaders.get(credit_loaders.RecordsBySubjectLoader).load(
            (self.subject_pk, record_filter(filter), window.offset, window.limit))
        return await records_connection(info, window, result)

    async def _counts(self, info: Info[Any, Any]) -> tuple[int, int]:
        info.context.audit(info, [self.subject_gid])
        counts: tuple[int, int] = await info.context.loaders.get(
            credit_loaders.RecordCountsBySubjectLoader).load(self.subject_pk)
        return counts

    @strawberry.field(description="DISHONEST records ACTIVE or UNDER_OBJECTION today (counted "
                      "today), hidden records included.")
    async def active_dishonest_count(self, info: Info[Any, Any]) -> int:
        return (await self._counts(info))[0]

    @strawberry.field(description="TRUSTWORTHY records in force today, hidden records included.")
    async def trustworthy_count(self, info: Info[Any, Any]) -> int:
        return (await self._counts(info))[1]
