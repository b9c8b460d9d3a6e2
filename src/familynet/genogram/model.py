"""The genogram as data: who is drawn, how they are joined, and what is overlaid.

Frozen dataclasses with no I/O. :func:`familynet.genogram.selection.genogram` builds
one from a family graph; the layout and every export read only this model, so an
export can never show what the model left out (a redacted date, an address).

Generations count from the index child: 0 is the child's own, -1 the parents',
-2 the grandparents', +1 the child's children.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Sex(StrEnum):
    """Drawn as a square (male), a circle (female) or a diamond (unknown)."""

    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


class CoupleKind(StrEnum):
    """What the couple line says about the relationship."""

    MARRIED = "married"
    CIVIL_PARTNER = "civil_partner"
    COHABITING = "cohabiting"
    DATING = "dating"
    UNKNOWN = "unknown"
    """Partners whose records say only that they separated, or that it ended."""
    UNRECORDED = "unrecorded"
    """Two parents of a child with no ``partner_of`` on record."""


class CoupleStatus(StrEnum):
    """Whether the relationship goes on; separated is one slash, divorced two."""

    CURRENT = "current"
    SEPARATED = "separated"
    DIVORCED = "divorced"
    ENDED = "ended"
    """Over (an end date on or before the day) with no separation or divorce recorded."""
    WIDOWED = "widowed"
    """Ended by a partner's death on or before the day (not by a separation before it): no slash, since
    the cross on the deceased says it."""


class DescentKind(StrEnum):
    """The kind of a parent-child link; birth solid, adoptive dashed, foster dotted."""

    BIRTH = "birth"
    ADOPTIVE = "adoptive"
    FOSTER = "foster"
    SPECIAL_GUARDIAN = "special_guardian"
    STEP = "step"


@dataclass(frozen=True)
class Person:
    """A person drawn in the genogram."""

    person_id: str
    name: str
    """Given and family names, or "(no name recorded)"."""
    given_name: str | None
    family_name: str | None
    sex: Sex
    generation: int
    born: str | None
    """Date of birth as recorded (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``); the year only when redacted."""
    birth_rank: int
    """Rank among the people drawn by date of birth used (an unborn child's expected date), oldest
    first, unknown last: it orders siblings without giving their dates."""
    age: int | None
    """Completed years on the day, or at death; None when unborn or the date of birth is unknown."""
    deceased: bool
    died: str | None
    """Date of death (the year only when redacted)."""
    unborn: bool
    expected: str | None
    """Expected date of birth of an unborn child (the year-month only when redacted)."""
    index: bool
    relation: str
    """How the person stands to the index child: ``index``, ``parent``, ``sibling:half``, ``grandparent`` ..."""
    in_household: bool
    """A member, in the record (social care), of one of the index child's recorded households on the day."""
    confidential: bool = False
    """Marked confidential (identity or whereabouts not to be disclosed): drawn marked so; in a redacted
    genogram drawn only as an anonymous "person not shown" (``withheld``)."""
    multiple_birth: int | None = None
    """Children of one birth (twins, triplets) share this number: the same full date of birth and the same
    birth parents; drawn descending from one point. Kept when redacted (it gives no date)."""
    identical: int | None = None
    """Identical twins (triplets) of one birth share this number: a ``sibling_of`` between them records
    ``twin`` ``identical`` (:mod:`familynet.genogram.births`); drawn joined by a bar. Kept when redacted."""
    withheld: bool = False
    """The anonymous place of a person marked confidential in a redacted genogram: no name, sex or date,
    and an id of its own (:mod:`familynet.genogram.withholding`)."""


@dataclass(frozen=True)
class Couple:
    """Two people joined by a couple line; ``first`` is drawn to the left when they are side by side."""

    first: str
    second: str
    kind: CoupleKind
    status: CoupleStatus
    start: str | None
    """When the relationship began (``YYYY-MM-DD``; the year only when redacted)."""
    end: str | None
    """When it ended (``YYYY-MM-DD``; the year only when redacted)."""


@dataclass(frozen=True)
class Descent:
    """A parent-child link."""

    parent: str
    child: str
    kind: DescentKind


@dataclass(frozen=True)
class Household:
    """One of the index child's recorded households on the day, and its members in the record."""

    household_id: str
    address: str | None
    """None when redacted or unknown."""
    members: tuple[str, ...]
    others: tuple[str, ...] = ()
    """The people drawn recorded there on the day only by other agencies (police, health ...)."""


@dataclass(frozen=True)
class Concern:
    """Domestic abuse concerns between two partners: the referrals that raise them."""

    first: str
    second: str
    referrals: tuple[str, ...]


@dataclass(frozen=True)
class Agency:
    """An agency involved with the index child."""

    agency_id: str
    name: str | None
    kind: str | None


@dataclass(frozen=True)
class Flag:
    """A finding of the rules about the index child, and the person it is about (if any)."""

    kind: str
    person_id: str | None


@dataclass(frozen=True)
class OverlayOptions:
    """Which safeguarding overlays to draw; each can be switched off."""

    perpetrators: bool = True
    domestic_abuse: bool = True
    agencies: bool = True
    findings: bool = True


@dataclass(frozen=True)
class Overlays:
    """The safeguarding overlays; an overlay switched off is empty."""

    perpetrators: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Person id -> referrals naming them as an alleged perpetrator."""
    domestic_abuse: tuple[Concern, ...] = ()
    agencies: tuple[Agency, ...] = ()
    findings: tuple[Flag, ...] = ()


@dataclass(frozen=True)
class Genogram:
    """The genogram of an index child on a day."""

    index_id: str
    on: dt.date
    generations_up: int
    generations_down: int
    redacted: bool
    people: tuple[Person, ...]
    couples: tuple[Couple, ...]
    descents: tuple[Descent, ...]
    households: tuple[Household, ...]
    overlays: Overlays

    def person_ids(self) -> set[str]:
        """Everyone the genogram names: the people drawn (not the anonymous places of those withheld)
        and the people of its findings.

        What a reader of any of its formats learns about, so what the access log records.
        """
        drawn = {p.person_id for p in self.people if not p.withheld}
        return drawn | {f.person_id for f in self.overlays.findings if f.person_id}

    def person(self, person_id: str) -> Person:
        """The person with this id (KeyError when not drawn)."""
        for p in self.people:
            if p.person_id == person_id:
                return p
        raise KeyError(person_id)
