"""How the sources write dates, codes and headers, read from ``graph/imports/`` (data, not code).

Each reader returns the value in the bundle's terms (an ISO date, a familynet code) or raises
:class:`ValueProblem` with a reason that never repeats the value.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import cache, lru_cache
from typing import Any

from familynet.resources import resource_dir

#: The letter prefix of an Annex A value: ``a) Male``, ``p1) 5D: LA services``.
_LETTER = re.compile(r"^[a-z][0-9]?\)\s*", re.IGNORECASE)
#: The code at the start of a value: ``6: Police``, ``N1 - Abuse or neglect``, ``RC8 - ...``.
_CODE = re.compile(r"^([A-Z]{0,2}[0-9]{1,2}[A-Z]?)(?:\s*[:\-–]|\s|$)", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:$|[ T])")


class ValueProblem(ValueError):
    """A cell that cannot be read; its message is the reason, without the value."""


@cache
def mapping(name: str) -> dict[str, Any]:
    """One mapping file of ``graph/imports/`` (``common``, ``annex_a``, ...), loaded once.

    >>> mapping("common")["referral_source_kind"]["6"]
    'police'
    """
    with (resource_dir("graph") / "imports" / f"{name}.toml").open("rb") as handle:
        return tomllib.load(handle)


def header_key(header: object) -> str:
    """A header as headers are matched: case and spaces ignored.

    >>> header_key("  Child  Unique id ") == header_key("child unique ID")
    True
    """
    return _SPACES.sub("", str(header or "")).lower()


def text(value: object) -> str:
    """A cell as stripped text; empty for a blank cell.

    >>> text(None), text(" 12 "), text(12.0)
    ('', '12', '12')
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def unprefixed(value: object) -> str:
    """A value without its Annex A letter prefix.

    >>> unprefixed("a) Male"), unprefixed("q) 6: Police"), unprefixed("Female")
    ('Male', '6: Police', 'Female')
    """
    return _LETTER.sub("", text(value))


def code(value: object, allowed: set[str] | dict[str, Any]) -> str:
    """The code a value starts with, once its letter prefix is gone, if it is an allowed code.

    >>> code("q) 6: Police", {"6", "1A"}), code("N1 - Abuse or neglect", {"N1"}), code("1a", {"1A"})
    ('6', 'N1', '1A')
    """
    bare = unprefixed(value)
    found = _CODE.match(bare)
    candidate = found.group(1).upper() if found else bare.upper()
    if candidate not in allowed:
        raise ValueProblem("not a known code")
    return candidate


def sex(value: object) -> str:
    """familynet's sex for a source's value (empty: unknown).

    >>> sex("a) Male"), sex("2"), sex("U"), sex("")
    ('male', 'female', 'unknown', 'unknown')
    """
    bare = unprefixed(value).lower()
    if not bare:
        return "unknown"
    found = mapping("common")["sex"].get(bare)
    if found is None:
        raise ValueProblem("not a known sex or gender code")
    return str(found)


def yes_no(value: object) -> bool | None:
    """A yes/no cell (``a) Yes``, ``N``, ``true``, ``0``); None when empty.

    >>> yes_no("a) Yes"), yes_no("b) No"), yes_no("false"), yes_no("")
    (True, False, False, None)
    """
    bare = unprefixed(value).lower()
    if not bare:
        return None
    found = mapping("common")["yes_no"].get(bare)
    if found is None:
        raise ValueProblem("not yes or no")
    return bool(found)


def iso_date(value: object) -> str:
    """A date cell as ISO 8601 text: a date or date-time cell, an Excel date serial, or text in
    one of the formats of ``common.toml`` (dd/mm/yyyy first); empty for a blank cell.

    >>> iso_date("05/12/2024"), iso_date(45631), iso_date("45631"), iso_date(dt.datetime(2024, 12, 5, 9))
    ('2024-12-05', '2024-12-05', '2024-12-05', '2024-12-05')
    >>> iso_date("31/02/2024")
    Traceback (most recent call last):
    ...
    familynet.imports.values.ValueProblem: not a date (dd/mm/yyyy or an Excel date serial), or a day that does not exist
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(float(value))
    cell = text(value)
    return text_date(cell) if cell else ""


@lru_cache(maxsize=1 << 16)
def text_date(cell: str) -> str:
    """A date written as (stripped) text as ISO 8601 text; :func:`iso_date` for text cells.

    >>> text_date("2024-12-05 00:00:00.000"), text_date("")
    ('2024-12-05', '')
    """
    if not cell:
        return ""
    # Dates repeat (a day per many rows), and an ISO day (with or without a time, as databases
    # export them) is read in C: strptime costs most of an SSD import otherwise.
    if _ISO_DAY.match(cell):
        try:
            return dt.date.fromisoformat(cell[:10]).isoformat()
        except ValueError:
            pass
    if cell.replace(".", "", 1).isdigit():
        return _serial(float(cell))
    for form in mapping("common")["date_formats"]:
        try:
            return dt.datetime.strptime(cell, form).date().isoformat()
        except ValueError:
            continue
    raise ValueProblem("not a date (dd/mm/yyyy or an Excel date serial), or a day that does not exist")


def _serial(serial: float) -> str:
    # Serials below 61 fall before Excel's phantom 29 February 1900: no source date is that old.
    if not 61 <= serial < 2_958_466:
        raise ValueProblem("not a plausible Excel date serial")
    epoch: dt.date = mapping("common")["excel_epoch"]
    return (epoch + dt.timedelta(days=int(serial))).isoformat()
