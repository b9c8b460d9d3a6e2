"""The ``/graphql`` endpoint: strawberry's ASGI view, speaking GraphQL over HTTP.

What it adds to strawberry's view:

- **Media types** (GraphQL-over-HTTP): the ``Accept`` header picks
  ``application/graphql-response+json`` or ``application/json`` (the default when
  a client sends no ``Accept``, or ``*/*``); anything else is 406. With
  ``application/graphql-response+json`` a request error (unparsable JSON, a
  document that does not parse or validate, bad variables) is 400 and its body
  has no ``data``; with ``application/json`` it is 200, as legacy clients expect.
- **Methods and content types**: a mutation sent by GET is 405 (``Allow: POST``),
  as the specification says (strawberry refuses it with 400); a POST body must be
  ``application/json``, else 415, so browsers cannot send mutations as simple
  cross-site form posts. Batches are refused (400) unless the schema enables them.
- **Errors** carry the request's correlation id (``extensions.correlationId``,
  also the ``X-Correlation-ID`` header). In production an error that is not a
  familynet error (whose messages are safe by construction) or a request error
  reads "Unexpected error; ..." and field suggestions ("Did you mean ...?") are cut
  from messages. The server log has the exception's type and stack, never its
  message (:mod:`familynet.service.errorlog`).
- **A failed access log** fails the request: when the context says the log could
  not be written (``log_failed``), the response is 500, whatever the media type.
- **Context**: each operation gets ``RequestContext.create(store, principal,
  correlation_id, group_commit)`` from the authenticated request and the worker.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema import BaseSchema
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from familynet.access.auth import Principal
from familynet.errors import FamilynetError, StoreError
from familynet.service.group_commit import GroupCommit
from familynet.service.inputs import variables_problem
from familynet.service.refusal import refusal
from familynet.stores.protocol import Store

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
#: What a client sees in place of an unexpected error (the schema masks its own errors alike).
MASKED_MESSAGE = "Unexpected error; quote the correlation id to your administrator."
_SUGGESTION = re.compile(r"\s*Did you mean .*\?\s*$", re.DOTALL)

#: Builds the per-operation context from the store, the caller, the correlation id and the
#: worker's group commit of the access log.
ContextFactory = Callable[[Store, Principal, str, GroupCommit], Any]


def negotiate(accept: str | None) -> str | None:
    """The response media type for an ``Accept`` header, or None if none is acceptable.

    The client's preference (q) decides; on a tie the GraphQL media type wins.

    >>> negotiate(None), negotiate("*/*"), negotiate("application/*")
    ('application/json', 'application/json', 'application/json')
    >>> negotiate("application/graphql-response+json, application/json;q=0.9")
    'application/graphql-response+json'
    >>> negotiate("application/graphql-response+json;q=0.5, application/json")
    'application/json'
    >>> negotiate("text/html") is None, negotiate("application/json;q=0") is None
    (True, True)
    """
    if accept is None or not accept.strip():
        return JSON
    best: tuple[float, int, str] | None = None
    for item in accept.split(","):
        media, _, params = item.strip().partition(";")
        media = media.strip().lower()
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        for rank, offered in enumerate((JSON, GRAPHQL_RESPONSE_JSON)):
            # Wildcards mean "anything": the widely understood application/json.
            if media == offered or (media in ("*/*", "application/*") and offered == JSON):
                candidate = (q, rank, offered)
                best = candidate if best is None or candidate[:2] > best[:2] else best
    return None if best is None else best[2]


def is_request_error(result: ExecutionResult) -> bool:
    """Whether the operation failed before execution: errors, no data, and none at a field path
    or raised by familynet (as the schema's access-log guard raises one after execution)."""
    errors = result.errors or ()
    return (
        result.data is None
        and bool(errors)
        and all(e.path is None and not isinstance(e.original_error, FamilynetError) for e in errors)
    )


class FamilynetGraphQL(GraphQL[Any, None]):
    """Strawberry's ASGI GraphQL view with media types, strict content types, masking and context."""

    def __init__(self, schema: BaseSchema, *, development: bool, context_factory: ContextFactory) -> None:
        super().__init__(schema, graphql_ide="graphiql" if development else None, multipart_uploads_enabled=False)
        self.development = development
        self.context_factory = context_factory

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        try:
            response = await self.run(request)
        except HTTPException as error:
            # strawberry answers these in plain text; a GraphQL client reads JSON errors.
            response = refusal(error.status_code, error.reason)
            if error.status_code == 405:
                # A GET was a mutation (only POST will do), or the method was neither GET nor POST.
                response.headers["Allow"] = "POST" if request.method == "GET" else "GET, POST"
        await response(scope, receive, send)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        assert isinstance(request, Request)  # the app routes HTTP only to this view
        media_type = negotiate(request.headers.get("accept"))
        if media_type is None and not self.should_render_graphql_ide(self.request_adapter_class(request)):
            raise HTTPException(406, f"acceptable response types: {GRAPHQL_RESPONSE_JSON}, {JSON}")
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = media_type or JSON
        return sub_response

    async def get_context(self, request: Request | Any, response: Response | Any) -> Any:
        state = request.state
        principal = getattr(state, "principal", None)
        if principal is None:
            # Only the GraphiQL page gets here unauthenticated, and it runs no operation.
            return None
        state.context = self.context_factory(state.store, principal, state.correlation_id, state.group_commit)
        return state.context

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        try:
            return await super().execute_single(*args, **kwargs)
        except HTTPException as error:
            # GraphQL over HTTP: a mutation sent with GET is 405 Method Not Allowed, not 400.
            if isinstance(error.__cause__, InvalidOperationTypeError):
                raise HTTPException(405, error.reason) from error
            raise

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData | list[GraphQLRequestData]:
        if request.method == "POST" and parse_content_type(request.content_type or "")[0] != JSON:
            raise HTTPException(415, f"a POST body must be {JSON}")
        parsed = await super().parse_http_body(request)
        for data in parsed if isinstance(parsed, list) else [parsed]:
            problem = variables_problem(data.variables)
            if problem is not None:
                raise HTTPException(400, problem)
        return parsed

    def decode_json(self, data: str | bytes) -> object:
        # orjson refuses a body that is not UTF-8 or holds a lone surrogate with a JSONDecodeError,
        # which strawberry answers 400; the standard library's UnicodeDecodeError became a 500.
        return orjson.loads(data)

    async def run(self, request: Request | WebSocket, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        response = await super().run(request, context, root_value)
        assert isinstance(response, Response)  # no WebSocket routes to this view
        if getattr(getattr(request.state, "context", None), "log_failed", False):
            response.status_code = 500
        return response

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        if result.errors:
            result.errors = [self._masked(error, request.state.correlation_id) for error in result.errors]
        response = await super().process_result(request, result)
        if is_request_error(result):
            # A request error has no data entry at all (GraphQL spec, "Response Format").
            response.pop("data", None)
        return response

    def encode_json(self, data: object) -> bytes:
        # orjson writes a household context's 5 kB answer in a twentieth of the stdlib's time.
        return orjson.dumps(data)

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        media_type = sub_response.media_type or JSON
        response.headers["content-type"] = f"{media_type}; charset=utf-8"
        if media_type == GRAPHQL_RESPONSE_JSON and isinstance(response_data, dict) and "data" not in response_data:
            response.status_code = 400
        return response

    def _masked(self, error: GraphQLError, correlation_id: str) -> GraphQLError:
        """The error as the client sees it: with the correlation id, and masked in production
        unless it is a request error or a familynet error (the schema may have masked it already;
        this covers a schema that does not). The server log has the rest (see errorlog)."""
        extensions = {**(error.extensions or {}), "correlationId": correlation_id}
        message = error.message
        original = error.original_error
        if not self.development:
            if original is None:
                # A request error from graphql-core names types and fields, and may suggest some.
                message = _SUGGESTION.sub("", message)
            elif not isinstance(original, FamilynetError) or isinstance(original, StoreError):
                message = MASKED_MESSAGE
        return GraphQLError(message, error.nodes, error.source, error.positions, error.path, original, extensions)
