"""`integrity operations add|list|remove` (the allow-list of persisted operations) and
`integrity audit export` (the audit trail of a period, streamed)."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, parse, validate
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access import export, operations
from domains.access.models import AuditEntry
from domains.core import clock
from graph.cli.runtime import CommandError, all_or_nothing, say

PROGRESS_EVERY = 10_000
EXPORT_COLUMNS = ("at", "client", "operation", "field", "requestId", "subjects")


def read_document(path: Path) -> tuple[str, list[str]]:
    """The document of FILE (- for stdin), checked against the served schema; its operation
    names. Bad input: CommandError (exit 2), before anything starts."""
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path}: {exc}; nothing written") from None
    if not text.strip():
        raise CommandError(f"{path}: the document is empty; nothing written")
    from graph.schema import schema  # the schema is built only for this command

    try:
        document = parse(text)
    except GraphQLError as exc:
        raise CommandError(f"{path}: not a GraphQL document: {exc.message}; nothing written"
                           ) from None
    problems = validate(schema._schema, document)
    if problems:
        raise CommandError(f"{path}: not valid for this schema: {problems[0].message}; "
                           "nothing written")
    names = [d.name.value if d.name else "(anonymous)" for d in document.definitions
             if isinstance(d, OperationDefinitionNode)]
    return text, names


async def add_operation(session: AsyncSession, *, document: str, names: list[str]) -> int:
    operation, new = await operations.add_operation(session, document=document,
                                                    operation_names=names)
    await session.commit()
    say(f"operation {operation.operation_names} "
        f"{'added to' if new else 'is already on'} the allow-list; its SHA-256:")
    print(operation.sha256, flush=True)
    return 0


async def list_operations(session: AsyncSession) -> int:
    found = await operations.list_operations(session)
    if not found:
        print("no persisted operations")
        return 0
    for operation in found:
        added = operation.added_at.astimezone(clock.SHANGHAI).strftime("%Y-%m-%d %H:%M")
        print(f"{operation.sha256}  {added}  {operation.operation_names}")
    return 0


def checked_hash(value: str) -> str:
    try:
        return operations.checked_hash(value)
    except operations.OperationError as exc:
        raise CommandError(f"{exc}; nothing written") from None


async def remove_operation(session: AsyncSession, *, sha256: str) -> int:
    async with all_or_nothing(session, operations.OperationError):
        operation = await operations.remove_operation(session, sha256=sha256)
    print(f"removed {operation.sha256} ({operation.operation_names}); it no longer runs")
    return 0


def export_row(row: AuditEntry) -> dict[str, Any]:
    return {"at": row.at.astimezone(clock.SHANGHAI).isoformat(), "client": row.client_name,
            "operation": row.operation, "field": row.field, "requestId": row.request_id,
            "subjects": list(row.subject_ids)}


async def export_audit(session: AsyncSession, *, from_day: date, to_day: date,
                       export_format: str) -> int:
    """Stream the period's rows to stdout (CSV: subjects separated by spaces)."""
    out = sys.stdout
    writer = csv.writer(out, lineterminator="\n") if export_format == "csv" else None
    if writer is not None:
        writer.writerow(EXPORT_COLUMNS)
    count = 0
    async for row in export.audit_rows(session, from_day=from_day, to_day=to_day):
        entry = export_row(row)
        if writer is not None:
            writer.writerow([*(entry[c] or "" for c in EXPORT_COLUMNS[:-1]),
                             " ".join(entry["subjects"])])
        else:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
        count += 1
        if count % PROGRESS_EVERY == 0:
            say(f"audit export: {count} rows ...")
    out.flush()
    say(f"audit export: {count} rows from {from_day} to {to_day}")
    return 0
