"""`integrity clients add --unit` and `clients bind`: a client acts for registered units."""

from __future__ import annotations

import asyncio

from domains.core.db import make_engine, make_sessionmaker
from domains.subject import service as subjects
from tests.cli.conftest import Cli
from tests.support import unit_code

BOUND = ("SELECT string_agg(u.uscc, ',' ORDER BY u.uscc) FROM access_client_unit b "
         "JOIN access_client c ON c.id = b.client_id JOIN subject_unit u ON u.id = b.unit_id "
         "WHERE c.name = :name")
FIRST, SECOND, UNKNOWN = unit_code(801), unit_code(802), unit_code(803)


def _given_units(cli: Cli) -> None:
    assert cli("migrate").code == 0

    async def run() -> None:
        engine = make_engine(cli.url)
        try:
            async with make_sessionmaker(engine)() as session:
                await subjects.register_units(session, [
                    subjects.UnitRow(uscc=code, name=f"单位{code[-4:]}", kind="GOVERNMENT_ORGAN")
                    for code in (FIRST, SECOND)])
                await session.commit()
        finally:
            await engine.dispose()

    asyncio.run(run())


def test_add_and_bind_units(cli: Cli) -> None:
    _given_units(cli)
    added = cli("clients", "add", "finance-sys", "--audience", "PROCUREMENT",
                "--unit", FIRST.lower())
    assert added.code == 0 and f"acting for {FIRST}" in added.err
    assert cli.scalar(BOUND, name="finance-sys") == FIRST
    # binding again is harmless; a second unit is added
    bound = cli("clients", "bind", "finance-sys", "--unit", FIRST, "--unit", SECOND)
    assert bound.code == 0 and bound.out.strip() == \
        f"client finance-sys acts for {', '.join(sorted((FIRST, SECOND)))}"
    assert cli.scalar(BOUND, name="finance-sys") == ",".join(sorted((FIRST, SECOND)))


def test_unknown_or_malformed_units_write_nothing(cli: Cli) -> None:
    _given_units(cli)
    unknown = cli("clients", "add", "drc-sys", "--audience", "PROJECT_APPROVAL",
                  "--unit", UNKNOWN)
    assert unknown.code == 2 and "no unit has the code" in unknown.err
    assert cli.scalar("SELECT count(*) FROM access_client WHERE name = 'drc-sys'") == 0
    malformed = cli("clients", "add", "drc-sys", "--audience", "PROJECT_APPROVAL",
                    "--unit", "12345")
    assert malformed.code == 2 and "is not a unified social credit code" in malformed.err
    nobody = cli("clients", "bind", "nobody", "--unit", FIRST)
    assert nobody.code == 2 and "no client named 'nobody'" in nobody.err
    assert cli("clients", "bind", "nobody").code == 2  # --unit is required
