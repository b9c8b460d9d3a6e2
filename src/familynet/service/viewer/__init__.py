"""The household viewer: server-rendered pages for practitioners, served by the API's app at ``/``.

Sign in with an API token or an OIDC JWT (checked by the service's own
authentication), search for a child by name and date of birth, say why, and read
the household page: the genogram, every agency's view of the household, siblings
and their assessments, significant adults, agencies, the referral timeline and the
flags; and review possible duplicates (pairs of records that may be one person). See
``docs/viewer.md``.

:mod:`.session` keeps the session in an encrypted cookie, :mod:`.forms` checks every
POST, :mod:`.household` builds what the household page shows, :mod:`.duplicates` what a
person's possible duplicates and the review show, :mod:`.review` serves the review, :mod:`.pages` serves
the pages from the Jinja2 templates of :mod:`.templates`, and ``static/`` holds the
style sheet and the little JavaScript (the pages' policy allows nothing inline).
"""

from __future__ import annotations

from pathlib import Path

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from familynet.service.viewer.pages import Viewer
from familynet.service.viewer.review import Review
from familynet.service.viewer.session import SessionCodec

STATIC = Path(__file__).parent / "static"
#: The viewer's pages: they take the session cookie, never a bearer token.
PAGES = frozenset(
    {"/", "/signin", "/signout", "/search", "/person", "/household", "/genogram.svg", "/review", "/review/decide"}
)


def is_page(scope: Scope) -> bool:
    """Whether a request is for one of the viewer's pages."""
    return scope.get("path") in PAGES


def is_static(scope: Scope) -> bool:
    """Whether a request is for the viewer's style sheet or script (no data, no credentials)."""
    return str(scope.get("path", "")).startswith("/static/")


def viewer_routes(codec: SessionCodec, *, secure_cookies: bool, development: bool) -> list[BaseRoute]:
    """The viewer's routes: its pages and its static files."""
    viewer = Viewer(codec, secure_cookies, development)
    review = Review(viewer)
    g = viewer.guarded
    return [
        Route("/", g(viewer.home), methods=["GET"]),
        Route("/signin", g(viewer.signin_form), methods=["GET"]),
        Route("/signin", g(viewer.signin), methods=["POST"]),
        Route("/signout", g(viewer.signout), methods=["POST"]),
        Route("/search", g(viewer.search), methods=["POST"]),
        Route("/person", g(viewer.person), methods=["POST"]),
        Route("/household", g(viewer.household), methods=["POST"]),
        Route("/genogram.svg", g(viewer.genogram), methods=["POST"]),
        Route("/review", g(review.start), methods=["GET"]),
        Route("/review", g(review.queue), methods=["POST"]),
        Route("/review/decide", g(review.decide), methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
