"""The per-request context: the calling client, one session, fresh loaders, the audit rows."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

from graphql import GraphQLError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.fastapi import BaseContext
from strawberry.types import Info

from domains.access import identity
from domains.access import service as access
from domains.core import clock
from domains.core.errors import DomainError
from graph import metrics
from graph.limits import DocumentCache
from graph.policy import OperationPolicy
from loaders.base import Loaders, RuleTableCache, Scope

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Caller:
    """The authenticated client system."""

    name: str
    audience: str
    # distinct identity numbers per hour (the client's own budget or the server default)
    id_lookups_per_hour: int = identity.DEFAULT_LOOKUPS_PER_HOUR


class Context(BaseContext):
    def __init__(self, session: AsyncSession, client: Caller, request_id: str,
                 id_secret: bytes, policy: OperationPolicy | None = None,
                 documents: DocumentCache | None = None,
                 rules: RuleTableCache | None = None) -> None:
        super().__init__()
        self.policy = policy or OperationPolicy()
        self.documents = documents  # the app's parsed and validated documents
        self.persisted_query: str | None = None  # the registered document sent by its hash
        self.session = session
        self.client = client
        self.request_id = request_id
        self.id_secret = id_secret
        self.today = clock.today()
        self.scope = Scope(session=session, today=self.today, audience=client.audience,
                           rules=rules)
        self.loaders = Loaders(self.scope)
        self.audits: dict[tuple[str | None, str], set[str]] = {}
        self.lookups = identity.bind(session, identity.LookupRequester(
            client.name, request_id, client.id_lookups_per_hour))
        # set when the client's identity look-up budget refused a look-up (HTTP 429)
        self.budget_refusal: identity.IdentityBudgetExceeded | None = None

    async def read(self, fn: Callable[Concatenate[AsyncSession, P], Awaitable[T]],
                   *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a service read on the request's session (serialised with the loaders). Its
        identity look-ups are capped per request, and their audit rows committed at once."""
        async with self.scope.lock:
            self.lookups.per_request = identity.READ_LOOKUPS_PER_REQUEST
            try:
                result = await fn(self.session, *args, **kwargs)
            except (identity.IdentityBudgetExceeded, identity.TooManyLookupsInRequest) as error:
                await self._commit_lookups()  # the refusal is audited; nothing else was done
                raise self._lookup_error(error) from error
            except BaseException:
                if self.lookups.unsaved:
                    await identity.keep_after_rollback(self.session)
                raise
            await self._commit_lookups()
            return result

    async def _commit_lookups(self) -> None:
        if self.lookups.unsaved:
            await self.session.commit()
            identity.saved(self.session)

    async def write(self, fn: Callable[Concatenate[AsyncSession, P], Awaitable[T]],
                    *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a service write and commit it; on a DomainError roll back (keeping the audit of
        its identity look-ups) and re-raise."""
        async with self.scope.lock:
            self.lookups.per_request = None  # a batch write counts against the budget only
            try:
                result = await fn(self.session, *args, **kwargs)
                await self.session.commit()
                identity.saved(self.session)
            except (identity.IdentityBudgetExceeded, identity.TooManyLookupsInRequest) as error:
                await identity.keep_after_rollback(self.session)
                raise self._lookup_error(error) from error
            except BaseException:
                await identity.keep_after_rollback(self.session)
                raise
            self.loaders = Loaders(self.scope)  # what was cached before the write is stale
            return result

    def _lookup_error(self, error: identity.IdentityBudgetExceeded
                      | identity.TooManyLookupsInRequest) -> GraphQLError:
        """A refused identity look-up as the GraphQL error the client gets (and counted in
        integrity_identity_lookups_refused_total)."""
        metrics.identity_lookup_refused(self.client.audience)
        if isinstance(error, identity.IdentityBudgetExceeded):
            self.budget_refusal = error
            return GraphQLError(str(error), extensions={
                "code": error.code, "retryAfter": error.retry_after,
                "requestId": self.request_id})
        return GraphQLError(str(error), extensions={"code": error.code})

    def audit(self, info: Info[Any, Any], subject_ids: Iterable[str]) -> None:
        """Record a read of these subjects' credit data (查询留痕); written at the end."""
        path = []
        node: Any = info.path
        while node is not None:
            if isinstance(node.key, str):
                path.append(node.key)
            node = node.prev
        operation = info.operation.name.value if info.operation.name else None
        # One row per field path: a list of fifty units read in one request is one row.
        self.audits.setdefault((operation, ".".join(reversed(path))), set()).update(subject_ids)

    async def finish(self, read_only: bool = False) -> None:
        """Keep the audit rows. After a query answered without error (`read_only`) they go into
        the request's own transaction with one COMMIT; otherwise (a mutation, an error, a
        pending identity look-up audit) anything left uncommitted is dropped first, and they
        are committed in a transaction of their own."""
        async with self.scope.lock:
            if read_only and self._untouched():
                try:
                    await self._commit_audits()
                    return
                except DBAPIError:  # e.g. the transaction failed: start a clean one below
                    pass
            await identity.keep_after_rollback(self.session)
            await self._commit_audits()

    def _untouched(self) -> bool:
        """Whether the session holds nothing but the reads (no object, no unsaved look-up)."""
        session = self.session
        return not (self.lookups.unsaved or session.new or session.dirty or session.deleted)

    async def _commit_audits(self) -> None:
        if self.audits:
            await access.write_audit(self.session, client_name=self.client.name,
                                     request_id=self.request_id, reads=self.audits)
            await self.session.commit()  # answered only once durable
            self.audits = {}
        elif self.session.in_transaction():
            await self.session.rollback()  # nothing to keep: end the reads' transaction


def new_request_id() -> str:
    return uuid.uuid4().hex


__all__ = ["Caller", "Context", "DomainError", "new_request_id"]
