"""Facts to write out in another format: from a store, or from a bundle directory."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from itertools import chain
from pathlib import Path
from typing import BinaryIO, TypeVar

from familynet.bundle.files import FILES, file_path, parse_batch, read_batches
from familynet.errors import BundleError
from familynet.model.records import FILES as RECORD_FILES
from familynet.model.records import Record
from familynet.stores.protocol import Store

R = TypeVar("R")
_COLUMNS = {cls: next(spec.columns for spec in FILES if spec.name == name) for cls, name in RECORD_FILES.items()}

#: Every record of one bundle file (``persons``, ``referrals``, ...).
Facts = Callable[[str], Iterator[Record]]


def store_facts(store: Store) -> Facts:
    """Every stored record of a bundle file, streamed."""
    return lambda file: chain.from_iterable(store.facts(file))


def bundle_facts(bundle: Path) -> Facts:
    """Every record of a bundle directory's file (a bundle that has errors is refused)."""
    specs = {spec.name: spec for spec in FILES}
    # Dates in a written bundle were checked when it was made; none is refused as "in the future".
    today = dt.date.max

    def read(file: str) -> Iterator[Record]:
        path = file_path(bundle, specs[file])
        if not path.is_file():
            return
        for batch in read_batches(path, specs[file]):
            records, problems = parse_batch(specs[file], batch, today)
            if batch.problems or problems:
                raise BundleError(f"the bundle's {file}.csv has errors; write a valid bundle first")
            yield from (r for r in records if r is not None)

    return read


def bundle_cells(record: Record) -> dict[str, str]:
    """A record as the cells of its bundle row (the fields that are its file's columns).

    >>> from familynet.model.records import Mention
    >>> bundle_cells(Mention("R1", "P1", "parent"))
    {'referral_id': 'R1', 'person_id': 'P1', 'role': 'parent'}
    """
    return {name: _cell(getattr(record, name)) for name in _COLUMNS[type(record)]}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ";".join(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


def private_file(path: Path) -> BinaryIO:
    """Open a file of personal data for writing in binary, new or truncated, readable and
    writable by its owner only (as :func:`familynet.reports.spreadsheet.open_private` for text)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "wb")


def of_kind(cls: type[R], records: Iterator[object]) -> Iterator[R]:
    """The records of one class (a file's facts are all of its class; this tells mypy so)."""
    return (r for r in records if isinstance(r, cls))
