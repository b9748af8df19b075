"""`serve --workers`: each worker's share of PostgreSQL's connections, the settings a worker
receives, and the refusals of a bad worker count."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from uvicorn.config import STARTUP_FAILURE

from domains.core.settings import ConfigurationError
from graph.cli.workers import (
    PoolSize,
    WorkerSettings,
    create_worker_app,
    default_workers,
    pool_sizes,
)
from tests.cli.conftest import Cli


@pytest.mark.parametrize(("max_connections", "reserved", "workers", "expected"), [
    (100, 3, 1, PoolSize(15)),  # SQLAlchemy's most (5 + 10) fits
    (100, 3, 5, PoolSize(15)),  # 87 // 5 = 17 >= 15
    (100, 3, 6, PoolSize(14)),  # 87 // 6 = 14: the whole share
    (100, 3, 8, PoolSize(10)),  # 10 each: 8 workers stay within 100
    (100, 3, 43, PoolSize(2)),  # 2 each: the smallest share served
    (20, 3, 3, PoolSize(2)),
])
def test_each_worker_gets_a_share_of_the_connections(
        max_connections: int, reserved: int, workers: int, expected: PoolSize) -> None:
    sizes = pool_sizes(max_connections, reserved, workers)

    assert sizes == expected
    assert workers * sizes.size <= max_connections - reserved - 10


def test_too_many_workers_for_the_server_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="44 workers need at least 2 database "
                       "connections each, but PostgreSQL allows 100"):
        pool_sizes(100, 3, 44)


def test_a_worker_receives_the_parents_settings_without_a_secret(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INTEGRITY_ID_SECRET", raising=False)
    (tmp_path / "id-secret").write_text("the-embedded-secret\n")
    settings = WorkerSettings(
        url="postgresql://u@/integrity?host=/tmp", data_dir=str(tmp_path), embedded=True,
        pool=PoolSize(10), dev=False, production=True, allow_list=True, log_level="INFO",
        log_format="json", statement_timeout_ms=5000, metrics_token=None)

    settings.to_environment()
    received = WorkerSettings.from_environment()

    assert received == settings
    assert "the-embedded-secret" not in os.environ["INTEGRITY_WORKER_SETTINGS"]
    assert received.secret() == b"the-embedded-secret"


def test_the_default_is_one_worker_per_usable_core() -> None:
    assert default_workers() == len(os.sched_getaffinity(0))


@pytest.mark.parametrize("value", ["0", "-1", "two", "65"])
def test_a_bad_worker_count_is_refused_before_anything_starts(cli: Cli, value: str) -> None:
    result = cli("serve", "--workers", value, "--port", "18299")

    assert result.code == 2
    assert f"argument --workers: {value!r} is not a number of workers (1 to 64)" in result.err
    assert "starting" not in result.err


def test_a_worker_that_cannot_build_the_app_exits_as_a_startup_failure(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """uvicorn's supervisor stops every worker on STARTUP_FAILURE (3) and restarts a worker
    on any other exit: a broken start must not loop."""
    monkeypatch.setenv("INTEGRITY_WORKER_SETTINGS", '{"url": "postgresql://u@/x"}')

    with pytest.raises(SystemExit) as stopped:
        create_worker_app()

    assert stopped.value.code == STARTUP_FAILURE == 3
    assert "the worker could not build the app" in caplog.text
