"""The one shape of a request the service refuses before GraphQL runs (401, 413, 415, 429).

The body is a GraphQL response with one error and no ``data``, so a GraphQL client
shows the reason the way it shows any other error. Messages are fixed strings:
they never echo what the client sent.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse


def refusal(status_code: int, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    """A JSON response refusing a request.

    >>> response = refusal(429, "too many requests", {"Retry-After": "2"})
    >>> response.status_code, response.body, response.headers["retry-after"]
    (429, b'{"errors":[{"message":"too many requests"}]}', '2')
    """
    return JSONResponse({"errors": [{"message": message}]}, status_code=status_code, headers=headers)
