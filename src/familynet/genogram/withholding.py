"""People withheld from a redacted genogram: each marked confidential stands as "person not shown".

A redacted genogram leaves out who a person marked confidential is, but not that the
family has someone there: their place keeps an anonymous symbol, with its lines, so that
the drawing keeps its shape (grandparents do not float; a step-father is not drawn as a
lone parent) and its layout is the one of the unredacted genogram. The symbol has an id
of its own (``not-shown-1``, ...), no name, sex, date, household or overlay; its
couple lines keep their kind and status but no dates; no finding names it, and the
access log does not list it (it is not a person of the record).

>>> import datetime as dt
>>> from familynet.genogram.model import Descent, DescentKind, Overlays, Person, Sex
>>> def person(ident: str, generation: int) -> Person:
...     return Person(ident, ident, None, None, Sex.FEMALE, generation, "1990", 0, 30, False, None,
...                   False, None, ident == "C", "index" if ident == "C" else "parent", False)
>>> g = Genogram("C", dt.date(2024, 1, 1), 2, 1, True, (person("M", -1), person("C", 0)), (),
...              (Descent("M", "C", DescentKind.BIRTH),), (), Overlays())
>>> shown = withhold(g, frozenset({"M"}))
>>> [(p.person_id, p.name, p.withheld) for p in shown.people], shown.descents[0].parent
([('not-shown-1', 'person not shown', True), ('C', 'C', False)], 'not-shown-1')
"""

from __future__ import annotations

from dataclasses import replace

from familynet.genogram.model import Couple, Descent, Genogram, Overlays, Person, Sex

#: The name under the symbol of a person withheld.
NOT_SHOWN = "person not shown"


def withhold(genogram: Genogram, hidden: frozenset[str]) -> Genogram:
    """The genogram with each of the ``hidden`` people drawn as an anonymous "person not shown"."""
    ids = {
        p.person_id: f"not-shown-{n}"
        for n, p in enumerate((p for p in genogram.people if p.person_id in hidden), start=1)
    }
    if not ids:
        return genogram

    def anonymous(p: Person) -> Person:
        return replace(
            p,
            person_id=ids[p.person_id],
            name=NOT_SHOWN,
            given_name=None,
            family_name=None,
            sex=Sex.UNKNOWN,
            born=None,
            age=None,
            deceased=False,
            died=None,
            unborn=False,
            expected=None,
            in_household=False,
            confidential=False,
            withheld=True,
        )

    def couple(c: Couple) -> Couple:
        if c.first not in ids and c.second not in ids:
            return c
        return replace(c, first=ids.get(c.first, c.first), second=ids.get(c.second, c.second), start=None, end=None)

    overlays = genogram.overlays
    return replace(
        genogram,
        people=tuple(anonymous(p) if p.person_id in ids else p for p in genogram.people),
        couples=tuple(couple(c) for c in genogram.couples),
        descents=tuple(
            Descent(ids.get(d.parent, d.parent), ids.get(d.child, d.child), d.kind) for d in genogram.descents
        ),
        households=tuple(
            replace(
                h,
                members=tuple(m for m in h.members if m not in ids),
                others=tuple(m for m in h.others if m not in ids),
            )
            for h in genogram.households
        ),
        overlays=Overlays(
            perpetrators={p: r for p, r in overlays.perpetrators.items() if p not in ids},
            domestic_abuse=tuple(c for c in overlays.domestic_abuse if c.first not in ids and c.second not in ids),
            agencies=overlays.agencies,
            findings=tuple(f for f in overlays.findings if f.person_id not in ids),
        ),
    )
