"""Facts out as a CIN census file of a collection year, valid against that year's schema
(``graph/imports/cin_census.toml``), so a bundle can go round through the census and back.

Each child with a referral (of kind ``referral``) is a ``Child``; each referral a
``CINdetails`` with the child-and-family assessments (with factors) and section 47 enquiries
that follow it. What the census cannot carry is left out (docs/imports.md): contacts, names,
NHS numbers, households, relationships, mentions, early help, assessments following no referral,
partial dates of birth, referral outcomes other than NFA, child in need plans that start before
any referral of their child, and child protection plans (the census needs their categories of
abuse and previous plans, which familynet does not hold: writing them would make them up).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lxml import etree

from familynet.imports.facts import Facts, of_kind, private_file
from familynet.imports.values import mapping
from familynet.model.dates import PartialDate
from familynet.model.records import Agency, Assessment, Person, Plan, Referral

_GENDER = {"male": "1", "female": "2", "unknown": "0"}
_SEX = {"male": "M", "female": "F", "unknown": "U"}


def _add(parent: etree._Element, tag: str, text: object = None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = str(text)
    return element


def write_cin_census(facts: Facts, path: Path, *, year: str, la_code: str) -> int:
    """Write ``facts`` as the CIN census of ``year`` for ``la_code``; returns the children written."""
    spec = mapping("cin_census")["years"][year]
    persons = {p.person_id: p for p in facts("persons") if isinstance(p, Person)}
    agencies = {a.agency_id: a for a in facts("agencies") if isinstance(a, Agency)}
    sources = mapping("common")["kind_source"]
    referrals: dict[str, list[Referral]] = {}
    for r in of_kind(Referral, facts("referrals")):
        if r.kind == "referral":
            referrals.setdefault(r.child_id, []).append(r)
    # A child in need plan goes in the CINdetails of the child's latest referral on or before it.
    plans: dict[str, list[Plan]] = {}
    for plan in of_kind(Plan, facts("plans")):
        earlier = [r for r in referrals.get(plan.child_id, ()) if plan.start_date and r.received_on <= plan.start_date]
        if plan.kind == "child_in_need" and earlier:
            plans.setdefault(max(earlier, key=lambda r: r.received_on).referral_id, []).append(plan)
    following: dict[str, list[Assessment]] = {}
    for a in of_kind(Assessment, facts("assessments")):
        if a.referral_id and a.kind in {"child_and_family", "section_47"}:
            following.setdefault(a.referral_id, []).append(a)
    message = etree.Element("Message")
    header = _add(message, "Header")
    details = _add(header, "CollectionDetails")
    _add(details, "Collection", "CIN")
    _add(details, "Year", year)
    _add(details, "ReferenceDate", f"{year}-03-31")
    source = _add(header, "Source")
    _add(source, "SourceLevel", "L")
    _add(source, "LEA", la_code)
    _add(source, "SoftwareCode", "familynet")
    children = _add(message, "Children")
    for child_id in sorted(referrals):
        person = persons[child_id]
        child = _add(children, "Child")
        ids = _add(child, "ChildIdentifiers")
        _add(ids, "LAchildID", child_id)
        born = person.date_of_birth
        if isinstance(born, PartialDate) and born.is_full:
            _add(ids, "PersonBirthDate", born.earliest().isoformat())
        if person.expected_date_of_birth:
            _add(ids, "ExpectedPersonBirthDate", person.expected_date_of_birth.isoformat())
        sex_element = spec["sex"]
        _add(ids, sex_element, (_SEX if sex_element == "Sex" else _GENDER)[person.sex])
        if person.date_of_death:
            _add(ids, "PersonDeathDate", person.date_of_death.isoformat())
        _add(_add(child, "ChildCharacteristics"), "Ethnicity", "NOBT")
        for referral in sorted(referrals[child_id], key=lambda r: r.received_on):
            referrer = agencies.get(referral.referrer_agency_id or "")
            cin = _add(child, "CINdetails")
            _add(cin, "CINreferralDate", referral.received_on.isoformat())
            _add(cin, "ReferralSource", sources[referrer.kind] if referrer is not None else "10")
            done = sorted(following.get(referral.referral_id, ()), key=lambda a: a.started_on or dt.date.min)
            for a in (a for a in done if a.kind == "child_and_family"):
                element = _add(cin, "Assessments")
                _add(element, "AssessmentActualStartDate", a.started_on)
                if a.completed_on:
                    _add(element, "AssessmentAuthorisationDate", a.completed_on)
                if a.factors:
                    factors = _add(element, "FactorsIdentifiedAtAssessment")
                    for code in a.factors:
                        _add(factors, "AssessmentFactors", code)
            for plan in sorted(plans.get(referral.referral_id, ()), key=lambda p: p.start_date or dt.date.min):
                element = _add(cin, "CINPlanDates")
                _add(element, "CINPlanStartDate", plan.start_date)
                if plan.end_date:
                    _add(element, "CINPlanEndDate", plan.end_date)
            for a in (a for a in done if a.kind == "section_47"):
                element = _add(cin, "Section47")
                _add(element, "S47ActualStartDate", a.started_on)
                _add(element, "ICPCnotRequired", "true" if a.outcome == "icpc_not_required" else "false")
            _add(cin, "ReferralNFA", "true" if referral.outcome == "nfa" else "false")
    with private_file(path) as handle:
        etree.ElementTree(message).write(handle, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return len(referrals)
