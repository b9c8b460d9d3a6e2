"""``familynet export``: the store's facts out, through a named profile, as a bundle or an SSD.

Every export is appended to the access log, with its purpose and every person it lets out,
before any file is written.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

from familynet.bundle.files import FILES, FileSpec
from familynet.imports.annex_a_writer import write_annex_a
from familynet.imports.cin_writer import write_cin_census
from familynet.imports.facts import bundle_cells, store_facts
from familynet.imports.profiles import Degrader, Profile
from familynet.imports.ssd_writer import write_ssd
from familynet.model.records import Record, Referral
from familynet.reports.spreadsheet import open_private
from familynet.stores.protocol import Store

#: Formats an export can write.
FORMATS = ("bundle", "ssd", "annex-a", "cin-census")


def export(
    store: Store,
    chosen: Profile,
    out_dir: Path,
    *,
    key: bytes | None,
    fmt: str = "bundle",
    log: Callable[[list[str]], None],
    la_code: str = "",
    year: str = "",
) -> dict[str, int]:
    """Write the store's facts through ``chosen`` to ``out_dir``; returns the rows per file.

    The facts are degraded in one pass into lists of records; ``log`` is called with the ids
    (as stored) of every person let out, before anything is written. A CIN census is the return
    of ``la_code`` for the collection ``year``.
    """
    degrader = Degrader(chosen, key)
    kept: dict[str, list[Record]] = {}
    facts = store_facts(store)
    for spec in FILES:
        kept[spec.name] = [r for r in map(degrader.degrade, facts(spec.name)) if r is not None]
    log(degrader.persons)
    out_dir.mkdir(parents=True, exist_ok=True)
    degraded = lambda file: iter(kept.get(file, ()))  # noqa: E731
    if fmt == "ssd":
        return write_ssd(degraded, out_dir)
    if fmt == "annex-a":
        return write_annex_a(degraded, out_dir / "annex_a.xlsx")
    if fmt == "cin-census":
        return {"Child": write_cin_census(degraded, out_dir / f"cin_census_{year}.xml", year=year, la_code=la_code)}
    counts = {}
    with ExitStack() as stack:
        for spec in FILES:
            # Files of personal data, readable by their owner only, as every file familynet writes of people.
            handle = stack.enter_context(open_private(out_dir / f"{spec.name}.csv"))
            writer = csv.DictWriter(handle, _columns(spec, kept[spec.name]), extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            writer.writerows(_rows(kept[spec.name]))
            counts[spec.name] = len(kept[spec.name])
    return counts


def _columns(spec: FileSpec, records: list[Record]) -> list[str]:
    """A file's columns, less the optional referral columns no record supplied: written empty,
    they would load as "recorded as unknown" where the store holds "not supplied"."""
    supplied = set().union(*(r.supplied for r in records if isinstance(r, Referral)))
    optional = set(spec.optional) if spec.name == "referrals" else set()
    return [c for c in spec.columns if c not in optional or c in supplied]


def _rows(records: list[Record]) -> Iterator[dict[str, str]]:
    return (bundle_cells(r) for r in records)
