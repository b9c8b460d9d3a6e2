"""People on a date: date of birth used, unborn, child, adult, parents and partners.

>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.person("M", sex="female", date_of_birth="1990")
>>> b.person("C", date_of_birth="2008-02")
>>> b.relationship("M", "C", "parent_of", subtype="birth")
>>> day = dt.date(2026, 2, 15)
>>> date_of_birth_used(b.graph, "C", day), is_child(b.graph, "C", day)
(datetime.date(2008, 2, 29), True)
>>> sorted(birth_parents(b.graph, "C", day))
['M']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

import networkx as nx

from familynet.analyses.facts import Attrs, either_facts, in_facts, is_active, node_id, out_facts, person
from familynet.analyses.memo import remembered
from familynet.model.dates import age_on
from familynet.model.network import person_node

#: Age in completed years at which a person stops being a child (the default of ``adult_age``).
ADULT = 18
#: Age under which a child with no recorded household of their own lives with their mother
#: (the default of ``infant_age``).
INFANT = 1
#: Parent subtypes that make a birth or adoptive parent.
BIRTH_OR_ADOPTIVE = frozenset({"birth", "adoptive"})
#: Partner subtypes that make step-siblings of the partners' children.
STEP_PARTNER_SUBTYPES = frozenset({"married", "civil_partner", "cohabiting"})
#: Partner subtypes of a relationship that is over, so not a partner of a parent.
ENDED_PARTNER_SUBTYPES = frozenset({"separated", "divorced"})


def date_of_birth_used(graph: nx.MultiDiGraph, person_id: str, day: dt.date) -> dt.date | None:
    """The recorded date of birth, read as the last day of a year-month or year-only
    value; without one, an expected date of birth on or before ``day``."""
    attrs = person(graph, person_id)
    born = attrs.get("date_of_birth")
    if born is not None:
        latest: dt.date = born.latest()
        return latest
    expected: dt.date | None = attrs.get("expected_date_of_birth")
    return expected if expected is not None and expected <= day else None


def is_unborn(graph: nx.MultiDiGraph, person_id: str, day: dt.date) -> bool:
    """Not yet born on ``day``: a date of birth used after it, or no date of birth and an
    expected date of birth after it."""
    attrs = person(graph, person_id)
    born = attrs.get("date_of_birth")
    if born is not None:
        return bool(born.latest() > day)
    expected = attrs.get("expected_date_of_birth")
    return expected is not None and expected > day


def is_confidential(graph: nx.MultiDiGraph, person_id: str) -> bool:
    """Marked confidential: their identity or whereabouts must not be disclosed (docs/bundle.md)."""
    return person(graph, person_id).get("confidential") is True


def is_alive(graph: nx.MultiDiGraph, person_id: str, day: dt.date) -> bool:
    """Not dead on ``day`` (a person who died on or before it is not alive)."""
    died = person(graph, person_id).get("date_of_death")
    return died is None or died > day


def _has_child_role(graph: nx.MultiDiGraph, person_id: str, day: dt.date) -> bool:
    return any(
        attrs.get("role") == "child" and is_active(attrs, day)
        for _, attrs in out_facts(graph, person_node(person_id), "MEMBER_OF")
    )


def is_child(graph: nx.MultiDiGraph, person_id: str, day: dt.date, *, adult_age: int = ADULT) -> bool:
    """A child on ``day``: alive, not unborn, and born on or before it and under
    ``adult_age``; or, with neither date known, role ``child`` in an active membership."""
    if not is_alive(graph, person_id, day) or is_unborn(graph, person_id, day):
        return False
    return _is_born_child(graph, person_id, day, adult_age)


def _is_born_child(graph: nx.MultiDiGraph, person_id: str, day: dt.date, adult_age: int) -> bool:
    """The rest of :func:`is_child`, for a person alive and not unborn on ``day``."""
    born = date_of_birth_used(graph, person_id, day)
    if born is None:
        return _has_child_role(graph, person_id, day)
    return born <= day and age_on(born, day) < adult_age


def is_infant(graph: nx.MultiDiGraph, person_id: str, day: dt.date, *, infant_age: int = INFANT) -> bool:
    """Alive, born on or before ``day`` and under ``infant_age`` years old on it."""
    if not is_alive(graph, person_id, day) or is_unborn(graph, person_id, day):
        return False
    born = date_of_birth_used(graph, person_id, day)
    return born is not None and born <= day and age_on(born, day) < infant_age


def is_adult(graph: nx.MultiDiGraph, person_id: str, day: dt.date, *, adult_age: int = ADULT) -> bool:
    """Alive, not unborn and not a child on ``day``."""
    return (
        is_alive(graph, person_id, day)
        and not is_unborn(graph, person_id, day)
        and not is_child(graph, person_id, day, adult_age=adult_age)
    )


# Asked of each referral in each of the audits' windows, which overlap: once a batch for each day.
@remembered
def is_in_scope(graph: nx.MultiDiGraph, person_id: str, day: dt.date, *, adult_age: int = ADULT) -> bool:
    """Whether a contact or referral about the person received on ``day`` is in scope:
    the person is alive and a child or unborn on that day."""
    if not is_alive(graph, person_id, day):
        return False
    # is_child asks again whether the person is alive and unborn; an audit asks this of
    # every referral, so the rest of it is asked alone.
    return is_unborn(graph, person_id, day) or _is_born_child(graph, person_id, day, adult_age)


def _ends(facts: Iterable[tuple[str, Attrs]], day: dt.date, subtypes: Collection[str] | None) -> frozenset[str]:
    """The other ends of the facts active on ``day`` and of ``subtypes`` (or any)."""
    return frozenset(
        node_id(other)
        for other, attrs in facts
        if is_active(attrs, day) and (subtypes is None or attrs.get("subtype") in subtypes)
    )


def parents(
    graph: nx.MultiDiGraph, person_id: str, day: dt.date, subtypes: Collection[str] | None = None
) -> frozenset[str]:
    """Persons with an active ``parent_of`` to the person on ``day`` (of ``subtypes``, or any)."""
    return _ends(in_facts(graph, person_node(person_id), "PARENT_OF"), day, subtypes)


def birth_parents(graph: nx.MultiDiGraph, person_id: str, day: dt.date) -> frozenset[str]:
    """Birth or adoptive parents of the person on ``day``."""
    return parents(graph, person_id, day, BIRTH_OR_ADOPTIVE)


def children(
    graph: nx.MultiDiGraph, person_id: str, day: dt.date, subtypes: Collection[str] | None = None
) -> frozenset[str]:
    """Persons to whom the person has an active ``parent_of`` on ``day`` (of ``subtypes``, or any)."""
    return _ends(out_facts(graph, person_node(person_id), "PARENT_OF"), day, subtypes)


def partners(
    graph: nx.MultiDiGraph, person_id: str, day: dt.date, subtypes: Collection[str] | None = None
) -> frozenset[str]:
    """Persons in an active ``partner_of`` with the person on ``day``, either direction."""
    return _ends(either_facts(graph, person_node(person_id), "PARTNER_OF"), day, subtypes)
