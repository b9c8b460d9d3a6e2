"""Records and identities: the facts of identity resolution, as frozen dataclasses with no I/O.

A person row is a **record**: what one agency recorded, kept for ever. An **identity** is a
real person: a cluster of records joined by **links**. A link carries its evidence (the match
probability and the weight of each comparison) and who decided it: the model and its version,
or a user and their reason. A **decision** by a user (``link``, ``distinct``, ``unlink``, or
``undistinct`` to withdraw a ``distinct``) is a fact of its own; links and the record-to-identity
map follow from the model's candidates and the decisions (:mod:`familynet.identity`). Pairs are
unordered and kept as ``left < right``.

>>> pair("P9", "P1")
('P1', 'P9')
>>> Comparison("dob", "transposed", 5.2).weight
5.2
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from familynet.errors import FamilynetError


class IdentityError(FamilynetError):
    """An identity decision that cannot be made (unknown records, a record linked to itself,
    a decision contradicting another)."""


def pair(left: str, right: str) -> tuple[str, str]:
    """The unordered pair of two record ids, as ``(smaller, larger)``."""
    return (left, right) if left <= right else (right, left)


class Band(StrEnum):
    """Where a candidate pair's match probability falls."""

    LINK = "link"
    """Above the link threshold: linked automatically unless a guardrail forbids it."""
    REVIEW = "review"
    """Between the thresholds (or guardrailed): queued for a person to decide."""
    NONE = "none"
    """Below the review threshold: not linked, not queued."""


class DecisionKind(StrEnum):
    """What a user decided about two records."""

    LINK = "link"
    DISTINCT = "distinct"
    UNLINK = "unlink"
    UNDISTINCT = "undistinct"
    """Withdraws a distinct decision: the pair is as if no user had decided about it."""


@dataclass(frozen=True, slots=True)
class Comparison:
    """One comparison of a pair: its name, the level the pair reached and that level's
    weight (log2 of its Bayes factor; positive for, negative against)."""

    name: str
    level: str
    weight: float


@dataclass(frozen=True, slots=True)
class Candidate:
    """A pair of records the model scored, with its evidence. ``reasons`` are the guardrails
    that stop an automatic link (the pair may still be reviewed)."""

    left: str
    right: str
    probability: float
    comparisons: tuple[Comparison, ...]
    band: Band
    reasons: tuple[str, ...]
    model: str
    model_version: str

    @property
    def pair(self) -> tuple[str, str]:
        """The two record ids, smaller first."""
        return pair(self.left, self.right)


@dataclass(frozen=True, slots=True)
class Link:
    """Two records of one person. From the model (``user`` is None; ``probability`` and
    ``comparisons`` are its evidence) or from a user's ``link`` decision (``reason`` given)."""

    left: str
    right: str
    probability: float | None
    comparisons: tuple[Comparison, ...]
    model: str | None
    model_version: str | None
    user: str | None
    reason: str | None
    at: dt.datetime

    @property
    def pair(self) -> tuple[str, str]:
        """The two record ids, smaller first."""
        return pair(self.left, self.right)


@dataclass(frozen=True, slots=True)
class Decision:
    """A user's decision about two records, with their reason and when they made it."""

    kind: DecisionKind
    left: str
    right: str
    user: str
    reason: str
    at: dt.datetime

    @property
    def pair(self) -> tuple[str, str]:
        """The two record ids, smaller first."""
        return pair(self.left, self.right)


@dataclass(frozen=True, slots=True)
class Alias:
    """An identity id that no longer names an identity, and the identity it now resolves to."""

    alias: str
    identity_id: str
    at: dt.datetime


@dataclass(frozen=True)
class IdentityState:
    """Everything a store holds about identities."""

    links: tuple[Link, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    decisions: tuple[Decision, ...] = ()
    members: Mapping[str, str] = field(default_factory=dict)
    """Record id to identity id, for every record resolved so far."""
    aliases: tuple[Alias, ...] = ()


def is_queued(candidate: Candidate, members: Mapping[str, str], decided: Collection[tuple[str, str]]) -> bool:
    """Whether a candidate pair waits in the review queue: scored in the review band, its records in
    different identities (``members``: record to identity), and no user has decided about it."""
    return (
        candidate.band == Band.REVIEW
        and members.get(candidate.left, candidate.left) != members.get(candidate.right, candidate.right)
        and candidate.pair not in decided
    )


@dataclass(frozen=True)
class IdentityChanges:
    """What one resolution or decision changes in a store, written in one transaction."""

    links_added: tuple[Link, ...] = ()
    links_removed: tuple[tuple[str, str], ...] = ()
    candidates_added: tuple[Candidate, ...] = ()
    candidates_removed: tuple[tuple[str, str], ...] = ()
    members: Mapping[str, str] = field(default_factory=dict)
    """Record ids whose identity is new or changed, to their identity id."""
    aliases: tuple[Alias, ...] = ()
    decisions: tuple[Decision, ...] = ()

    def __bool__(self) -> bool:
        return any(
            (self.links_added, self.links_removed, self.candidates_added, self.candidates_removed, self.members)
        ) or bool(self.aliases or self.decisions)
