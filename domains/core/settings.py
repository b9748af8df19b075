"""Run-time configuration, read from the environment once per process."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

DEFAULT_STATEMENT_TIMEOUT_MS = 10_000


def statement_timeout_ms() -> int:
    """INTEGRITY_STATEMENT_TIMEOUT_MS: the longest a served SQL statement may run."""
    value = os.environ.get("INTEGRITY_STATEMENT_TIMEOUT_MS", "")
    if not value:
        return DEFAULT_STATEMENT_TIMEOUT_MS
    if not value.isdigit() or int(value) < 1:
        raise ConfigurationError("INTEGRITY_STATEMENT_TIMEOUT_MS must be a number of "
                                 "milliseconds of at least 1")
    return int(value)


class ConfigurationError(RuntimeError):
    """The environment does not give the service what it needs to start."""


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    data_dir: Path
    dev_mode: bool
    log_level: str
    production: bool = False
    allow_list: bool = False
    log_format: str = "text"
    metrics_token: str | None = None

    @classmethod
    def from_env(cls, data_dir: str | None = None) -> Settings:
        return cls(
            database_url=os.environ.get("DATABASE_URL") or None,
            data_dir=Path(data_dir or os.environ.get("INTEGRITY_DATA_DIR", ".data")).resolve(),
            dev_mode=_flag("INTEGRITY_DEV"),
            log_level=os.environ.get("INTEGRITY_LOG_LEVEL", "INFO"),
            production=_flag("INTEGRITY_PRODUCTION"),
            allow_list=_flag("INTEGRITY_ALLOW_LIST"),
            log_format=os.environ.get("INTEGRITY_LOG_FORMAT", "text").strip().lower(),
            metrics_token=os.environ.get("INTEGRITY_METRICS_TOKEN", "").strip() or None,
        )

    @property
    def embedded(self) -> bool:
        return self.database_url is None


def _flag(name: str) -> bool:
    """An on/off variable: unset, empty, 0, false or no is off."""
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


def id_secret(settings: Settings) -> bytes:
    """The HMAC key that turns identity numbers into look-up hashes.

    Production sets INTEGRITY_ID_SECRET. With the embedded database the key is created once and
    kept beside the data (losing it would make every stored hash unmatchable).
    """
    value = os.environ.get("INTEGRITY_ID_SECRET")
    if value:
        return value.encode()
    if not settings.embedded:
        raise ConfigurationError("INTEGRITY_ID_SECRET must be set when DATABASE_URL is set")
    path = settings.data_dir / "id-secret"
    if not path.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode()
