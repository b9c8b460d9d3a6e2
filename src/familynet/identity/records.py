"""The records identity resolution reads from a store: every record (a full resolve) or only
those a resolution involves (linking new records, a user's decision), with what the model
compares of them and what clustering needs to name identities.

Reading only some records gives each of them what reading every record gives: its features
come from its own facts (memberships, relationships, mentions) and from its relatives' names
and dates of birth, all read by id (:meth:`Store.identity_records
<familynet.stores.protocol.Store.identity_records>`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from familynet.identity.clusters import Naming
from familynet.identity.features import Context, contexts, feature_row
from familynet.identity.frame import FeatureFrame
from familynet.model.identity import pair
from familynet.model.records import Household, Membership, Mention, Person, Record, Relationship
from familynet.stores.protocol import Store

T = TypeVar("T")


@dataclass(frozen=True)
class Records:
    """What a resolution reads: the ``persons`` it compares or guards, by id, with their
    ``contexts`` and the ``related`` pairs of their relationships; the ids of the records it
    clusters (``ids``: each is an identity, alone if no link joins it): every record of the
    store, or those read; and the ``naming`` of identities."""

    persons: dict[str, Person]
    contexts: dict[str, Context]
    related: set[tuple[str, str]]
    naming: Naming
    ids: Collection[str]

    @classmethod
    def read_paired(cls, store: Store, frame: FeatureFrame, paired: set[str]) -> Records:
        """What clustering a full resolve's pairs needs, with ``frame`` holding every record's
        features: every record id, and the persons, guardrails' contexts and relationships of the
        records ``paired`` (in a scored pair or a decision). Any other record is alone in its
        identity, which its id names: reading it would only cost memory."""
        first_loads = store.person_first_loads()
        persons = store.persons(paired)
        agencies = store.agencies({p.recorded_by for p in persons.values() if p.recorded_by})
        kinds = {a.agency_id: a.kind for a in agencies.values()}
        found = frame.contexts(paired)
        return cls(persons, found, frame.related(paired), _naming(first_loads, persons, kinds), first_loads.keys())

    @classmethod
    def read_of(cls, store: Store, person_ids: Collection[str], *, naming: bool = True) -> Records:
        """Read the records ``person_ids`` (those stored) and what the model compares of them;
        without ``naming``, not their first loads (records compared but not clustered: each read
        as first loaded by load 0)."""
        facts = store.identity_records(person_ids)
        persons = {p.person_id: p for p in _only(facts, Person)}
        relationships = list(_only(facts, Relationship))
        mentions = list(_only(facts, Mention))
        children = store.contact_children({m.referral_id for m in mentions})
        # Relatives' names and dates of birth make the records' "similar relatives" keys.
        relatives = {r.person_id for r in relationships} | {r.related_person_id for r in relationships}
        everyone = store.persons(relatives | set(children.values()) - persons.keys()) | persons
        found = contexts(everyone, _only(facts, Household), _only(facts, Membership), relationships, children,
                         mentions)  # fmt: skip
        found = {record: context for record, context in found.items() if record in persons}
        agencies = store.agencies({p.recorded_by for p in persons.values() if p.recorded_by})
        kinds = {a.agency_id: a.kind for a in agencies.values()}
        related = {pair(r.person_id, r.related_person_id) for r in relationships}
        # A few hundred thousand candidates' first loads cost as much as every record's.
        first_loads = store.person_first_loads(person_ids) if naming else dict.fromkeys(persons, 0)
        return cls(persons, found, related, _naming(first_loads, persons, kinds), first_loads.keys())

    def rows(self, person_ids: Iterable[str] | None = None) -> list[dict[str, object]]:
        """The feature rows Splink compares, of ``person_ids`` (default: every record read)."""
        empty = Context()
        chosen = self.persons.keys() if person_ids is None else person_ids
        return [feature_row(self.persons[pid], self.contexts.get(pid, empty)) for pid in chosen]


def _every(store: Store, file: str, cls: type[T]) -> Iterator[T]:
    # Streamed: a large store's mentions would not fit in memory as objects all at once.
    return (record for batch in store.facts(file, batch_size=50_000) for record in batch if isinstance(record, cls))


def _only(records: Iterable[Record], cls: type[T]) -> Iterator[T]:
    return (record for record in records if isinstance(record, cls))


def _naming(first_loads: Mapping[str, int], persons: Mapping[str, Person], kinds: Mapping[str, str]) -> Naming:
    def social_care(record: str) -> bool:
        # A record not read is in no link, so alone in its identity: its agency names nothing.
        person = persons.get(record)
        return person is not None and kinds.get(person.recorded_by or "") == "social_care"

    return Naming(first_loads, social_care)
