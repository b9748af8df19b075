"""Memoranda (联合惩戒备忘录): registering a memorandum and amending it as a new effective-dated
version. Joint actions are in domains.memorandum.actions. Services flush; the caller commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.errors import DomainError, ErrorCollector
from domains.core.locks import LockSpace, lock_keys
from domains.credit.lifecycle import FINDING_SEVERITIES
from domains.memorandum import errors, queries
from domains.memorandum.models import MemorandumSignatory, MemorandumVersion
from domains.memorandum.rules import DEFAULT_RESPONSE_WORKING_DAYS, MeasureSpec, version_on
from domains.restriction import service as restriction
from domains.restriction.rules import MeasureEffect, MeasureRow, published_rows
from domains.subject import keys
from domains.subject import service as subjects
from domains.subject.enums import SubjectKind

NUMBER_LIMIT, TITLE_LIMIT, CODE_LIMIT = 100, 500, 120


@dataclass(frozen=True)
class MeasureDraft:
    code: str
    name: str | None = None
    effect: str | None = None
    legal_basis: str | None = None


@dataclass(frozen=True)
class SignatoryDraft:
    uscc: str
    measures: Sequence[MeasureDraft]


@dataclass(frozen=True)
class MemorandumDraft:
    """A registerMemorandum input, as plain values."""

    number: str
    title: str
    scenario: str
    subject_kind: SubjectKind
    categories: Sequence[str]
    severities: Sequence[str]
    effective_from: date
    valid_until: date | None
    response_working_days: int | None
    signatories: Sequence[SignatoryDraft]


Signatories = list[tuple[uuid.UUID, tuple[MeasureSpec, ...]]]


async def register_memorandum(session: AsyncSession, draft: MemorandumDraft, *, actor: str,
                              today: date, now: datetime) -> MemorandumVersion:
    """Store a memorandum's first version, or a new version from a later effectiveFrom.

    The same content again on an existing version's effectiveFrom returns that version
    unchanged; other content there is CONFLICT (a version is never rewritten).
    """
    collector = ErrorCollector()
    number = keys.normalise_key(draft.number)
    _check_fields(draft, number, collector)
    signatories = await _signatories(session, draft, collector)
    # by number: a version's number and the amendment rules depend on all its versions
    await lock_keys(session, LockSpace.MEMORANDUM, [number] if number else [])
    versions = list(await session.scalars(queries.versions_of([number])))
    collector.raise_if_any()
    days = draft.response_working_days or DEFAULT_RESPONSE_WORKING_DAYS
    same_day = next((v for v in versions if v.effective_from == draft.effective_from), None)
    if same_day is not None:
        return await _same_version(session, same_day, draft, days, signatories)
    _check_amendment(versions, draft.effective_from, today)
    version = MemorandumVersion(
        id=uuid.uuid4(), number=number, version=len(versions) + 1, title=draft.title.strip(),
        scenario=draft.scenario, subject_kind=draft.subject_kind,
        categories=sorted(set(draft.categories)), severities=sorted(set(draft.severities)),
        effective_from=draft.effective_from, valid_until=draft.valid_until,
        response_working_days=days, recorded_by=actor, recorded_at=now)
    session.add(version)
    await session.flush()
    session.add_all(MemorandumSignatory(version_id=version.id, position=n, unit_id=unit_id,
                                        measures=[m.stored() for m in measures])
                    for n, (unit_id, measures) in enumerate(signatories))
    await session.flush()
    return version


def _check_fields(draft: MemorandumDraft, number: str, collector: ErrorCollector) -> None:
    for field, value, limit in (("number", number, NUMBER_LIMIT),
                                ("title", draft.title.strip(), TITLE_LIMIT)):
        if not value:
            collector.add(errors.INVALID_VALUE, errors.BLANK.format(field=field), field=field)
        elif len(value) > limit:
            collector.add(errors.INVALID_VALUE, errors.TOO_LONG.format(field=field, limit=limit),
                          field=field)
    if "COMMENDATION" in draft.categories:
        collector.add(errors.INVALID_VALUE, errors.TRUSTWORTHY_CATEGORY, field="categories")
    if not draft.severities:
        collector.add(errors.INVALID_VALUE, errors.NO_SEVERITY, field="severities")
    elif not set(draft.severities) <= FINDING_SEVERITIES:
        collector.add(errors.INVALID_VALUE, errors.MINOR_SEVERITY, field="severities")
    if draft.valid_until is not None and draft.valid_until < draft.effective_from:
        collector.add(errors.INVALID_VALUE, errors.PERIOD, field="validUntil")
    days = draft.response_working_days
    if days is not None and not 1 <= days <= 60:
        collector.add(errors.INVALID_VALUE, errors.RESPONSE_DAYS, field="responseWorkingDays")
    if len(draft.signatories) < 2:
        collector.add(errors.INVALID_VALUE, errors.FEW_SIGNATORIES, field="signatories")


async def _signatories(session: AsyncSession, draft: MemorandumDraft,
                       collector: ErrorCollector) -> Signatories:
    """Each signatory's unit and measures; every problem collected on its field."""
    codes = [keys.normalise_key(s.uscc) for s in draft.signatories]
    units = await subjects.units_by_uscc(session, [c for c in codes if keys.is_valid_uscc(c)])
    rows = published_rows(await restriction.measure_rows(session), draft.effective_from)
    published = {r.code: r for r in rows if r.subject_kind == draft.subject_kind}
    result: Signatories = []
    own: dict[str, MeasureSpec] = {}
    for n, (code, signatory) in enumerate(zip(codes, draft.signatories, strict=True)):
        field = f"signatories.{n}"
        unit = units.get(code)
        if not keys.is_valid_uscc(code):
            collector.add(errors.INVALID_USCC, keys.SUBJECT_KEY_MESSAGES[errors.INVALID_USCC],
                          field=f"{field}.uscc")
        elif unit is None:
            collector.add(errors.NOT_FOUND, errors.NO_SUCH_UNIT, field=f"{field}.uscc")
        elif unit.id in {u for u, _ in result}:
            collector.add(errors.INVALID_VALUE, errors.REPEATED_SIGNATORY, field=f"{field}.uscc")
        measures = _measures(signatory.measures, published, own, draft, field, collector)
        if unit is not None:
            result.append((unit.id, measures))
    return result


def _measures(drafts: Sequence[MeasureDraft], published: dict[str, MeasureRow],
              own: dict[str, MeasureSpec], draft: MemorandumDraft, field: str,
              collector: ErrorCollector) -> tuple[MeasureSpec, ...]:
    if not drafts:
        collector.add(errors.INVALID_VALUE, errors.NO_MEASURES, field=f"{field}.measures")
    specs: list[MeasureSpec] = []
    for n, measure in enumerate(drafts):
        where = f"{field}.measures.{n}"
        spec = _measure(measure, published, draft, where, collector)
        if spec is None:
            continue
        if spec.code in {s.code for s in specs}:
            collector.add(errors.INVALID_VALUE, errors.REPEATED_MEASURE, field=f"{where}.code")
        elif not spec.published and own.setdefault(spec.code, spec) != spec:
            collector.add(errors.INVALID_VALUE,
                          errors.OWN_MEASURE_DIFFERS.format(code=spec.code), field=where)
        specs.append(spec)
    return tuple(specs)


def _measure(measure: MeasureDraft, published: dict[str, MeasureRow], draft: MemorandumDraft,
             where: str, collector: ErrorCollector) -> MeasureSpec | None:
    """A published row by its code, or the memorandum's own measure with its legal basis."""
    code = keys.normalise_key(measure.code)
    own = (measure.name, measure.effect, measure.legal_basis)
    if not code or len(code) > CODE_LIMIT:
        collector.add(errors.INVALID_VALUE, errors.BLANK.format(field="code") if not code else
                      errors.TOO_LONG.format(field="code", limit=CODE_LIMIT), field=f"{where}.code")
        return None
    row = published.get(code)
    if row is not None:
        if any(value is not None for value in own):
            collector.add(errors.INVALID_VALUE, errors.PUBLISHED_FIELDS.format(code=code),
                          field=where)
        return MeasureSpec(code, row.name, row.effect, row.legal_basis, published=True)
    name, effect, basis = ((value or "").strip() for value in own)
    if not (name and effect and basis):
        collector.add(errors.UNKNOWN_MEASURE, errors.UNPUBLISHED.format(
            code=code, day=draft.effective_from, kind=draft.subject_kind), field=f"{where}.code")
        return None
    return MeasureSpec(code, name, MeasureEffect(effect), basis, published=False)


def _check_amendment(versions: Sequence[MemorandumVersion], effective_from: date,
                     today: date) -> None:
    """A new version takes effect after the latest one, and (unless it is the first) not in
    the past: the days already assessed keep the version they had."""
    if not versions:
        return
    latest = max(v.effective_from for v in versions)
    if effective_from < latest:
        raise DomainError.single(errors.INVALID_VALUE,
                                 errors.EARLIER_THAN_LATEST.format(day=latest), "effectiveFrom")
    if effective_from < today:
        raise DomainError.single(errors.INVALID_VALUE,
                                 errors.AMENDMENT_IN_PAST.format(day=effective_from),
                                 "effectiveFrom")


async def _same_version(session: AsyncSession, version: MemorandumVersion,
                        draft: MemorandumDraft, days: int,
                        signatories: Signatories) -> MemorandumVersion:
    """The version stored on this effectiveFrom, when the draft says the same; else CONFLICT."""
    stored = await session.scalars(queries.signatories_of([version.id]))
    given = (draft.title.strip(), draft.scenario, draft.subject_kind,
             sorted(set(draft.categories)), sorted(set(draft.severities)), draft.valid_until,
             days, [(u, [m.stored() for m in ms]) for u, ms in signatories])
    kept: tuple[Any, ...] = (version.title, version.scenario, version.subject_kind,
                             sorted(version.categories), sorted(version.severities),
                             version.valid_until, version.response_working_days,
                             [(s.unit_id, s.measures) for s in stored])
    if given != kept:
        raise DomainError.single(errors.CONFLICT,
                                 errors.VERSION_EXISTS.format(version=version.version),
                                 "effectiveFrom")
    return version


async def version_in_effect(session: AsyncSession, number: str,
                            day: date) -> MemorandumVersion | None:
    """The version of memorandum `number` that has taken effect by `day` (None: none yet, or
    no such memorandum)."""
    versions = await session.scalars(queries.versions_of([keys.normalise_key(number)]))
    return version_on(versions, day)


async def signatories(session: AsyncSession,
                      version_id: uuid.UUID) -> Sequence[MemorandumSignatory]:
    return (await session.scalars(queries.signatories_of([version_id]))).all()


async def memoranda_page(session: AsyncSession, *, day: date, offset: int,
                         limit: int) -> tuple[Sequence[MemorandumVersion], int]:
    """A page of the memoranda in force on `day`, each in its version of that day, by
    number."""
    current = queries.versions_on(day).subquery()
    listed = (select(MemorandumVersion).join(current, current.c.id == MemorandumVersion.id)
              .where(or_(MemorandumVersion.valid_until.is_(None),
                         MemorandumVersion.valid_until >= day)))
    total = await session.scalar(select(func.count()).select_from(listed.subquery()))
    rows = await session.scalars(listed.order_by(MemorandumVersion.number)
                                 .offset(offset).limit(limit))
    return rows.all(), int(total or 0)
