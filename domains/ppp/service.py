"""The PPP service (DOMAIN.md section 7), the one import for callers: projects
(domains.ppp.projects), responsibilities (domains.ppp.assignments), events and the records they
write (domains.ppp.events), and the gaps in responsibility (domains.ppp.gaps). Services flush
and never commit; a refused write raises `DomainError` with one `InputError` per problem, and
nothing is written.
"""

from __future__ import annotations

from domains.ppp.assignments import AssignmentRow, assign_responsibilities
from domains.ppp.events import EventRow, record_events
from domains.ppp.gaps import GapQuery, StageGap, responsibility_gaps
from domains.ppp.projects import ProjectRow, projects_by_code, register_projects

__all__ = ["AssignmentRow", "EventRow", "GapQuery", "ProjectRow", "StageGap",
           "assign_responsibilities", "projects_by_code", "record_events", "register_projects",
           "responsibility_gaps"]
