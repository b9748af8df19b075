"""One generator run, in the caller's transaction: refuse a database that holds data, create the
generator's clients, COPY every table in dependency order, ANALYZE, and summarise.

Nothing here commits: the command commits once at the end, so an interrupted or failed run
leaves no half-written dataset (the evidence tables refuse DELETE and TRUNCATE, so a partial
dataset could never be cleaned away).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access import service as access
from domains.core.calendar import overrides_between
from domains.core.ids import to_global_id
from domains.credit.enums import RecordNature, RecordStatus
from domains.credit.writing import repair_rules, validity_rules
from domains.subject.models import Unit
from graph.cli.dataset.copying import (
    Copier,
    CopyConnection,
    Progress,
    Row,
    built_ahead,
    chunked,
)
from graph.cli.dataset.deferred import deferred
from graph.cli.dataset.history import History, Outcome, Reported, reported
from graph.cli.dataset.investment import VIOLATION_COLUMNS, load_investment
from graph.cli.dataset.plan import Plan
from graph.cli.dataset.ppp import load_ppp
from graph.cli.dataset.procurement import load_procurement
from graph.cli.dataset.records import RecordMaker
from graph.cli.dataset.rows import (
    EVENT_COLUMNS,
    OBJECTION_COLUMNS,
    RECORD_COLUMNS,
    Validity,
)
from graph.cli.dataset.subjects import Subjects, load_subjects

SAMPLES: Final = 20
INDEX_MEMORY: Final = "256MB"  # each index build sorts in memory instead of on disk
ANALYZED: Final = ("subject_unit", "subject_civil_servant", "subject_employment",
                   "procurement_contract", "procurement_milestone", "investment_project",
                   "investment_approval", "investment_violation", "ppp_project",
                   "ppp_responsibility", "ppp_event", "ppp_trace", "credit_record",
                   "credit_record_event", "credit_objection")


class GenerateError(Exception):
    """The database is not one the generator may write into (nothing was written)."""


@dataclass
class Summary:
    """What the run wrote and what to try: the JSON line `integrity generate` prints."""

    seed: int
    scale: float
    today: date
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    units: list[str] = field(default_factory=list)
    civil_servants: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"seed": self.seed, "scale": self.scale, "today": self.today.isoformat(),
                "seconds": round(self.seconds, 1), "rows": self.rows, "keys": self.keys,
                "units": self.units, "civilServants": self.civil_servants}


async def _refuse_non_empty(session: AsyncSession) -> None:
    if await session.scalar(select(func.count()).select_from(
            select(Unit.id).limit(1).subquery())):
        raise GenerateError(
            "the database already holds units; generate writes only into an empty database "
            "(records are never deleted, so a dataset cannot be replaced): use a fresh "
            "--data-dir or DATABASE_URL")


async def _clients(session: AsyncSession) -> dict[str, str]:
    """One client per audience (its name is the actor of the rows it 'wrote'); keys once."""
    keys = {}
    for audience in access.AUDIENCES:
        name = f"gen-{audience.lower()}"
        _, keys[audience] = await access.add_client(session, name=name, audience=audience)
    await session.flush()
    return keys


async def _load_records(copier: Copier, records: Iterable[tuple[Row, Outcome]]) -> None:
    """Records, then per chunk their events and objections: each record's events are sent in
    time order, so their seq ascends as replay (`domains.credit.queries.replayed_status`)
    reads them."""
    progress = copier.progress
    started = time.perf_counter()
    async for chunk in built_ahead(chunked(records)):
        await copier.copy("credit_record", RECORD_COLUMNS, [row for row, _ in chunk], started)
        await copier.copy("credit_record_event", EVENT_COLUMNS,
                          [event for _, outcome in chunk for event in outcome.events])
        await copier.copy("credit_objection", OBJECTION_COLUMNS,
                          [row for _, outcome in chunk for row in outcome.objections])
        started = time.perf_counter()
    for table in ("credit_record", "credit_record_event", "credit_objection"):
        progress.done(table)


async def _load(plan: Plan, copier: Copier, secret: bytes, validity: Validity,
                history: History) -> tuple[Subjects, RecordMaker]:
    """Every table, parents before children, with keys and indexes rebuilt at the end."""
    async with deferred(copier.connection, ANALYZED):
        subjects = await load_subjects(plan, copier, secret)
        contracts = await load_procurement(plan, copier, subjects)
        investment = await load_investment(plan, copier, subjects, validity)
        ppp = await load_ppp(plan, copier, subjects, validity)
        maker = RecordMaker(plan, subjects, contracts, investment.project_ids, validity,
                            history)
        generated = [(row, _generated(plan, row)) for row in investment.records + ppp.records]
        await _load_records(copier, chain(maker.rows(), generated))
        await copier.copy_all("investment_violation", VIOLATION_COLUMNS,
                              investment.violations)
        copier.progress.say("building indexes and checking keys and foreign keys ...")
        built = time.perf_counter()
    copier.progress.say(f"indexes and keys in {time.perf_counter() - built:.1f} s")
    return subjects, maker


def _samples(summary: Summary, subjects: Subjects, maker: RecordMaker) -> None:
    """The subjects with the most records: the ones a benchmark wants to read."""
    ranked = sorted(range(len(maker.unit_counts)), key=lambda i: -maker.unit_counts[i])
    summary.units = [subjects.usccs[i] for i in ranked[:SAMPLES]]
    people = sorted(range(len(maker.person_counts)), key=lambda i: -maker.person_counts[i])
    summary.civil_servants = [to_global_id("CivilServant", subjects.person_ids[i])
                              for i in people[:SAMPLES]]


async def generate(session: AsyncSession, connection: CopyConnection, *, seed: int,
                   scale: float, today: date, secret: bytes,
                   progress: Progress | None = None) -> Summary:
    """Write the dataset of (seed, scale) as of `today` into an empty database, in the session's
    transaction (the caller commits). `connection` is the session's own asyncpg connection."""
    started = time.perf_counter()
    plan = Plan(seed=seed, scale=scale, today=today)
    await _refuse_non_empty(session)
    summary = Summary(seed=seed, scale=scale, today=today, keys=await _clients(session))
    validity = Validity(await validity_rules(session))
    history = History(plan, await repair_rules(session),
                      await overrides_between(session, date(1900, 1, 1), date(9999, 12, 31)))
    copier = Copier(connection, progress or Progress())
    await connection.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_MEMORY}'")
    subjects, maker = await _load(plan, copier, secret, validity, history)
    copier.progress.say("analyzing ...")
    for table in ANALYZED:
        await connection.execute(f"ANALYZE {table}")
    summary.rows = dict(copier.progress.totals)
    _samples(summary, subjects, maker)
    summary.seconds = time.perf_counter() - started
    return summary


async def generate_on_session(session: AsyncSession, *, seed: int, scale: float, today: date,
                              secret: bytes, progress: Progress | None = None) -> Summary:
    """`generate` on the session's own connection (COPY needs the asyncpg connection under it),
    in the session's transaction."""
    raw = (await (await session.connection()).get_raw_connection()).driver_connection
    if raw is None:
        raise GenerateError("the database connection is closed")
    return await generate(session, raw, seed=seed, scale=scale, today=today, secret=secret,
                          progress=progress)


def _generated(plan: Plan, row: Row) -> Outcome:
    """A generated record (PPP event, investment violation) is reported and nothing more."""
    record = Reported(row[0], RecordNature(row[3]), None, row[13], row[26], row[25], row[9])
    return Outcome(RecordStatus.ACTIVE, row[9], reported(plan.rng(f"events:{row[0]}"), record))
