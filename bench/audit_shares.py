"""Where ``familynet audit all`` spends its CPU: each audit's rules, and reading the cohort.

    .venv/bin/python bench/audit_shares.py --db /tmp/familynet.db --from 2025-12-06 --to 2026-12-05

Reads the cohort in one process as ``audit all --workers 1`` does (identity view, batches of
500, the mentions of every audit, the cyclic collector paused), and puts each batch through
every audit while it remembers the batch's answers (:func:`familynet.analyses.audits.found_in`),
timing each audit's ``collect`` and the reading of each batch in CPU seconds of this process.
An answer remembered is paid for by the first audit that asks for it (audits 1 to 3 pay for
the siblings and referrals that audits 4 to 6 then read), so the shares are those of
``audit all``, not of each audit alone. The report is not made: the CPU after the rules
(finishing the results, writing the report) is not counted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from familynet.analyses.audits import ALL, ALL_MENTIONS, chosen_parameters
from familynet.analyses.memo import remembering
from familynet.collector import collector_paused
from familynet.stores.sqlite.store import open_sqlite

READING = "reading the cohort"


def shares(db: Path, start: dt.date, end: dt.date, batch_size: int = 500) -> tuple[int, dict[str, float]]:
    """The subjects of the period's cohort, and the CPU seconds of reading it and of each audit's rules."""
    chosen = chosen_parameters(start, end, {})
    own = {audit.name: {p.name: chosen[p.name] for p in audit.parameters} for audit in ALL}
    spent = dict.fromkeys([READING, *(audit.name for audit in ALL)], 0.0)
    subjects = 0
    store = open_sqlite(db)
    try:
        batches = iter(store.cohort(start, end, batch_size=batch_size, mentions=ALL_MENTIONS, identities=True))
        with collector_paused():
            while True:
                began = time.process_time()
                batch = next(batches, None)
                spent[READING] += time.process_time() - began
                if batch is None:
                    return subjects, spent
                subjects += len(batch.child_ids)
                with remembering(batch.graph):
                    for audit in ALL:
                        began = time.process_time()
                        audit.collect((batch,), start, end, own[audit.name])
                        spent[audit.name] += time.process_time() - began
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="the SQLite store")
    parser.add_argument("--from", dest="start", type=dt.date.fromisoformat, required=True, help="first day")
    parser.add_argument("--to", dest="end", type=dt.date.fromisoformat, required=True, help="last day")
    options = parser.parse_args()
    subjects, spent = shares(options.db, options.start, options.end)
    total = sum(spent.values())
    print(f"{subjects:,} subjects, {total:.1f} s of CPU")
    for name, seconds in spent.items():
        print(f"{name:<20} {seconds:7.2f} s {100 * seconds / total:5.1f}%")


if __name__ == "__main__":
    main()
