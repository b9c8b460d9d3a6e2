"""Family subgraph extraction, both stores alike.

:func:`extract` builds the family networks that :meth:`SQLiteStore.family_network
<familynet.stores.sqlite.store.SQLiteStore.family_network>` and
:meth:`~familynet.stores.sqlite.store.SQLiteStore.cohort`
return (defined in ``docs/graph.md``, built per :mod:`familynet.model.network`) with a fixed
number of named queries (``queries/sqlite/network.sql``) per hop, whatever the number
of persons. :func:`extract_rows` runs the same search over any store whose named network
queries return these queries' rows (the Neo4j store's ``queries/cypher/network.cypher``),
so every store builds its graphs with one implementation.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import NamedTuple

import networkx as nx

from familynet.collector import collector_paused
from familynet.errors import StoreError
from familynet.model.network import FamilyGraphBuilder
from familynet.stores.rows import Row, json_ids, person_from_row, stored_date, stored_instant

#: Runs a named network query over some ids and returns its rows.
Fetch = Callable[[str, Iterable[str]], list[Row]]
#: The ``MENTIONS`` edges an extraction builds: all (True), none (False), or only those of
#: the contacts and referrals about a seed received in a period (its first and last days).
MentionsKept = bool | tuple[dt.date, dt.date]


def extract(
    db: sqlite3.Connection,
    sql: Mapping[str, str],
    seeds: set[str],
    hops: int,
    *,
    mentions: MentionsKept = True,
    identities: bool = False,
) -> nx.MultiDiGraph:
    """The union of the family networks within ``hops`` of each of ``seeds``; without
    ``mentions``, the same graph less its ``MENTIONS`` edges, and with a period, less those
    of every contact or referral but the seeds' received in it (see :class:`~familynet.model.cohort.CohortBatch`).
    With ``identities``, the networks of the identity view, still one node per record: every
    person reached brings every record of their identity with it, at the same hop."""

    def fetch(name: str, ids: Iterable[str]) -> list[Row]:
        return db.execute(sql[name], json_ids(ids)).fetchall()

    return extract_rows(fetch, seeds, hops, mentions=mentions, identities=identities)


def extract_rows(
    fetch: Fetch, seeds: set[str], hops: int, *, mentions: MentionsKept = True, identities: bool = False
) -> nx.MultiDiGraph:
    """The same, reading the rows of the named network queries (and, with ``identities``, of
    ``identities_of``) through ``fetch``."""
    with collector_paused():
        return _Extraction(fetch, mentions, identities).run(seeds, hops)


class _Extraction:
    """One family subgraph extraction: a breadth-first search from a set of seed persons.

    Each hop runs three statements over the whole frontier, then a fixed few fetch
    the nodes, referrals, mentions and assessments, so the number of statements does
    not grow with the number of persons. In the identity view one more per hop, and one for
    the persons mentioned, considered or referred, step to every record of the identities
    reached: the search is then the record-level one over identities, and needs no second pass.
    """

    def __init__(self, fetch: Fetch, mentions: MentionsKept, identities: bool = False) -> None:
        self._rows = fetch
        self._mentions = mentions
        self._identities = identities
        self.persons: set[str] = set()
        self.households: set[str] = set()
        # Keyed by what identifies a fact in its store (a rowid, a Neo4j element id).
        self.relationships: dict[object, Row] = {}
        self.memberships: dict[object, Row] = {}

    def _edges(self, persons: set[str], households: set[str], *, grow: bool) -> tuple[set[str], set[str]]:
        """Record the facts touching ``persons`` or ``households``.

        With ``grow``, every such fact; return the persons and households they reach that
        are not yet in the network. Without, only relationships between persons already in
        it, but still every membership of ``persons``: each person in a network comes with
        their own households, which rules read (a child by role, an infant's mother's home).
        """
        new_persons: set[str] = set()
        new_households: set[str] = set()
        for row in self._rows("relationships_touching", persons) if persons else ():
            ends = {row[1], row[2]} - self.persons
            if grow or not ends:
                self.relationships[row[0]] = row
                new_persons |= ends
        for row in self._rows("memberships_of_persons", persons) if persons else ():
            self.memberships[row[0]] = row
            if row[1] not in self.households:
                new_households.add(row[1])
        for row in self._rows("memberships_of_households", households) if grow and households else ():
            self.memberships[row[0]] = row
            if row[2] not in self.persons:
                new_persons.add(row[2])
        return new_persons, new_households

    def run(self, seeds: set[str], hops: int) -> nx.MultiDiGraph:
        if hops < 0:
            raise StoreError("a family network spans zero or more hops")
        self.persons = self._whole(seeds)
        frontier: tuple[set[str], set[str]] = (set(self.persons), set())
        for _ in range(hops):
            persons, households = self._edges(*frontier, grow=True)
            frontier = (self._whole(persons) - self.persons, households)
            self.persons |= frontier[0]
            self.households |= frontier[1]
        # Facts between two persons both exactly ``hops`` away are met only from the last
        # frontier; its persons' households join the network without their other members.
        # Every membership between a person and a household in the network is a membership
        # of one of its persons, so the last households need no statement of their own.
        self.households |= self._edges(frontier[0], set(), grow=False)[1]
        near = set(self.persons)
        referrals = {row[0]: row for row in self._rows("referrals_about", self.persons)}
        # Every person mentioned joins the network, but the graph holds only the MENTIONS
        # edges asked for: of the other referrals, only who they mention is read.
        built = self._built(referrals, seeds)
        mentions = self._rows("mentions_in", built) if built else []
        mentioned = {row[1] for row in mentions}
        if len(built) < len(referrals):
            chosen = set(built)
            rest = [ident for ident in referrals if ident not in chosen]
            mentioned |= {row[0] for row in self._rows("persons_mentioned_in", rest)}
        assessments = self._rows("assessments_of", self.persons)
        # A person's considerations on any referral, and every consideration on the network's
        # referrals: keyed by (referral, person), the fact's key, since both reach some.
        considerations = {(row[0], row[1]): row for row in self._rows("considerations_of", self.persons)}
        missing = {row[2] for row in assessments if row[2] is not None} | {key[0] for key in considerations}
        missing -= referrals.keys()
        referrals.update((row[0], row) for row in self._rows("referrals_by_id", missing))
        considerations.update(((row[0], row[1]), row) for row in self._rows("considerations_in", referrals))
        considered = {key[1] for key in considerations}
        # In id order: the same persons, however their mentions were read, join in the same
        # order, so a store that answers in the order asked (Neo4j) builds the same graph.
        joining = (mentioned | considered | {row[2] for row in referrals.values()}) - self.persons
        others = sorted(self._whole(joining) - self.persons)
        self.persons.update(others)
        # Persons mentioned, considered or referred from outside the network join it with their
        # facts about it and their own households.
        self.households |= self._edges(set(others), set(), grow=False)[1]
        front_door = _FrontDoor(
            self._rows("checks_for", referrals), self._rows("plans_of", self.persons), list(considerations.values())
        )
        alleging, allegations = self._allegations(near, referrals)
        return self._build([*referrals.values(), *alleging], mentions + allegations, assessments, front_door)

    def _allegations(self, near: set[str], referrals: Mapping[str, Row]) -> tuple[list[Row], list[Row]]:
        """The contacts and referrals about children outside the network that name one of ``near``
        (the persons within the hops) alleged perpetrator, and those mentions: an allegation about
        any child counts (docs/rules.md, ``alleged_perpetrator_in_household``).

        Of another family the network holds only what the allegation needs: the referral, its
        mentions of ``near`` in that role (kept as :meth:`_built` keeps mentions) and its subject's
        record, none of the subject's facts or the referral's other mentions."""
        found = [row for row in self._rows("allegations_against", near) if row[0] not in referrals] if near else []
        if not found:
            return [], []
        alleging = self._rows("referrals_by_id", dict.fromkeys(row[0] for row in found))
        kept = set(self._built({row[0]: row for row in alleging}, set()))
        # Sorted, as the persons joining above, so that both stores build the same graph.
        self.persons.update(sorted({row[2] for row in alleging} - self.persons))
        return alleging, [row for row in found if row[0] in kept]

    def _whole(self, persons: set[str]) -> set[str]:
        """``persons`` and, in the identity view, every other record of their identities."""
        if not self._identities or not persons:
            return set(persons)
        return persons | {row[0] for row in self._rows("identities_of", persons)}

    def _built(self, referrals: Mapping[str, Row], seeds: set[str]) -> list[str]:
        """The referrals whose ``MENTIONS`` edges the graph holds, in ``referrals`` order. Without
        all of them the graph is otherwise the same: the persons mentioned join it, with their
        facts, either way."""
        if isinstance(self._mentions, bool):
            return list(referrals) if self._mentions else []
        # Referral rows hold received_on as ISO 8601 text in both stores, which sorts as dates do.
        first, last = (day.isoformat() for day in self._mentions)
        return [ident for ident, row in referrals.items() if row[2] in seeds and first <= row[3] <= last]

    def _build(
        self, referrals: Collection[Row], mentions: list[Row], assessments: list[Row], front_door: _FrontDoor
    ) -> nx.MultiDiGraph:
        persons = self._rows("persons_by_id", self.persons)
        agencies = {row[8] for row in persons} | {row[4] for row in referrals}
        agencies |= {row[8] for row in self.relationships.values()}
        agencies |= {row[6] for row in self.memberships.values()}
        agencies |= front_door.agencies()
        agencies.discard(None)
        builder = FamilyGraphBuilder()
        for ident, name, kind in self._rows("agencies_by_id", agencies):
            builder.agency(ident, name=name, kind=kind)
        for person in map(person_from_row, persons):
            builder.person(
                person.person_id,
                given_name=person.given_name,
                family_name=person.family_name,
                date_of_birth=person.date_of_birth,
                expected_date_of_birth=person.expected_date_of_birth,
                sex=person.sex,
                date_of_death=person.date_of_death,
                nhs_number=person.nhs_number,
                recorded_by=person.recorded_by,
                confidential=person.confidential,
            )
        for ident, address, postcode, uprn in self._rows("households_by_id", self.households):
            builder.household(ident, address=address, postcode=postcode, uprn=uprn)
        builder.referrals(referrals)
        for _, a, b, kind, subtype, responsible, start, end, by, load, twin in self.relationships.values():
            builder.relationship(
                a,
                b,
                kind,
                subtype=subtype,
                parental_responsibility=None if responsible is None else bool(responsible),
                start_date=stored_date(start),
                end_date=stored_date(end),
                recorded_by=by,
                load_id=load,
                twin=twin,
            )
        for _, household, person_id, role, start, end, by, load in self.memberships.values():
            builder.membership(
                person_id,
                household,
                role=role,
                start_date=stored_date(start),
                end_date=stored_date(end),
                recorded_by=by,
                load_id=load,
            )
        builder.mentions(mentions)
        for a in assessments:
            builder.assessment(
                a[0],
                a[1],
                referral_id=a[2],
                kind=a[3],
                started_on=stored_date(a[4]),
                completed_on=stored_date(a[5]),
                factors=a[6],
                outcome=a[7],
                load_id=a[8],
            )
        front_door.build(builder)
        return builder.graph


class _FrontDoor(NamedTuple):
    """The rows of a network's checks (by its referrals), plans (by its persons) and
    considerations, as the named queries ``checks_for``, ``plans_of``, ``considerations_of``
    and ``considerations_in`` return them."""

    checks: list[Row]
    plans: list[Row]
    considerations: list[Row]

    def agencies(self) -> set[str]:
        """The agencies they name: asked, or recording."""
        found = {row[2] for row in self.checks} | {row[6] for row in self.checks}
        found |= {row[5] for row in self.plans} | {row[4] for row in self.considerations}
        found.discard(None)
        return found

    def build(self, builder: FamilyGraphBuilder) -> None:
        """Add them to the graph."""
        for ident, referral_id, agency_id, requested, responded, response, by, load in self.checks:
            builder.check(
                ident,
                referral_id,
                agency_id,
                requested_at=stored_instant(requested),
                responded_at=stored_instant(responded),
                response=response,
                recorded_by=by,
                load_id=load,
            )
        for ident, child_id, kind, start, end, by, load in self.plans:
            builder.plan(
                ident,
                child_id,
                kind,
                start_date=stored_date(start),
                end_date=stored_date(end),
                recorded_by=by,
                load_id=load,
            )
        for referral_id, person_id, considered_on, outcome, by, load in self.considerations:
            builder.consideration(
                referral_id,
                person_id,
                considered_on=stored_date(considered_on),
                outcome=outcome,
                recorded_by=by,
                load_id=load,
            )
