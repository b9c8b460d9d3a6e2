"""Synthetic local-authority bundles: realistic family networks, deterministic for a seed.

Households are generated in fixed blocks; each block draws from its own
``random.Random`` seeded by (seed, block number), so a bundle depends only on the
seed, the number of households and ``today``. Families cross households within a
block: partners who leave one household join another, police-only men move from
one partner to the next, children placed in care join foster households, older
couples are grandparents of younger mothers.

Rates follow the shape of England's Children in Need statistics: domestic abuse is
the most common concern (about 30% of referrals), about 22% of referrals are
re-referrals within 12 months, two in three of those within three months and about
three in four about the same concern category. Contacts outnumber referrals about
seven to one, about five for every household over ten years. The birth mothers of
adopted children, and about one mother of a family in 250 (in a refuge), are marked
confidential. Contacts and referrals carry the front door's facts (when received and
decided, checks, feedback, thresholds, plans, considerations: :mod:`familynet.synthetic.frontdoor`).
Generation is one process: 200,000 households took 80 s of CPU (6.5 min wall at a load
average of 25 on 2 cores), two fifths of it the front door's facts (20,000 households:
7.8 s of CPU, 4.6 s without them; docs/bundle.md).

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as out:
...     counts = write_demo_bundle(Path(out), 20, 7, today=dt.date(2025, 6, 30))
>>> counts["agencies"], counts["households"]
(10, 20)
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from familynet.synthetic.base import (
    _LAYOUT,
    AGENCIES,
    BLOCK,
    _Counters,
)
from familynet.synthetic.households import Block


def _block(seed: int, index: int, first: int, size: int, today: dt.date, counters: _Counters) -> Block:
    block = Block(seed, index, today, counters)
    for number in range(first + 1, first + size + 1):
        block.household(number)
    return block


def write_demo_bundle(
    out_dir: Path,
    households: int,
    seed: int,
    *,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write a synthetic bundle of ``households`` households, and ``identity_truth.csv``.

    Parameters
    ----------
    out_dir
        Directory to write into (created if missing); existing bundle files are replaced.
    households
        Number of households.
    seed
        The same seed and ``today`` give byte-identical files.
    today
        The last day of the ten years of history; defaults to the real today.
    progress
        Called with the number of households finished since its last call.

    Returns
    -------
    dict[str, int]
        Data rows written per file stem (``persons``, ..., ``identity_truth``).
    """
    today = today or dt.date.today()
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = dict.fromkeys((name for name, _ in _LAYOUT), 0)
    counters = _Counters()
    with contextlib.ExitStack() as stack:
        writers = {}
        for name, columns in _LAYOUT:
            handle = stack.enter_context((out_dir / f"{name}.csv").open("w", encoding="utf-8", newline=""))
            writers[name] = csv.writer(handle, lineterminator="\n")
            writers[name].writerow(columns)
        writers["agencies"].writerows(AGENCIES)
        counts["agencies"] = len(AGENCIES)
        for index, first in enumerate(range(0, households, BLOCK)):
            size = min(BLOCK, households - first)
            block = _block(seed, index, first, size, today, counters)
            for name, rows in block.rows.items():
                writers[name].writerows(rows)
                counts[name] += len(rows)
            if progress is not None:
                progress(size)
    return counts
