"""The write side of one load into the Neo4j store: batches of records as ``UNWIND`` statements.

Each batch of records is written in two steps, all in ``queries/cypher/write.cypher``, each
one statement per batch: read the stored values of the batch's facts (a mention's with its
referral's referrer, its provenance), compare them here, then create the new facts (with
their edges) and replace the properties of the changed ones, stamping them with the load's
id, so that an unchanged fact keeps the provenance of the load that last changed it. The
first step is skipped for a file the store held no facts of when the load began, until the
load repeats one of its own keys (so a fresh store's first load reads nothing back). Before
either step, every id a record refers to must exist (in the store or earlier in the load),
as the embedded store's foreign keys require; otherwise the write raises
:class:`~familynet.errors.StoreError` and the load is undone.

A load commits whole or not at all, in one transaction up to ``commit_rows`` rows. A
larger one commits every ``commit_rows`` rows: one transaction of millions of facts costs
more per fact to commit, and must fit in the server's memory. Its changes are
undone as a transaction's would be, by :func:`undo_load`: the load journals the properties
of every fact it changes before it changes them, in the same transaction, and what it
created carries its id. Readers can see a large load's committed batches while it runs.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import suppress
from typing import Any

import neo4j

from familynet.errors import StoreError
from familynet.model.history import VERSIONED_FILES
from familynet.model.records import FILES, Record, Referral
from familynet.model.sources import FactSource
from familynet.stores.neo4j.properties import KINDS, STATEMENT_ROWS, FactRow, Kind, Values, chunks, native, same
from familynet.stores.neo4j.sources import source_rows
from familynet.stores.protocol import PersonFacts, WriteCounts
from familynet.stores.rows import referral_from_row, stored_date, stored_partial_date
from familynet.stores.versions import version_values

#: Rows a load writes in one transaction before it commits them and begins the next: at
#: 20,000 households, 10,000 took in 19,060 rows/s, 25,000 18,027, 50,000 16,962 and one
#: transaction 16,455.
COMMIT_ROWS = 10_000
#: Keys of a file a load remembers while the store held none of that file's facts when the
#: load began, so that it need not ask which it holds; past this many it asks again.
FRESH_KEYS = 5_000_000
_KNOWN_FILES = frozenset({"agencies", "persons", "households", "referrals", "assessments"})
#: Raised when a load finds it has been undone while it ran.
_UNDONE = "the load was undone while it ran (its lock was lost)"


class Neo4jLoad:
    """The write side of one load into a :class:`~familynet.stores.neo4j.store.Neo4jStore`.

    Begun in its first transaction, which creates the load's ``(:Load)``; ended by
    :meth:`finish` or :meth:`abort`. The caller holds the store's load lock throughout.
    """

    def __init__(
        self, session: neo4j.Session, cypher: Mapping[str, str], source: str, at: str, commit_rows: int = COMMIT_ROWS
    ) -> None:
        if commit_rows < 1:
            raise StoreError("a load commits at least one row at a time")
        self._session = session
        self._cypher = cypher
        self._commit_rows = commit_rows
        self._tx = session.begin_transaction()
        self._load_id: int = self._tx.run(cypher["begin_load"], source=source, at=at).single(strict=True)[0]
        self._uncommitted = 0
        self._committed = False
        # (file, key) of every fact whose properties this load has journaled.
        self._journaled: set[tuple[str, str]] = set()
        # Previous versions this load has kept, to order them within it.
        self._versions = 0
        # The facts of one batch are written (and committed, every commit_rows rows) on a
        # thread of the load's own while the caller reads and checks the next batch: a load
        # is otherwise the client's work and the server's one after the other. Every other
        # use of the transaction waits for that batch first (_ready), so one thread at a time
        # uses it, and the batch's error is raised to the caller there.
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="familynet-load")
        self._in_flight: Future[None] | None = None
        # Ids known to exist, by bundle file: written by this load or found in the store, so
        # that checking a record's references asks the store only about the others.
        self._known: dict[str, set[str]] = {file: set() for file in _KNOWN_FILES}
        # For each file the store held no facts of when the load began: hashes of the keys
        # this load has written. None until the first write asks the store.
        self._fresh: dict[str, set[int]] | None = None

    @property
    def load_id(self) -> int:
        """The id of this load's ``(:Load)`` node."""
        return self._load_id

    @property
    def _ready(self) -> neo4j.Transaction:
        """The load's open transaction, once the batch in flight is written (or its error raised)."""
        in_flight, self._in_flight = self._in_flight, None
        if in_flight is not None:
            in_flight.result()
        return self._tx

    def _column(self, name: str, ids: Collection[str]) -> list[list[Any]]:
        return [record.values() for record in self._ready.run(self._cypher[name], ids=list(ids))]

    def known_ids(self, file: str, ids: Collection[str]) -> set[str]:
        """Which of ``ids`` the store already holds for ``file``."""
        if file not in _KNOWN_FILES:
            raise StoreError(f"the store does not look up ids of {file!r}")
        found = {row[0] for row in self._column(f"known_{file}", ids)} if ids else set()
        self._known[file] |= found
        return found

    def person_facts(self, ids: Collection[str]) -> dict[str, PersonFacts]:
        """Dates of birth and death, sex and confidential marker of the stored persons among ``ids``."""
        return {
            row[0]: PersonFacts(stored_partial_date(row[1]), stored_date(row[2]), row[3], bool(row[4]))
            for row in self._column("person_facts", ids)
        }

    def stored_referrals(self, ids: Collection[str]) -> dict[str, Referral]:
        """The stored contacts and referrals among ``ids``, as of this load so far."""
        if not ids:
            return {}
        # Asking waits for the batch in flight: a load into a store that held no referrals
        # when it began, of referrals it has not written yet, need not ask (see _may_be_stored).
        written = self._fresh.get("referrals") if self._fresh is not None else None
        if written is not None and all(hash((i,)) not in written for i in ids):
            return {}
        return {row[0]: referral_from_row(tuple(row)) for row in self._column("referrals_by_id", ids)}

    def _check_references(self, kind: Kind, records: Sequence[Record]) -> None:
        wanted: dict[str, set[str]] = {}
        for file, name in kind.references:
            wanted.setdefault(file, set()).update(v for r in records if (v := getattr(r, name)) is not None)
        for file, ids in wanted.items():
            unknown = ids - self._known[file]
            found = self.known_ids(file, unknown)
            if len(found) < len(unknown):
                missing = len(unknown) - len(found)
                raise StoreError(f"a write refers to {missing} id(s) of {file} that are not in the store")

    def _may_be_stored(self, file: str, rows: Sequence[FactRow]) -> bool:
        """Whether any of ``rows`` may already be stored: false only when the store held no
        fact of ``file`` as the load began and no earlier write of the load had these keys
        (a hash collision merely asks the store)."""
        if self._fresh is None:
            counts = self._ready.run(self._cypher["fact_counts"]).single(strict=True)[0]
            self._fresh = {name: set() for name, count in counts.items() if count == 0}
        written = self._fresh.get(file)
        if written is None:
            return True
        hashes = {hash(tuple(row.k.values())) for row in rows}
        if len(written) + len(hashes) > FRESH_KEYS:
            del self._fresh[file]
            return True
        earlier = not written.isdisjoint(hashes)
        written |= hashes
        return earlier

    def write(self, records: Sequence[Record]) -> WriteCounts:
        """Create new facts and update changed ones; a fact whose values are unchanged is not touched."""
        if not records:
            return WriteCounts()
        cls = type(records[0])
        if any(type(r) is not cls for r in records):
            raise StoreError("a write takes records of one class")
        kind, file = KINDS[cls], FILES[cls]
        self._check_references(kind, records)
        rows = [FactRow(i, kind.key(r), kind.values(r)) for i, r in enumerate(records)]
        stored: dict[int, Mapping[str, Any]] = {}
        for chunk in chunks(rows, FactRow.key) if self._may_be_stored(file, rows) else ():
            for i, found, *provenance in self._ready.run(self._cypher[f"existing_{file}"], rows=chunk).values():
                if provenance:
                    rows[i].p["recorded_by"] = provenance[0]
                if found is not None:
                    stored[i] = found
        new = [row for row in rows if row.i not in stored]
        changed = [(row, stored[row.i]) for row in rows if row.i in stored and not same(stored[row.i], row.p)]
        # A fact's journal entry is its properties before the load first changed it; so is the
        # previous version a person, membership or relationship keeps.
        journal, versions = [], []
        for row, before in changed:
            key = json.dumps(row.k, sort_keys=True)
            if (file, key) not in self._journaled:
                self._journaled.add((file, key))
                journal.append({"key": key, "before": before})
                if file in VERSIONED_FILES:
                    versions.append(self._version(file, row, before))
        if file in _KNOWN_FILES:
            self._known[file].update(row.k["id"] for row in rows)
        self._uncommitted += len(rows)
        commit = self._uncommitted >= self._commit_rows
        if commit:
            self._uncommitted = 0
        tx = self._ready
        self._in_flight = self._writer.submit(self._write_rows, tx, file, new, changed, journal, versions, commit)
        return WriteCounts(len(new), len(changed), len(rows) - len(new) - len(changed))

    def record_sources(self, sources: Sequence[FactSource]) -> None:
        """Record where facts of this load were imported from (for facts the store holds), in the
        load's open transaction: the last, when called as the load ends, so an undone load has none."""
        if sources:
            self._ready.run(self._cypher["insert_fact_sources"], rows=source_rows(sources)).consume()

    def _write_rows(
        self,
        tx: neo4j.Transaction,
        file: str,
        new: list[FactRow],
        changed: list[tuple[FactRow, Mapping[str, Any]]],
        journal: list[Values],
        versions: list[Values],
        commit: bool,
    ) -> None:
        """Create ``new`` facts, journal and replace the ``changed`` ones (each with its stored
        properties), and commit if asked; on the load's writer thread."""
        for chunk in chunks(new, FactRow.fact):
            tx.run(self._cypher[f"create_{file}"], rows=chunk, load_id=self._load_id).consume()
        for chunk in chunks(journal, dict):
            tx.run(self._cypher["journal"], rows=chunk, load_id=self._load_id, file=file).consume()
        for chunk in chunks(versions, dict):
            tx.run(self._cypher["keep_previous_versions"], rows=chunk, load_id=self._load_id, file=file).consume()
        for chunk in chunks(changed, self._replacement):
            tx.run(self._cypher[f"update_{file}"], rows=chunk, load_id=self._load_id).consume()
        if commit:
            # Set first: a commit that fails may still have been made.
            self._committed = True
            self._commit(tx)
            self._tx = self._session.begin_transaction()

    def _version(self, file: str, row: FactRow, before: Mapping[str, Any]) -> Values:
        """The row of ``keep_previous_versions`` for a fact about to change from ``before``."""
        stored = {**row.k, **{name: native(value) for name, value in before.items()}}
        if file == "relationships":
            stored["type"] = str(stored["type"]).lower()
        self._versions += 1
        return {
            "person_id": stored["person_id"],
            "related_person_id": stored.get("related_person_id"),
            "fact": json.dumps(dict(version_values(file, stored)), ensure_ascii=False),
            "recorded_load": before.get("load_id"),
            "order": self._versions,
        }

    def _replacement(self, change: tuple[FactRow, Mapping[str, Any]]) -> Values:
        """A changed fact's row for ``update_*``: its whole new property map."""
        row, stored = change
        return {"k": row.k, "p": {**stored, **row.p, "load_id": self._load_id}}

    def _commit(self, tx: neo4j.Transaction) -> None:
        # Fenced: an undo begun by another process (which found the load's lock free: its
        # lock transaction ended) makes the load fail rather than commit behind its back.
        if not tx.run(self._cypher["fence_load"], load_id=self._load_id).values():
            raise StoreError(_UNDONE)
        tx.commit()

    def finish(self, at: str) -> None:
        """Mark the load finished and commit what is left of it; then forget its journal."""
        tx = self._ready
        self._writer.shutdown()
        if not tx.run(self._cypher["finish_load"], load_id=self._load_id, at=at).values():
            raise StoreError(_UNDONE)
        tx.commit()
        if self._journaled:
            self._session.run(self._cypher["forget_journal"], load_id=self._load_id).consume()

    def abort(self) -> None:
        """Roll back the open transaction and undo whatever the load has committed.

        The caller's error propagates, not the batch in flight's. If the server cannot be
        reached to undo it, the load stays unfinished, to be undone by the next load or the
        next opening of the store.
        """
        if self._in_flight is not None:
            wait([self._in_flight])
            self._in_flight = None
        self._writer.shutdown()
        with suppress(neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError):
            self._tx.close()
        # Whether or not a commit whose outcome is unknown went through: an undo leaves a
        # finished load as it is, and a load none of whose transactions committed does not exist.
        if self._committed:
            with suppress(neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError):
                undo_load(self._session, self._cypher, self._load_id)


def undo_load(session: neo4j.Session, cypher: Mapping[str, str], load_id: int) -> None:
    """Undo every committed change of the unfinished load ``load_id``, and forget the load.

    The load is first marked as being undone, in a commit of its own, which no batch of it
    commits after (``fence_load``); a finished load is left as it is. Each step can run
    again: a loader that dies while it undoes a load leaves it unfinished, to be undone again
    by the next load or opening of the store.
    """
    if not session.run(cypher["mark_undoing"], load_id=load_id).values():
        return
    session.run(cypher["undo_created_relationships"], load_id=load_id).consume()
    session.run(cypher["undo_created_nodes"], load_id=load_id).consume()
    while True:
        with session.begin_transaction() as tx:
            entries = tx.run(cypher["journal_entries"], load_id=load_id, limit=STATEMENT_ROWS).values()
            if not entries:
                break
            by_file: dict[str, list[Values]] = {}
            for _, file, key, properties in entries:
                before = {name: value for name, value in properties.items() if not name.startswith("undo_")}
                by_file.setdefault(file, []).append({"k": json.loads(key), "p": before})
            for file, rows in by_file.items():
                # Every concern code a fact held before the load is still stored: load_id None.
                tx.run(cypher[f"update_{file}"], rows=rows, load_id=None).consume()
            tx.run(cypher["forget_journal_entries"], ids=[entry[0] for entry in entries]).consume()
            tx.commit()
    session.run(cypher["forget_load"], load_id=load_id).consume()
