"""A synthetic bundle written out as an SSD directory and imported again gives the same children,
referrals, assessments, households and birth mothers, as far as the SSD carries them.

What the SSD loses (and these comparisons leave out): referrers' identities (each becomes the
agency of its DfE source code), mentions, consent, RAG, contact groups, the concerns of contacts
and referrals, the factors of section 47 enquiries, early help and "other" assessments, assessment outcomes other than NFA,
relationships other than birth mothers and siblings (fathers, partners, step and adoptive
parents), every agency's view of a household but social care's, partial dates of birth.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from familynet.imports.facts import Facts, bundle_facts, store_facts
from familynet.imports.loading import Agent, load_staged
from familynet.imports.ssd import stage_ssd
from familynet.imports.ssd_writer import write_ssd
from familynet.model.dates import PartialDate
from familynet.model.records import Assessment, Household, Membership, Person, Plan, Referral, Relationship
from familynet.stores.protocol import Store
from familynet.synthetic import write_demo_bundle

TODAY = dt.date(2025, 6, 1)
AGENT = Agent("881", "881-CSC")


def _bare(value: str) -> str:
    """An id as the bundle had it: less the LA code and any SSD table tag (881-REF-R1 is R1)."""
    return value.split("-", 2)[-1] if value.startswith("881-") else value


def _children(facts: Facts) -> set[tuple[object, ...]]:
    return {
        (
            _bare(p.person_id),
            str(p.date_of_birth) if isinstance(p.date_of_birth, PartialDate) and p.date_of_birth.is_full else None,
            p.sex,
            p.nhs_number,
        )
        for p in facts("persons")
        if isinstance(p, Person)
    }


def _referrals(facts: Facts) -> set[tuple[object, ...]]:
    return {
        (_bare(r.referral_id), r.kind, _bare(r.child_id), r.received_on)
        for r in facts("referrals")
        if isinstance(r, Referral)
    }


def _assessments(facts: Facts) -> set[tuple[object, ...]]:
    return {
        (
            _bare(a.assessment_id),
            _bare(a.child_id),
            _bare(a.referral_id or ""),
            a.kind,
            a.started_on,
            a.completed_on,
            a.factors if a.kind == "child_and_family" else (),
        )
        for a in facts("assessments")
        if isinstance(a, Assessment) and a.kind in {"child_and_family", "section_47"}
    }


def _plans(facts: Facts, kinds: set[str], *, ids: bool = True) -> list[tuple[object, ...]]:
    found = [
        (_bare(p.plan_id) if ids else "", _bare(p.child_id), p.kind, p.start_date, p.end_date)
        for p in facts("plans")
        if isinstance(p, Plan) and p.kind in kinds
    ]
    return sorted(found, key=repr)


def _homes(facts: Facts, recorded_by: str) -> set[tuple[object, ...]]:
    households = {h.household_id: h for h in facts("households") if isinstance(h, Household)}
    return {
        (_bare(m.person_id), households[m.household_id].uprn, m.start_date, m.end_date)
        for m in facts("household_members")
        if isinstance(m, Membership) and m.recorded_by == recorded_by
    }


def _mothers(facts: Facts, female: set[str]) -> set[tuple[str, str]]:
    return {
        (_bare(r.person_id), _bare(r.related_person_id))
        for r in facts("relationships")
        if isinstance(r, Relationship)
        and r.type == "parent_of"
        and r.subtype == "birth"
        and _bare(r.person_id) in female
    }


def test_a_bundle_goes_round_through_the_ssd(store: Store, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    write_demo_bundle(bundle, 40, 7, today=TODAY)
    written = write_ssd(bundle_facts(bundle), tmp_path / "ssd")
    assert written["ssd_person"] > 100
    report = load_staged(store, stage_ssd(tmp_path / "ssd", AGENT, today=TODAY), "ssd:round", AGENT, today=TODAY)
    assert not report.errors
    before, after = bundle_facts(bundle), store_facts(store)
    assert _children(after) == _children(before)
    assert _referrals(after) == _referrals(before)
    assert _assessments(after) == _assessments(before)
    assert _homes(after, "881-CSC") == _homes(before, "A01")
    kinds = {"early_help", "child_protection", "child_in_need"}
    assert _plans(before, kinds), "the synthetic bundle has plans"
    assert _plans(after, kinds) == _plans(before, kinds)
    female = {str(c[0]) for c in _children(before) if c[2] == "female"}
    assert _mothers(after, female) == _mothers(before, female)


def _kinds(facts: Facts, file: str, kinds: set[str]) -> list[tuple[object, ...]]:
    """Facts of ``kinds`` as (child, kind, day, end), sorted: ids a format cannot carry left out."""
    found: list[tuple[object, ...]] = []
    for r in facts(file):
        if isinstance(r, Referral) and r.kind in kinds:
            found.append((_bare(r.child_id), r.kind, r.received_on, None))
        elif isinstance(r, Assessment) and r.kind in kinds:
            found.append((_bare(r.child_id), r.kind, r.started_on, r.completed_on))
    return sorted(found, key=repr)


def test_a_bundle_goes_round_through_annex_a(store: Store, tmp_path: Path) -> None:
    """Annex A loses ids (contacts, referrals and assessments get made ones), names, NHS numbers,
    households, relationships, mentions, factors, outcomes other than NFA and partial dates of
    birth; it keeps each child, contact, referral and assessment with its day."""
    from familynet.imports.annex_a import stage_annex_a
    from familynet.imports.annex_a_writer import write_annex_a

    bundle = tmp_path / "bundle"
    write_demo_bundle(bundle, 40, 7, today=TODAY)
    write_annex_a(bundle_facts(bundle), tmp_path / "annex_a.xlsx")
    report = load_staged(store, stage_annex_a(tmp_path / "annex_a.xlsx", AGENT), "annex-a:round", AGENT, today=TODAY)
    assert not report.errors
    before, after = bundle_facts(bundle), store_facts(store)
    assert _kinds(after, "referrals", {"contact", "referral"}) == _kinds(before, "referrals", {"contact", "referral"})
    kinds = {"early_help", "child_and_family"}
    assert _kinds(after, "assessments", kinds) == _kinds(before, "assessments", kinds)
    named = {c for c, *_ in _kinds(before, "referrals", {"contact", "referral"}) + _kinds(before, "assessments", kinds)}
    plans = {"child_in_need", "looked_after", "child_protection"}
    assert _plans(after, plans, ids=False) == _plans(before, plans, ids=False)
    named |= {c for _, c, *_ in _plans(before, plans)}
    children_after = {c[:3] for c in _children(after)}
    assert children_after == {c[:3] for c in _children(before) if c[0] in named}


def _followed(facts: Facts) -> list[tuple[object, ...]]:
    """Referrals (not contacts) with the assessments and enquiries that follow them, by child and day."""
    referrals = {r.referral_id: r for r in facts("referrals") if isinstance(r, Referral) and r.kind == "referral"}
    found: list[tuple[object, ...]] = [
        (_bare(r.child_id), "referral", r.received_on, None, ()) for r in referrals.values()
    ]
    for a in facts("assessments"):
        if isinstance(a, Assessment) and a.referral_id in referrals and a.kind in {"child_and_family", "section_47"}:
            factors = a.factors if a.kind == "child_and_family" else ()
            found.append(
                (
                    _bare(a.child_id),
                    a.kind,
                    a.started_on,
                    a.completed_on if a.kind == "child_and_family" else None,
                    factors,
                )
            )
    return sorted(found, key=repr)


def test_a_bundle_goes_round_through_the_cin_census(store: Store, tmp_path: Path) -> None:
    """The census loses contacts, ids (referrals and assessments get made ones), names, NHS
    numbers, households, relationships, mentions, early help, assessments following no referral
    or a contact, the end of a section 47 enquiry, partial dates of birth, child protection plans
    and child in need plans before any referral; it keeps each referred child, referral,
    assessment (with its factors), enquiry and the other child in need plans."""
    from familynet.imports.cin_census import stage_cin_census
    from familynet.imports.cin_writer import write_cin_census

    bundle = tmp_path / "bundle"
    write_demo_bundle(bundle, 40, 7, today=TODAY)
    for year in ("2024", "2025"):
        write_cin_census(bundle_facts(bundle), tmp_path / f"cin{year}.xml", year=year, la_code="881")
    report = load_staged(store, stage_cin_census(tmp_path / "cin2024.xml", AGENT), "cin:round", AGENT, today=TODAY)
    assert not report.errors
    before, after = bundle_facts(bundle), store_facts(store)
    assert _followed(after) == _followed(before)
    referred = {c for c, *_ in _followed(before)}
    assert {c[:3] for c in _children(after)} == {c[:3] for c in _children(before) if c[0] in referred}
    # Child in need plans come back when a referral of their child precedes them.
    carried = _plans(after, {"child_in_need"}, ids=False)
    assert carried and set(carried) <= set(_plans(before, {"child_in_need"}, ids=False))
    again = load_staged(store, stage_cin_census(tmp_path / "cin2025.xml", AGENT), "cin:round2", AGENT, today=TODAY)
    assert again.bundle is not None
    assert sum(f.written.inserted + f.written.updated for f in again.bundle.files.values()) == 0
