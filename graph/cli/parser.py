"""The command line of `integrity`: every command, option and its --help text."""

from __future__ import annotations

import argparse
import os
import re
from datetime import date
from pathlib import Path

from domains.access.service import AUDIENCES
from domains.subject import keys
from graph.cli.runtime import LOG_LEVELS
from graph.logformat import LOG_FORMATS

DESCRIPTION = """\
integrity-graph: the GraphQL API of government integrity credit (政务诚信).

Without DATABASE_URL every command uses an embedded PostgreSQL whose data is kept in
--data-dir (default ./.data, or INTEGRITY_DATA_DIR); with DATABASE_URL it uses that server.
Every command applies pending migrations first."""

ENVIRONMENT = """\
environment:
  DATABASE_URL          postgresql://user:password@host:5432/db (unset: embedded PostgreSQL)
  INTEGRITY_ID_SECRET   key of the identity-number hashes; required with DATABASE_URL
                        (embedded: created once in the data folder, file id-secret)
  INTEGRITY_DATA_DIR    the embedded server's folder (default ./.data)
  INTEGRITY_HOST, INTEGRITY_PORT   serve's address (default 127.0.0.1:8000)
  INTEGRITY_WORKERS     serve's worker processes, as --workers (default: the cores)
  INTEGRITY_DEV=1       GraphiQL on GET /graphql, as serve --dev
  INTEGRITY_TODAY       YYYY-MM-DD: pin "today" (tests, demos); default the Asia/Shanghai date
  INTEGRITY_LOG_LEVEL   DEBUG, INFO (default), WARNING or ERROR, as --log-level
  INTEGRITY_ID_LOOKUPS_PER_HOUR  a client's identity look-up budget by default (100)
  INTEGRITY_MAX_BODY_BYTES       largest request body (default 8 MiB; larger: HTTP 413)
  INTEGRITY_MAX_QUERY_BYTES      largest GraphQL document (default 100000)
  INTEGRITY_STATEMENT_TIMEOUT_MS longest SQL statement of serve (default 10000)
  INTEGRITY_LOG_FORMAT  text (default) or json (one JSON object per line), as --log-format
  INTEGRITY_PRODUCTION=1  production mode: no introspection, no console (serve --production)
  INTEGRITY_ALLOW_LIST=1  only persisted operations run (serve --allow-list)
  INTEGRITY_METRICS_TOKEN  bearer token of GET /metrics (unset: /metrics answers 404)

exit codes: 0 done, 1 failed (database unreachable, port taken), 2 bad input or
configuration (nothing changed), 130 interrupted during start-up."""

CALENDAR_FORMAT = """\
file format (UTF-8 CSV, one day per line, all or nothing):
  day,status,note            optional header line
  # a comment                lines starting with # are skipped
  2027-01-01,off,元旦         a holiday on a weekday
  2027-02-07,on,春节调休      a weekend day that is a working day (调休)

status is `off` (no work) or `on` (work). Days not listed follow the Monday-to-Friday rule;
a day loaded again is replaced. The working calendar counts working days, e.g. the 7 working
days an objection may take (DOMAIN.md section 0)."""

BUDGET_HELP = ("distinct identity numbers the client may look up per hour (beyond: HTTP 429), "
               "or `default` for the server's INTEGRITY_ID_LOOKUPS_PER_HOUR (100 unless set)")

MAX_WORKERS = 64
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_date(value: str) -> date:
    try:
        if not DATE.match(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD") from None


def audience(value: str) -> str:
    normalised = value.strip().upper()
    if normalised not in AUDIENCES:
        raise argparse.ArgumentTypeError(
            f"unknown audience {value!r}; one of {', '.join(AUDIENCES)}")
    return normalised


def port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (1 to 65535)")
    return int(value)


def workers(value: str) -> int:
    if not value.strip().isdigit() or not 1 <= int(value) <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of workers (1 to "
                                         f"{MAX_WORKERS})")
    return int(value)


def lookups_per_hour(value: str) -> int | None:
    """A positive number of identity numbers, or `default` (the server's)."""
    if value.strip().lower() == "default":
        return None
    if not value.strip().isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of at least 1 (or default)")
    return int(value)


def unit_code(value: str) -> str:
    code = keys.normalise_key(value)
    if not keys.is_valid_uscc(code):
        raise argparse.ArgumentTypeError(f"{value!r} is not a unified social credit code")
    return code


CLIENT_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,99}")


def client_name(value: str) -> str:
    """A plain identifier: it is shown in audit rows, log lines and `RecordEvent.actor`."""
    name = value.strip()
    if not CLIENT_NAME.fullmatch(name):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a client name: 1 to 100 characters, a letter first, then "
            "letters, digits, '-', '_' or '.'")
    return name


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR",
                        help="folder of the embedded PostgreSQL and its id-secret "
                             "(default INTEGRITY_DATA_DIR or ./.data; unused with DATABASE_URL)")
    common.add_argument("--log-level", type=str.upper,
                        choices=LOG_LEVELS,
                        help="log level (default INTEGRITY_LOG_LEVEL or INFO)")
    common.add_argument("--log-format", type=str.lower, choices=LOG_FORMATS,
                        help="text or json, one object per line (default INTEGRITY_LOG_FORMAT "
                             "or text)")
    return common


def _sub(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], name: str,
         command: str, summary: str, details: str = "", epilog: str = ENVIRONMENT,
         parents: list[argparse.ArgumentParser] | None = None) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name, help=summary, description=f"{summary}\n\n{details}".strip(), epilog=epilog,
        parents=parents or [], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(command=command)
    return parser


def _serve(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
           common: argparse.ArgumentParser) -> None:
    serve = _sub(subparsers, "serve", "serve", "Serve the GraphQL API on /graphql.", """\
Starts the database (embedded unless DATABASE_URL is set), applies migrations, optionally
loads the demo district, then serves POST /graphql (Authorization: Bearer <key>), GET /healthz
and GET /readyz (200 once the database answers at the latest migration). Ctrl-C or SIGTERM
stops the server and the embedded PostgreSQL; the data stays in --data-dir.""",
                 parents=[common])
    serve.add_argument("--host", default=os.environ.get("INTEGRITY_HOST", "127.0.0.1"),
                       help="address to listen on (default INTEGRITY_HOST or 127.0.0.1; "
                            "0.0.0.0 in a container)")
    serve.add_argument("--port", type=port, default=os.environ.get("INTEGRITY_PORT", "8000"),
                       help="port to listen on (default INTEGRITY_PORT or 8000)")
    serve.add_argument("--workers", type=workers, default=os.environ.get("INTEGRITY_WORKERS"),
                       metavar="N", help="worker processes sharing the port (default "
                       "INTEGRITY_WORKERS or the number of cores); 1 serves in this process; "
                       "a worker that dies is restarted")
    serve.add_argument("--demo", action="store_true",
                       help="load the demo district unless it is there, and print a new API "
                            "key for each demo client demo-<audience> (old demo keys stop)")
    serve.add_argument("--dev", action="store_true",
                       help="development mode: GraphiQL on GET /graphql (or INTEGRITY_DEV=1)")
    serve.add_argument("--production", action="store_true",
                       help="production mode: introspection and the console off (or "
                            "INTEGRITY_PRODUCTION=1)")
    serve.add_argument("--allow-list", action="store_true",
                       help="run only the persisted operations of `integrity operations` "
                            "(or INTEGRITY_ALLOW_LIST=1)")


def _clients(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    clients = _sub(subparsers, "clients", "", "Manage the client systems and their API keys.",
                   f"Audiences: {', '.join(AUDIENCES)} (DOMAIN.md section 3). A key is printed "
                   "once and only its hash is stored.")
    actions = clients.add_subparsers(title="actions", metavar="ACTION")
    clients.set_defaults(command=None, help_of=clients)
    add = _sub(actions, "add", "clients add", "Add a client and print its API key once.",
               "The key goes to stdout alone (KEY=$(integrity clients add ...)); the "
               "message to stderr.", parents=[common])
    add.add_argument("name", type=client_name, metavar="NAME", help="a unique client name")
    add.add_argument("--audience", type=audience, required=True,
                     help=f"what the client may see and do: {', '.join(AUDIENCES)}")
    add.add_argument("--expires", type=iso_date, metavar="YYYY-MM-DD",
                     help="last day the key works (Asia/Shanghai); default never")
    add.add_argument("--id-lookups-per-hour", type=lookups_per_hour, metavar="N",
                     help=BUDGET_HELP)
    add.add_argument("--unit", type=unit_code, action="append", dest="units", default=[],
                     metavar="USCC", help="a registered unit the client acts for in "
                     "joint-punishment memoranda (repeatable)")
    _sub(actions, "list", "clients list",
         "List clients: name, audience, created, expires, revoked (never keys).",
         parents=[common])
    revoke = _sub(actions, "revoke", "clients revoke",
                  "Revoke a client: its key stops working at once (kept for the audit trail).",
                  parents=[common])
    revoke.add_argument("name", metavar="NAME", help="the client's name")
    bind = _sub(actions, "bind", "clients bind",
                "Let a client act for more units (a memorandum's signatories).",
                "The client may then initiate and answer joint actions for these units; "
                "a binding is kept for the record and never removed.", parents=[common])
    bind.add_argument("name", metavar="NAME", help="the client's name")
    bind.add_argument("--unit", type=unit_code, action="append", dest="units", required=True,
                      metavar="USCC", help="a registered unit's code (repeatable)")
    rotate = _sub(actions, "rotate", "clients rotate",
                  "Give a client a new API key, printed once; the old key stops working.",
                  parents=[common])
    rotate.add_argument("name", metavar="NAME", help="the client's name")
    limit = _sub(actions, "limit", "clients limit",
                 "Change a client's budget of identity-number look-ups.",
                 "Takes effect with the client's next request.", parents=[common])
    limit.add_argument("name", metavar="NAME", help="the client's name")
    limit.add_argument("--id-lookups-per-hour", type=lookups_per_hour, metavar="N",
                       required=True, help=BUDGET_HELP)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="integrity", description=DESCRIPTION, epilog=ENVIRONMENT,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(command=None, help_of=None, data_dir=None, log_level=None,
                        log_format=None)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    common = _common()
    _serve(subparsers, common)
    _sub(subparsers, "migrate", "migrate", "Apply pending database migrations.",
         "Brings the schema to the latest revision and prints it; safe to repeat (run it "
         "before starting a new version in production).", parents=[common])
    _clients(subparsers, common)
    calendar = _sub(subparsers, "calendar", "", "Manage the working calendar.")
    calendar.set_defaults(command=None, help_of=calendar)
    actions = calendar.add_subparsers(title="actions", metavar="ACTION")
    load = _sub(actions, "load", "calendar load",
                "Load working-calendar days (holidays, 调休 days) for later years.",
                "The file is checked whole before anything is written.",
                epilog=CALENDAR_FORMAT, parents=[common])
    load.add_argument("file", type=Path, metavar="FILE", help="the CSV file (format below)")
    demo = _sub(subparsers, "demo", "demo", "Load the demo district into the database.",
                "A fictional Jinshan-like district (units, 300 civil servants, credit records "
                "and the other domains' demo data), loaded once; then prints a new API key for "
                "each demo client demo-<audience>.", parents=[common])
    demo.add_argument("--show", action="store_true",
                      help="print demo subjects to try, per scenario (with their fictitious "
                           "identity numbers); no new keys")
    _generate(subparsers, common)
    _operations(subparsers, common)
    _audit(subparsers, common)
    _bench(subparsers, common)
    return parser


GENERATE_DETAILS = """\
Writes a synthetic, internally consistent district into an EMPTY database, in one transaction
(all or nothing), with COPY. Scale 1 is a city-sized district:

  units                    5,000   with a hierarchy (organs, institutions, towns, enterprises)
  civil servants         200,000   identity numbers hashed with the id secret and masked, as
                                   the API stores them; one or two employments each
  credit records       2,000,000   every category, nature, severity, sanction, disclosure and
                                   domain; about 20% with a history (objections open, rejected
                                   or upheld; corrections, revocations, repairs, exemptions)
  procurement contracts  100,000   with DELIVERED / ACCEPTED / PAID milestones on time, late or
                                   missing (every grade A to D)
  investment projects      2,000   approvals in procedure order, some overruns, violations with
                                   their records
  PPP projects               500   responsibilities per stage, events, traces and their records

A fractional scale (0.001, 0.01) multiplies every count. The same --seed and --scale give the
same rows (dates are relative to "today", so pin INTEGRITY_TODAY to reproduce them exactly).
A database that already holds units is refused (exit 2): nothing is ever deleted, so a dataset
cannot be replaced. Creates one client per audience (gen-<audience>) and prints, on stdout, one
JSON line: row counts, the clients' API keys (shown only now), and sample subjects to query
(the units with the most records, civil servants' global ids for node(id:)). Progress: one line
per table on stderr."""


def scale(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 < number <= 20:
        raise argparse.ArgumentTypeError(f"{value!r} is not a scale above 0 and at most 20")
    return number


def _generate(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
              common: argparse.ArgumentParser) -> None:
    generate = _sub(subparsers, "generate", "generate",
                    "Generate a synthetic dataset at a scale (benchmarks, load tests).",
                    GENERATE_DETAILS, parents=[common])
    generate.add_argument("--scale", type=scale, required=True, metavar="S",
                          help="1 = 5,000 units, 200,000 civil servants, 2,000,000 records; "
                               "0.01 = a hundredth of each")
    generate.add_argument("--seed", type=int, default=1, metavar="N",
                          help="random seed (default 1): the same seed, scale and today give "
                               "the same rows")


def positive(value: str) -> int:
    if not value.strip().isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of at least 1")
    return int(value)


def seconds(value: str) -> int:
    if not value.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of seconds")
    return int(value)


def batch_size(value: str) -> int:
    """A batch write's rows: 1 to the API's 1,000 (a larger batch is refused by the API)."""
    if not value.strip().isdigit() or not 1 <= int(value) <= 1000:
        raise argparse.ArgumentTypeError(f"{value!r} is not a batch size (1 to 1000)")
    return int(value)


def bench_operations(value: str) -> list[str]:
    from graph.cli.bench.operations import BY_KEY

    chosen = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in BY_KEY]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown operation {', '.join(unknown) or repr(value)}; some of {', '.join(BY_KEY)}")
    return chosen


def _bench(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
           common: argparse.ArgumentParser) -> None:
    bench = _sub(subparsers, "bench", "bench", "Measure the client operations under load (wrk).",
                 """\
Starts `integrity serve` pinned to one core per worker, wrk and the embedded PostgreSQL on the
other core(s), and drives each operation with a fixed document and rotating variables at a
fixed concurrency; prints requests/s, p50, p99, the server's CPU ms and SQL statements per
request, and errors.
Operations: procurement, project-approval, personnel, check (checkRestrictions, a new
businessRef each request), credit-file (a page of 50 records), driven by wrk; report
(reportCreditRecords) and register (registerProcurementContracts), batches of --batch fresh
rows driven by a Python process (httpx) pinned as wrk is, at --write-connections: wrk's Lua
cannot build 1,000-row bodies cheaply; their rows/s are printed below the table. Needs wrk
(`apt-get install -y wrk`) and data (`integrity demo` or `integrity generate`). It writes
audit rows, restriction checks, credit records and contracts, and gives the clients
bench-<audience> new keys: never run it on production data.""",
                 parents=[common])
    bench.add_argument("--duration", type=positive, default=10, metavar="S",
                       help="seconds each operation is measured (default 10)")
    bench.add_argument("--warmup", type=seconds, default=2, metavar="S",
                       help="seconds of load before each measurement, not counted (default 2)")
    bench.add_argument("--connections", type=positive, default=16, metavar="N",
                       help="concurrent connections of wrk (default 16)")
    bench.add_argument("--workers", type=workers, nargs="+", default=[1], metavar="N",
                       help="server worker counts to measure in turn, e.g. `--workers 1 2` "
                            "compares 2 workers against 1 (default 1)")
    bench.add_argument("--operations", type=bench_operations, metavar="A,B",
                       help="only these operations, comma-separated (default all)")
    bench.add_argument("--subjects", type=positive, default=1000, metavar="N",
                       help="units and civil servants the variables rotate over (default 1000)")
    bench.add_argument("--port", type=port, help="the server's port (default a free one)")
    bench.add_argument("--batch", type=batch_size, default=1000, metavar="N",
                       help="rows per batch of report and register (default 1000, at most 1000)")
    bench.add_argument("--write-connections", type=positive, default=2, metavar="N",
                       help="batches of report and register under way at once (default 2)")


def _operations(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
                common: argparse.ArgumentParser) -> None:
    ops = _sub(subparsers, "operations", "", "Manage the allow-list of persisted operations.",
               "With serve --allow-list (INTEGRITY_ALLOW_LIST=1) only these documents run; a "
               "document is known by the SHA-256 of its text (surrounding blanks removed).")
    ops.set_defaults(command=None, help_of=ops)
    actions = ops.add_subparsers(title="actions", metavar="ACTION")
    add = _sub(actions, "add", "operations add",
               "Check a GraphQL document against the schema and allow it; prints its SHA-256.",
               parents=[common])
    add.add_argument("file", type=Path, metavar="FILE",
                     help="the document (UTF-8; - for standard input)")
    _sub(actions, "list", "operations list", "List the allowed operations: SHA-256 and names.",
         parents=[common])
    remove = _sub(actions, "remove", "operations remove",
                  "Take an operation off the allow-list; it stops running at once.",
                  parents=[common])
    remove.add_argument("sha256", metavar="SHA256", help="the document's SHA-256")


def _audit(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
           common: argparse.ArgumentParser) -> None:
    audit = _sub(subparsers, "audit", "", "The audit trail of credit reads (查询留痕).")
    audit.set_defaults(command=None, help_of=audit)
    actions = audit.add_subparsers(title="actions", metavar="ACTION")
    export = _sub(actions, "export", "audit export",
                  "Write the audit rows of a period to stdout, oldest first.",
                  "Columns: at (Asia/Shanghai), client, operation, field, requestId, subjects "
                  "(global ids). Rows are streamed; progress goes to stderr.", parents=[common])
    export.add_argument("--from", dest="from_day", type=iso_date, required=True,
                        metavar="YYYY-MM-DD", help="first day (Asia/Shanghai), included")
    export.add_argument("--to", dest="to_day", type=iso_date, required=True,
                        metavar="YYYY-MM-DD", help="last day (Asia/Shanghai), included")
    export.add_argument("--format", dest="export_format", choices=("csv", "jsonl"),
                        default="csv", help="csv (default, with a header line) or jsonl")
