"""The household viewer's pages: sign in, search, a purpose, the household, the genogram.

Every read of a person goes through :class:`~familynet.service.context.RequestContext`,
as on ``/graphql``: the caller's right is checked (a refusal is logged, then shown),
practitioners must give a purpose, and the persons are appended to the access log
with that purpose *before* the page is sent; when the log cannot be written the page
fails and shows nothing. A page that reads persons is the answer to a POST, so the
purpose, the name searched for and the date of birth never appear in a URL.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from familynet.access.auth import AuthenticationError, AuthorizationError, Principal, Right
from familynet.access.logkey import search_terms_digest
from familynet.errors import FamilynetError, NotFoundError, StoreError
from familynet.genogram.document import network_hops
from familynet.genogram.selection import GENERATIONS_DOWN, GENERATIONS_UP
from familynet.model.dates import DateFormatError, PartialDate, parse_date
from familynet.service.authentication import Authenticator
from familynet.service.context import Access, AccessLogError, PurposeRequiredError, RequestContext
from familynet.service.errorlog import unexpected
from familynet.service.identities import withheld_flags
from familynet.service.viewer.duplicates import possible_duplicates
from familynet.service.viewer.forms import FormError, form_fields
from familynet.service.viewer.household import adult_page, genogram_svg, household_page
from familynet.service.viewer.session import COOKIE, Session, SessionCodec, SessionError
from familynet.service.viewer.templates import render
from familynet.stores.name_search import why_matched

log = logging.getLogger(__name__)

#: Search hits shown, best first.
MAX_RESULTS = 50
#: Hops of the family network read for a page: the genogram's (it reaches furthest).
HOPS = network_hops(GENERATIONS_UP, GENERATIONS_DOWN)

Handler = Callable[[Request], Awaitable[Response]]


class _Refused(Exception):
    """A page to show instead of the one asked for."""

    def __init__(self, response: Response) -> None:
        self.response = response


@dataclass(frozen=True)
class Viewer:
    """The pages, over the session codec and the cookie settings of one app."""

    codec: SessionCodec
    secure_cookies: bool
    development: bool

    # Responses

    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        """A page, with the session cookie sealed afresh (so that it idles out from now)."""
        session: Session | None = getattr(request.state, "session", None)
        principal: Principal | None = getattr(request.state, "principal", None)
        html = render(template, csrf=session.csrf if session else "", principal=principal, **context)
        response = HTMLResponse(html, status)
        if session is not None:
            self.set_cookie(request, response, session)
        return response

    def set_cookie(self, request: Request, response: Response, session: Session) -> None:
        response.set_cookie(
            COOKIE,
            self.codec.seal(session),
            httponly=True,
            samesite="strict",
            path="/",
            secure=self.secure_cookies or request.url.scheme == "https",
        )

    def refusal(self, request: Request, status: int, title: str, message: str) -> HTMLResponse:
        correlation_id = getattr(request.state, "correlation_id", "")
        return self.page(request, "error.html", status, title=title, message=message, correlation_id=correlation_id)

    def guarded(self, handler: Handler) -> Handler:
        """``handler``, its refusals shown as pages and unexpected errors masked (and logged by type and stack)."""

        async def endpoint(request: Request) -> Response:
            try:
                return await handler(request)
            except _Refused as refused:
                return refused.response
            except FormError as error:
                return self.refusal(request, error.status, "The form was refused", str(error))
            except AuthorizationError as error:
                return self.refusal(request, 403, "Not allowed", f"{error}. The household viewer is for practitioners.")
            except AccessLogError:
                message = "The access log cannot be written, so nothing was shown. Try again later."
                return self.refusal(request, 503, "Nothing was shown", message)
            except NotFoundError:
                return self.refusal(request, 404, "Not found", "No person has that id.")
            except StoreError as error:
                # A store's messages may quote SQL, Cypher or data: unexpected, whatever its class.
                return self.unexpected(request, error)
            except FamilynetError as error:
                # The messages of familynet's own refusals are free of personal data by construction.
                return self.refusal(request, 400, "The request was refused", f"{error}.")
            except Exception as error:
                return self.unexpected(request, error)

        return endpoint

    def unexpected(self, request: Request, error: Exception) -> HTMLResponse:
        """The page of an unexpected error: masked in production, logged by type and stack only."""
        text, args = unexpected(error, getattr(request.state, "correlation_id", None))
        log.error(text, *args)
        message = "Unexpected error; quote the correlation id to your administrator."
        if self.development:
            message = f"{type(error).__name__}: {error}"
        return self.refusal(request, 500, "Something went wrong", message)

    # Who is asking

    def caller(self, request: Request) -> tuple[Session, Principal]:
        """The signed-in session and caller, or a redirect to the sign-in page."""
        session: Session | None = getattr(request.state, "session", None)
        principal: Principal | None = getattr(request.state, "principal", None)
        if session is None or session.token is None or principal is None:
            response = RedirectResponse("/signin", 303)
            if COOKIE in request.cookies:
                response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
            raise _Refused(response)
        return session, principal

    def reader(self, request: Request) -> tuple[Session, RequestContext]:
        """The signed-in caller's request context: each read it makes is checked (and a refusal
        logged) by :meth:`RequestContext.authorize`, as on ``/graphql``."""
        session, principal = self.caller(request)
        # The worker's group commit, as /graphql appends: one fsync for the reads waiting together.
        state = request.state
        return session, RequestContext.create(
            state.store,
            principal,
            state.correlation_id,
            state.group_commit,
            purposes=state.purposes,
            log_key=state.log_key,
            thresholds=state.thresholds,
        )

    # Pages

    async def home(self, request: Request) -> Response:
        _, principal = self.caller(request)
        if not principal.can(Right.READ_PERSON):
            message = f"The {principal.role.value} role may not look up persons or households. "
            message += "The household viewer is for practitioners."
            return self.refusal(request, 403, "Not allowed", message)
        return self.page(request, "search.html", form={}, matches=None, error=None)

    async def signin_form(self, request: Request) -> Response:
        session: Session | None = getattr(request.state, "session", None)
        if session is not None and getattr(request.state, "principal", None) is not None:
            return RedirectResponse("/", 303)
        if session is None or session.token is not None:
            request.state.session = Session.anonymous(self.codec.now())
        return self.page(request, "signin.html", error=None)

    async def signin(self, request: Request) -> Response:
        fields = await form_fields(request, getattr(request.state, "session", None))
        token = fields.get("token", "").strip()
        authenticator: Authenticator = request.state.authenticator
        try:
            principal = await authenticator.principal(token)
            session = request.state.session.signed_in(token, self.codec.now())
            response = RedirectResponse("/", 303)
            self.set_cookie(request, response, session)
        except (AuthenticationError, SessionError) as error:
            # The same message whatever was wrong, as for a bearer token; the reason goes to the log.
            log.info("sign-in failed: %s [correlation id %s]", error, request.state.correlation_id)
            request.state.session = Session.anonymous(self.codec.now())
            page = self.page(request, "signin.html", 401, error="Sign-in failed: that token is not valid.")
            page.headers["WWW-Authenticate"] = 'Bearer realm="familynet"'
            return page
        log.info("signed in: %s (%s) [correlation id %s]", principal.user, principal.role.value,
                 request.state.correlation_id)  # fmt: skip
        return response

    async def signout(self, request: Request) -> Response:
        await form_fields(request, getattr(request.state, "session", None))
        response = RedirectResponse("/signin", 303)
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
        response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response

    async def search(self, request: Request) -> Response:
        session, context = self.reader(request)
        fields = await form_fields(request, session)
        name, born, purpose = (fields.get(k, "").strip() for k in ("name", "date_of_birth", "purpose"))
        form = {"name": name, "date_of_birth": born, "purpose": purpose}

        def again(error: str) -> Response:
            return self.page(request, "search.html", 400, form=form, matches=None, error=error)

        terms = search_terms_digest(context.log_key, name, born or None)
        access = Access(f"viewerSearch terms:{terms}", Right.READ_PERSON, purpose)
        try:
            await context.authorize(access)
        except PurposeRequiredError as error:
            return again(f"Say why you are searching: {error}.")
        if not name:
            return again("Give a name to search for.")
        try:
            date_of_birth = PartialDate.parse(born) if born else None
        except DateFormatError:
            return again("Give the date of birth as YYYY-MM-DD, YYYY-MM or YYYY.")
        matches = context.store.search_persons(name, date_of_birth, MAX_RESULTS)
        await context.record(access, [m.person.person_id for m in matches])
        reasons = {m.person.person_id: why_matched(name, m.person.given_name, m.person.family_name) for m in matches}
        return self.page(request, "search.html", form=form, matches=matches, reasons=reasons, error=None)

    async def person(self, request: Request) -> Response:
        session, context = self.reader(request)
        fields = await form_fields(request, session)
        person_id, purpose = fields.get("person", "").strip(), fields.get("purpose", "").strip()
        access = Access("viewerPerson", Right.READ_PERSON, purpose)
        await context.authorize(access, [person_id])
        found = context.store.person(person_id)
        if found is None:
            raise NotFoundError("no such person")
        await context.record(access, [person_id])
        duplicates = await possible_duplicates(context, person_id, purpose)
        return self.page(request, "purpose.html", person=found, person_id=person_id, purpose=purpose, on="", error=None,
                         duplicates=duplicates)  # fmt: skip

    async def _purposed(
        self, context: RequestContext, fields: dict[str, str], operation: str
    ) -> tuple[Access, str, dt.date | None]:
        """The access, person and date of a household form, its purpose checked (a refusal logged)."""
        person_id, purpose, on = (fields.get(k, "").strip() for k in ("person", "purpose", "on"))
        access = Access(operation, Right.READ_PERSON, purpose)
        await context.authorize(access, [person_id])
        try:
            return access, person_id, parse_date(on) if on else None
        except DateFormatError:
            raise _Error("Give the date as YYYY-MM-DD, or leave it empty for today.") from None

    async def household(self, request: Request) -> Response:
        session, context = self.reader(request)
        fields = await form_fields(request, session)
        purpose = fields.get("purpose", "").strip()
        try:
            access, person_id, on = await self._purposed(context, fields, "viewerHousehold")
        except (PurposeRequiredError, _Error) as error:
            # Shown again without the person's name: nothing about them is read without a purpose.
            values = {"person": None, "person_id": fields.get("person", ""), "purpose": purpose}
            message = f"Say why you are opening this record: {error}."
            if isinstance(error, _Error):
                message = str(error)
            return self.page(request, "purpose.html", 400, **values, on=fields.get("on", ""), error=message)
        subject, graph = await context.family_network(access, person_id, HOPS)
        adult = adult_page(graph, subject, on)
        if adult is not None:
            await context.record(access, [person_id, *adult.person_ids])
            return self.page(request, "adult.html", page=adult, purpose=purpose, on=fields.get("on", ""))
        persons = [attrs["id"] for _, attrs in graph.nodes(data=True) if attrs.get("label") == "Person"]
        page = household_page(
            graph,
            subject,
            on,
            versions=context.store.previous_versions(persons),
            readable=lambda flags: withheld_flags(context.store, context.principal, flags),
        )
        await context.record(access, [person_id, *page.person_ids])
        return self.page(request, "household.html", page=page, purpose=purpose, on=fields.get("on", ""))

    async def genogram(self, request: Request) -> Response:
        session, context = self.reader(request)
        fields = await form_fields(request, session)
        try:
            access, person_id, on = await self._purposed(context, fields, "viewerGenogram")
        except PurposeRequiredError as error:
            return self.refusal(request, 400, "Say why", f"Say why you are downloading this genogram: {error}.")
        except _Error as error:
            return self.refusal(request, 400, "The date was refused", str(error))
        subject, graph = await context.family_network(access, person_id, HOPS)
        drawing, named = genogram_svg(graph, subject, on)
        await context.record(access, [person_id, *named])
        response = Response(drawing, media_type="image/svg+xml")
        response.headers["Content-Disposition"] = f'attachment; filename="genogram-{_safe(person_id)}.svg"'
        self.set_cookie(request, response, session)
        return response


class _Error(FamilynetError):
    """A field of a household form is malformed."""


def _safe(text: str) -> str:
    """Only letters, digits, dashes and underscores, for a file name in a header.

    >>> _safe('P1"; x')
    'P1___x'
    """
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)[:64] or "person"
