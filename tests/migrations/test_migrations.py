"""The migrations themselves: a fresh database goes to head, back to base, and to head again."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access import service as access
from domains.core.db import make_engine
from domains.core.migrate import alembic_config, current_revision, head_revision


async def run_sql(url: str, sql: str) -> None:
    engine = make_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(sql))
    await engine.dispose()


@pytest.mark.slow
async def test_upgrade_downgrade_upgrade(database_url: str) -> None:
    name = f"migr_{uuid.uuid4().hex[:8]}"
    await run_sql(database_url, f'CREATE DATABASE "{name}"')
    url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    try:
        config = alembic_config(url)
        await asyncio.to_thread(command.upgrade, config, "head")
        await asyncio.to_thread(command.downgrade, config, "base")
        await asyncio.to_thread(command.upgrade, config, "head")
        engine = make_engine(url)
        assert await current_revision(engine) == head_revision()
        await engine.dispose()
    finally:
        await run_sql(database_url, f'DROP DATABASE "{name}" WITH (FORCE)')


async def test_audit_rows_cannot_be_changed_or_deleted(session: AsyncSession) -> None:
    session.add(access.audit_entry(client_name="x", operation=None, field="f", request_id="r",
                                   subject_ids=["s"]))
    await session.flush()
    for statement in ("UPDATE access_audit_entry SET field = 'g'",
                      "DELETE FROM access_audit_entry"):
        with pytest.raises(DBAPIError, match="is not allowed"):
            async with session.begin_nested():
                await session.execute(text(statement))
