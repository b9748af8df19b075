"""The `integrity` command: serve the API and operate it (migrations, clients, calendar, demo).

Every command works on DATABASE_URL when it is set (production) and otherwise on the embedded
PostgreSQL kept in --data-dir, and brings the schema up to date first (migrations are
idempotent). Bad input is refused before anything starts: a message on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from sqlalchemy.exc import DBAPIError, OperationalError

from domains.access import identity
from domains.core import clock
from domains.core.calendar import CalendarFileError, read_calendar_file
from domains.core.settings import ConfigurationError, Settings, id_secret, statement_timeout_ms
from graph.cli import commands, operating, showcase
from graph.cli.parser import build_parser
from graph.cli.runtime import (
    FAILED,
    INTERRUPTED,
    USAGE_ERROR,
    CommandError,
    configure_logging,
    fail,
    free_port,
    open_database,
    run_on_session,
)

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (0 done, 1 failed, 2 bad input, 130 interrupted)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a bad command line (2, message printed)
        return exc.code if isinstance(exc.code, int) else USAGE_ERROR
    if args.command is None:  # `integrity` or `integrity clients` alone
        (args.help_of or parser).print_help(sys.stderr)
        return USAGE_ERROR
    args.argv = list(sys.argv[1:] if argv is None else argv)
    try:
        settings = Settings.from_env(args.data_dir)
        configure_logging(args.log_level or settings.log_level,
                          args.log_format or settings.log_format)
        return HANDLERS[args.command](args, settings)
    except CommandError as exc:
        return fail(str(exc), exc.code)
    except ConfigurationError as exc:
        return fail(str(exc))
    except (OperationalError, DBAPIError, OSError) as exc:
        return fail(f"the database could not be used: {exc}", FAILED)
    except subprocess.SubprocessError as exc:  # pg_ctl/initdb of the embedded server
        return fail(f"the embedded PostgreSQL could not start: {exc}", FAILED)
    except KeyboardInterrupt:
        return fail("interrupted", INTERRUPTED)


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    from graph.cli.serve import ServeOptions, serve  # imports the app only when serving
    from graph.cli.workers import default_workers

    production = args.production or settings.production
    dev = (args.dev or settings.dev_mode)
    if dev and production:
        raise CommandError("--dev (INTEGRITY_DEV) and --production (INTEGRITY_PRODUCTION) "
                           "exclude each other: the console is never served in production")
    identity.default_lookups_per_hour()  # a bad setting is refused before anything starts
    free_port(args.host, args.port)
    return serve(settings, ServeOptions(
        host=args.host, port=args.port, demo=args.demo, dev=dev, production=production,
        allow_list=args.allow_list or settings.allow_list,
        log_level=args.log_level or settings.log_level,
        log_format=args.log_format or settings.log_format,
        workers=args.workers or default_workers(), statement_timeout_ms=statement_timeout_ms()))


def run_bench(args: argparse.Namespace, settings: Settings) -> int:
    try:  # wrk's driver only when benchmarking; its HTTP client comes with the dev install
        from graph.cli.bench import BenchOptions, run_bench
    except ModuleNotFoundError as missing:
        raise CommandError(
            f"bench needs the development install ({missing.name} is missing): "
            ".venv/bin/pip install --require-hashes -r requirements-dev.lock") from None
    from graph.cli.bench.operations import BY_KEY, OPERATIONS

    chosen = tuple(BY_KEY[key] for key in args.operations) if args.operations else OPERATIONS
    return run_bench(settings, BenchOptions(
        duration=args.duration, warmup=args.warmup, connections=args.connections,
        workers=tuple(args.workers), operations=chosen, subjects=args.subjects, port=args.port,
        command_line=shlex.join(["integrity", *args.argv]), batch=args.batch,
        write_connections=args.write_connections))


def run_migrate(args: argparse.Namespace, settings: Settings) -> int:
    url = open_database(settings)
    return run_on_session(url, commands.print_revision)


def run_demo(args: argparse.Namespace, settings: Settings) -> int:
    secret = id_secret(settings)
    url = open_database(settings)
    if args.show:
        return run_on_session(url, partial(showcase.show_demo, secret=secret))
    return run_on_session(url, partial(commands.load_demo, secret=secret, today=clock.today()))


def run_generate(args: argparse.Namespace, settings: Settings) -> int:
    secret = id_secret(settings)
    url = open_database(settings)
    return run_on_session(url, partial(commands.generate_dataset, seed=args.seed,
                                       scale=args.scale, today=clock.today(), secret=secret))


def run_operations_add(args: argparse.Namespace, settings: Settings) -> int:
    document, names = operating.read_document(args.file)  # checked before the database starts
    url = open_database(settings)
    return run_on_session(url, partial(operating.add_operation, document=document, names=names))


def run_operations_list(args: argparse.Namespace, settings: Settings) -> int:
    return run_on_session(open_database(settings), operating.list_operations)


def run_operations_remove(args: argparse.Namespace, settings: Settings) -> int:
    sha = operating.checked_hash(args.sha256)
    return run_on_session(open_database(settings), partial(operating.remove_operation, sha256=sha))


def run_audit_export(args: argparse.Namespace, settings: Settings) -> int:
    if args.to_day < args.from_day:
        raise CommandError(f"--to {args.to_day} is before --from {args.from_day}")
    url = open_database(settings)
    return run_on_session(url, partial(operating.export_audit, from_day=args.from_day,
                                       to_day=args.to_day, export_format=args.export_format))


def run_clients_add(args: argparse.Namespace, settings: Settings) -> int:
    commands.expiry_instant(args.expires)  # a past date is refused before anything starts
    url = open_database(settings)
    return run_on_session(url, partial(commands.add_client, name=args.name,
                                       audience=args.audience, expires_on=args.expires,
                                       id_lookups_per_hour=args.id_lookups_per_hour,
                                       units=args.units))


def run_clients_bind(args: argparse.Namespace, settings: Settings) -> int:
    url = open_database(settings)
    return run_on_session(url, partial(commands.bind_client, name=args.name, units=args.units))


def run_clients_list(args: argparse.Namespace, settings: Settings) -> int:
    return run_on_session(open_database(settings), commands.list_clients)


def run_clients_revoke(args: argparse.Namespace, settings: Settings) -> int:
    url = open_database(settings)
    return run_on_session(url, partial(commands.revoke_client, name=args.name))


def run_clients_rotate(args: argparse.Namespace, settings: Settings) -> int:
    url = open_database(settings)
    return run_on_session(url, partial(commands.rotate_client, name=args.name))


def run_clients_limit(args: argparse.Namespace, settings: Settings) -> int:
    url = open_database(settings)
    return run_on_session(url, partial(commands.limit_client, name=args.name,
                                       id_lookups_per_hour=args.id_lookups_per_hour))


def run_calendar_load(args: argparse.Namespace, settings: Settings) -> int:
    path: Path = args.file
    try:
        rows = read_calendar_file(path)
    except (CalendarFileError, OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path}: {exc}; nothing loaded") from None
    if not rows:
        raise CommandError(f"{path}: no calendar days in the file; nothing loaded")
    days = [day for day, _, _ in rows]
    if len(set(days)) != len(days):
        repeated = sorted({day for day in days if days.count(day) > 1})[0]
        raise CommandError(f"{path}: {repeated} appears twice; nothing loaded")
    url = open_database(settings)
    return run_on_session(url, partial(commands.load_calendar, rows=rows))


HANDLERS = {
    "serve": run_serve,
    "bench": run_bench,
    "migrate": run_migrate,
    "demo": run_demo,
    "generate": run_generate,
    "clients add": run_clients_add,
    "clients list": run_clients_list,
    "clients bind": run_clients_bind,
    "clients revoke": run_clients_revoke,
    "clients rotate": run_clients_rotate,
    "clients limit": run_clients_limit,
    "calendar load": run_calendar_load,
    "operations add": run_operations_add,
    "operations list": run_operations_list,
    "operations remove": run_operations_remove,
    "audit export": run_audit_export,
}
