"""What the server log says about GraphQL errors: the correlation id, never a message.

strawberry logs every error of an operation (logger ``strawberry.execution``)
with its message and traceback. A message may quote personal data, SQL or
Cypher, and a request error quotes the client's document, which may hold names.
:class:`ErrorLogFilter` rewrites those records before any handler sees them:

- an unexpected exception: its type, the correlation id and the stack (file,
  line, function and source line of each frame), not its message;
- a familynet error (messages free of personal data by construction): its type,
  message and the correlation id, at INFO;
- a request error (the document did not parse or validate): one INFO line.

Outside GraphQL (the store failing during authentication, say), :class:`ErrorBoundaryMiddleware`
answers 500 with the same JSON shape as every refusal, logs the exception the same way, and so
keeps its message out of the server's own traceback log.
"""

from __future__ import annotations

import logging
import traceback

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from familynet.errors import FamilynetError, StoreError
from familynet.service.correlation import current_correlation_id
from familynet.service.refusal import refusal

log = logging.getLogger(__name__)

STRAWBERRY_LOGGER = "strawberry.execution"


class ErrorLogFilter(logging.Filter):
    """Rewrite strawberry's error records: see the module docstring."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        correlation_id = current_correlation_id.get()
        if error is None:
            record.msg, record.args = "request error [correlation id %s]", (correlation_id,)
            _demote(record)
        elif isinstance(error, FamilynetError) and not isinstance(error, StoreError):
            record.msg, record.args = "%s [correlation id %s]: %s", (type(error).__name__, correlation_id, error)
            _demote(record)
        else:
            record.msg, record.args = unexpected(error, correlation_id)
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def unexpected(error: BaseException, correlation_id: str | None) -> tuple[str, tuple[object, ...]]:
    """The log message and arguments of an unexpected exception: its type and stack, not its message."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    return "unexpected %s [correlation id %s]\n%s", (type(error).__name__, correlation_id, frames)


class ErrorBoundaryMiddleware:
    """Answer 500 to an exception no inner layer handled, logged by type and stack only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            message, args = unexpected(error, current_correlation_id.get())
            log.error(message, *args)
            if started:
                raise RuntimeError("the response failed after it started") from None
            await refusal(500, "internal server error")(scope, receive, send)


def _demote(record: logging.LogRecord) -> None:
    record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)


def install() -> None:
    """Attach the filter to strawberry's error logger, once per process."""
    logger = logging.getLogger(STRAWBERRY_LOGGER)
    if not any(isinstance(f, ErrorLogFilter) for f in logger.filters):
        logger.addFilter(ErrorLogFilter())
