"""Checkpoints: the access log's head, signed with a key that is not in the store.

The hash chain (:mod:`familynet.access.log`) shows an entry changed in the middle, but
not the last entries deleted, nor a rewrite whose author recomputed every later hash:
both leave a chain that fits. A checkpoint anchors the chain outside the database: the
number of entries and the hash of the last, at a time, signed with HMAC-SHA256 under
a subkey of ``FAMILYNET_ACCESS_LOG_KEY`` (:mod:`familynet.access.logkey`). Checked
against a checkpoint, a log must still hold at least that many entries, unbroken, and
its entry at that count must have that hash.

What it protects against: someone with write access to the database (or its files)
but not the key, who deletes entries at the end or rewrites entries before the last
checkpoint, recomputing the chain. What it does not: changes after the last
checkpoint (the schedule bounds that window); someone who holds both the database and
the key, who can sign a checkpoint of a rewritten log (keep checkpoints where they cannot
be rewritten as well: another host, a syslog server, write-once storage, and compare
with an older copy); a log deleted together with every copy of its checkpoints.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from familynet.access.log import GENESIS, AccessEntry, entry_hash, timestamp, verify_chain
from familynet.access.logkey import subkey
from familynet.errors import FamilynetError


class CheckpointError(FamilynetError):
    """A checkpoint is not readable, not signed with this key, or the log does not match it."""


@dataclass(frozen=True)
class Checkpoint:
    """The head of the log at a time: how many entries, and the hash of the last."""

    entries: int
    head_hash: str
    at: dt.datetime

    def signed(self, key: bytes) -> str:
        """The checkpoint as one line of JSON with its signature.

        >>> c = Checkpoint(2, "ab" * 32, dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
        >>> Checkpoint.read(c.signed(b"k" * 32), b"k" * 32) == c
        True
        >>> Checkpoint.read(c.signed(b"k" * 32), b"j" * 32)
        Traceback (most recent call last):
        ...
        familynet.access.checkpoint.CheckpointError: the checkpoint is not signed with this key
        """
        body = {"entries": self.entries, "head_hash": self.head_hash, "at": timestamp(self.at)}
        return json.dumps({**body, "hmac_sha256": _signature(key, body)}, separators=(",", ":"))

    @classmethod
    def read(cls, line: str, key: bytes) -> Checkpoint:
        """The checkpoint of a line written by :meth:`signed`, if its signature is this key's."""
        try:
            given = json.loads(line)
            entries, head_hash, at_text = int(given["entries"]), str(given["head_hash"]), str(given["at"])
            signature = str(given["hmac_sha256"])
            at = dt.datetime.fromisoformat(at_text)
        except (ValueError, KeyError, TypeError):
            raise CheckpointError("not a checkpoint") from None
        body: dict[str, object] = {"entries": entries, "head_hash": head_hash, "at": at_text}
        if not hmac.compare_digest(signature, _signature(key, body)):
            raise CheckpointError("the checkpoint is not signed with this key")
        return cls(entries, head_hash, at)


def _signature(key: bytes, body: dict[str, object]) -> str:
    message = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(subkey(key, "checkpoint"), message, hashlib.sha256).hexdigest()


def advance(previous: Checkpoint, entries: Iterable[AccessEntry], at: dt.datetime) -> Checkpoint:
    """The checkpoint after ``previous`` and the entries that follow its head, in order (all of
    them from the first, after :func:`start`); :class:`CheckpointError` where they do not chain on."""
    count, last = previous.entries, previous.head_hash
    for entry in entries:
        if (
            entry.sequence != count + 1
            or entry.previous_hash != last
            or entry.entry_hash != entry_hash(entry.sequence, entry.request, last)
        ):
            raise CheckpointError(f"the access log is broken at entry {count + 1}; no checkpoint made")
        count, last = entry.sequence, entry.entry_hash
    return Checkpoint(count, last, at)


def start(at: dt.datetime) -> Checkpoint:
    """The checkpoint of an empty log, to :func:`advance` from."""
    return Checkpoint(0, GENESIS, at)


def append_line(path: Path, line: str) -> None:
    """Append one checkpoint line to ``path`` durably (a new file is readable by its owner only)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, (line + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remembering(entries: Iterable[AccessEntry], see: Callable[[AccessEntry], None]) -> Iterator[AccessEntry]:
    for entry in entries:
        see(entry)
        yield entry


def problem(entries: Iterable[AccessEntry], checkpoint: Checkpoint) -> str | None:
    """What is wrong with a log (read in order from its first entry) against ``checkpoint``, or None.

    The log must be unbroken, hold at least the checkpoint's entries, and its entry at
    that count must have the checkpoint's hash.
    """
    at_head: list[str] = []

    def remember(entry: AccessEntry) -> None:
        if entry.sequence == checkpoint.entries:
            at_head.append(entry.entry_hash)

    check = verify_chain(_remembering(entries, remember))
    if not check.ok:
        return f"the access log is broken at entry {check.first_broken}"
    if check.entries < checkpoint.entries:
        missing = checkpoint.entries - check.entries
        return f"the access log has {check.entries} entries; the checkpoint of {timestamp(checkpoint.at)} saw " + (
            f"{checkpoint.entries}: {missing} missing"
        )
    expected = GENESIS if checkpoint.entries == 0 else (at_head[0] if at_head else "")
    if expected != checkpoint.head_hash:
        return (
            f"entry {checkpoint.entries} does not have the hash the checkpoint of {timestamp(checkpoint.at)} "
            "signed: entries up to it were rewritten"
        )
    return None
