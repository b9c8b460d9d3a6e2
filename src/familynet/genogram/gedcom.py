"""The genogram as a GEDCOM 7 file, for genealogy software.

One ``INDI`` per person and one ``FAM`` per couple (and per lone parent of a child
drawn with one parent). Every record carries ``RESN CONFIDENTIAL``: the data is
about children at risk; a person marked confidential has a ``NOTE`` saying so. A
child's ``FAMC`` has a ``PEDI`` of ``BIRTH``, ``ADOPTED`` or ``FOSTER`` (``OTHER``
with a ``PHRASE`` for step-parents and special guardians). Dates are those of the
model, so a redacted genogram gives years only. Values are made safe for GEDCOM
lines: no line breaks, a leading ``@`` doubled.

>>> import datetime as dt
>>> from familynet.model.network import FamilyGraphBuilder
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

from familynet.genogram.model import Couple, CoupleKind, CoupleStatus, DescentKind, Genogram, Person, Sex
from familynet.genogram.svg import MARKING

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_SEX = {Sex.MALE: "M", Sex.FEMALE: "F", Sex.UNKNOWN: "U"}
_PEDI = {DescentKind.BIRTH: "BIRTH", DescentKind.ADOPTIVE: "ADOPTED", DescentKind.FOSTER: "FOSTER"}
_PHRASE = {DescentKind.STEP: "step-parent", DescentKind.SPECIAL_GUARDIAN: "special guardian"}
_UNIONS = {CoupleKind.COHABITING: "cohabiting", CoupleKind.DATING: "dating"}
_ENDINGS = {CoupleStatus.SEPARATED: "separated", CoupleStatus.ENDED: "ended"}
#: The extension tags, declared in ``HEAD.SCHMA`` with a URI of their own (docs/genogram.md documents them):
#: a sibling of the index child, a household record, and a person's membership of one.
EXTENSIONS = {
    "_SIBL": "tag:familynet,2026:gedcom/sibling-of",
    "_HOUS": "tag:familynet,2026:gedcom/household",
    "_HMEM": "tag:familynet,2026:gedcom/household-member",
}


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


def _spouses(group: tuple[str, ...], sex: dict[str, Sex]) -> list[tuple[str, str]]:
    """``HUSB`` and ``WIFE`` of a family, by sex: a man is ``HUSB``, a woman ``WIFE``. GEDCOM 7 lets a
    family stand for any union "regardless of the gender of the partners", and says no sex is to be
    inferred from the tags: so two partners of one sex (or of sexes unknown) are ``HUSB`` and ``WIFE`` in
    the order they are drawn, and a lone parent of unknown sex is ``HUSB``.

    >>> _spouses(("M", "F"), {"M": Sex.FEMALE, "F": Sex.MALE})
    [('HUSB', 'F'), ('WIFE', 'M')]
    >>> _spouses(("W",), {"W": Sex.FEMALE})
    [('WIFE', 'W')]
    """
    if len(group) == 1:
        return [("WIFE" if sex[group[0]] is Sex.FEMALE else "HUSB", group[0])]
    first, second = sorted(group, key=lambda p: sex[p] is Sex.FEMALE)
    return [("HUSB", first), ("WIFE", second)]


def _events(couple: Couple) -> list[str]:
    """A couple's kind and dates: ``MARR`` (with ``TYPE`` for a civil partnership), ``EVEN`` with ``TYPE``
    for cohabiting and dating; ``DIV``, or ``EVEN`` ``TYPE separated`` (or ``ended``), when it ended."""
    began = [f"2 DATE {_date(couple.start)}"] if couple.start else []
    ended = [f"2 DATE {_date(couple.end)}"] if couple.end else []
    lines: list[str] = []
    if couple.kind is CoupleKind.MARRIED:
        lines += ["1 MARR", *began]
    elif couple.kind is CoupleKind.CIVIL_PARTNER:
        lines += ["1 MARR", "2 TYPE civil partnership", *began]
    elif couple.kind in _UNIONS:
        lines += ["1 EVEN", f"2 TYPE {_UNIONS[couple.kind]}", *began]
    if couple.status is CoupleStatus.DIVORCED:
        lines += ["1 DIV", *ended] if ended else ["1 DIV Y"]
    elif couple.status in _ENDINGS:
        lines += ["1 EVEN", f"2 TYPE {_ENDINGS[couple.status]}", *ended]
    return lines


def _families(genogram: Genogram) -> tuple[dict[tuple[str, ...], str], dict[str, list[tuple[str, DescentKind]]]]:
    """A family per couple and per lone parent, and each family's children with their kind of descent.

    A step-child is a child of the family of their parent and the step-parent (``PEDI OTHER``, ``PHRASE
    step-parent``), not of a family of the step-parent alone, when that couple is drawn."""
    families: dict[tuple[str, ...], str] = {}
    for c in genogram.couples:
        families[tuple(sorted((c.first, c.second)))] = f"@F{len(families) + 1}@"
    by_kind: dict[tuple[str, DescentKind], list[str]] = {}
    for d in genogram.descents:
        by_kind.setdefault((d.child, d.kind), []).append(d.parent)
    own = {child: parents for (child, kind), parents in by_kind.items() if kind is not DescentKind.STEP}
    children: dict[str, list[tuple[str, DescentKind]]] = {}
    for (child, kind), parents in sorted(by_kind.items()):
        pair = tuple(sorted(parents))
        groups = [pair] if pair in families else [(p,) for p in pair]
        if kind is DescentKind.STEP:
            homes = [tuple(sorted((s, p))) for s in pair for p in own.get(child, [])]
            groups = [h for h in homes if h in families] or groups
        for group in groups:
            if group not in families:
                families[group] = f"@F{len(families) + 1}@"
            if (child, kind) not in children.get(families[group], []):
                children.setdefault(families[group], []).append((child, kind))
    return families, children


def _extensions(genogram: Genogram, ids: dict[str, str], homes: dict[str, str]) -> dict[str, list[str]]:
    """Each person's extension lines: the index child's siblings (``_SIBL`` to the child, ``TYPE`` their
    kind) and the households they are recorded in (``_HMEM``; ``TYPE`` says when only by another agency)."""
    lines: dict[str, list[str]] = {}
    for p in genogram.people:
        if p.relation.startswith("sibling:"):
            lines.setdefault(p.person_id, []).extend(
                [f"1 _SIBL {ids[genogram.index_id]}", f"2 TYPE {p.relation.removeprefix('sibling:')}"]
            )
    for h in genogram.households:
        for m in h.members:
            lines.setdefault(m, []).append(f"1 _HMEM {homes[h.household_id]}")
        for m in h.others:
            lines.setdefault(m, []).extend(
                [f"1 _HMEM {homes[h.household_id]}", "2 TYPE recorded by another agency only"]
            )
    return lines


def gedcom(genogram: Genogram) -> str:
    """The genogram as a GEDCOM 7 dataset (UTF-8 text, HEAD to TRLR)."""
    ids = {p.person_id: f"@I{i}@" for i, p in enumerate(genogram.people, 1)}
    sex = {p.person_id: p.sex for p in genogram.people}
    homes = {h.household_id: f"@H{i}@" for i, h in enumerate(genogram.households, 1)}
    families, children = _families(genogram)
    index = genogram.person(genogram.index_id)
    lines = [
        "0 HEAD",
        "1 GEDC",
        "2 VERS 7.0",
        "1 SCHMA",
        *(f"2 TAG {tag} {uri}" for tag, uri in EXTENSIONS.items()),
        "1 SOUR familynet",
        f"1 NOTE {_value(f'{MARKING}. Genogram of {index.name} on {genogram.on.isoformat()}.')}",
    ]
    spouse_of: dict[str, list[str]] = {}
    for group, xref in families.items():
        for partner in group:
            spouse_of.setdefault(partner, []).append(xref)
    child_of: dict[str, list[tuple[str, DescentKind]]] = {}
    for xref, kids in children.items():
        for c, kind in kids:
            child_of.setdefault(c, []).append((xref, kind))
    addresses = {m: h.address for h in genogram.households if h.address for m in h.members}
    extensions = _extensions(genogram, ids, homes)
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
        lines += extensions.get(p.person_id, [])
    couples = {tuple(sorted((c.first, c.second))): c for c in genogram.couples}
    for group, xref in families.items():
        lines += [f"0 {xref} FAM", "1 RESN CONFIDENTIAL"]
        lines += [f"1 {role} {ids[partner]}" for role, partner in _spouses(group, sex)]
        lines += [f"1 CHIL {ids[c]}" for c, _ in children.get(xref, [])]
        if group in couples:
            lines += _events(couples[group])
    for h in genogram.households:
        lines += [f"0 {homes[h.household_id]} _HOUS", "1 RESN CONFIDENTIAL", f"1 REFN {_value(h.household_id)}"]
        lines += [f"1 ADDR {_value(h.address)}"] if h.address else []
    lines.append("0 TRLR")
    return "\n".join(lines) + "\n"
