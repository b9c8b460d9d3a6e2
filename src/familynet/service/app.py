"""The familynet GraphQL service as a starlette app: ``/health``, ``/graphql`` and the household viewer.

Every request passes, outermost first: a correlation id and a log line; security
headers; a boundary that answers 500 to anything unhandled; CORS (only when origins
are configured); the body size limit; authentication (bearer tokens: all paths but
``/health`` and the viewer's); the viewer's session (its pages only); the per-user
rate limit. Then ``/graphql`` runs the schema
(:class:`~familynet.service.view.FamilynetGraphQL`), and the viewer's pages
(:mod:`familynet.service.viewer`) are served at ``/``.

The store is opened by the app's lifespan, once per worker process, in the
thread that runs the event loop, and once more for the access log's group commit
(:mod:`familynet.service.group_commit`), which appends from a thread of its own;
audits (:mod:`familynet.service.long_reads`) and mutations (:mod:`familynet.service.writes`)
run in threads with stores of their own too, as each can take long or wait for a lock.
Everything else that touches the store (reads, which never wait for a writer in SQLite's
write-ahead log) runs in the event loop's thread:
the middleware, strawberry's resolvers (strawberry calls sync resolvers and
awaits async ones in the loop; it starts no threads) and the DataLoaders. SQLite
connections refuse use from another thread (``check_same_thread``), so a change
that broke this would fail loudly, not corrupt anything. Several workers share
the database file through SQLite's write-ahead log and busy timeout.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import Headers, QueryParams
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route
from starlette.types import Scope
from strawberry.schema import BaseSchema

from familynet.access.logkey import key_bytes
from familynet.access.oidc import OIDCVerifier
from familynet.access.purpose import PurposeRule
from familynet.identity.resolution import Thresholds
from familynet.service import errorlog
from familynet.service.authentication import AuthenticationMiddleware, Authenticator
from familynet.service.checkpoints import CheckpointSchedule
from familynet.service.context import RequestContext
from familynet.service.correlation import HEADER as CORRELATION_HEADER
from familynet.service.correlation import CorrelationMiddleware
from familynet.service.group_commit import GroupCommit
from familynet.service.headers import SecurityHeadersMiddleware
from familynet.service.limits import BodyLimitMiddleware, RateLimitMiddleware
from familynet.service.long_reads import LongReads
from familynet.service.schema import build_schema
from familynet.service.view import ContextFactory, FamilynetGraphQL
from familynet.service.viewer import is_page, is_static, viewer_routes
from familynet.service.viewer.session import SessionCodec, ViewerSessionMiddleware
from familynet.service.writes import Writes
from familynet.settings import ServiceSettings
from familynet.stores.backends import open_configured_store
from familynet.stores.protocol import Store

PUBLIC_PATHS = frozenset({"/health"})


def is_ide_page(scope: Scope) -> bool:
    """Whether a request asks for the GraphiQL page (a browser GET of /graphql with no query)."""
    accept = Headers(scope=scope).get("accept", "")
    return (
        scope["method"] == "GET"
        and scope["path"] == "/graphql"
        and "query" not in QueryParams(scope["query_string"])
        and ("text/html" in accept or "*/*" in accept)
    )


async def health(request: Request) -> JSONResponse:
    """Liveness for load balancers: no credentials, no data."""
    return JSONResponse({"status": "ok"})


def create_app(
    settings: ServiceSettings,
    *,
    schema: BaseSchema | None = None,
    context_factory: ContextFactory | None = None,
    open_store: Callable[[], Store] | None = None,
) -> Starlette:
    """The service: the familynet schema (production or development as ``settings`` say) unless
    another ``schema`` is given, over the store from ``open_store`` (default: the store ``settings.store`` names),
    with request contexts from ``context_factory`` (default: :meth:`RequestContext.create` with the settings'
    purpose rule)."""
    if schema is None:
        schema = build_schema(production=not settings.development)
    purposes = PurposeRule(min_letters=settings.purpose_min_letters)
    log_key = None if settings.access_log_key is None else key_bytes(settings.access_log_key)

    def opened() -> Store:
        return open_store() if open_store is not None else open_configured_store(settings.store, must_exist=True)

    # Audits run off the event loop, each thread of the pool with a store of its own.
    long_reads = LongReads(opened, timeout=settings.audit_timeout_seconds, concurrency=settings.audit_concurrency)
    # So do mutations, which can wait for a write lock, in a thread with a store of its own.
    writes = Writes(opened)
    # Checked here, so that a service with bands out of order does not start.
    thresholds = Thresholds(link=settings.identity_link_threshold, review=settings.identity_review_threshold)
    if context_factory is None:
        context_factory = partial(
            RequestContext.create,
            purposes=purposes,
            log_key=log_key,
            long_reads=long_reads,
            writes=writes,
            thresholds=thresholds,
        )
    errorlog.install()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        store = opened()
        try:
            # The access log gets a connection (and a thread) of its own: see group_commit.
            group_commit = await GroupCommit.start(opened)
        except BaseException:
            store.close()
            raise
        verifier = OIDCVerifier(settings.oidc) if settings.oidc is not None else None
        checkpoints = None
        if settings.checkpoint_path is not None and log_key is not None:
            checkpoints = CheckpointSchedule(opened, log_key, settings.checkpoint_path, settings.checkpoint_minutes)
            checkpoints.start()
        try:
            yield {
                "store": store,
                "authenticator": Authenticator(store, verifier),
                "group_commit": group_commit,
                "purposes": purposes,
                "log_key": log_key,
                "thresholds": thresholds,
            }
        finally:
            if checkpoints is not None:
                checkpoints.close()
            long_reads.close()
            writes.close()
            group_commit.close()
            store.close()

    def is_public(scope: Scope) -> bool:
        # The viewer's pages check their own session cookie (ViewerSessionMiddleware), with the same authenticator.
        return (
            scope["path"] in PUBLIC_PATHS
            or is_page(scope)
            or is_static(scope)
            or (settings.development and is_ide_page(scope))
        )

    codec = SessionCodec(settings.session_key, idle=settings.session_minutes * 60)

    middleware = [
        Middleware(CorrelationMiddleware),
        Middleware(SecurityHeadersMiddleware, development=settings.development, hsts_seconds=settings.hsts_seconds),
        Middleware(errorlog.ErrorBoundaryMiddleware),
    ]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type", "Accept"],
                expose_headers=[CORRELATION_HEADER, "Retry-After"],
                max_age=600,
            )
        )
    middleware += [
        Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes),
        # The GraphiQL page holds no data; the queries it sends carry the user's token.
        Middleware(AuthenticationMiddleware, is_public=is_public),
        Middleware(ViewerSessionMiddleware, codec=codec, is_page=is_page),
        Middleware(RateLimitMiddleware, rate=settings.rate_limit, burst=settings.rate_burst),
    ]
    view = FamilynetGraphQL(schema, development=settings.development, context_factory=context_factory)
    routes: list[BaseRoute] = [Route("/health", health, methods=["GET"]), Route("/graphql", view)]
    # Secure cookies when told, or when HSTS says TLS ends in front of the service.
    secure = settings.secure_cookies or settings.hsts_seconds > 0
    routes += viewer_routes(codec, secure_cookies=secure, development=settings.development)
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def app_from_environ() -> Starlette:
    """The service as ``familynet serve`` starts it in each worker process: settings from the environment."""
    return create_app(ServiceSettings.from_environ())
