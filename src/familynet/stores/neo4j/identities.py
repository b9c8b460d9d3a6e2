"""Identity resolution's links, review queue, decisions, record-to-identity map and aliases in
the Neo4j store.

:class:`Neo4jIdentities` is mixed into :class:`~familynet.stores.neo4j.store.Neo4jStore`; it runs
the named queries of ``queries/cypher/identity.cypher``. A set of changes is one write
transaction, its rows sent 10,000 at a time: a resolution or a decision lands whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from itertools import islice

import neo4j

from familynet.errors import StoreError
from familynet.model.identity import IdentityChanges, IdentityState
from familynet.model.records import Record
from familynet.stores.identity_records import contact_children, identity_records
from familynet.stores.identity_rows import (
    Row,
    alias_from_row,
    alias_row,
    candidate_from_row,
    candidate_row,
    decision_from_row,
    decision_row,
    link_from_row,
    link_row,
)
from familynet.stores.neo4j.accounts import Neo4jAccounts

#: Rows sent in one statement of a write.
_CHUNK = 10_000


class Neo4jIdentities(Neo4jAccounts):
    """Identity operations, over the sessions and named queries of :class:`Neo4jAccounts`."""

    def identity_state(self) -> IdentityState:
        """Every link, candidate, decision, membership and alias the store holds."""
        return IdentityState(
            links=tuple(link_from_row(row) for row in self._read("identity_links")),
            candidates=tuple(candidate_from_row(row) for row in self._read("identity_candidates")),
            decisions=tuple(decision_from_row(row) for row in self._read("identity_decisions")),
            members={row[0]: row[1] for row in self._read("identity_members")},
            aliases=tuple(alias_from_row(row) for row in self._read("identity_aliases")),
        )

    def identity_state_of(self, person_ids: Collection[str]) -> IdentityState:
        """The candidates and decisions naming ``person_ids``, and the identities of their records."""
        ids = list(person_ids)
        candidates = tuple(candidate_from_row(row) for row in self._read("identity_candidates_of", ids=ids))
        named = sorted({r for c in candidates for r in c.pair})
        return IdentityState(
            candidates=candidates,
            decisions=tuple(decision_from_row(row) for row in self._read("identity_decisions_of", ids=ids)),
            members={row[0]: row[1] for row in self._read("identity_members_of", ids=named)},
        )

    def identity_state_around(self, person_ids: Collection[str]) -> IdentityState:
        """The links, candidates and decisions naming ``person_ids``, and every record of their identities."""
        ids = list(person_ids)
        return IdentityState(
            links=tuple(link_from_row(row) for row in self._read("identity_links_of", ids=ids)),
            candidates=tuple(candidate_from_row(row) for row in self._read("identity_candidates_of", ids=ids)),
            decisions=tuple(decision_from_row(row) for row in self._read("identity_decisions_of", ids=ids)),
            members=self.identities_of(ids),
        )

    def identity_totals(self) -> tuple[int, int, int, int]:
        """Records, records named after another, the model's links, and the review queue."""
        ((records, merged, auto, queued),) = self._read("identity_totals")
        return records, merged, auto, queued

    def identities_of(self, person_ids: Collection[str]) -> dict[str, str]:
        """Every record of the identities of ``person_ids``, to its identity id."""
        return {row[0]: row[1] for row in self._read("identities_of", ids=list(person_ids))}

    def identity_records(self, person_ids: Collection[str]) -> list[Record]:
        """What identity resolution compares of the records ``person_ids``."""
        return identity_records(self._fetch, person_ids)

    def contact_children(self, referral_ids: Collection[str]) -> dict[str, str]:
        """The child of each stored contact or referral of ``referral_ids``."""
        return contact_children(self._fetch, referral_ids)

    def _fetch(self, name: str, ids: Iterable[str]) -> list[Row]:
        return self._read(name, ids=list(ids))

    def replace_identity_keys(self, records: Collection[str] | None, keys: Iterable[tuple[int, str]]) -> None:
        """Replace the blocking keys of ``records`` (None: every record's) by ``keys``."""

        def work(tx: neo4j.ManagedTransaction) -> None:
            if records is None:
                tx.run(self._cypher["delete_identity_keys"]).consume()
            else:
                tx.run(self._cypher["delete_identity_keys_of"], ids=list(records)).consume()
            rows = iter(keys)
            while chunk := [list(row) for row in islice(rows, _CHUNK)]:
                tx.run(self._cypher["insert_identity_keys"], rows=chunk).consume()

        self._write_all(work, "the blocking keys could not be written")

    def identity_keys(self, *, batch_size: int = 100_000) -> Iterator[list[tuple[int, str]]]:
        """Every stored blocking key, ``(key, record)`` rows, ``batch_size`` at a time, streamed
        from one read transaction."""
        with self._session(neo4j.READ_ACCESS) as session, session.begin_transaction() as tx:
            rows = (tuple(record.values()) for record in tx.run(self._cypher["identity_keys"]))
            while batch := [(key, record) for key, record in islice(rows, batch_size)]:
                yield batch

    def persons_with_identity_keys(self, keys: Collection[int]) -> set[str]:
        """The records holding any of ``keys``."""
        return {row[0] for row in self._read("persons_with_identity_keys", keys=list(keys))}

    def lacks_identity_keys(self, besides: Collection[str]) -> bool:
        """Whether a record other than ``besides`` holds no blocking key."""
        return bool(self._read("a_record_without_identity_keys", besides=list(besides)))

    def identity_key_counts(self, keys: Collection[int]) -> dict[int, int]:
        """How many records hold each of ``keys``."""
        return {row[0]: row[1] for row in self._read("identity_key_counts", keys=list(keys))}

    def person_first_loads(self, person_ids: Collection[str] | None = None) -> dict[str, int]:
        """The load that first recorded each stored person of ``person_ids`` (None: every person), by person id."""
        if person_ids is None:
            return {row[0]: row[1] for row in self._read("person_first_loads")}
        return {row[0]: row[1] for row in self._fetch("person_first_loads_of", person_ids)}

    def apply_identity_changes(self, changes: IdentityChanges) -> None:
        """Write ``changes`` in one transaction."""
        steps: list[tuple[str, str, Sequence[Row]]] = [
            ("apply_identity_decisions", "rows", [decision_row(d) for d in changes.decisions]),
            ("delete_identity_links", "pairs", list(changes.links_removed)),
            ("insert_identity_links", "rows", [link_row(link) for link in changes.links_added]),
            ("delete_identity_candidates", "pairs", list(changes.candidates_removed)),
            ("insert_identity_candidates", "rows", [candidate_row(c) for c in changes.candidates_added]),
            ("upsert_identity_members", "rows", list(changes.members.items())),
            ("insert_identity_aliases", "rows", [alias_row(a) for a in changes.aliases]),
        ]

        def work(tx: neo4j.ManagedTransaction) -> None:
            for query, name, rows in steps:
                for start in range(0, len(rows), _CHUNK):
                    tx.run(self._cypher[query], {name: [list(r) for r in rows[start : start + _CHUNK]]}).consume()

        self._write_all(work, "the identities could not be written")

    def _write_all(self, work: Callable[[neo4j.ManagedTransaction], None], failure: str) -> None:
        """Run ``work`` in one write transaction; :class:`StoreError` (``failure``) inside a load
        or when Neo4j refuses it."""
        if self._loading:
            raise StoreError("identities cannot be written inside a load")
        try:
            with self._session(neo4j.WRITE_ACCESS) as session:
                session.execute_write(work)
        except neo4j.exceptions.Neo4jError as error:
            raise StoreError(failure) from error
