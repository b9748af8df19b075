"""The operating settings read from the environment (README "Operations")."""

from __future__ import annotations

import pytest

from domains.core.settings import Settings


def test_operating_settings_default_to_off(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("INTEGRITY_PRODUCTION", "INTEGRITY_ALLOW_LIST", "INTEGRITY_LOG_FORMAT",
                 "INTEGRITY_METRICS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings.from_env()
    assert (settings.production, settings.allow_list, settings.log_format,
            settings.metrics_token) == (False, False, "text", None)


@pytest.mark.parametrize(("value", "on"), [("1", True), ("true", True), ("yes", True),
                                           ("0", False), ("false", False), ("no", False),
                                           ("", False)])
def test_production_mode_is_one_setting(monkeypatch: pytest.MonkeyPatch, value: str,
                                        on: bool) -> None:
    monkeypatch.setenv("INTEGRITY_PRODUCTION", value)
    monkeypatch.setenv("INTEGRITY_ALLOW_LIST", value)
    monkeypatch.setenv("INTEGRITY_LOG_FORMAT", " JSON ")
    monkeypatch.setenv("INTEGRITY_METRICS_TOKEN", " s3cret ")
    settings = Settings.from_env()
    assert (settings.production, settings.allow_list) == (on, on)
    assert (settings.log_format, settings.metrics_token) == ("json", "s3cret")
