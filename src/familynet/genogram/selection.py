"""Who a genogram shows, and how they are joined, read from a family graph by the rules.

Who is a parent, child, partner, sibling or household member is decided by
:mod:`familynet.analyses` on the day; this module only walks outward from the index
child with those rules, in this order (the first placement of a person wins):

1. the index child (generation 0);
2. parents, then their parents, up to ``generations_up`` generations;
3. the child's children, and theirs, down to ``generations_down``, with their other parents;
4. the child's siblings (:func:`~familynet.analyses.siblings`: full, half, step, ...);
5. the parents' other children of any kind (adult, deceased or unborn brothers and
   sisters, foster children), whom the sibling rule leaves out;
6. the parents of every sibling (so that a half-sibling hangs from the right couple);
7. the current and former partners of every parent (any ``partner_of`` begun by the day);
8. the other members, by any agency's record, of the child's recorded households;
9. with the perpetrators overlay, adults named as alleged perpetrators in contacts or
   referrals about anyone drawn.

Redacted, a person marked confidential is withheld (:mod:`familynet.genogram.withholding`):
placed as anyone else, then drawn as an anonymous "person not shown", so that no name,
date, household frame, overlay or finding names them and the drawing keeps its shape.
Only they are withheld: their parents and other children are drawn where the steps above
place them (mark each person who must not be disclosed).

>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.person("M", sex="female", date_of_birth="1990")
>>> b.person("C", sex="male", date_of_birth="2016-03-01")
>>> b.relationship("M", "C", "parent_of", subtype="birth")
>>> g = genogram(b.graph, "C", dt.date(2024, 1, 1))
>>> [(p.person_id, p.generation, p.relation, p.age) for p in g.people]
[('M', -1, 'parent', 33), ('C', 0, 'index', 7)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

import networkx as nx

from familynet.analyses import (
    coverage_rows,
    date_of_birth_used,
    household_context,
    is_adult,
    is_alive,
    is_confidential,
    is_unborn,
    members,
    parents,
    recorded_households,
    referrals_about,
    siblings,
)
from familynet.analyses.allegations import FLAG_MONTHS
from familynet.analyses.coverage import AUDIT as COVERAGE
from familynet.analyses.facts import in_facts, is_active, node_id, person
from familynet.analyses.parameters import ParameterError, check_parameters
from familynet.analyses.people import ADULT, INFANT, children
from familynet.analyses.referrals import Referral, mentions
from familynet.errors import FamilynetError
from familynet.genogram.births import identical_twins, multiple_births
from familynet.genogram.chronology import known_graph
from familynet.genogram.model import (
    Agency,
    Concern,
    Couple,
    Descent,
    DescentKind,
    Flag,
    Genogram,
    Household,
    OverlayOptions,
    Overlays,
    Person,
    Sex,
)
from familynet.genogram.partnerships import couples as find_couples
from familynet.genogram.partnerships import partners_by, when
from familynet.genogram.withholding import withhold
from familynet.model.dates import age_on, months_before
from familynet.model.network import agency_node, household_node, person_node

#: Generations drawn above and below the child by default, and the most that may be asked for.
GENERATIONS_UP = 2
GENERATIONS_DOWN = 1
MAX_GENERATIONS_UP = 4
MAX_GENERATIONS_DOWN = 3

#: The concern category of domestic abuse (CIN factors 3A, 3B, 3C).
DOMESTIC_ABUSE_CATEGORY = 3
#: The mention role of an alleged perpetrator.
PERPETRATOR_ROLE = "alleged_perpetrator"

_ANCESTORS = {1: "parent", 2: "grandparent", 3: "great_grandparent"}
_DESCENDANTS = {1: "child", 2: "grandchild", 3: "great_grandchild"}


class _Placement:
    """The people found so far, each with a generation and a relation; the first placement wins."""

    def __init__(self) -> None:
        self.generation: dict[str, int] = {}
        self.relation: dict[str, str] = {}

    def add(self, person_id: str, generation: int, relation: str) -> None:
        if person_id not in self.generation:
            self.generation[person_id] = generation
            self.relation[person_id] = relation

    def add_all(self, people: Iterable[str], generation: int, relation: str) -> None:
        for person_id in sorted(people):
            self.add(person_id, generation, relation)

    def at(self, generation: int) -> list[str]:
        return sorted(p for p, g in self.generation.items() if g == generation)


def _place(
    graph: nx.MultiDiGraph,
    index_id: str,
    day: dt.date,
    up: int,
    down: int,
    adult_age: int,
    infant_age: int,
) -> _Placement:
    placed = _Placement()
    placed.add(index_id, 0, "index")
    frontier = {index_id}
    for level in range(1, up + 1):
        found = {q for p in frontier for q in parents(graph, p, day)}
        placed.add_all(found, -level, _ANCESTORS.get(level, f"ancestor_{level}"))
        frontier = found
    # Before siblings: a child's own baby in the household is never their sibling.
    frontier = {index_id}
    for level in range(1, down + 1):
        found = {c for p in frontier for c in children(graph, p, day)}
        placed.add_all(found, level, _DESCENDANTS.get(level, f"descendant_{level}"))
        placed.add_all({q for c in found for q in parents(graph, c, day)}, level - 1, "parent_of_child")
        frontier = found
    for s in siblings(graph, index_id, day, adult_age=adult_age, infant_age=infant_age):
        placed.add(s.person_id, 0, f"sibling:{s.relation}")
    own_parents = parents(graph, index_id, day)
    for parent in sorted(own_parents):
        placed.add_all(children(graph, parent, day), 0, "child_of_parent")
    for sibling in placed.at(0):
        if placed.relation[sibling].startswith(("sibling", "child_of_parent")):
            placed.add_all(parents(graph, sibling, day), -1, "parent_of_sibling")
    for parent in placed.at(-1):
        placed.add_all(partners_by(graph, parent, day), -1, "partner_of_parent")
    for household in sorted(recorded_households(graph, index_id, day, infant_age=infant_age)):
        for m in members(graph, household, day):
            adult = is_adult(graph, m.person_id, day, adult_age=adult_age)
            placed.add(m.person_id, -1 if adult else 0, "household_member")
    return placed


def _descents(graph: nx.MultiDiGraph, drawn: set[str], day: dt.date) -> tuple[Descent, ...]:
    found: set[Descent] = set()
    for child in drawn:
        for other, attrs in in_facts(graph, person_node(child), "PARENT_OF"):
            parent = node_id(other)
            if parent in drawn and is_active(attrs, day):
                subtype = attrs.get("subtype")
                kind = DescentKind(str(subtype)) if subtype in DescentKind._value2member_map_ else DescentKind.BIRTH
                found.add(Descent(parent, child, kind))
    return tuple(sorted(found, key=lambda d: (d.child, d.parent, d.kind.value)))


def _birth_ranks(graph: nx.MultiDiGraph, drawn: Iterable[str], day: dt.date) -> dict[str, int]:
    def born(p: str) -> dt.date:
        expected: dt.date | None = person(graph, p).get("expected_date_of_birth")
        return date_of_birth_used(graph, p, day) or expected or dt.date.max

    return {p: rank for rank, p in enumerate(sorted(drawn, key=lambda p: (born(p), p)))}


def _person(
    graph: nx.MultiDiGraph,
    placed: _Placement,
    person_id: str,
    day: dt.date,
    in_household: bool,
    redact: bool,
    rank: dict[str, int],
) -> Person:
    attrs = person(graph, person_id)
    name = " ".join(part for part in (attrs.get("given_name"), attrs.get("family_name")) if part)
    recorded = attrs.get("date_of_birth")
    died: dt.date | None = attrs.get("date_of_death")
    expected: dt.date | None = attrs.get("expected_date_of_birth")
    unborn = is_unborn(graph, person_id, day)
    deceased = not is_alive(graph, person_id, day)
    used = date_of_birth_used(graph, person_id, day)
    age = None
    if used is not None and not unborn:
        age = age_on(used, died if deceased and died is not None else day)
    sex = attrs.get("sex")
    return Person(
        person_id=person_id,
        name=name or "(no name recorded)",
        given_name=attrs.get("given_name"),
        family_name=attrs.get("family_name"),
        sex=Sex(str(sex)) if sex in Sex._value2member_map_ else Sex.UNKNOWN,
        generation=placed.generation[person_id],
        born=None if recorded is None else (str(recorded.year) if redact else str(recorded)),
        birth_rank=rank[person_id],
        age=age,
        deceased=deceased,
        died=when(died, redact) if deceased else None,
        unborn=unborn,
        expected=when(expected, redact) if unborn else None,
        index=placed.relation[person_id] == "index",
        relation=placed.relation[person_id],
        in_household=in_household,
        confidential=is_confidential(graph, person_id),
    )


def _referrals(graph: nx.MultiDiGraph, drawn: Iterable[str], day: dt.date) -> list[Referral]:
    """Contacts and referrals about anyone drawn, received on or before the day."""
    return [r for p in sorted(drawn) for r in referrals_about(graph, p) if r.received_on <= day]


def _perpetrators(graph: nx.MultiDiGraph, referrals: list[Referral]) -> dict[str, tuple[str, ...]]:
    found: dict[str, set[str]] = {}
    for r in referrals:
        for other, role in mentions(graph, r.referral_id):
            if role == PERPETRATOR_ROLE:
                found.setdefault(other, set()).add(r.referral_id)
    return {p: tuple(sorted(ids)) for p, ids in sorted(found.items())}


def _domestic_abuse(
    graph: nx.MultiDiGraph, couples: tuple[Couple, ...], referrals: list[Referral]
) -> tuple[Concern, ...]:
    """Couples both of whom a referral with a domestic abuse concern mentions (or is about)."""
    found: list[Concern] = []
    for c in couples:
        raised = sorted(
            {
                r.referral_id
                for r in referrals
                if DOMESTIC_ABUSE_CATEGORY in r.categories
                and {c.first, c.second} <= {r.child_id, *(p for p, _ in mentions(graph, r.referral_id))}
            }
        )
        if raised:
            found.append(Concern(c.first, c.second, tuple(raised)))
    return tuple(found)


def _flags(
    graph: nx.MultiDiGraph, index_id: str, day: dt.date, flag_months: int, adult_age: int, infant_age: int
) -> tuple[Flag, ...]:
    """The household context's flags, and the siblings the latest audit 1 row of the period found unassessed."""
    ctx = household_context(graph, index_id, day, flag_months=flag_months, adult_age=adult_age, infant_age=infant_age)
    flags = [Flag(f.kind, f.person_id) for f in ctx.flags]
    chosen = COVERAGE.defaults(adult_age=adult_age, infant_age=infant_age)
    rows = coverage_rows(graph, index_id, months_before(day, flag_months), day, **chosen)
    if rows:
        flags += [Flag("sibling_not_assessed", s.person_id) for s in rows[-1].siblings if not s.covered]
    return tuple(flags)


def _agencies(
    graph: nx.MultiDiGraph, index_id: str, day: dt.date, adult_age: int, infant_age: int
) -> tuple[Agency, ...]:
    ctx = household_context(graph, index_id, day, adult_age=adult_age, infant_age=infant_age)
    return tuple(
        Agency(a.agency_id, graph.nodes.get(agency_node(a.agency_id), {}).get("name"), a.kind) for a in ctx.agencies
    )


class ConfidentialChildError(FamilynetError):
    """A redacted genogram of a child who is marked confidential was asked for."""


class UnknownChildError(FamilynetError):
    """A genogram on a day before the child was born or known to be expected was asked for."""


def _confidential(graph: nx.MultiDiGraph) -> frozenset[str]:
    """Everyone in the graph marked confidential."""
    persons = (node_id(n) for n, attrs in graph.nodes(data=True) if attrs.get("label") == "Person")
    return frozenset(p for p in persons if is_confidential(graph, p))


def check_generations(generations_up: int, generations_down: int) -> None:
    """ParameterError unless the generations asked for are within their ranges.

    >>> check_generations(5, 1)
    Traceback (most recent call last):
    ...
    familynet.analyses.parameters.ParameterError: generations_up must be between 0 and 4
    """
    for name, value, most in (
        ("generations_up", generations_up, MAX_GENERATIONS_UP),
        ("generations_down", generations_down, MAX_GENERATIONS_DOWN),
    ):
        if not 0 <= value <= most:
            raise ParameterError(f"{name} must be between 0 and {most}")


def genogram(
    graph: nx.MultiDiGraph,
    index_id: str,
    on: dt.date | None = None,
    *,
    generations_up: int = GENERATIONS_UP,
    generations_down: int = GENERATIONS_DOWN,
    overlays: OverlayOptions = OverlayOptions(),  # noqa: B008 - frozen, so a shared default is safe
    redact: bool = False,
    flag_months: int = FLAG_MONTHS,
    adult_age: int = ADULT,
    infant_age: int = INFANT,
) -> Genogram:
    """The genogram of ``index_id`` on ``on`` (default today); see the module docstring for who is in it.

    ``redact`` leaves out addresses, every date but its year (births, deaths, due dates,
    relationships) and everyone marked confidential (ConfidentialChildError when the child is
    so marked). Flags are the
    household context's, with mentions over the ``flag_months`` months up to the day.
    ParameterError when a generation count or a rule's parameter is out of range.
    """
    check_generations(generations_up, generations_down)
    check_parameters(flag_months=flag_months, adult_age=adult_age, infant_age=infant_age)
    day = on or dt.date.today()
    person(graph, index_id)
    # Nobody born, or expected, after the day is read: the genogram shows the family as it was then.
    graph = known_graph(graph, day)
    if person_node(index_id) not in graph:
        raise UnknownChildError("the child was neither born nor known to be expected on that day")
    hidden = _confidential(graph) if redact else frozenset()
    if index_id in hidden:
        raise ConfidentialChildError(
            "the child is marked confidential, and a redacted genogram does not show who anyone so marked is: "
            "draw it unredacted, for those who may know who and where the child is"
        )
    placed = _place(graph, index_id, day, generations_up, generations_down, adult_age, infant_age)
    referrals = _referrals(graph, placed.generation, day) if overlays.perpetrators or overlays.domestic_abuse else []
    perpetrators = _perpetrators(graph, referrals) if overlays.perpetrators else {}
    for other in perpetrators:
        if person_node(other) in graph:
            placed.add(other, -1 if is_adult(graph, other, day, adult_age=adult_age) else 0, "alleged_perpetrator")
    drawn = set(placed.generation)
    homes = recorded_households(graph, index_id, day, infant_age=infant_age)
    ranks = _birth_ranks(graph, drawn, day)
    lives_in = {p: recorded_households(graph, p, day, infant_age=infant_age) & homes for p in drawn}
    births = multiple_births(graph, drawn, day, ranks)
    identical = identical_twins(graph, births, ranks)
    people = tuple(
        replace(
            _person(graph, placed, p, day, bool(lives_in[p]), redact, ranks),
            multiple_birth=births.get(p),
            identical=identical.get(p),
        )
        for p in sorted(drawn, key=lambda p: (placed.generation[p], placed.relation[p] != "index", p))
    )
    households = tuple(
        Household(
            h,
            None if redact else graph.nodes[household_node(h)].get("address"),
            tuple(sorted(p for p in drawn if h in lives_in[p])),
            tuple(
                sorted({m.person_id for m in members(graph, h, day)} & drawn - {p for p in drawn if h in lives_in[p]})
            ),
        )
        for h in sorted(homes)
    )
    couples = find_couples(graph, drawn, day, redact)
    found = Overlays(
        perpetrators={p: ids for p, ids in perpetrators.items() if p in drawn},
        domestic_abuse=_domestic_abuse(graph, couples, referrals) if overlays.domestic_abuse else (),
        agencies=_agencies(graph, index_id, day, adult_age, infant_age) if overlays.agencies else (),
        findings=tuple(
            f for f in (_flags(graph, index_id, day, flag_months, adult_age, infant_age) if overlays.findings else ())
        ),
    )
    drawing = Genogram(
        index_id,
        day,
        generations_up,
        generations_down,
        redact,
        people,
        couples,
        _descents(graph, drawn, day),
        households,
        found,
    )
    return withhold(drawing, hidden)
