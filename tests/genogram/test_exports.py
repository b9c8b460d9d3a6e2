"""GEDCOM 7, DOT and JSON exports of hand-built families."""

from __future__ import annotations

import json
import sys

import gedcom7
import pytest
from pedigrees import DAY, father_of_three, three_partners

from families import builder
from familynet.genogram import genogram
from familynet.genogram.dot import dot
from familynet.genogram.gedcom import gedcom
from familynet.genogram.jsonmodel import json_model
from familynet.genogram.layout import layout
from familynet.genogram.printout import RenderError, pdf


def _records(text: str) -> list[gedcom7.types.GedcomStructure]:
    records = gedcom7.loads(text)
    assert gedcom7.validate(records) == []
    return records


def _sub(structure: gedcom7.types.GedcomStructure, tag: str) -> list[gedcom7.types.GedcomStructure]:
    return [c for c in structure.children if c.tag == tag]


def test_gedcom_head_records_and_trailer() -> None:
    g = genogram(three_partners().graph, "C", DAY)
    records = _records(gedcom(g))
    head = records[0]
    assert head.tag == "HEAD"
    (gedc,) = _sub(head, "GEDC")
    assert [v.text for v in _sub(gedc, "VERS")] == ["7.0"]
    assert records[-1].tag == "TRLR"
    indis = [r for r in records if r.tag == "INDI"]
    fams = [r for r in records if r.tag == "FAM"]
    assert sorted(_sub(r, "REFN")[0].text for r in indis) == sorted(p.person_id for p in g.people)
    assert len(fams) == len(g.couples) + 1  # each couple, and GM2, F2's lone recorded parent
    assert all([c.text for c in _sub(r, "RESN")] == ["CONFIDENTIAL"] for r in indis + fams)


def test_gedcom_pedigree_of_adopted_and_fostered_children() -> None:
    records = _records(gedcom(genogram(father_of_three().graph, "K3", DAY)))
    by_ref = {_sub(r, "REFN")[0].text: r for r in records if r.tag == "INDI"}
    pedi = {ref: sorted(p.text for f in _sub(r, "FAMC") for p in _sub(f, "PEDI")) for ref, r in by_ref.items()}
    assert pedi["K5"] == ["ADOPTED"]
    assert pedi["K4"] == ["FOSTER"]
    assert pedi["K3"] == ["BIRTH"]
    fams = {r.xref: r for r in records if r.tag == "FAM"}
    (k5_family,) = [f.pointer for f in _sub(by_ref["K5"], "FAMC")]
    partners = {p.pointer for p in _sub(fams[k5_family], "HUSB") + _sub(fams[k5_family], "WIFE")}
    assert partners == {by_ref["F"].xref, by_ref["M3"].xref}
    assert [d.tag for d in fams[k5_family].children if d.tag == "MARR"] == ["MARR"]


def test_gedcom_dates_names_and_unsafe_values() -> None:
    b = builder()
    b.person("C", sex="female", given_name="@nn\nLee", family_name="Smith/Jones", date_of_birth="2016-03-09")
    b.person("G", sex="male", date_of_birth="1940", date_of_death="2020-02-01")
    b.relationship("G", "C", "parent_of", subtype="birth")
    records = _records(gedcom(genogram(b.graph, "C", DAY)))
    by_ref = {_sub(r, "REFN")[0].text: r for r in records if r.tag == "INDI"}
    assert _sub(by_ref["C"], "NAME")[0].text == "@nn Lee /Smith Jones/"
    assert _sub(_sub(by_ref["C"], "BIRT")[0], "DATE")[0].text == "9 MAR 2016"
    assert _sub(_sub(by_ref["G"], "DEAT")[0], "DATE")[0].text == "1 FEB 2020"
    redacted = _records(gedcom(genogram(b.graph, "C", DAY, redact=True)))
    dates = [d.text for r in redacted if r.tag == "INDI" for e in r.children for d in _sub(e, "DATE")]
    assert sorted(dates) == ["1940", "2016", "2020"]


def test_dot_is_one_digraph_with_styles() -> None:
    text = dot(genogram(father_of_three().graph, "K3", DAY))
    assert text.startswith("digraph genogram {") and text.endswith("}\n")
    assert text.count("{") == text.count("}")
    assert '"K3" [label=' in text and 'peripheries="2"' in text
    assert 'style="dashed", class="adoptive"' in text
    assert 'style="dotted", class="foster"' in text
    assert 'subgraph "cluster_H1"' in text


def test_json_model_has_every_person_placed() -> None:
    g = genogram(three_partners().graph, "C", DAY)
    document = json.loads(json.dumps(json_model(g)))
    placed = layout(g)
    assert {b["person_id"] for b in document["layout"]["boxes"]} == {p.person_id for p in g.people}
    assert len(document["layout"]["drops"]) == len(placed.drops)
    assert document["genogram"]["people"][0].keys() >= {"person_id", "sex", "generation", "birth_rank", "in_household"}
    assert document["marking"] == "OFFICIAL-SENSITIVE"


def test_pdf_without_the_cairo_library_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cairosvg", None)  # as if it could not load libcairo
    with pytest.raises(RenderError, match=r"install Debian's libcairo2"):
        pdf(genogram(three_partners().graph, "C", DAY))
