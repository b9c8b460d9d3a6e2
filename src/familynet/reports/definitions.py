"""The definitions a report carries, word for word from ``docs/rules.md``.

>>> definition("Audit 1 — sibling coverage").splitlines()[0][:60]
'`sibling_coverage(batches, start, end, *, assessment_days=60'
"""

from __future__ import annotations

from functools import cache

from familynet.analyses import AUDITS
from familynet.errors import ConfigurationError
from familynet.resources import resource_dir

#: The audits by command name, and the heading of each one's definition in docs/rules.md
#: (escalations alone are defined in audit 2's section).
HEADINGS = {
    **{audit.name: audit.heading for audit in AUDITS},
    "escalations": "Audit 2 — repeat referrals",
    "household": "Household context of a child on a date",
}
SHARED = "Shared definitions (at a date d)"


@cache
def definition(heading: str) -> str:
    """The text of section ``heading`` of ``docs/rules.md``, up to its JSON fields."""
    lines = resource_dir("docs").joinpath("rules.md").read_text(encoding="utf-8").splitlines()
    try:
        start = lines.index(f"## {heading}") + 1
    except ValueError:
        raise ConfigurationError(f"docs/rules.md has no section {heading!r}") from None
    body = []
    for line in lines[start:]:
        if line.startswith(("## ", "JSON")):
            break
        body.append(line)
    return "\n".join(body).strip()


def definitions(audit: str) -> str:
    """The definition of an audit (a key of HEADINGS) and the shared definitions, as the rules state them."""
    heading = HEADINGS[audit]
    return f"## {heading}\n\n{definition(heading)}\n\n## {SHARED}\n\n{definition(SHARED)}"
