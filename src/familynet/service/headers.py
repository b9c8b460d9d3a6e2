"""Security headers, added to every response the service sends.

The API answers JSON only, so its Content-Security-Policy allows nothing to load
and no page to frame it. The household viewer's pages (HTML) may load their style
sheet, script and images from this origin only and post forms only to it; nothing
inline runs. In development mode the GraphiQL page is served too; it loads its
scripts and styles from unpkg.com, so that page gets a policy that allows exactly
that. Every response is ``Cache-Control: no-store``: answers carry personal data,
which no browser or proxy cache may keep.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
#: GraphiQL (development mode only): its bundle from unpkg.com, inline bootstrap code, queries to this origin.
IDE_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://unpkg.com; "
    "style-src 'self' 'unsafe-inline' https://unpkg.com; img-src 'self' data:; font-src https://unpkg.com data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
#: The household viewer's pages: their own style sheet, script and images, forms to this origin.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


def security_headers(*, html: bool, development: bool, hsts_seconds: int, ide: bool = False) -> dict[str, str]:
    """The headers a response gets: ``html`` for a page, ``ide`` for GraphiQL's.

    >>> security_headers(html=False, development=False, hsts_seconds=0)["Content-Security-Policy"] == API_CSP
    True
    >>> security_headers(html=True, development=True, hsts_seconds=0)["Content-Security-Policy"] == PAGE_CSP
    True
    >>> "Strict-Transport-Security" in security_headers(html=False, development=False, hsts_seconds=0)
    False
    >>> security_headers(html=True, development=False, hsts_seconds=3600)["Strict-Transport-Security"]
    'max-age=3600; includeSubDomains'
    """
    headers = {
        "Content-Security-Policy": (IDE_CSP if ide and development else PAGE_CSP) if html else API_CSP,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Permissions-Policy": "camera=(), geolocation=(), microphone=()",
        "Cache-Control": "no-store",
    }
    if html and not ide:
        # Browsers send "Origin: null" on a form posted from a no-referrer page, and the viewer's
        # forms are checked by their origin: same-origin still sends nothing to another site.
        headers["Referrer-Policy"] = "same-origin"
    if hsts_seconds > 0:
        headers["Strict-Transport-Security"] = f"max-age={hsts_seconds}; includeSubDomains"
    return headers


class SecurityHeadersMiddleware:
    """ASGI middleware that sets :func:`security_headers` on every HTTP response."""

    def __init__(self, app: ASGIApp, *, development: bool, hsts_seconds: int) -> None:
        self.app = app
        self._api = security_headers(html=False, development=development, hsts_seconds=hsts_seconds)
        self._html = security_headers(html=True, development=development, hsts_seconds=hsts_seconds)
        self._ide = security_headers(html=True, development=development, hsts_seconds=hsts_seconds, ide=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                html = headers.get("content-type", "").startswith("text/html")
                chosen = (self._ide if scope["path"] == "/graphql" else self._html) if html else self._api
                # Set, not appended: the service's policy wins over anything an inner layer said.
                for name, value in chosen.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
