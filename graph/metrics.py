"""Prometheus metrics (prometheus-client), served on GET /metrics.

/metrics answers 404 unless INTEGRITY_METRICS_TOKEN is set, and then only to a request with
`Authorization: Bearer <that token>` (401 otherwise): the scraper holds a secret of its own, not
a client key that could read credit data, and nothing is public by accident.

Labels are bounded: `audience` (five audiences, or NONE before authentication), `operation`
(graph.telemetry.OperationLabels), `status` and `code`. No client name, key, identity number or
variable ever becomes a label.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

from fastapi import Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from graph.telemetry import OperationLabels, RequestFacts

REGISTRY = CollectorRegistry(auto_describe=True)
_LABELS = ("operation", "audience")

REQUESTS = Counter(
    "integrity_graphql_requests", "GraphQL requests by operation, audience and HTTP status.",
    (*_LABELS, "status"), registry=REGISTRY)
LATENCY = Histogram(
    "integrity_graphql_request_duration_seconds",
    "Time from the request's arrival to its response, by operation and audience.", _LABELS,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0), registry=REGISTRY)
ERRORS = Counter(
    "integrity_graphql_errors",
    "GraphQL errors by operation, audience and extensions.code (UNAUTHENTICATED for a refused "
    "key, INTERNAL for a masked error).", (*_LABELS, "code"), registry=REGISTRY)
STATEMENTS = Histogram(
    "integrity_graphql_sql_statements", "SQL statements sent per GraphQL request.", _LABELS,
    buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500), registry=REGISTRY)
POOL_IN_USE = Gauge(
    "integrity_db_pool_connections_in_use",
    "Database connections checked out of the server's pool now.", registry=REGISTRY)
IDENTITY_LOOKUPS_REFUSED = Counter(
    "integrity_identity_lookups_refused",
    "Identity-number look-ups refused because the client's budget of distinct numbers was "
    "spent (HTTP 429), by audience.", ("audience",), registry=REGISTRY)

_operation_label = OperationLabels()


def identity_lookup_refused(audience: str) -> None:
    """Count one refused identity-number look-up (called by the per-client budget)."""
    IDENTITY_LOOKUPS_REFUSED.labels(audience=audience).inc()


def observe_graphql(facts: RequestFacts, status: int, seconds: float) -> None:
    """Record one finished GraphQL request."""
    labels = {"operation": _operation_label(facts.operation), "audience": facts.audience}
    REQUESTS.labels(**labels, status=str(status)).inc()
    LATENCY.labels(**labels).observe(seconds)
    STATEMENTS.labels(**labels).observe(facts.statements)
    for code in facts.error_codes:
        ERRORS.labels(**labels, code=code).inc()


def watch_pool(engine: AsyncEngine | None) -> None:
    """Report this engine's pool (the last engine an app was built on, one per process)."""
    if engine is not None:
        pool = engine.sync_engine.pool
        POOL_IN_USE.set_function(lambda: float(getattr(pool, "checkedout", lambda: 0)()))


def metrics_endpoint(token: str | None) -> Callable[[Request], Response]:
    """The /metrics handler for this token (None: /metrics does not exist)."""

    def metrics(request: Request) -> Response:
        if token is None:
            return Response(status_code=404)
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(),
                                                                 token.encode()):
            return Response(status_code=401, headers={"WWW-Authenticate": "Bearer"})
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    return metrics
