"""The Neo4j store: the same :class:`~familynet.stores.protocol.Store` over a Neo4j 5 server, for scale.

Opened with a ``neo4j://`` or ``bolt://`` URI (``--store`` or ``FAMILYNET_STORE``) and
credentials from the settings (``FAMILYNET_NEO4J_USER``, ``FAMILYNET_NEO4J_PASSWORD``),
never from the command line. The schema (``schema/neo4j/``) is applied on open by
:mod:`familynet.stores.neo4j.schema`; every statement is a named, parameterised query from
``queries/cypher/``. A load commits whole or not at all (:mod:`familynet.stores.neo4j.load`);
a family network is read in one read transaction, so it is one consistent snapshot; and
every session of a store shares one bookmark manager, so a read after a write through the
same store sees the write even on a cluster (causal consistency).

Family graphs are built by :func:`familynet.stores.extraction.extract_rows` from rows the
Cypher queries shape like the embedded store's: for the default three hops, all of a
network's (or a cohort batch's) rows come from one statement (:mod:`familynet.stores.neo4j.extraction`),
other depths take a few statements per hop. Searches are ranked by
:mod:`familynet.stores.name_search`, so both stores give the same graphs and the same hits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager

import neo4j
import networkx as nx
from neo4j.api import BookmarkManager

from familynet.errors import NotFoundError, StoreError
from familynet.model.cohort import CohortBatch, Mentions
from familynet.model.dates import PartialDate
from familynet.model.records import FILES, Agency, Person, Record, Referral
from familynet.settings import is_neo4j_uri
from familynet.stores.cohort import cohort_batches, cohort_mentions
from familynet.stores.extraction import MentionsKept, extract_rows
from familynet.stores.name_search import name_key, name_score
from familynet.stores.neo4j.extraction import STATEMENT_HOPS, NetworkRows
from familynet.stores.neo4j.history import Neo4jHistory
from familynet.stores.neo4j.identities import Neo4jIdentities
from familynet.stores.neo4j.load import COMMIT_ROWS, Neo4jLoad, undo_load
from familynet.stores.neo4j.schema import migrate
from familynet.stores.neo4j.sources import Neo4jSources
from familynet.stores.protocol import DEFAULT_HOPS, LoadSummary, LoadWriter, PersonMatch, Stats
from familynet.stores.queries import queries
from familynet.stores.rows import Row, person_from_row, record_from_row, referral_from_row

#: How long opening a store waits for the load lock to undo a dead loader's load.
LOCK_WAIT_SECONDS = 2.0
_LOCK_WAIT_ENDED = frozenset({
    "Neo.ClientError.Transaction.LockClientStopped",
    "Neo.ClientError.Transaction.Terminated",
    "Neo.ClientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
})  # fmt: skip


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Neo4jStore(Neo4jIdentities, Neo4jHistory, Neo4jSources):
    """A familynet store in a Neo4j 5 database."""

    def __init__(
        self,
        driver: neo4j.Driver,
        database: str | None = None,
        *,
        bookmark_manager: BookmarkManager | None = None,
        commit_rows: int = COMMIT_ROWS,
    ) -> None:
        """``bookmark_manager`` chains every session of the store (a new one by default); stores
        given the same one also see each other's writes. A load commits every ``commit_rows``
        rows (:mod:`familynet.stores.neo4j.load`)."""
        self._driver = driver
        self._database = database
        self._cypher = queries("cypher")
        self._bookmarks = bookmark_manager or neo4j.GraphDatabase.bookmark_manager()
        self._loading = False
        self._commit_rows = commit_rows
        try:
            driver.verify_connectivity()
            migrate(driver, database, self._cypher)
            self._recover()
        except neo4j.exceptions.AuthError as error:
            driver.close()
            raise StoreError("Neo4j refused the user and password of the settings") from error
        except neo4j.exceptions.ServiceUnavailable as error:
            driver.close()
            raise StoreError("the Neo4j server cannot be reached") from error
        except BaseException:
            driver.close()
            raise

    def close(self) -> None:
        """Close the driver and its connections."""
        self._driver.close()

    @contextmanager
    def load(self, source: str) -> Iterator[LoadWriter]:
        """One load: committed whole on a clean exit, undone on any exception.

        A load of up to ``commit_rows`` rows is one transaction; a larger one commits in
        batches and is undone from its journal (:mod:`familynet.stores.neo4j.load`).
        """
        with self._locked() as session:
            writer = Neo4jLoad(session, self._cypher, source, _now(), self._commit_rows)
            self._loading = True
            try:
                yield writer
                writer.finish(_now())
            except neo4j.exceptions.Neo4jError as error:
                writer.abort()
                # The server's message may quote values; the code names what went wrong.
                raise StoreError(f"Neo4j refused the load ({error.code})") from error
            except BaseException:
                writer.abort()
                raise
            finally:
                self._loading = False

    @contextmanager
    def _locked(self) -> Iterator[neo4j.Session]:
        """A write session with the load lock held, once the loads of loaders that died are undone.

        The lock is a write lock taken by a transaction of its own and never committed: it
        serialises loads, and the server releases it when the load ends or its loader's
        connection closes.
        """
        with self._session(neo4j.WRITE_ACCESS) as lock, lock.begin_transaction() as held:
            held.run(self._cypher["hold_load_lock"], at=_now()).consume()
            with self._session(neo4j.WRITE_ACCESS) as session:
                for (load_id,) in session.run(self._cypher["unfinished_loads"]).values():
                    undo_load(session, self._cypher, load_id)
                session.run(self._cypher["forget_journals"]).consume()
                yield session
            held.rollback()

    def _recover(self) -> None:
        """Undo, on opening, a load whose loader died; not a running load's (unfinished
        until it ends), whose lock is held, as a short wait for it shows."""
        if not self._read("unfinished_loads"):
            return
        try:
            with self._session(neo4j.WRITE_ACCESS) as probe, probe.begin_transaction(timeout=LOCK_WAIT_SECONDS) as tx:
                tx.run(self._cypher["hold_load_lock"], at=_now()).consume()
                tx.rollback()
        except neo4j.exceptions.Forbidden:
            # A user who may only read leaves the undo to one who may write.
            return
        except neo4j.exceptions.ClientError as error:
            # The wait for the lock ran out (how the server says so varies): a load is running.
            if error.code in _LOCK_WAIT_ENDED:
                return
            raise
        # Taking the lock undoes them.
        with self._locked():
            pass

    def person(self, person_id: str) -> Person | None:
        """One person by id, or None."""
        return self.persons([person_id]).get(person_id)

    def persons(self, person_ids: Collection[str]) -> dict[str, Person]:
        """The stored persons among ``person_ids``, by id."""
        return {row[0]: person_from_row(row) for row in self._read("persons_by_id", ids=list(person_ids))}

    def agencies(self, agency_ids: Collection[str]) -> dict[str, Agency]:
        """The stored agencies among ``agency_ids``, by id."""
        return {row[0]: Agency(*row) for row in self._read("agencies_by_id", ids=list(agency_ids))}

    def referrals(self, referral_ids: Collection[str]) -> dict[str, Referral]:
        """The stored contacts and referrals among ``referral_ids``, by id."""
        return {row[0]: referral_from_row(row) for row in self._read("referrals_by_id", ids=list(referral_ids))}

    def search_persons(self, name: str, date_of_birth: PartialDate | None = None, limit: int = 20) -> list[PersonMatch]:
        """Persons with a name token beginning with a token of ``name``, ignoring accents and
        case, and a recorded date of birth compatible with ``date_of_birth`` if given; those
        with most exact token matches first, then by score (as the embedded store ranks them)."""
        tokens = list(dict.fromkeys(name_key(name).split()))
        if not tokens or limit < 1:
            return []
        # Keys hold only letters, digits and spaces, none of them special to Lucene.
        query = " ".join(f"{token}*" for token in tokens)
        earliest = date_of_birth.earliest() if date_of_birth is not None else None
        latest = date_of_birth.latest() if date_of_birth is not None else None
        scored = []
        for row in self._read("search_persons", query=query, earliest=earliest, latest=latest):
            exact, score = name_score(tokens, (row[-1] or "").split())
            scored.append((-exact, -score, row[0], row))
        scored.sort(key=lambda s: s[:3])
        return [PersonMatch(person_from_row(row), -score) for _, score, _, row in scored[:limit]]

    def family_network(self, person_id: str, hops: int = DEFAULT_HOPS, *, identities: bool = False) -> nx.MultiDiGraph:
        """The family network within ``hops`` of a person, over identities with ``identities``;
        NotFoundError if there is none."""
        return self._extract({person_id}, hops, check=True, identities=identities)

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
        """Stream the subjects of contacts and referrals received in ``[start, end]`` in id
        order, ``batch_size`` at a time, each batch with the union of their family networks
        (without ``MENTIONS`` edges unless ``mentions``, with only the cohort's own with ``"cohort"``),
        each identity one subject and one node unless not ``identities``; with ``part=(k, n)``,
        only the batches whose position is ``k`` modulo ``n``."""
        kept = cohort_mentions(mentions, start, end)
        return cohort_batches(
            lambda after: self._read("cohort_subjects", start=start, end=end, after=after, limit=batch_size),
            lambda seeds: self._extract(seeds, hops, mentions=kept, identities=identities),
            batch_size,
            self if identities else None,
            part,
        )

    def stats(self) -> Stats:
        """Counts by node label and relationship type (zero for those absent)."""
        ((labels, relationships),) = self._read("stats")
        return Stats(labels, relationships)

    def last_load(self) -> LoadSummary | None:
        """The most recent finished load, or None before any."""
        rows = self._read("last_load")
        return LoadSummary(int(rows[0][0]), rows[0][1], rows[0][2]) if rows else None

    def facts(self, file: str, *, batch_size: int = 10_000) -> Iterator[list[Record]]:
        """Every stored record of the bundle file ``file``, in key order, ``batch_size`` at a time,
        streamed from one read transaction."""
        cls = next((c for c, name in FILES.items() if name == file), None)
        if cls is None:
            raise StoreError(f"no bundle file {file!r}")
        with self._session(neo4j.READ_ACCESS) as session, session.begin_transaction() as tx:
            batch: list[Record] = []
            for record in tx.run(self._cypher[f"all_{file}"]):
                batch.append(record_from_row(cls, tuple(record.values())))
                if len(batch) == batch_size:
                    yield batch
                    batch = []
            if batch:
                yield batch

    def _extract(
        self,
        seeds: set[str],
        hops: int,
        *,
        check: bool = False,
        mentions: MentionsKept = True,
        identities: bool = False,
    ) -> nx.MultiDiGraph:
        """The family networks of ``seeds`` in one read transaction, over identities with
        ``identities``; with ``check``, first NotFoundError for a seed that is not a stored person
        (in the same round of queries)."""

        def work(tx: neo4j.ManagedTransaction) -> nx.MultiDiGraph:
            # The one statement walks records, not identities: the identity view asks hop by hop.
            if hops == STATEMENT_HOPS and not identities:
                # One round trip: the network's rows, then the shared extraction over them.
                record = tx.run(self._cypher["family_networks"], ids=list(seeds)).single(strict=True)
                if check and len(record["found"]) < len(seeds):
                    raise NotFoundError(f"no person with id {min(seeds)!r}")
                # Not record.data(): it walks every value to convert graph types, and these are plain lists.
                rows = NetworkRows(dict(zip(record.keys(), record.values(), strict=True)))
                return extract_rows(rows.fetch, seeds, hops, mentions=mentions)

            def fetch(name: str, ids: Iterable[str]) -> list[Row]:
                return [tuple(record.values()) for record in tx.run(self._cypher[name], ids=list(ids))]

            if check and len(fetch("known_persons", seeds)) < len(seeds):
                raise NotFoundError(f"no person with id {min(seeds)!r}")
            return extract_rows(fetch, seeds, hops, mentions=mentions, identities=identities)

        with self._session(neo4j.READ_ACCESS) as session:
            return session.execute_read(work)


#: The bookmarks of each database, shared by the stores a process opens on it: a service worker
#: writes through stores of other threads (its mutations', its access log's) and reads through
#: its loop's, and a read after a write must see it even on a cluster.
_BOOKMARKS: dict[tuple[str, str | None], BookmarkManager] = {}


def open_neo4j(
    uri: str,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
    *,
    commit_rows: int | None = None,
) -> Neo4jStore:
    """Open (and migrate as needed) the Neo4j store at ``uri``; no password means no authentication."""
    if not is_neo4j_uri(uri):
        raise StoreError("a Neo4j store URI begins with neo4j:// or bolt://")
    auth = (user or "neo4j", password) if password else None
    # Notifications (unknown labels in an empty database, and the like) are for query authors, not logs.
    driver = neo4j.GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF")
    bookmarks = _BOOKMARKS.setdefault((uri, database), neo4j.GraphDatabase.bookmark_manager())
    return Neo4jStore(
        driver, database, bookmark_manager=bookmarks, commit_rows=COMMIT_ROWS if commit_rows is None else commit_rows
    )
