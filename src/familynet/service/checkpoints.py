"""Checkpoints of the access log on a schedule, to a file of the operator's choosing.

With ``FAMILYNET_CHECKPOINT_PATH`` set, each worker appends a signed checkpoint
(:mod:`familynet.access.checkpoint`) of the log's head to that file when it starts, every
``FAMILYNET_CHECKPOINT_MINUTES`` and when it stops, from a thread with a store connection
of its own. Point the path at storage the database's administrators cannot rewrite (a
mount of another host, a file shipped to syslog or write-once storage), and check the
log with ``familynet access-log verify --against PATH``. Each checkpoint reads only the
entries appended since the last, checking that they chain on.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from familynet.access.checkpoint import CheckpointError, advance, append_line, start
from familynet.stores.protocol import Store

log = logging.getLogger(__name__)

#: Entries read from the store at a time.
PAGE = 10_000


class CheckpointSchedule:
    """A thread that appends a checkpoint to ``path`` every ``minutes``, and at start and stop."""

    def __init__(self, open_store: Callable[[], Store], key: bytes, path: Path, minutes: float) -> None:
        self._open_store = open_store
        self._key = key
        self._path = path
        self._seconds = minutes * 60
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="familynet-checkpoints", daemon=True)

    def start(self) -> None:
        """Write the first checkpoint, then one every interval until :meth:`close`."""
        self._thread.start()

    def close(self) -> None:
        """Write a last checkpoint and stop."""
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        store = self._open_store()
        try:
            head = start(dt.datetime.now(dt.UTC))
            stopping = False
            while True:
                try:
                    while page := store.access_entries(after=head.entries, limit=PAGE):
                        head = advance(head, page, dt.datetime.now(dt.UTC))
                    head = advance(head, (), dt.datetime.now(dt.UTC))
                    append_line(self._path, head.signed(self._key))
                except (CheckpointError, OSError) as error:
                    # The type only: neither names a person, but an OSError names the path.
                    log.error("no access log checkpoint written: %s", type(error).__name__)
                if stopping:
                    return
                stopping = self._stop.wait(self._seconds)
        finally:
            store.close()
