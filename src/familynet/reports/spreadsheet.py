"""CSV written for people to open in a spreadsheet.

A cell that starts like a formula (``=``, ``+``, ``-``, ``@``, tab or carriage
return) would be executed by Excel or LibreOffice; every CSV familynet writes
passes its cells through :func:`safe_cell` so stored text stays text.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Render a value for a CSV cell, neutralising anything a spreadsheet would run.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("Zoë"), safe_cell(None), safe_cell(3)
    ("'=HYPERLINK(1)", 'Zoë', '', '3')
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_rows(handle: TextIO, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write a header and rows as safe CSV."""
    writer = csv.writer(handle)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])


def open_private(path: Path) -> TextIO:
    """Open a file for personal data, new or truncated, readable and writable by its owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    # The mode of os.open applies only to a file it creates: an existing one keeps its own.
    os.fchmod(descriptor, 0o600)
    return open(descriptor, "w", encoding="utf-8", newline="")
