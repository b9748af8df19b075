"""Reusable select() builders of the PPP domain, shared by the service and the loaders."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import Select, select

from domains.credit.models import CreditRecord
from domains.ppp.models import PppEvent, PppProject, PppResponsibility, PppTrace

# Events: occurredOn ascending then id (DOMAIN.md section 0).
EVENT_ORDER = (PppEvent.occurred_on, PppEvent.id)


def projects_by_codes(codes: Collection[str]) -> Select[PppProject]:
    return select(PppProject).where(PppProject.code.in_(set(codes)))


def projects_by_ids(ids: Collection[uuid.UUID]) -> Select[PppProject]:
    return select(PppProject).where(PppProject.id.in_(set(ids)))


def projects_by_agencies(unit_ids: Collection[uuid.UUID]) -> Select[PppProject]:
    return (select(PppProject).where(PppProject.implementing_agency_id.in_(set(unit_ids)))
            .order_by(PppProject.code))


def responsibilities_of_projects(
        project_ids: Collection[uuid.UUID]) -> Select[PppResponsibility]:
    """Every responsibility of these projects (callers order by stage, then startedOn)."""
    return (select(PppResponsibility)
            .where(PppResponsibility.project_id.in_(set(project_ids)))
            .order_by(PppResponsibility.project_id, PppResponsibility.started_on,
                      PppResponsibility.id))


def responsibilities_of_people(
        person_ids: Collection[uuid.UUID]) -> Select[PppResponsibility, str]:
    """Every responsibility of these people with its project's code."""
    return (select(PppResponsibility, PppProject.code)
            .join(PppProject, PppProject.id == PppResponsibility.project_id)
            .where(PppResponsibility.civil_servant_id.in_(set(person_ids)))
            .order_by(PppProject.code, PppResponsibility.started_on, PppResponsibility.id))


def events_of_projects(project_ids: Collection[uuid.UUID]) -> Select[PppEvent]:
    return (select(PppEvent).where(PppEvent.project_id.in_(set(project_ids)))
            .order_by(PppEvent.project_id, *EVENT_ORDER))


def events_by_ids(ids: Collection[uuid.UUID]) -> Select[PppEvent]:
    return select(PppEvent).where(PppEvent.id.in_(set(ids)))


def events_by_keys(project_ids: Collection[uuid.UUID],
                   source_refs: Collection[str]) -> Select[PppEvent]:
    return select(PppEvent).where(PppEvent.project_id.in_(set(project_ids)),
                                  PppEvent.source_ref.in_(set(source_refs)))


def traces_of_events(event_ids: Collection[uuid.UUID]) -> Select[PppTrace]:
    """The frozen trace rows of these events (the event gives project and stage)."""
    return (select(PppTrace).where(PppTrace.event_id.in_(set(event_ids)))
            .order_by(PppTrace.event_id, PppTrace.started_on, PppTrace.id))


def records_of_events(event_ids: Collection[uuid.UUID]) -> Select[CreditRecord]:
    """The records the events wrote, in the records' order (decidedOn desc, then id desc)."""
    return (select(CreditRecord).where(CreditRecord.ppp_event_id.in_(set(event_ids)))
            .order_by(CreditRecord.decided_on.desc(), CreditRecord.id.desc()))


def all_projects() -> Select[PppProject]:
    return select(PppProject).order_by(PppProject.code)
