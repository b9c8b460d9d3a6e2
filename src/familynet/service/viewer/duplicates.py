"""What the viewer shows of possible duplicates: candidate pairs with both records side by side
and each comparison's weight as text and as a bar.

A pair of records is two persons, so it is read as persons are: with a purpose, the
``read_candidates`` right checked (a refusal logged), and every record a page shows logged
under ``reviewCandidates`` before the page is sent. The queue comes from
:func:`familynet.service.identities.candidates`, as on ``/graphql``.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from familynet.access.auth import Right
from familynet.identity.comparisons import PRIOR
from familynet.model.identity import Candidate
from familynet.model.records import Agency, Person
from familynet.service.context import Access, RequestContext
from familynet.service.identities import READ_CANDIDATES, candidates

#: Pairs one review page shows, most likely first.
MAX_PAIRS = 20
#: A weight's bar is this many steps long at most (a step per unit of weight; CSS classes ``w0``..``w20``).
MAX_BAR = 20
#: The prior's log2 odds, which every comparison's weight adds to.
PRIOR_WEIGHT = math.log2(PRIOR / (1 - PRIOR))
#: The fields of a record the review shows side by side.
SHOWN = (
    ("Given name", "given_name"), ("Family name", "family_name"), ("Date of birth", "date_of_birth"),
    ("Sex", "sex"), ("NHS number", "nhs_number"), ("Confidential", "confidential"),
)  # fmt: skip


@dataclass(frozen=True)
class Weight:
    """One comparison of a pair as the page shows it: a text value and a bar."""

    name: str
    level: str
    weight: float

    @property
    def direction(self) -> str:
        """``for``, ``against`` or ``none`` (a missing value weighs 0)."""
        return "none" if self.weight == 0 else ("for" if self.weight > 0 else "against")

    @property
    def steps(self) -> int:
        """The bar's length in steps.

        >>> Weight("dob", "exact", 11.2).steps, Weight("nhs", "equal", 19.9).steps, Weight("x", "y", -0.4).steps
        (11, 20, 1)
        """
        return 0 if self.weight == 0 else min(MAX_BAR, max(1, round(abs(self.weight))))


@dataclass(frozen=True)
class Pair:
    """A candidate pair with both records and their agencies, for the page."""

    left_id: str
    right_id: str
    probability: float
    reasons: tuple[str, ...]
    weights: tuple[Weight, ...]
    rows: tuple[tuple[str, str, str], ...]
    """The records side by side: (field, left value, right value)."""

    @property
    def total(self) -> float:
        """The match weight: the prior's plus every comparison's."""
        return PRIOR_WEIGHT + sum(w.weight for w in self.weights)


def _value(person: Person | None, name: str, agencies: Mapping[str, Agency]) -> str:
    if person is None:
        return "not on record"
    if name == "agency":
        agency = agencies.get(person.recorded_by or "")
        return agency.name if agency is not None else (person.recorded_by or "not recorded")
    value = getattr(person, name)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "not recorded" if value is None else str(value)


def pairs(context: RequestContext, queue: Collection[Candidate]) -> list[Pair]:
    """The page's view of ``queue``: both records of each pair, with their agencies."""
    store = context.store
    persons = store.persons({r for c in queue for r in (c.left, c.right)})
    agencies = store.agencies({p.recorded_by for p in persons.values() if p.recorded_by})
    shown = (("Agency", "agency"), *SHOWN)
    return [
        Pair(
            c.left,
            c.right,
            c.probability,
            c.reasons,
            tuple(Weight(x.name.replace("_", " "), x.level, x.weight) for x in c.comparisons),
            tuple(
                (label, _value(persons.get(c.left), name, agencies), _value(persons.get(c.right), name, agencies))
                for label, name in shown
            ),
        )
        for c in queue
    ]


@dataclass(frozen=True)
class Duplicates:
    """A person's possible duplicates as the page shows them, and how many pairs are withheld
    from the caller (they name a record marked confidential)."""

    pairs: list[Pair]
    withheld: int


async def possible_duplicates(context: RequestContext, person_id: str, purpose: str) -> Duplicates | None:
    """The queued pairs naming a record of this person's identity, logged with ``purpose`` when
    there are any; None when the caller's role may not read pairs (nothing is read or logged then)."""
    if not context.principal.can(Right.READ_CANDIDATES):
        return None
    access = Access(READ_CANDIDATES, Right.READ_CANDIDATES, purpose)
    await context.authorize(access, [person_id])
    queue = candidates(context.store, context.principal, person_id)
    found = queue.shown[:MAX_PAIRS]
    if found:
        # None found tells only of this person, whose page the caller's read is already logged for.
        await context.record(access, [person_id, *(r for c in found for r in (c.left, c.right))])
    return Duplicates(pairs(context, found), queue.withheld)
