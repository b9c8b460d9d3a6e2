"""The access log: who read which person's data, why, and whether they were allowed.

Entries form a hash chain: each entry's hash covers its own fields and the hash
of the entry before it, so changing, removing or reordering any entry breaks
every hash after it. :func:`verify_chain` finds the first entry that does not fit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

#: The previous hash of the first entry.
GENESIS = "0" * 64


@dataclass(frozen=True)
class AccessRequest:
    """One read, before it is appended: what the store is asked to record."""

    at: dt.datetime
    user: str
    role: str
    agency_id: str | None
    purpose: str | None
    operation: str
    person_ids: tuple[str, ...]
    allowed: bool
    correlation_id: str


@dataclass(frozen=True)
class AccessEntry:
    """One appended entry of the access log."""

    sequence: int
    request: AccessRequest
    previous_hash: str
    entry_hash: str


@dataclass(frozen=True)
class ChainCheck:
    """The result of checking a log: how many entries, and the first that breaks the chain."""

    entries: int
    first_broken: int | None

    @property
    def ok(self) -> bool:
        """Whether every entry fits the chain."""
        return self.first_broken is None


def timestamp(at: dt.datetime) -> str:
    """The canonical text of an entry's time, as hashed and as stored: UTC, to the microsecond.

    >>> timestamp(dt.datetime(2025, 1, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=1))))
    '2025-01-01T11:00:00.000000+00:00'
    """
    if at.tzinfo is None:
        # A naive time would be read as the server's local time and hash differently elsewhere.
        raise ValueError("access log times must carry a time zone")
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def entry_hash(sequence: int, request: AccessRequest, previous_hash: str) -> str:
    """The SHA-256 of an entry: its sequence, its fields and the previous entry's hash.

    >>> r = AccessRequest(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), "u", "auditor", None,
    ...                   None, "personQuery", ("P1",), True, "c1")
    >>> entry_hash(1, r, GENESIS) == entry_hash(1, r, GENESIS)
    True
    >>> entry_hash(1, r, GENESIS) == entry_hash(2, r, GENESIS)
    False
    """
    canonical = json.dumps(
        [
            sequence,
            timestamp(request.at),
            request.user,
            request.role,
            request.agency_id,
            request.purpose,
            request.operation,
            list(request.person_ids),
            request.allowed,
            request.correlation_id,
            previous_hash,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def chain(sequence: int, request: AccessRequest, previous_hash: str) -> AccessEntry:
    """The entry that appends ``request`` after an entry with hash ``previous_hash``."""
    return AccessEntry(sequence, request, previous_hash, entry_hash(sequence, request, previous_hash))


def verify_chain(entries: Iterable[AccessEntry]) -> ChainCheck:
    """Check that entries, in sequence order from the first, form an unbroken chain."""
    previous = GENESIS
    count = 0
    for expected, entry in enumerate(entries, start=1):
        count = expected
        if (
            entry.sequence != expected
            or entry.previous_hash != previous
            or entry.entry_hash != entry_hash(entry.sequence, entry.request, previous)
        ):
            return ChainCheck(count, expected)
        previous = entry.entry_hash
    return ChainCheck(count, None)
