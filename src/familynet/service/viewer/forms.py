"""The viewer's forms: every POST is a URL-encoded form from one of its own pages.

A form is accepted only when its ``csrf`` field is the session's secret (a
synchroniser token: another site cannot read it, so cannot forge the form) and,
when the browser says where it comes from (``Origin``), it comes from this host.
``SameSite=Strict`` on the session cookie is a third line. Fields travel in the
body, never in a query string, so names, dates of birth and purposes stay out of
URLs, browser history and every log.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request

from familynet.errors import FamilynetError
from familynet.service.viewer.session import Session

FORM_TYPE = "application/x-www-form-urlencoded"
#: No viewer form has more fields than this.
MAX_FIELDS = 16


class FormError(FamilynetError):
    """A POST that is not one of the viewer's own forms (status 403, or 415 for another body type)."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


def same_origin(request: Request) -> bool:
    """Whether the request's ``Origin`` header, if it has one, names this scheme, host and port.

    The scheme is the request's own as uvicorn sees it (``https`` behind a proxy that
    sends ``X-Forwarded-Proto`` from an address uvicorn trusts), so an ``https://`` or
    ``ftp://`` origin is refused on a plain HTTP server with the same host and port.
    """
    origin = request.headers.get("origin")
    if origin is None:
        return True
    parts = urlsplit(origin)
    return (
        origin != "null"
        and parts.scheme == request.url.scheme
        and parts.netloc == request.headers.get("host", "")
        and origin == f"{parts.scheme}://{parts.netloc}"
    )


async def form_fields(request: Request, session: Session | None) -> dict[str, str]:
    """The fields of a viewer form, checked: its type, its origin and its CSRF token."""
    content_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if content_type != FORM_TYPE:
        raise FormError("only the viewer's own forms may be posted", 415)
    if not same_origin(request):
        raise FormError("the form came from another site")
    body = (await request.body()).decode("utf-8", errors="replace")
    try:
        pairs = parse_qsl(body, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        raise FormError("the form has too many fields", 400) from None
    fields = dict(pairs)
    if session is None or not session.accepts(fields.get("csrf")):
        raise FormError("the form has expired or did not come from this site; open the page again")
    return fields
