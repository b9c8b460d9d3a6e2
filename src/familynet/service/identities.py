"""Identity resolution in GraphQL: the review queue, a person's records, and users' decisions.

Candidate pairs are personal data (both records side by side), so reading them needs the
``read_candidates`` right and a purpose, and every record a page names is logged before it is
returned. A pair naming a record marked confidential could disclose where a person lives (the
guardrail that keeps it from an automatic link): it is read only with the
``read_confidential_candidates`` right (the records role, admins); others are told only how many
such pairs are withheld (``withheldReviewCandidates``), and the household context and audit 3
still flag the pending review (``possible_duplicate``) but name only the flagged person's own record
of such a pair (:func:`withheld_flags`). Decisions need
``decide_identity`` (the records role, admins); the reason is the purpose logged with both
records, and the decision goes through
:func:`familynet.identity.resolution.decide`, as ``familynet identity link`` does, with its checks
and errors (unknown ids, a record with itself, contradicting a distinct decision). A refusal of
either right is logged, then raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Annotated

import strawberry

from familynet.access.auth import Principal, Right
from familynet.analyses.duplicates import KIND as DUPLICATE
from familynet.analyses.missing import Finding
from familynet.identity.resolution import decide, review_queue
from familynet.model import identity
from familynet.model.identity import Candidate, Decision, DecisionKind
from familynet.service.context import Access, Info, RequestContext
from familynet.service.fields import field, mutation
from familynet.service.pagination import After, Connection, First, page_size, paginate
from familynet.service.records import MaybeAwaitable, Person, cited_person
from familynet.stores.protocol import Store

#: The operation a candidate read is logged under, and the mutations' names by decision.
READ_CANDIDATES = "reviewCandidates"
OPERATIONS = {
    DecisionKind.LINK: "linkRecords",
    DecisionKind.DISTINCT: "markDistinct",
    DecisionKind.UNLINK: "unlinkRecords",
    DecisionKind.UNDISTINCT: "withdrawDistinct",
}


@dataclass(frozen=True)
class Queue:
    """The queued pairs a caller may read, most likely first, and how many more are withheld."""

    shown: list[Candidate]
    withheld: int


def candidates(store: Store, principal: Principal, person_id: str | None = None) -> Queue:
    """The queued candidate pairs, most likely first; with ``person_id``, only those naming a
    record of that person's identity (its "possible duplicates"). Those naming a record marked
    confidential are withheld from a ``principal`` without ``read_confidential_candidates``."""
    queue = review_queue(store.identity_state())
    if person_id is not None:
        records = set(store.identities_of([person_id])) | {person_id}
        queue = [c for c in queue if c.left in records or c.right in records]
    if principal.can(Right.READ_CONFIDENTIAL_CANDIDATES):
        return Queue(queue, 0)
    persons = store.persons({r for c in queue for r in c.pair})
    confidential = {ident for ident, person in persons.items() if person.confidential}
    shown = [c for c in queue if confidential.isdisjoint(c.pair)]
    return Queue(shown, len(queue) - len(shown))


def withheld_flags(store: Store, principal: Principal, findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """``findings`` as ``principal`` may read them. Without ``read_confidential_candidates``, the
    evidence of a ``possible_duplicate`` whose pair names a record marked confidential keeps the
    flag and its probability but blanks (``""``, "a record you may not see") every record id of the
    pair but the flagged person's: a practitioner could look the other up and learn the possible
    link, which the review queue withholds."""
    if principal.can(Right.READ_CONFIDENTIAL_CANDIDATES):
        return tuple(findings)
    named = {r for f in findings if f.kind == DUPLICATE for e in f.evidence for r in e.records}
    confidential = {ident for ident, person in store.persons(named).items() if person.confidential} if named else set()
    if not confidential:
        return tuple(findings)

    def blanked(finding: Finding) -> Finding:
        evidence = tuple(
            replace(e, records=tuple(r if r == finding.person_id else "" for r in e.records))
            if confidential.intersection(e.records)
            else e
            for e in finding.evidence
        )
        return replace(finding, evidence=evidence)

    return tuple(blanked(f) if f.kind == DUPLICATE else f for f in findings)


async def decide_pair(context: RequestContext, kind: DecisionKind, left: str, right: str, reason: str) -> Decision:
    """Check the caller's right, log the decision (the reason as its purpose) and make it.

    It is logged before it is made: its answer (decided, or an unknown id) tells whether the
    records exist, which must not be probed unseen."""
    access = Access(OPERATIONS[kind], Right.DECIDE_IDENTITY, reason.strip())
    await context.authorize(access, [left, right])
    await context.record(access, [left, right])
    decision = Decision(kind, left, right, context.principal.user, reason.strip(), context.clock())
    # A decision re-clusters and writes: off the event loop, like every mutation.
    await context.write(lambda store: decide(store, decision, context.thresholds))
    return decision


@strawberry.type(description="One comparison of a candidate pair: the level it reached and its weight.")
class Comparison:
    name: str
    level: str
    weight: float = strawberry.field(
        description="The level's log2 Bayes factor, term frequency included: positive for, negative against, "
        "0 when a value is missing."
    )


@strawberry.type(description="Two records the model scored as possibly one person, queued for a user to decide.")
class ReviewCandidate:
    left_id: strawberry.ID
    right_id: strawberry.ID
    probability: float = strawberry.field(description="The match probability, 0 to 1.")
    comparisons: list[Comparison]
    reasons: list[str] = strawberry.field(
        description="The guardrails that stopped an automatic link (possible twins, a generation apart, ...)."
    )
    model: str
    model_version: str
    access: strawberry.Private[Access]

    @field("The left record.", graphql_type=Person | None)
    def left(self, info: Info) -> MaybeAwaitable[Person | None]:
        return cited_person(info, self.access, self.left_id)

    @field("The right record.", graphql_type=Person | None)
    def right(self, info: Info) -> MaybeAwaitable[Person | None]:
        return cited_person(info, self.access, self.right_id)

    @classmethod
    def of(cls, candidate: identity.Candidate, access: Access) -> ReviewCandidate:
        """The type of a stored candidate, read under ``access``."""
        return cls(
            left_id=strawberry.ID(candidate.left),
            right_id=strawberry.ID(candidate.right),
            probability=candidate.probability,
            comparisons=[Comparison(name=c.name, level=c.level, weight=c.weight) for c in candidate.comparisons],
            reasons=list(candidate.reasons),
            model=candidate.model,
            model_version=candidate.model_version,
            access=access,
        )


@strawberry.type(description="A user's decision about two records, and the identities they are in after it.")
class IdentityDecided:
    kind: str = strawberry.field(description="link, distinct, unlink or undistinct.")
    left_id: strawberry.ID
    right_id: strawberry.ID
    left_identity_id: strawberry.ID
    right_identity_id: strawberry.ID
    user: str
    at: dt.datetime


CandidatePurpose = Annotated[
    str, strawberry.argument(description="Why you read these pairs of records; required and logged.")
]
Reason = Annotated[str, strawberry.argument(description="Why: kept with the decision and logged as its purpose.")]


@strawberry.type
class IdentityQueries:
    """The review queue (mixed into the root query)."""

    @field("Queued pairs of records that may be one person, most likely first, with the weight of each comparison.")
    async def review_candidates(
        self,
        info: Info,
        purpose: CandidatePurpose,
        person_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only the pairs naming a record of this person's identity."),
        ] = None,
        first: Annotated[int | None, First] = None,
        after: Annotated[str | None, After] = None,
    ) -> Connection[ReviewCandidate]:
        # A purpose is always checked, for practitioners and the records role alike: the pairs are persons.
        access = Access(READ_CANDIDATES, Right.READ_CANDIDATES, purpose.strip())
        await info.context.authorize(access, [] if person_id is None else [person_id])
        page_size(first)
        found = candidates(info.context.store, info.context.principal, person_id).shown
        page = paginate([ReviewCandidate.of(c, access) for c in found], first, after)
        named = [i for edge in page.edges for i in (edge.node.left_id, edge.node.right_id)]
        await info.context.record(access, [*([] if person_id is None else [person_id]), *named])
        return page

    @field(
        "How many queued pairs (naming a record of this person's identity, with personId) name a record marked "
        "confidential and are withheld from your role: a review is pending, but only the records role and admins "
        "may read the pair (it could disclose where a person lives). 0 for them."
    )
    async def withheld_review_candidates(
        self,
        info: Info,
        purpose: CandidatePurpose,
        person_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only the pairs naming a record of this person's identity."),
        ] = None,
    ) -> int:
        access = Access(READ_CANDIDATES, Right.READ_CANDIDATES, purpose.strip())
        named = [] if person_id is None else [person_id]
        await info.context.authorize(access, named)
        withheld = candidates(info.context.store, info.context.principal, person_id).withheld
        await info.context.record(access, named)
        return withheld


async def _decided(info: Info, kind: DecisionKind, a: str, b: str, reason: str) -> IdentityDecided:
    decision = await decide_pair(info.context, kind, a, b, reason)
    members = info.context.store.identities_of([a, b])
    return IdentityDecided(
        kind=kind.value,
        left_id=strawberry.ID(a),
        right_id=strawberry.ID(b),
        left_identity_id=strawberry.ID(members.get(a, a)),
        right_identity_id=strawberry.ID(members.get(b, b)),
        user=decision.user,
        at=decision.at,
    )


@strawberry.type
class IdentityMutations:
    """Users' decisions about two records (mixed into the root mutation); each is a fact with user and time."""

    @mutation("Decide that records a and b are one person (reverses an unlink).")
    async def link_records(self, info: Info, a: strawberry.ID, b: strawberry.ID, reason: Reason) -> IdentityDecided:
        return await _decided(info, DecisionKind.LINK, a, b, reason)

    @mutation("Decide that records a and b are different people: never linked automatically.")
    async def mark_distinct(self, info: Info, a: strawberry.ID, b: strawberry.ID, reason: Reason) -> IdentityDecided:
        return await _decided(info, DecisionKind.DISTINCT, a, b, reason)

    @mutation("Undo the link of records a and b: their identity splits back.")
    async def unlink_records(self, info: Info, a: strawberry.ID, b: strawberry.ID, reason: Reason) -> IdentityDecided:
        return await _decided(info, DecisionKind.UNLINK, a, b, reason)

    @mutation(
        "Withdraw the distinct decision about records a and b (it stays on record): they are undecided again, "
        "linked automatically if the model says so, else queued for review."
    )
    async def withdraw_distinct(
        self, info: Info, a: strawberry.ID, b: strawberry.ID, reason: Reason
    ) -> IdentityDecided:
        return await _decided(info, DecisionKind.UNDISTINCT, a, b, reason)
