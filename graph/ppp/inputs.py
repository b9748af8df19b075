"""Inputs of the PPP mutations (field names as in the contract)."""

from __future__ import annotations

from datetime import date

import strawberry

from domains.ppp import service as ppp
from domains.ppp.models import PppEvent, PppProject, PppResponsibility
from graph.enums import Severity
from graph.input_guard import key_field, text_field
from graph.ppp.enums import PppEventKind, PppStage


@strawberry.input(name="PppProjectInput", description="A PPP project to create or update "
                  "(key code).")
class PppProjectInput:
    code: str = text_field(PppProject.code, description="The project's code (key), without '/'.")
    name: str = text_field(PppProject.name, description="The project's name.")
    implementing_agency_uscc: str = key_field(
        description="The implementing agency (实施机构), a registered unit.")
    current_stage: PppStage = strawberry.field(description="The stage the project is in.")
    social_capital_parties: list[str] | None = text_field(PppProject.social_capital_parties,
        default=None, description="The social-capital parties (社会资本方); omitted: none.")
    consultants: list[str] | None = text_field(PppProject.consultants,
        default=None, description="The consultants (咨询机构); omitted: none.")
    contracts: list[str] | None = text_field(PppProject.contracts,
        default=None, description="Signed project contracts (names or numbers); omitted: none.")

    def to_row(self) -> ppp.ProjectRow:
        return ppp.ProjectRow(
            code=self.code, name=self.name, implementing_agency_uscc=self.implementing_agency_uscc,
            current_stage=self.current_stage,
            social_capital_parties=tuple(self.social_capital_parties or ()),
            consultants=tuple(self.consultants or ()), contracts=tuple(self.contracts or ()))


@strawberry.input(name="PppResponsibilityInput", description="Who answers for a stage of a "
                  "project from startedOn (key project + stage + person + startedOn); re-sending "
                  "the key updates role and endedOn.")
class PppResponsibilityInput:
    project_code: str = text_field(PppProject.code, description="The project's code.")
    stage: PppStage = strawberry.field(description="The stage answered for.")
    id_number: str = key_field(description="The civil servant's identity-card number "
                                      "(input only, never returned).")
    role: str = text_field(PppResponsibility.role, description="The person's role in that stage.")
    started_on: date = strawberry.field(description="First day, not after today.")
    ended_on: date | None = strawberry.field(
        default=None, description="Last day (inclusive); omitted: open-ended.")

    def to_row(self) -> ppp.AssignmentRow:
        return ppp.AssignmentRow(project_code=self.project_code, stage=self.stage,
                                 id_number=self.id_number, role=self.role,
                                 started_on=self.started_on, ended_on=self.ended_on)


@strawberry.input(name="PppEventInput", description="A commitment kept or broken (key project "
                  "+ sourceRef); recording it writes the section 7 records.")
class PppEventInput:
    project_code: str = text_field(PppProject.code, description="The project's code.")
    stage: PppStage = strawberry.field(description="The stage it belongs to.")
    kind: PppEventKind = strawberry.field(description="Kept or broken.")
    occurred_on: date = strawberry.field(description="The day it happened, not after today.")
    description: str = text_field(PppEvent.description,
        description="What happened (the records' title).")
    severity: Severity | None = strawberry.field(
        default=None, description="Required for COMMITMENT_BROKEN.")
    source_ref: str = text_field(PppEvent.source_ref,
        description="The reporting system's key, unique per "
        "project (at most 120 characters).")

    def to_row(self) -> ppp.EventRow:
        return ppp.EventRow(project_code=self.project_code, stage=self.stage, kind=self.kind,
                            occurred_on=self.occurred_on, description=self.description,
                            severity=self.severity, source_ref=self.source_ref)
