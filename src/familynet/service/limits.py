"""Abuse limits applied before GraphQL runs: the request body size and a per-user rate.

The rate limit is a token bucket per user **in each worker process**: with N
workers a user may reach up to N times the configured rate. It protects the
service from one runaway client; it is not an accounting of use.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from familynet.service.refusal import refusal

#: Buckets kept before full ones are forgotten (a full bucket is the same as none).
MAX_BUCKETS = 10_000


class BodyTooLargeError(Exception):
    """Raised into the application when a streamed body passes the limit."""


class BodyLimitMiddleware:
    """Answer 413 to a request whose body is longer than ``max_bytes``, declared or streamed."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await refusal(413, "request body too large")(scope, receive, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLargeError:
            if started:
                raise
            await refusal(413, "request body too large")(scope, receive, send)


class TokenBuckets:
    """Token buckets by key: ``rate`` tokens a second, at most ``burst`` saved up.

    >>> now = [0.0]
    >>> buckets = TokenBuckets(rate=1.0, burst=2, clock=lambda: now[0])
    >>> buckets.take("a"), buckets.take("a"), buckets.take("a")
    (0.0, 0.0, 1.0)
    >>> now[0] = 0.5
    >>> buckets.take("a"), buckets.take("b")
    (0.5, 0.0)
    """

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when counted)

    def take(self, key: str) -> float:
        """Take a token for ``key``: 0.0 if there was one, else the seconds until there will be."""
        now = self._clock()
        tokens, then = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * self.rate)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate
        if len(self._buckets) >= MAX_BUCKETS and key not in self._buckets:
            self._forget_full(now)
        self._buckets[key] = (tokens - 1.0, now)
        return 0.0

    def _forget_full(self, now: float) -> None:
        full = [k for k, (tokens, then) in self._buckets.items() if tokens + (now - then) * self.rate >= self.burst]
        for key in full:
            del self._buckets[key]


class RateLimitMiddleware:
    """Answer 429 with ``Retry-After`` when the authenticated user's bucket is empty.

    It runs after authentication, which puts the principal in the request state;
    a rate of 0 turns the limit off.
    """

    def __init__(self, app: ASGIApp, *, rate: float, burst: int) -> None:
        self.app = app
        self.buckets = TokenBuckets(rate, burst) if rate > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        principal = scope.get("state", {}).get("principal")
        if self.buckets is not None and principal is not None:
            wait = self.buckets.take(f"{principal.method}:{principal.user}")
            if wait > 0:
                retry = str(max(1, math.ceil(wait)))
                await refusal(429, "too many requests", {"Retry-After": retry})(scope, receive, send)
                return
        await self.app(scope, receive, send)
