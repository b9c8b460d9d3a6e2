"""The viewer's HTML, from Jinja2 templates that escape every value.

Jinja2 rather than strings put together by hand: with ``autoescape=True`` every
value a template prints is HTML-escaped unless the template says otherwise, so a
name such as ``<script>`` can never become markup through a forgotten call. The one
value printed unescaped (``|safe``) is the genogram, an SVG document that
:mod:`familynet.genogram.svg` builds with every text escaped. ``StrictUndefined``
makes a misspelt variable an error rather than an empty cell.

>>> "&lt;b&gt;" in render("error.html", title="<b>", message="m", correlation_id="c", principal=None, csrf="")
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from familynet.access.auth import Principal, Right

TEMPLATES = Path(__file__).parent / "templates"
#: The protective marking at the top of every page that shows a person.
MARKING = "OFFICIAL-SENSITIVE"


def _yes_no(value: bool | None) -> str:
    """``yes``, ``no`` or ``unknown``.

    >>> _yes_no(True), _yes_no(False), _yes_no(None)
    ('yes', 'no', 'unknown')
    """
    return "unknown" if value is None else ("yes" if value else "no")


def _may(principal: Principal | None, right: str) -> bool:
    """Whether the signed-in caller has ``right`` (by its value), for what a page offers.

    >>> from familynet.access.auth import Role
    >>> _may(Principal("a", Role.PRACTITIONER, None, "token"), "read_candidates"), _may(None, "read_candidates")
    (True, False)
    """
    return principal is not None and principal.can(Right(right))


_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_environment.filters["yes_no"] = _yes_no
_environment.globals["marking"] = MARKING
_environment.globals["may"] = _may


def render(name: str, **context: Any) -> str:
    """The template ``name`` filled with ``context``."""
    return _environment.get_template(name).render(**context)
