"""GraphQL inputs of the credit domain."""

from __future__ import annotations

import strawberry


@strawberry.input(name="SubjectKey", description="Names a unit or a civil servant: exactly one "
                  "of uscc and idNumber (not @oneOf: neither or both is INVALID_VALUE).")
class SubjectKey:
    uscc: str | None = strawberry.field(default=None, description="Exactly one of the two.")
    id_number: str | None = strawberry.field(
        default=None, description="Identity-card number of a civil servant (input only).")
