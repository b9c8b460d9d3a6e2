"""Moving a whole dataset between stores (``familynet copy``), verified by counts and checksums.

Every fact of the source is written to an empty target as one load, bundle file by
bundle file in the order a bundle loads, then the access log is appended entry by
entry (its hash chain recomputes to the same hashes, since an entry's hash covers only
its own fields and the hash before it). The copy is then read back: for each file the
number of facts and a checksum of them, the sum modulo 2**256 of the SHA-256 of each
fact's canonical JSON, which does not depend on the order a store returns facts in,
must equal the source's, as must the log's last hash. Identity links, review candidates,
decisions, memberships and aliases are copied as they are and must read back equal; the blocking
keys too (count and checksum), so that the first link after a copy finds its candidates by key
rather than resolving in full; as must
the previous versions of persons, memberships and relationships (with their provenance: the
loads that recorded and replaced them are named by source and time, not by the source's load
ids, which the target does not have), and the sources of imported facts. API users are not copied: the
stores keep only their tokens' hashes, so issue new tokens on the target.

>>> from familynet.model.records import Agency
>>> fact_digest(Agency("A1", "Children's Services", "social_care")) > 0
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import astuple, dataclass

from familynet.errors import StoreError
from familynet.model.identity import IdentityChanges
from familynet.model.records import FILES, Record
from familynet.stores.protocol import Store

_MODULUS = 2**256


@dataclass(frozen=True)
class Tally:
    """How many facts a bundle file has in a store, and their checksum (hex)."""

    count: int
    checksum: str


def fact_digest(record: Record) -> int:
    """The SHA-256 of a fact's canonical JSON (class, then fields in order), as a number."""
    values = [_canonical(v) for v in astuple(record)]
    text = json.dumps([type(record).__name__, *values], ensure_ascii=False, separators=(",", ":"), default=str)
    return int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")


def _canonical(value: object) -> object:
    # Instants carry their offset; a set of names is listed in order, whatever its hash order.
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(value)
    return value


def tally(store: Store, batch_size: int = 10_000) -> dict[str, Tally]:
    """The count and checksum of every bundle file's facts in ``store``."""
    found = {}
    for file in FILES.values():
        count = total = 0
        for batch in store.facts(file, batch_size=batch_size):
            count += len(batch)
            total = (total + sum(fact_digest(record) for record in batch)) % _MODULUS
        found[file] = Tally(count, f"{total:064x}")
    return found


def key_tally(batches: Iterable[list[tuple[int, str]]]) -> Tally:
    """The count and checksum of blocking keys, ``(key, record)`` rows, in any order.

    >>> key_tally([[(7, "P1")], [(3, "P2")]]) == key_tally([[(3, "P2"), (7, "P1")]])
    True
    """
    count = total = 0
    for batch in batches:
        count += len(batch)
        for key, record in batch:
            digest = hashlib.sha256(f"{key}\x1f{record}".encode()).digest()
            total = (total + int.from_bytes(digest, "big")) % _MODULUS
    return Tally(count, f"{total:064x}")


def copy_store(
    source: Store, target: Store, *, batch_size: int = 10_000, progress: Callable[[int], None] | None = None
) -> dict[str, Tally]:
    """Copy every fact and the access log of ``source`` into the empty ``target`` and verify it;
    return the tallies both now share. ``progress`` is called with each batch's size."""
    stats = target.stats()
    if any(stats.labels.values()) or target.access_entries(limit=1):
        raise StoreError("the target store is not empty: copy into a new store")
    with target.load("familynet copy") as writer:
        for file in FILES.values():
            for batch in source.facts(file, batch_size=batch_size):
                writer.write(batch)
                if progress is not None:
                    progress(len(batch))
    after = 0
    while entries := source.access_entries(after=after, limit=batch_size):
        copied = target.append_access([entry.request for entry in entries])
        if [e.entry_hash for e in copied] != [e.entry_hash for e in entries]:
            raise StoreError(f"the access log copied from entry {after + 1} does not chain to the same hashes")
        after = entries[-1].sequence
    identities = source.identity_state()
    target.apply_identity_changes(
        IdentityChanges(
            identities.links,
            (),
            identities.candidates,
            (),
            identities.members,
            identities.aliases,
            identities.decisions,
        )
    )
    if target.identity_state() != identities:
        raise StoreError("the identities copied do not match their source: was it written to during the copy?")
    target.replace_identity_keys(None, (row for batch in source.identity_keys() for row in batch))
    if key_tally(target.identity_keys()) != key_tally(source.identity_keys()):
        raise StoreError("the blocking keys copied do not match their source: was it written to during the copy?")
    history = source.previous_versions()
    target.keep_previous_versions(history)
    if target.previous_versions() != history:
        raise StoreError("the previous versions copied do not match their source: was it written to during the copy?")
    sources = source.fact_sources()
    target.keep_fact_sources(sources)
    if target.fact_sources() != sources:
        raise StoreError("the fact sources copied do not match their source: was it written to during the copy?")
    expected, landed = tally(source, batch_size), tally(target, batch_size)
    for file, wanted in expected.items():
        if landed[file] != wanted:
            raise StoreError(
                f"the copy of {file} does not match its source ({landed[file].count} facts, "
                f"{wanted.count} expected): was the source written to during the copy?"
            )
    return expected
