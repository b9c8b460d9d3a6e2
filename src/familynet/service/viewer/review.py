"""The viewer's review page: the queue of possible duplicates, and decisions about them.

Pages that read are answers to POSTs of the viewer's own forms
(:func:`~familynet.service.viewer.forms.form_fields`: CSRF token and Origin). Decisions go
through :func:`familynet.service.identities.decide_pair`, as on ``/graphql`` (so through the
command line's :func:`familynet.identity.resolution.decide`), with their checks and messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from familynet.access.auth import Right
from familynet.access.purpose import PurposeRequiredError
from familynet.model.identity import DecisionKind, IdentityError
from familynet.service.context import Access, RequestContext
from familynet.service.identities import READ_CANDIDATES, candidates, decide_pair
from familynet.service.viewer.duplicates import MAX_PAIRS, PRIOR_WEIGHT, pairs
from familynet.service.viewer.forms import form_fields
from familynet.service.viewer.pages import Viewer

#: The decisions the review page offers, by the form's ``decision`` value.
DECISIONS = {"link": DecisionKind.LINK, "distinct": DecisionKind.DISTINCT}
#: What each decision is called on the page after it is made.
DONE = {DecisionKind.LINK: "one person", DecisionKind.DISTINCT: "different people"}


@dataclass(frozen=True)
class Review:
    """The review pages, served by a :class:`Viewer`'s responses and checks."""

    viewer: Viewer

    async def start(self, request: Request) -> Response:
        """The review's first page: only a purpose form (no one is read before a purpose is given)."""
        _, principal = self.viewer.caller(request)
        if not principal.can(Right.READ_CANDIDATES):
            message = f"The {principal.role.value} role may not review possible duplicates."
            return self.viewer.refusal(request, 403, "Not allowed", message)
        can_decide = principal.can(Right.DECIDE_IDENTITY)
        return self.viewer.page(request, "review.html", prior=PRIOR_WEIGHT, shown=None, total=0, withheld=0,
                                error=None, purpose="", person_id="", can_decide=can_decide, done=None)  # fmt: skip

    async def queue(self, request: Request) -> Response:
        """The queue (or one person's pairs), read with the form's purpose."""
        session, context = self.viewer.reader(request)
        fields = await form_fields(request, session)
        return await self._page(request, context, fields, None, None)

    async def decide(self, request: Request) -> Response:
        """Make the form's decision about its pair, then show the queue again."""
        session, context = self.viewer.reader(request)
        fields = await form_fields(request, session)
        kind = DECISIONS.get(fields.get("decision", ""))
        left, right, reason = (fields.get(k, "").strip() for k in ("left", "right", "reason"))
        if kind is None:
            return await self._page(request, context, fields, None, "Choose one person or different people.", 400)
        try:
            await decide_pair(context, kind, left, right, reason)
        except (IdentityError, PurposeRequiredError) as error:
            message = f"Nothing was decided: {error}."
            if isinstance(error, PurposeRequiredError):
                message = f"Say why you decide this: {error}."
            return await self._page(request, context, fields, None, message, 400)
        return await self._page(request, context, fields, f"Decided: {left} and {right} are {DONE[kind]}.", None)

    async def _page(
        self,
        request: Request,
        context: RequestContext,
        fields: Mapping[str, str],
        done: str | None,
        error: str | None,
        status: int = 200,
    ) -> Response:
        purpose, person_id = fields.get("purpose", "").strip(), fields.get("person", "").strip()
        can_decide = context.principal.can(Right.DECIDE_IDENTITY)
        values = {"purpose": purpose, "person_id": person_id, "can_decide": can_decide, "done": done}
        access = Access(READ_CANDIDATES, Right.READ_CANDIDATES, purpose)
        try:
            await context.authorize(access, [person_id] if person_id else [])
        except PurposeRequiredError as refused:
            message = f"Say why you are reviewing these records: {refused}."
            return self.viewer.page(request, "review.html", 400, prior=PRIOR_WEIGHT, shown=None, total=0, withheld=0,
                                    error=message, **values)  # fmt: skip
        queue = candidates(context.store, context.principal, person_id or None)
        shown = queue.shown[:MAX_PAIRS]
        named = [*([person_id] if person_id else []), *(r for c in shown for r in (c.left, c.right))]
        await context.record(access, named)
        page = pairs(context, shown)
        return self.viewer.page(request, "review.html", status, prior=PRIOR_WEIGHT, shown=page,
                                total=len(queue.shown), withheld=queue.withheld, error=error, **values)  # fmt: skip
