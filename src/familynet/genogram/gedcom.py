"""The genogram as a GEDCOM 7 file, for genealogy software.

One ``INDI`` per person and one ``FAM`` per couple (and per lone parent of a child
drawn with one parent). Every record carries ``RESN CONFIDENTIAL``: the data is
about children at risk; a person marked confidential has a ``NOTE`` saying so. A
child's ``FAMC`` has a ``PEDI`` of ``BIRTH``, ``ADOPTED`` or ``FOSTER`` (``OTHER``
with a ``PHRASE`` for step-parents and special guardians). Dates are those of the
model, so a redacted genogram gives years only. Values are made safe for GEDCOM
lines: no line breaks, a leading ``@`` doubled.

>>> import datetime as dt
>>> from familynet.network import FamilyGraphBuilder
>>> from familynet.genogram.selection import genogram
>>> b = FamilyGraphBuilder()
>>> b.person("C", sex="female", given_name="Ann", family_name="Lee", date_of_birth="2016-03")
>>> print(gedcom(genogram(b.graph, "C", dt.date(2024, 1, 1))))  # doctest: +ELLIPSIS
0 HEAD
1 GEDC
2 VERS 7.0
...
0 @I1@ INDI
1 RESN CONFIDENTIAL
1 NAME Ann /Lee/
...
2 DATE MAR 2016
...
0 TRLR
<BLANKLINE>
"""

from __future__ import annotations

from familynet.genogram.model import CoupleStatus, DescentKind, Genogram, Person, Sex
from familynet.genogram.svg import MARKING

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_SEX = {Sex.MALE: "M", Sex.FEMALE: "F", Sex.UNKNOWN: "U"}
_PEDI = {DescentKind.BIRTH: "BIRTH", DescentKind.ADOPTIVE: "ADOPTED", DescentKind.FOSTER: "FOSTER"}
_PHRASE = {DescentKind.STEP: "step-parent", DescentKind.SPECIAL_GUARDIAN: "special guardian"}


def _value(text: str) -> str:
    """A line value: one line, a leading ``@`` doubled (GEDCOM 7 reserves it for pointers)."""
    one_line = " ".join(text.split())
    return "@" + one_line if one_line.startswith("@") else one_line


def _date(value: str) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a GEDCOM date.

    >>> _date("2016"), _date("2016-03"), _date("2016-03-09")
    ('2016', 'MAR 2016', '9 MAR 2016')
    """
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return f"{parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return f"{parts[2]} {_MONTHS[parts[1] - 1]} {parts[0]}"


def _name(person: Person) -> str:
    """``Given /Family/`` (empty with neither); a slash inside a name would end the surname early."""
    given = _value((person.given_name or "").replace("/", " "))
    family = _value((person.family_name or "").replace("/", " "))
    return " ".join(part for part in (given, f"/{family}/" if family else "") if part)


def gedcom(genogram: Genogram) -> str:
    """The genogram as a GEDCOM 7 dataset (UTF-8 text, HEAD to TRLR)."""
    ids = {p.person_id: f"@I{i}@" for i, p in enumerate(genogram.people, 1)}
    families: dict[tuple[str, ...], str] = {}
    for c in genogram.couples:
        families[tuple(sorted((c.first, c.second)))] = f"@F{len(families) + 1}@"
    by_kind: dict[tuple[str, DescentKind], list[str]] = {}
    for d in genogram.descents:
        by_kind.setdefault((d.child, d.kind), []).append(d.parent)
    children: dict[str, list[tuple[str, DescentKind]]] = {}
    for (child, kind), parents in sorted(by_kind.items()):
        pair = tuple(sorted(parents))
        groups = [pair] if pair in families else [(p,) for p in pair]
        for group in groups:
            if group not in families:
                families[group] = f"@F{len(families) + 1}@"
            children.setdefault(families[group], []).append((child, kind))
    index = genogram.person(genogram.index_id)
    lines = [
        "0 HEAD",
        "1 GEDC",
        "2 VERS 7.0",
        "1 SOUR familynet",
        f"1 NOTE {_value(f'{MARKING}. Genogram of {index.name} on {genogram.on.isoformat()}.')}",
    ]
    spouse_of: dict[str, list[str]] = {}
    for group, xref in families.items():
        for partner in group:
            spouse_of.setdefault(partner, []).append(xref)
    child_of = {
        child: [(xref, kind) for xref, kids in children.items() for c, kind in kids if c == child]
        for child in {c for kids in children.values() for c, _ in kids}
    }
    addresses = {m: h.address for h in genogram.households if h.address for m in h.members}
    for p in genogram.people:
        lines += [f"0 {ids[p.person_id]} INDI", "1 RESN CONFIDENTIAL"]
        lines += [f"1 NAME {name}" for name in (_name(p),) if name]
        lines.append(f"1 SEX {_SEX[p.sex]}")
        if p.born:
            lines += ["1 BIRT", f"2 DATE {_date(p.born)}"]
        if p.deceased:
            lines += ["1 DEAT", f"2 DATE {_date(p.died)}"] if p.died else ["1 DEAT Y"]
        if p.person_id in addresses:
            lines += ["1 RESI", f"2 ADDR {_value(addresses[p.person_id] or '')}"]
        for xref, kind in child_of.get(p.person_id, []):
            lines += [f"1 FAMC {xref}", f"2 PEDI {_PEDI.get(kind, 'OTHER')}"]
            if kind in _PHRASE:
                lines.append(f"3 PHRASE {_PHRASE[kind]}")
        lines += [f"1 FAMS {xref}" for xref in spouse_of.get(p.person_id, [])]
        if p.unborn:
            lines.append(f"1 NOTE {_value('Unborn' + (f', expected {p.expected}' if p.expected else ''))}")
        if p.confidential:
            lines.append("1 NOTE Marked confidential: identity and whereabouts not to be disclosed.")
        if p.withheld:
            lines.append("1 NOTE Person not shown: marked confidential, left out of a redacted genogram.")
        else:
            lines += ["1 REFN " + _value(p.person_id), "2 TYPE familynet person id"]
    couples = {tuple(sorted((c.first, c.second))): c for c in genogram.couples}
    for group, xref in families.items():
        lines += [f"0 {xref} FAM", "1 RESN CONFIDENTIAL"]
        lines += [f"1 {'HUSB' if i == 0 else 'WIFE'} {ids[partner]}" for i, partner in enumerate(group)]
        lines += [f"1 CHIL {ids[c]}" for c, _ in children.get(xref, [])]
        couple = couples.get(group)
        if couple is not None and couple.kind.value in {"married", "civil_partner"}:
            lines.append("1 MARR Y")
        if couple is not None and couple.status is CoupleStatus.DIVORCED:
            lines.append("1 DIV Y")
    lines.append("0 TRLR")
    return "\n".join(lines) + "\n"
