"""The ``Store`` protocol: what every backend (SQLite, Neo4j) does.

Stores do storage, indexing and subgraph extraction only. Every safeguarding
rule lives once, in :mod:`familynet.analyses`, over the graphs stores return.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

import networkx as nx

from familynet.access.auth import Role
from familynet.access.log import AccessEntry, AccessRequest
from familynet.model.cohort import CohortBatch, Mentions
from familynet.model.dates import PartialDate
from familynet.model.history import PreviousVersion
from familynet.model.identity import IdentityChanges, IdentityState
from familynet.model.records import Agency, Person, Record, Referral
from familynet.model.sources import FactSource

#: Default hops of a family network: far enough for step-siblings through a
#: parent's partner (child -> parent -> partner -> partner's child) and for
#: co-members of every household a parent or sibling lives in.
DEFAULT_HOPS = 3


@dataclass(frozen=True)
class WriteCounts:
    """What one batch write did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: WriteCounts) -> WriteCounts:
        return WriteCounts(
            self.inserted + other.inserted,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )


@dataclass(frozen=True)
class PersonMatch:
    """A search hit: the person and a score in [0, 1], higher is closer."""

    person: Person
    score: float


@dataclass(frozen=True)
class Stats:
    """Counts by node label and by relationship type."""

    labels: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadSummary:
    """A finished load, as a report names the data it ran on."""

    load_id: int
    source: str
    finished_at: str


@dataclass(frozen=True)
class PersonFacts:
    """What ingest needs of an already stored person: to check plausibility, and the marker a
    persons file without its ``confidential`` column leaves as it is."""

    date_of_birth: PartialDate | None
    date_of_death: dt.date | None
    sex: str
    confidential: bool = False


@dataclass(frozen=True)
class User:
    """An API user (a service account). The store keeps only the SHA-256 of its token."""

    name: str
    role: Role
    agency_id: str | None
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None


class LoadWriter(Protocol):
    """The write side of one load: everything in it commits together or not at all."""

    @property
    def load_id(self) -> int:
        """The id stamped as provenance on every fact this load changes."""
        ...

    def known_ids(self, file: str, ids: Collection[str]) -> set[str]:
        """Which of ``ids`` already exist in the store for the bundle file ``file``
        (``agencies``, ``persons``, ``households``, ``referrals`` or ``assessments``)."""
        ...

    def person_facts(self, ids: Collection[str]) -> dict[str, PersonFacts]:
        """Dates of birth and death, sex and confidential marker of stored persons."""
        ...

    def stored_referrals(self, ids: Collection[str]) -> dict[str, Referral]:
        """The stored contacts and referrals among ``ids``, as of this load so far."""
        ...

    def write(self, records: Sequence[Record]) -> WriteCounts:
        """Insert or update records of one class; unchanged facts keep their provenance."""
        ...

    def record_sources(self, sources: Sequence[FactSource]) -> None:
        """Record where facts of this load were imported from: only for facts the store holds,
        and a source already recorded keeps the load that first recorded it."""
        ...


class Store(Protocol):
    """A familynet backend."""

    def close(self) -> None:
        """Release the connection."""
        ...

    def load(self, source: str) -> AbstractContextManager[LoadWriter]:
        """Open one load named after its ``source``: committed whole on a clean exit, and
        leaving nothing on any exception."""
        ...

    def person(self, person_id: str) -> Person | None:
        """One person by id."""
        ...

    def persons(self, person_ids: Collection[str]) -> dict[str, Person]:
        """The stored persons among ``person_ids``, by id, in one call (batched look-ups)."""
        ...

    def agencies(self, agency_ids: Collection[str]) -> dict[str, Agency]:
        """The stored agencies among ``agency_ids``, by id, in one call."""
        ...

    def referrals(self, referral_ids: Collection[str]) -> dict[str, Referral]:
        """The stored contacts and referrals among ``referral_ids``, by id, in one call."""
        ...

    def search_persons(self, name: str, date_of_birth: PartialDate | None = None, limit: int = 20) -> list[PersonMatch]:
        """Persons whose names match ``name``, ignoring accents and case, best first."""
        ...

    def family_network(self, person_id: str, hops: int = DEFAULT_HOPS, *, identities: bool = False) -> nx.MultiDiGraph:
        """The family network within ``hops`` of a person (see :mod:`familynet.model.network`); with
        ``identities``, hops counted between identities: every person reached brings every record of
        their identity at the same hop (still one node per record; :mod:`familynet.identity.view` merges them)."""
        ...

    def cohort(
        self,
        start: dt.date,
        end: dt.date,
        *,
        batch_size: int = 500,
        hops: int = DEFAULT_HOPS,
        mentions: Mentions = True,
        identities: bool = True,
        part: tuple[int, int] = (0, 1),
    ) -> Iterator[CohortBatch]:
        """Stream the family networks of the subjects of contacts and referrals received
        in ``[start, end]``, ``batch_size`` subjects at a time, in subject id order; without
        ``mentions``, leave out their ``MENTIONS`` edges, and with ``"cohort"`` keep only
        those of the cohort's contacts and referrals (see :class:`CohortBatch`). With
        ``identities`` (the default) each identity is one subject, in the batch of its first
        record, and one Person node (:mod:`familynet.stores.identity_view`); without, one per record.
        With ``part=(k, n)``, only the batches whose position (from 0) is ``k`` modulo ``n``: one
        process's share when ``n`` share the cohort out."""
        ...

    def stats(self) -> Stats:
        """Counts by label and relationship type."""
        ...

    def last_load(self) -> LoadSummary | None:
        """The most recent finished load (its id, source and when it finished), or None before any."""
        ...

    def facts(self, file: str, *, batch_size: int = 10_000) -> Iterator[list[Record]]:
        """Every stored record of the bundle file ``file`` (``agencies`` to ``assessments``, see
        :data:`familynet.model.records.FILES`), ``batch_size`` at a time: what ``familynet copy`` moves."""
        ...

    def previous_versions(self, person_ids: Collection[str] | None = None) -> list[PreviousVersion]:
        """The versions of persons, memberships and relationships that later loads or mutations
        replaced, of the facts about ``person_ids`` (either end of a relationship; None: every
        one), in the order they were replaced."""
        ...

    def keep_previous_versions(self, versions: Sequence[PreviousVersion]) -> None:
        """Add versions copied from another store, as they are (what ``familynet copy`` carries)."""
        ...

    def fact_sources(self, file: str | None = None) -> list[FactSource]:
        """The sources of the imported facts of the bundle file ``file`` (None: of every file), in order."""
        ...

    def keep_fact_sources(self, sources: Sequence[FactSource]) -> None:
        """Add sources copied from another store, as they are (what ``familynet copy`` carries)."""
        ...

    def add_user(self, name: str, role: Role, agency_id: str | None, token_hash: str, at: dt.datetime) -> User:
        """Add an API user; raise :class:`~familynet.errors.UserExistsError` if the name is taken."""
        ...

    def revoke_user(self, name: str, at: dt.datetime) -> bool:
        """Revoke a user's token; False when there is no such active user."""
        ...

    def users(self) -> list[User]:
        """Every user, revoked ones included, by name."""
        ...

    def user_by_token_hash(self, token_hash: str) -> User | None:
        """The active (not revoked) user whose token has this hash."""
        ...

    def append_access(self, requests: Sequence[AccessRequest]) -> list[AccessEntry]:
        """Append to the hash-chained access log, durably, before returning; raise
        :class:`~familynet.errors.StoreError` when the entries cannot be written."""
        ...

    def access_entries(
        self,
        *,
        after: int = 0,
        limit: int | None = None,
        user: str | None = None,
        person_id: str | None = None,
    ) -> list[AccessEntry]:
        """Entries with a sequence above ``after``, in order; only ``user``'s, or only those
        naming ``person_id``, when given."""
        ...

    def identity_state(self) -> IdentityState:
        """Every identity link, review candidate, decision, record-to-identity membership and alias."""
        ...

    def identity_state_of(self, person_ids: Collection[str]) -> IdentityState:
        """The identity facts about the records ``person_ids``: every candidate and decision whose
        pair names one of them, and the identities of those candidates' records (no links or aliases)."""
        ...

    def identity_state_around(self, person_ids: Collection[str]) -> IdentityState:
        """The identity facts around the records ``person_ids``: the links, candidates and
        decisions whose pair names one of them, and every record of their identities (no aliases)."""
        ...

    def identity_totals(self) -> tuple[int, int, int, int]:
        """The records, the records in an identity named after another record, the links the
        model made, and the pairs queued for review."""
        ...

    def identities_of(self, person_ids: Collection[str]) -> dict[str, str]:
        """Every record of the identities of the records ``person_ids``, to its identity id
        (records never resolved are absent: each is its own identity)."""
        ...

    def identity_records(self, person_ids: Collection[str]) -> list[Record]:
        """What identity resolution compares of the records ``person_ids``: those persons, their
        memberships and households, the relationships touching them, and their mentions
        (:mod:`familynet.stores.identity_records`)."""
        ...

    def contact_children(self, referral_ids: Collection[str]) -> dict[str, str]:
        """The child of each stored contact or referral of ``referral_ids``."""
        ...

    def replace_identity_keys(self, records: Collection[str] | None, keys: Iterable[tuple[int, str]]) -> None:
        """Replace the blocking keys (:mod:`familynet.identity.blocking`) of ``records`` (None: of
        every record) by ``keys``, ``(key, record)`` rows, in one transaction."""
        ...

    def identity_keys(self, *, batch_size: int = 100_000) -> Iterator[list[tuple[int, str]]]:
        """Every stored blocking key, ``(key, record)`` rows, ``batch_size`` at a time (``familynet copy``)."""
        ...

    def persons_with_identity_keys(self, keys: Collection[int]) -> set[str]:
        """The records holding any of the blocking ``keys``."""
        ...

    def lacks_identity_keys(self, besides: Collection[str]) -> bool:
        """Whether a record other than ``besides`` holds no blocking key (loaded without
        linking, copied, or stored before the keys were kept): linking a few records could not
        find it as a candidate."""
        ...

    def identity_key_counts(self, keys: Collection[int]) -> dict[int, int]:
        """How many records hold each of ``keys`` (absent: none)."""
        ...

    def person_first_loads(self, person_ids: Collection[str] | None = None) -> dict[str, int]:
        """The load that first recorded each person of ``person_ids`` that is stored (None: every
        person), by person id (the identity id rule's "earliest")."""
        ...

    def apply_identity_changes(self, changes: IdentityChanges) -> None:
        """Write a resolution's or a decision's changes in one transaction; raise
        :class:`~familynet.errors.StoreError` inside a load or when they cannot be written."""
        ...
