"""One referral from several sources: the same synthetic bundle imported as an SSD and as a CIN
census gives each referral, assessment and plan once, with both its sources; an ambiguous match
merges nothing and warns; a re-import changes nothing; a copy carries the sources."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from familynet.imports.annex_a import stage_annex_a
from familynet.imports.annex_a_writer import write_annex_a
from familynet.imports.cin_census import stage_cin_census
from familynet.imports.cin_writer import write_cin_census
from familynet.imports.facts import bundle_facts
from familynet.imports.loading import Agent, ImportReport, load_staged
from familynet.imports.ssd import stage_ssd
from familynet.imports.ssd_writer import write_ssd
from familynet.imports.staging import Staging
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite
from familynet.stores.transfer import copy_store
from familynet.synthetic import write_demo_bundle

TODAY = dt.date(2025, 6, 1)
AGENT = Agent("881", "881-CSC")
SOURCED = ("referrals", "assessments", "plans")


def _formats(tmp_path: Path) -> tuple[Path, Path]:
    bundle = tmp_path / "bundle"
    write_demo_bundle(bundle, 40, 7, today=TODAY)
    write_ssd(bundle_facts(bundle), tmp_path / "ssd")
    write_cin_census(bundle_facts(bundle), tmp_path / "cin.xml", year="2024", la_code="881")
    return tmp_path / "ssd", tmp_path / "cin.xml"


def _ssd(store: Store, path: Path) -> ImportReport:
    return load_staged(store, stage_ssd(path, AGENT, today=TODAY), "ssd:x", AGENT, today=TODAY)


def _cin(store: Store, path: Path, name: str = "cin-census:x") -> ImportReport:
    return load_staged(store, stage_cin_census(path, AGENT), name, AGENT, today=TODAY)


def _counts(store: Store) -> dict[str, int]:
    return {file: sum(len(batch) for batch in store.facts(file)) for file in SOURCED}


def _formats_of(store: Store, file: str) -> Counter[frozenset[str]]:
    """How many facts of ``file`` have each set of source formats."""
    found: dict[str, set[str]] = {}
    for source in store.fact_sources(file):
        found.setdefault(source.fact_id, set()).add(source.format)
    return Counter(frozenset(formats) for formats in found.values())


def _written(report: ImportReport) -> int:
    assert report.bundle is not None
    return sum(f.written.inserted + f.written.updated for f in report.bundle.files.values())


def test_the_ssd_then_the_cin_census_gives_each_referral_once_with_both_sources(store: Store, tmp_path: Path) -> None:
    ssd, cin = _formats(tmp_path)
    assert not _ssd(store, ssd).errors
    alone = _counts(store)
    report = _cin(store, cin)
    assert not report.errors and not report.warnings
    assert _counts(store) == alone
    both = frozenset({"ssd", "cin-census"})
    # Every CIN census referral and assessment is one the SSD already had.
    for file in ("referrals", "assessments"):
        formats = _formats_of(store, file)
        assert formats[both] > 0 and frozenset({"cin-census"}) not in formats
    assert _written(_cin(store, cin, "cin-census:again")) == 0
    assert _counts(store) == alone


def test_the_cin_census_then_the_ssd_gives_each_referral_once(store: Store, tmp_path: Path) -> None:
    ssd, cin = _formats(tmp_path)
    scratch = open_sqlite(tmp_path / "ssd-alone.db")
    try:
        _ssd(scratch, ssd)
        alone = _counts(scratch)
    finally:
        scratch.close()
    assert not _cin(store, cin).errors
    report = _ssd(store, ssd)
    assert not report.errors and not report.warnings
    assert _counts(store) == alone
    assert _formats_of(store, "referrals")[frozenset({"ssd", "cin-census"})] > 0
    assert _written(_ssd(store, ssd)) == 0


def test_annex_a_after_the_ssd_and_the_cin_census_adds_no_referral(store: Store, tmp_path: Path) -> None:
    """Annex A shares the CIN census's made ids; its contacts and referrals meet the SSD's."""
    ssd, cin = _formats(tmp_path)
    write_annex_a(bundle_facts(tmp_path / "bundle"), tmp_path / "annex_a.xlsx")
    _ssd(store, ssd)
    alone = _counts(store)["referrals"]
    _cin(store, cin)
    report = load_staged(store, stage_annex_a(tmp_path / "annex_a.xlsx", AGENT), "annex-a:x", AGENT, today=TODAY)
    assert not report.errors and not report.warnings
    assert _counts(store)["referrals"] == alone
    assert _formats_of(store, "referrals")[frozenset({"ssd", "cin-census", "annex-a"})] > 0


def _one_child(referrals: list[tuple[str, str]]) -> Staging:
    """A child 881-C1 and its referrals (id, day), as an import would stage them."""
    staging = Staging()
    source = staging.source("rows", {"received_on": "day"})
    staging.add("persons", {"person_id": "881-C1", "sex": "female", "recorded_by": "881-CSC"}, source, 1)
    for line, (referral_id, day) in enumerate(referrals, start=2):
        staging.read(source)
        cells = {"referral_id": referral_id, "kind": "referral", "child_id": "881-C1", "received_on": day}
        staging.add("referrals", cells, source, line)
    return staging


def test_an_ambiguous_match_merges_nothing_and_warns(store: Store) -> None:
    load_staged(store, _one_child([("881-REF-1", "2024-05-01"), ("881-REF-2", "2024-05-01")]), "ssd:x", AGENT)
    report = load_staged(store, _one_child([("881-REF-C1-20240501", "2024-05-01")]), "cin-census:x", AGENT)
    assert [(w.file, w.line, w.column) for w in report.warnings] == [("rows", 2, "day")]
    assert "none merged" in report.warnings[0].reason and "C1" not in report.warnings[0].reason
    assert _counts(store)["referrals"] == 3


def test_the_same_format_never_merges_and_a_different_day_never_matches(store: Store) -> None:
    load_staged(store, _one_child([("881-REF-1", "2024-05-01")]), "ssd:x", AGENT)
    load_staged(store, _one_child([("881-REF-2", "2024-05-01")]), "ssd:y", AGENT)
    load_staged(store, _one_child([("881-REF-C1-20240502", "2024-05-02")]), "cin-census:x", AGENT)
    assert _counts(store)["referrals"] == 3


def test_a_one_to_one_match_takes_the_stored_id(store: Store) -> None:
    load_staged(store, _one_child([("881-REF-1", "2024-05-01")]), "ssd:x", AGENT)
    report = load_staged(store, _one_child([("881-REF-C1-20240501", "2024-05-01")]), "cin-census:x", AGENT)
    assert not report.warnings
    assert [(s.fact_id, s.format, s.source_key) for s in store.fact_sources("referrals")] == [
        ("881-REF-1", "cin-census", "881-REF-C1-20240501"),
        ("881-REF-1", "ssd", "881-REF-1"),
    ]


def test_a_copy_carries_the_sources(store: Store, tmp_path: Path) -> None:
    load_staged(store, _one_child([("881-REF-1", "2024-05-01")]), "ssd:x", AGENT)
    load_staged(store, _one_child([("881-REF-C1-20240501", "2024-05-01")]), "cin-census:x", AGENT)
    target = open_sqlite(tmp_path / "copy.db")
    try:
        copy_store(store, target)
        assert target.fact_sources() == store.fact_sources()
        assert len(target.fact_sources()) == 2
    finally:
        target.close()
