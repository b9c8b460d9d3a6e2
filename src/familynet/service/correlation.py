"""A correlation id for every request, and one server log line per request.

The id is in the ``X-Correlation-ID`` response header, in masked GraphQL errors
and in the server log, so a user's report leads to the log entry. The log line
names the method, the path without its query string (a GET query string holds
the GraphQL variables, which may hold names), the status and the time taken.
"""

from __future__ import annotations

import logging
import time
import uuid
from contextvars import ContextVar

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("familynet.service.requests")

#: The id of the request being served, for log records made deep inside it (see errorlog).
current_correlation_id: ContextVar[str | None] = ContextVar("familynet_correlation_id", default=None)

HEADER = "X-Correlation-ID"


class CorrelationMiddleware:
    """Give each HTTP request a fresh correlation id (in ``scope["state"]``) and log it when answered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Never taken from the client: an id is only useful if it names one request.
        correlation_id = uuid.uuid4().hex
        scope.setdefault("state", {})["correlation_id"] = correlation_id
        token = current_correlation_id.set(correlation_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[HEADER] = correlation_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            current_correlation_id.reset(token)
            elapsed = (time.perf_counter() - started) * 1000
            log.info(
                "%s %s %d %.1fms [correlation id %s]", scope["method"], scope["path"], status, elapsed, correlation_id
            )
