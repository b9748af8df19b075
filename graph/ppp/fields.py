"""The PPP fields that other domains' types delegate to: `Unit.pppProjects`,
`CivilServant.pppResponsibilities`, `CreditRecord.pppEvent`."""

from __future__ import annotations

import uuid
from typing import Any

from strawberry.types import Info

from graph.ppp.types import PppEventType, PppProjectType, PppResponsibilityType
from loaders import ppp as loaders


async def unit_ppp_projects(info: Info[Any, Any], unit_pk: uuid.UUID) -> list[PppProjectType]:
    """The projects the unit implements (实施机构), by code."""
    rows = await info.context.loaders.get(loaders.PppProjectsByAgencyLoader).load(unit_pk)
    return [PppProjectType.from_row(r) for r in rows]


async def person_ppp_responsibilities(info: Info[Any, Any],
                                      person_pk: uuid.UUID) -> list[PppResponsibilityType]:
    """The person's responsibilities, by project code, stage order, then startedOn."""
    rows = await info.context.loaders.get(loaders.PppResponsibilitiesByCivilServantLoader).load(
        person_pk)
    return [PppResponsibilityType.from_row(r) for r in rows]


async def record_ppp_event(info: Info[Any, Any],
                           event_pk: uuid.UUID | None) -> PppEventType | None:
    """The event that wrote a record; null for a record not written by one."""
    if event_pk is None:
        return None
    row = await info.context.loaders.get(loaders.PppEventByIdLoader).load(event_pk)
    return PppEventType.from_row(row) if row else None
