"""People marked confidential: marked in every format, and left out of a redacted genogram entirely."""

from __future__ import annotations

import itertools
import json
import xml.etree.ElementTree as ET
from typing import Any

import gedcom7
import pytest
from pedigrees import DAY, crosses, three_partners

from families import SC, builder, live, parent
from familynet.genogram import Genogram, genogram
from familynet.genogram.document import Format, write
from familynet.genogram.jsonmodel import json_model
from familynet.genogram.layout import layout
from familynet.genogram.selection import ConfidentialChildError
from familynet.model.network import FamilyGraphBuilder, person_node

SVG = "{http://www.w3.org/2000/svg}"
#: Attributes of SVG elements that hold a person id.
PERSON_ATTRIBUTES = ("data-person-id", "data-first", "data-second", "data-child")


def _mark(b: FamilyGraphBuilder, *people: str) -> FamilyGraphBuilder:
    for ident in people:
        b.graph.nodes[person_node(ident)]["confidential"] = True
    return b


def refuge() -> FamilyGraphBuilder:
    """three_partners with the mother M, named Zelda Quartermaine, marked confidential (in a refuge)."""
    b = three_partners()
    b.graph.nodes[person_node("M")].update(given_name="Zelda", family_name="Quartermaine")
    return _mark(b, "M")


def adopted() -> FamilyGraphBuilder:
    """K, adopted by A1 and A2 (who live with K in H1), and K's birth mother BM, marked
    confidential, whose own mother BGM is recorded too; BM has another child S by SF."""
    b = builder()
    for ident, sex, born in (
        ("A1", "female", "1980"),
        ("A2", "male", "1979"),
        ("BM", "female", "1998"),
        ("BGM", "female", "1970"),
        ("SF", "male", "1996"),
        ("K", "male", "2016-02-02"),
        ("S", "female", "2019-03-03"),
    ):
        b.person(ident, sex=sex, date_of_birth=born, given_name=f"Name{ident}", family_name="Example")
    parent(b, "BM", "K")
    parent(b, "BGM", "BM")
    parent(b, "BM", "S")
    parent(b, "SF", "S")
    for adopter in ("A1", "A2"):
        parent(b, adopter, "K", "adoptive")
    b.relationship("A2", "A1", "partner_of", subtype="married", start_date="2010-01-01", recorded_by=SC)
    live(b, "H1", "A1", "A2", "K")
    return _mark(b, "BM")


def _ids_in_json(value: Any) -> set[str]:
    """Every string anywhere in a JSON document (ids, names, dates, labels)."""
    if isinstance(value, dict):
        return set(value) | set().union(*(_ids_in_json(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_ids_in_json(v) for v in value))
    return {value} if isinstance(value, str) else set()


def _svg_ids(page: str) -> set[str]:
    root = ET.fromstring(page.encode())
    return {e.get(a) or "" for e in root.iter() for a in PERSON_ATTRIBUTES if e.get(a)}


def test_unredacted_the_confidential_mother_is_drawn_and_marked_in_every_format() -> None:
    g = genogram(refuge().graph, "C", DAY)
    assert [p.person_id for p in g.people if p.confidential] == ["M"]
    page = write(g, Format.SVG)
    assert isinstance(page, str)
    root = ET.fromstring(page.encode())
    [mother] = [e for e in root.iter(f"{SVG}g") if e.get("data-person-id") == "M"]
    assert mother.get("data-confidential") == "true"
    assert [e.get("data-person-id") for e in root.iter(f"{SVG}g") if e.get("data-confidential")] == ["M"]
    assert "marked confidential: do not disclose" in page  # the key and the panel's list
    assert "shows people marked confidential: do not share" in page
    assert '"M" [label="", xlabel="Zelda Quartermaine' in str(write(g, Format.DOT))
    assert '\\nCONFIDENTIAL"' in str(write(g, Format.DOT))
    records = gedcom7.loads(str(write(g, Format.GEDCOM)))
    assert gedcom7.validate(records) == []
    assert "1 NOTE Marked confidential: identity and whereabouts not to be disclosed." in str(write(g, Format.GEDCOM))
    people = {p["person_id"]: p for p in json_model(g)["genogram"]["people"]}
    assert people["M"]["confidential"] is True and people["C"]["confidential"] is False


def _redacted_refuge() -> Genogram:
    return genogram(refuge().graph, "C", DAY, redact=True)


def test_redacted_the_confidential_mother_is_a_person_not_shown_and_keeps_her_place() -> None:
    g = _redacted_refuge()
    drawn = {p.person_id for p in g.people}
    assert drawn == {p.person_id for p in genogram(refuge().graph, "C", DAY).people} - {"M"} | {"not-shown-1"}
    shown = g.person("not-shown-1")
    assert shown.withheld and shown.name == "person not shown" and shown.sex.value == "unknown"
    assert (shown.born, shown.age, shown.given_name, shown.confidential) == (None, None, None, False)
    assert not any(p.confidential for p in g.people)
    assert all("M" not in (c.first, c.second) for c in g.couples)
    # Her children still hang from her place and their fathers; her couple lines keep no dates.
    assert {d.parent for d in g.descents if d.child in {"A", "B", "C", "D", "E"}} == {"F1", "F2", "F3", "not-shown-1"}
    assert {(c.first, c.start, c.end) for c in g.couples if c.second == "not-shown-1"} == {
        ("F1", None, None),
        ("F2", None, None),
        ("F3", None, None),
    }
    (home,) = g.households
    assert home.members == ("C", "D", "E", "F3")
    assert all(f.person_id != "M" for f in g.overlays.findings)
    assert "M" not in g.overlays.perpetrators
    # The access log names the people drawn, not the anonymous place.
    assert g.person_ids() == drawn - {"not-shown-1"} | {f.person_id for f in g.overlays.findings if f.person_id}


def _same_shape(unredacted: Genogram, redacted: Genogram) -> None:
    """The two layouts are the same, the anonymous places standing where the people withheld stood."""
    names = {p.person_id for p in redacted.people}
    withheld = [p.person_id for p in unredacted.people if p.person_id not in names]
    ids = dict(zip(withheld, (f"not-shown-{n}" for n in range(1, len(withheld) + 1)), strict=True))
    before, after = layout(unredacted), layout(redacted)
    assert {ids.get(b.person_id, b.person_id): (b.x, b.y) for b in before.boxes} == {
        b.person_id: (b.x, b.y) for b in after.boxes
    }
    assert [(c.points, c.anchor, c.mark) for c in before.couples] == [
        (c.points, c.anchor, c.mark) for c in after.couples
    ]
    assert [s.points for s in before.sibships] == [s.points for s in after.sibships]
    assert sorted(d.points for d in before.drops) == sorted(d.points for d in after.drops)
    assert (before.width, before.height) == (after.width, after.height)


def test_the_redacted_layout_is_the_unredacted_one() -> None:
    _same_shape(genogram(refuge().graph, "C", DAY), _redacted_refuge())
    _same_shape(genogram(adopted().graph, "K", DAY), genogram(adopted().graph, "K", DAY, redact=True))
    whole = _mark(adopted(), "BGM", "S", "SF")
    _same_shape(genogram(whole.graph, "K", DAY), genogram(whole.graph, "K", DAY, redact=True))


@pytest.mark.parametrize("fmt", [f for f in Format if not f.binary])
def test_no_format_of_a_redacted_genogram_names_the_confidential_mother(fmt: Format) -> None:
    text = write(_redacted_refuge(), fmt)
    assert isinstance(text, str)
    assert "Zelda" not in text and "Quartermaine" not in text
    if fmt is Format.JSON:
        assert "M" not in _ids_in_json(json.loads(text))
    if fmt is Format.SVG:
        assert "M" not in _svg_ids(text)
        assert "people marked confidential not shown" in text
    if fmt is Format.DOT:
        assert '"M"' not in text
    if fmt is Format.GEDCOM:
        assert "REFN M\n" not in text and gedcom7.validate(gedcom7.loads(text)) == []


def test_the_redacted_layout_stays_clear() -> None:
    placed = layout(_redacted_refuge())
    for one, other in itertools.combinations(placed.boxes, 2):
        assert (
            one.right <= other.left or other.right <= one.left or one.bottom <= other.top or other.bottom <= one.top
        ), (one, other)
    for points, _ in placed.paths():
        for start, end in itertools.pairwise(points):
            assert not any(crosses(start, end, box) for box in placed.boxes)


def test_an_adopted_childs_birth_mother_is_not_shown_and_her_family_keeps_its_shape() -> None:
    unredacted = genogram(adopted().graph, "K", DAY)
    assert {p.person_id for p in unredacted.people} >= {"BM", "BGM", "S", "SF"}
    g = genogram(adopted().graph, "K", DAY, redact=True)
    drawn = {p.person_id for p in g.people}
    # Only BM is withheld: her mother, K's half-sister S and S's father are not marked, and hang where they did.
    assert drawn == {"A1", "A2", "K", "S", "SF", "BGM", "not-shown-1"}
    assert {(d.parent, d.child, d.kind.value) for d in g.descents} == {
        ("A1", "K", "adoptive"),
        ("A2", "K", "adoptive"),
        ("not-shown-1", "K", "birth"),
        ("BGM", "not-shown-1", "birth"),
        ("not-shown-1", "S", "birth"),
        ("SF", "S", "birth"),
    }
    # Marking the birth family withholds all of it: four people not shown, and no one named.
    whole = genogram(_mark(adopted(), "BGM", "S", "SF").graph, "K", DAY, redact=True)
    assert {p.person_id for p in whole.people if not p.withheld} == {"A1", "A2", "K"}
    assert sum(p.withheld for p in whole.people) == 4
    assert ("A2", "A1") in [(c.first, c.second) for c in g.couples]
    assert "NameBM " not in str(write(g, Format.SVG))


def test_a_finding_about_a_confidential_person_is_left_out_when_redacted() -> None:
    # U, recorded in the household by police only, is the person of a finding.
    found = genogram(three_partners().graph, "C", DAY).overlays.findings
    assert any(f.person_id == "U" for f in found)
    g = genogram(_mark(three_partners(), "U").graph, "C", DAY, redact=True)
    assert "U" not in {p.person_id for p in g.people}
    assert "not-shown-1" in {p.person_id for p in g.people}
    assert all(f.person_id != "U" for f in g.overlays.findings)
    assert [f.kind for f in g.overlays.findings] == [f.kind for f in found if f.person_id != "U"]


def test_a_redacted_genogram_of_a_confidential_child_is_refused() -> None:
    b = _mark(three_partners(), "C")
    with pytest.raises(ConfidentialChildError, match="the child is marked confidential"):
        genogram(b.graph, "C", DAY, redact=True)
    assert genogram(b.graph, "C", DAY).person("C").confidential
