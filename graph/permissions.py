"""The permission table of DOMAIN.md section 3, checked per field."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from domains.credit.enums import Audience

CREDIT_OFFICE = Audience.CREDIT_OFFICE.value


def audience_of(info: Info[Any, Any]) -> str:
    return str(info.context.client.audience)


def allow(*audiences: str) -> type[BasePermission]:
    """A permission class admitting these audiences (CREDIT_OFFICE always)."""
    allowed = frozenset(audiences) | {CREDIT_OFFICE}

    class AudiencePermission(BasePermission):
        message = "forbidden: your audience may not use this field"
        error_extensions = {"code": "FORBIDDEN"}

        def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
            return audience_of(info) in allowed

    AudiencePermission.__name__ = "Allow" + "".join(a.title().replace("_", "") for a in allowed)
    return AudiencePermission


PersonnelOnly = allow(Audience.PERSONNEL, Audience.SUPERVISION)
CreditOfficeOnly = allow()
