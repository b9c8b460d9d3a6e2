"""The genogram as Graphviz DOT text, for those who lay it out with Graphviz.

Partners meet at a small point node from which their children descend; shapes
(of fixed size, an ``X`` in a deceased person's, the name and age beside), line styles and
the dotted household cluster follow the SVG's conventions (a person marked confidential is purple, with the
outside label ``CONFIDENTIAL``); a descent edge's ``class`` is its kind. Every
identifier and label is quoted and escaped.

>>> import datetime as dt
>>> from familynet.model.network import FamilyGraphBuilder
>>> from familynet.genogram.selection import genogram
>>> b = FamilyGraphBuilder()
>>> b.person("C", sex="male", given_name='Al "Bo"', date_of_birth="2016-03-01")
>>> print(dot(genogram(b.graph, "C", dt.date(2024, 1, 1))).splitlines()[5])
  "C" [label="", xlabel="Al \\"Bo\\"\\n7 y · b. 2016-03-01", shape="box", peripheries="2"];
"""

from __future__ import annotations

import itertools

from familynet.genogram.labels import years
from familynet.genogram.model import CoupleKind, CoupleStatus, DescentKind, Genogram, Person, Sex
from familynet.genogram.svg import MARKING

_SHAPES = {Sex.MALE: "box", Sex.FEMALE: "circle", Sex.UNKNOWN: "diamond"}
_COUPLE_STYLES = {
    CoupleKind.COHABITING: "dashed",
    CoupleKind.DATING: "dashed",
    CoupleKind.UNKNOWN: "dashed",
    CoupleKind.UNRECORDED: "solid",
}
#: Descent lines as in the SVG: birth solid, adoptive dashed, fostered dotted; Graphviz has no dash-dot, so
#: special guardianship is dotted and bold.
_DESCENT_STYLES = {
    DescentKind.ADOPTIVE: "dashed",
    DescentKind.FOSTER: "dotted",
    DescentKind.SPECIAL_GUARDIAN: "dotted,bold",
}
_STATUS = {CoupleStatus.SEPARATED: "/", CoupleStatus.ENDED: "/", CoupleStatus.DIVORCED: "//"}


def quote(text: str) -> str:
    """A DOT quoted string: backslashes and quotes escaped, line breaks as ``\\n``.

    >>> quote('a"b\\\\c')
    '"a\\\\"b\\\\\\\\c"'
    """
    cleaned = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")
    return f'"{cleaned}"'


def _attrs(**values: str) -> str:
    return "[" + ", ".join(f"{k}={quote(v)}" for k, v in values.items()) + "]"


def _node(person: Person) -> str:
    """A person's node: a symbol of fixed size (its label, the name and years, outside it), an ``X`` in it
    for a deceased person, two outlines for the index child, a dashed diamond for a person not shown."""
    attrs = {
        "label": "X" if person.deceased else "",
        "xlabel": person.name if person.withheld else f"{person.name}\n{years(person)}",
        "shape": "triangle" if person.unborn else _SHAPES[person.sex],
    }
    if person.index:
        attrs["peripheries"] = "2"
    if person.withheld:
        attrs["style"] = "dashed"
    if person.confidential:
        attrs.update(color="purple", xlabel=f"{attrs['xlabel']}\nCONFIDENTIAL", **{"class": "confidential"})
    return f"  {quote(person.person_id)} {_attrs(**attrs)};"


def dot(genogram: Genogram) -> str:
    """The genogram as a DOT ``digraph``, generations ranked top to bottom."""
    index = genogram.person(genogram.index_id)
    out = [
        "digraph genogram {",
        f"  graph {_attrs(label=f'{MARKING} · Genogram of {index.name} on {genogram.on.isoformat()}', labelloc='t')};",
        # newrank: the generations' rank=same groups would otherwise pull their people out of the household
        # clusters, and Graphviz would drop the clusters.
        '  graph [rankdir="TB", splines="ortho", nodesep="1.2", ranksep="0.9", newrank="true", forcelabels="true"];',
        '  node [fixedsize="true", width="0.5", height="0.5", fontsize="10"];',
        '  edge [arrowhead="none"];',
    ]
    out += [_node(p) for p in genogram.people]
    generations: dict[int, list[str]] = {}
    for p in genogram.people:
        generations.setdefault(p.generation, []).append(p.person_id)
    units: dict[tuple[str, ...], str] = {}
    for i, c in enumerate(genogram.couples):
        unit = f"couple_{i}"
        units[tuple(sorted((c.first, c.second)))] = unit
        style = _COUPLE_STYLES.get(c.kind, "solid")
        colour = "grey50" if c.kind is CoupleKind.UNRECORDED else "black"
        label = _STATUS.get(c.status, "")
        out.append(f"  {quote(unit)} {_attrs(shape='point', width='0.05', xlabel=label)};")
        for partner in (c.first, c.second):
            out.append(f"  {quote(partner)} -> {quote(unit)} {_attrs(style=style, color=colour)};")
        generations.setdefault(genogram.person(c.first).generation, []).append(unit)
    parents: dict[tuple[str, DescentKind], list[str]] = {}
    for d in genogram.descents:
        # As in the SVG, a step-parent is shown by their couple line with the parent, not by a descent line.
        if d.kind is not DescentKind.STEP:
            parents.setdefault((d.child, d.kind), []).append(d.parent)
    for (child, kind), found in sorted(parents.items()):
        pair = tuple(sorted(found))
        sources = [units[pair]] if pair in units else list(pair)
        style = _DESCENT_STYLES.get(kind, "solid")
        out += [f"  {quote(s)} -> {quote(child)} {_attrs(style=style, **{'class': kind.value})};" for s in sources]
    # Identical twins (triplets): a bar, as in the SVG, between each and the next of their birth.
    identical: dict[int, list[Person]] = {}
    for p in sorted(genogram.people, key=lambda p: p.birth_rank):
        if p.identical is not None:
            identical.setdefault(p.identical, []).append(p)
    for twins in identical.values():
        for a, b in itertools.pairwise(twins):
            bar = _attrs(style="bold", constraint="false", **{"class": "identical-twins"})
            out.append(f"  {quote(a.person_id)} -> {quote(b.person_id)} {bar};")
    for _generation, members in sorted(generations.items()):
        out.append("  { rank=same; " + " ".join(quote(m) for m in members) + " }")
    for h in genogram.households:
        out.append(f"  subgraph {quote('cluster_' + h.household_id)} {{")
        out.append(
            f"    graph {_attrs(style='dotted', label=h.household_id + (': ' + h.address if h.address else ''))};"
        )
        out += [f"    {quote(m)};" for m in h.members]
        out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"
