"""The words of a genogram's drawing: the label under each symbol and the years on each couple line,
with how wide they print, so that the layout leaves them room and the pages keep them whole.

A label is up to four short lines, so that symbols can stand close in a wide generation: the name on
one or two lines (broken between words, else cut with "…": the exports carry it in full), then the
age and the date of birth, death or due date, each on its own line.

>>> from familynet.genogram.model import Person, Sex
>>> ann = Person("P1", "Patricia Walsh-Okonkwo", "Patricia", "Walsh-Okonkwo", Sex.FEMALE, 0, "2015-06-01",
...     0, 8, False, None, False, None, False, "sibling:full", True)
>>> label(ann)
(('Patricia', 'Walsh-Okonkwo'), ('8 y', 'b. 2015-06-01'))
"""

from __future__ import annotations

from familynet.genogram.model import Couple, CoupleKind, CoupleStatus, Person

#: The font size of a name, and of the smaller text (the years under a symbol, on a couple line), in drawing
#: units; the smaller is what a page must print at 7 pt or more.
NAME_SIZE, SMALL_SIZE = 10.0, 9.0
#: The width of a character as a fraction of the font size (DejaVu Sans, the widest of the fonts named).
CHAR = 0.58
#: How far apart the lines of a label stand, in drawing units.
LINE = 11.0
#: The widest a label's line may be, in drawing units (a symbol's slot less the gap a line may pass through).
LABEL_WIDTH = 76.0
#: The most lines of a name.
NAME_LINES = 2

_BEGAN = {CoupleKind.MARRIED: "m.", CoupleKind.CIVIL_PARTNER: "cp.", CoupleKind.COHABITING: "LT"}
_ENDED = {CoupleStatus.SEPARATED: "sep.", CoupleStatus.DIVORCED: "d.", CoupleStatus.ENDED: "ended"}


def width(text: str, size: float = SMALL_SIZE) -> float:
    """How wide a text prints at ``size``, in drawing units (an upper estimate)."""
    return len(text) * size * CHAR


def couple_dates(couple: Couple) -> tuple[str, ...]:
    """The years on a couple line, one per line: married (``m.``), civil partners (``cp.``) or living
    together (``LT``) since, and separated (``sep.``), divorced (``d.``) or ended in; years only, redacted
    or not.

    >>> couple_dates(Couple("F", "M", CoupleKind.MARRIED, CoupleStatus.DIVORCED, "2008-05-01", "2019-02-01"))
    ('m. 2008', 'd. 2019')
    """
    began = _BEGAN.get(couple.kind)
    ended = _ENDED.get(couple.status)
    parts = (f"{began} {couple.start[:4]}",) if began and couple.start else ()
    return (*parts, f"{ended} {couple.end[:4]}") if ended and couple.end else parts


def years(person: Person) -> str:
    """The line under a symbol in one: age and year or date of birth, death, or due date."""
    return " · ".join(_years(person)) or "age unknown"


def _years(person: Person) -> tuple[str, ...]:
    if person.unborn:
        return (f"due {person.expected}" if person.expected else "unborn",)
    age = () if person.age is None else (f"{person.age} y",)
    if person.deceased:
        return (f"d. {person.died or '?'}", *age)
    return (*age, *((f"b. {person.born}",) if person.born else ()))


def _wrapped(text: str, chars: int, lines: int) -> list[str]:
    """``text`` broken between words into lines of at most ``chars``, the last cut with "…" beyond ``lines``."""
    found: list[str] = []
    for word in text.split():
        if found and len(found[-1]) + 1 + len(word) <= chars:
            found[-1] += " " + word
        else:
            found.append(word)
    if len(found) > lines:
        found[lines - 1 :] = [" ".join(found[lines - 1 :])]
    return [line if len(line) <= chars else line[: chars - 1] + "…" for line in found] or [""]


def label(person: Person) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The lines under a person's symbol: the name on one or two lines, then the age and the date (none for
    the anonymous place of a person not shown)."""
    name = tuple(_wrapped(person.name, int(LABEL_WIDTH / (NAME_SIZE * CHAR)), NAME_LINES))
    return name, () if person.withheld else _years(person) or ("age unknown",)
