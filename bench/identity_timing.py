"""How long identity resolution takes on a loaded store: a full resolve, then a daily load of
new records linked incrementally.

Usage::

    .venv/bin/python bench/identity_timing.py --db STORE.db [--daily 1000] [--seed 1] [--check | --keys-only]
        [--profile FILE]

Times, on a copy-free run against the SQLite store given (it is written to: use a scratch
copy): ``resolve`` of every record, with its wall time, this process's CPU time and peak
resident memory (``ru_maxrss``); then ``--daily`` new records (copies of random stored records
under new ids, one letter of each given name changed, so they link or queue like a day's
duplicates) loaded in one load and linked with ``resolve(fresh=...)``, timed the same way.
With ``--keys-only``, the full resolve only writes every record's blocking keys (as it does
before scoring; not again when every record holds keys, so one keyed copy serves many runs;
``--daily 0`` stops there): the incremental linking is then timed against a store with every key and no
stored pairs, for a store too large to resolve in full here. With ``--check``, a full
resolve follows and the records whose identity it changes, and the review queue's differences,
are counted: incremental linking should give a full resolve's answer (but for names whose
frequency the daily load moved). Prints how many stored records share a blocking key with the
new ones (the candidates), and the load average before and after (the machine is shared).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import functools
import os
import platform
import random
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from familynet.identity.blocking import blocking_keys, stored_keys_of
from familynet.identity.frame import FEATURES, FeatureFrame, engine
from familynet.identity.records import Records
from familynet.identity.resolution import Thresholds, resolve, review_queue
from familynet.model.records import Person
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite

T = TypeVar("T")


def _timed(label: str, work: Callable[[], T]) -> T:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(f"{label}: {time.perf_counter() - wall:.1f} s wall, {time.process_time() - cpu:.1f} s CPU, "
          f"peak RSS so far {peak:.2f} GiB; {result}")  # fmt: skip
    return result


def _stages() -> Callable[[int], None]:
    """A progress callback printing the wall and CPU time of each stage of a resolution as it ends."""
    names = iter(("features built, keys written", "pairs scored", "clustered", "changes written"))
    last = [time.perf_counter(), time.process_time()]

    def advance(done: int) -> None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
        wall, cpu = time.perf_counter() - last[0], time.process_time() - last[1]
        print(f"  {next(names)}: {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS so far {peak:.2f} GiB")
        last[:] = [time.perf_counter(), time.process_time()]

    return advance


def _keys_only(store: Store) -> None:
    with engine() as db:
        FeatureFrame.read(store, db)
        store.replace_identity_keys(None, stored_keys_of(db, FEATURES))


def _daily(persons: list[Person], count: int, rng: random.Random) -> list[Person]:
    chosen = rng.sample(persons, count)
    found = []
    for i, person in enumerate(chosen):
        given = person.given_name or "x"
        at = rng.randrange(len(given))
        typo = given[:at] + rng.choice("aeiou") + given[at + 1 :]
        found.append(dataclasses.replace(person, person_id=f"D{i:07}", given_name=typo))
    return found


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--daily", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="then resolve in full and compare")
    parser.add_argument("--profile", type=Path, help="write cProfile statistics of the incremental linking here")
    parser.add_argument("--keys-only", action="store_true", help="write every record's blocking keys, score nothing")
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()}")
    store = open_sqlite(args.db)
    thresholds = Thresholds()
    if args.keys_only:
        if store.lacks_identity_keys(()):
            _timed("blocking keys of every record", lambda: _keys_only(store))
        records = len(store.person_first_loads())
    else:
        records = _timed("full resolve", lambda: resolve(store, thresholds, progress=_stages())).records
    if not args.daily:
        store.close()
        return
    persons = [p for batch in store.facts("persons", batch_size=50_000) for p in batch if isinstance(p, Person)]
    new = _daily(persons, args.daily, random.Random(args.seed))
    with store.load("daily") as writer:
        writer.write(new)
    fresh = {p.person_id for p in new}
    # Profiled only when asked: cProfile slows Python code down.
    profile = cProfile.Profile() if args.profile else None
    link = functools.partial(resolve, store, thresholds, fresh=fresh)
    _timed(f"daily {len(new)} records, incremental", lambda: profile.runcall(link) if profile else link())
    if profile:
        profile.dump_stats(args.profile)
    sought = blocking_keys(Records.read_of(store, fresh).rows()).sought.values()
    print(f"candidates: {len(store.persons_with_identity_keys(set().union(*sought)) - fresh)} stored records")
    print(f"records before the daily load {records}; load {os.getloadavg()}")
    if args.check:
        before = store.identity_state()
        _timed("full resolve again", lambda: resolve(store, thresholds))
        after = store.identity_state()
        moved = sum(1 for record, identity in after.members.items() if before.members.get(record) != identity)
        queued = {c.pair for c in review_queue(before)} ^ {c.pair for c in review_queue(after)}
        print(f"records whose identity the full resolve changed: {moved}; queue pairs differing: {len(queued)}")
    store.close()


if __name__ == "__main__":
    main()
