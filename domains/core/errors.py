"""Expected failures are data (DOMAIN.md section 9): a DomainError carries a stable code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputError:
    """One row-level or field-level error of a write, as the payload reports it."""

    code: str
    message: str
    index: int | None = None
    field: str | None = None


class DomainError(Exception):
    """A write was refused; `errors` says why, row by row. Nothing was written."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__("; ".join(f"{e.code}: {e.message}" for e in errors))
        self.errors = sorted(errors, key=lambda e: (e.index if e.index is not None else -1,
                                                    e.field or ""))

    @classmethod
    def single(cls, code: str, message: str, field: str | None = None,
               index: int | None = None) -> DomainError:
        return cls([InputError(code=code, message=message, index=index, field=field)])


class ErrorCollector:
    """Collects the errors of a whole batch so every bad row is reported at once."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def add(self, code: str, message: str, index: int | None = None,
            field: str | None = None) -> None:
        self.errors.append(InputError(code=code, message=message, index=index, field=field))

    def raise_if_any(self) -> None:
        if self.errors:
            raise DomainError(self.errors)

    def __bool__(self) -> bool:
        return bool(self.errors)
