"""Per-request DataLoaders: nested fields ask for records one at a time, the store is asked once.

Each loader collects the ids its fields ask for in one tick of the event loop and
calls the store's batched look-up once for all of them, caching the answers for
the rest of the request. A result that already holds records (a family network)
primes the loaders, so its nested fields cost no store call at all. Loaders live
for one request only, so one caller's cached answers never reach another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import networkx as nx
from strawberry.dataloader import DataLoader

from familynet.model.records import Agency, Person, Referral
from familynet.stores.protocol import Store


def person_from_node(attrs: dict[str, object]) -> Person:
    """The person record a family graph node holds (see :mod:`familynet.model.network`)."""
    values = {name: attrs.get(name) for name in Person.__slots__ if name != "person_id"}
    return Person(person_id=str(attrs["id"]), **values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Loaders:
    """The DataLoaders of one request."""

    person: DataLoader[str, Person | None]
    agency: DataLoader[str, Agency | None]
    referral: DataLoader[str, Referral | None]
    #: What :meth:`prime` put in ``person`` and ``agency``, for fields that can answer without a batch.
    primed_persons: dict[str, Person] = field(default_factory=dict)
    primed_agencies: dict[str, Agency] = field(default_factory=dict)

    @classmethod
    def create(cls, store: Store) -> Loaders:
        """Fresh loaders over ``store``."""

        async def persons(ids: Sequence[str]) -> list[Person | None]:
            found = store.persons(ids)
            return [found.get(i) for i in ids]

        async def agencies(ids: Sequence[str]) -> list[Agency | None]:
            found = store.agencies(ids)
            return [found.get(i) for i in ids]

        async def referrals(ids: Sequence[str]) -> list[Referral | None]:
            found = store.referrals(ids)
            return [found.get(i) for i in ids]

        return cls(DataLoader(persons), DataLoader(agencies), DataLoader(referrals))

    def prime(self, graph: nx.MultiDiGraph) -> None:
        """Cache the persons and agencies a family graph holds."""
        for attrs in graph._node.values():
            if attrs.get("label") == "Person":
                person = person_from_node(attrs)
                self.person.prime(person.person_id, person)  # as DataLoader.prime: the first stays
                self.primed_persons.setdefault(person.person_id, person)
            elif attrs.get("label") == "Agency":
                agency = Agency(str(attrs["id"]), str(attrs["name"]), str(attrs["kind"]))
                self.agency.prime(agency.agency_id, agency)
                self.primed_agencies.setdefault(agency.agency_id, agency)
