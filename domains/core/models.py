"""Imports every domain's models so Base.metadata knows all tables (alembic, tests)."""

from __future__ import annotations

import importlib

MODEL_MODULES = (
    "domains.access.models",
    "domains.core.calendar",
    "domains.subject.models",
    "domains.credit.models",
    "domains.procurement.models",
    "domains.restriction.models",
    "domains.investment.models",
    "domains.ppp.models",
    "domains.memorandum.models",
)


def import_all_models() -> None:
    for name in MODEL_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a domain not built yet
            if exc.name != name:
                raise
