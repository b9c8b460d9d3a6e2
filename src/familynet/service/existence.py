"""What a mutation's problems may tell a caller who may not read persons (an admin).

Some problems are found against what is on record: an id that is not on record, a
referral already recorded, a person another agency recorded, a stored date of birth or
referral date a fact disagrees with. Told to a caller who may not read persons, their
wording tells which ids are on record, and what those records hold. For such a caller,
:func:`withheld` answers them with one wording whatever the store holds:

- if the input has problems of its own (found in the rows alone), only those are told:
  the rows whose problems are found against the store have no problem of their own, and
  a mutation refused for its input says the same whether its ids are on record or not;
- otherwise every problem found against the store becomes one :data:`ON_RECORD` problem
  (one :data:`ON_RECORD_WARNING` for warnings), naming no field and no reason.

Whether a mutation is recorded or refused can still tell that an id is on record (a new
referral id is recorded, one on record is refused): every mutation is logged with the
ids it names, so such probes are seen in the access log.

>>> from familynet.errors import Problem
>>> unknown = Problem("persons.csv", 2, "recorded_by", "refers to a agency that is in neither the bundle nor the store")
>>> [p.reason for p in withheld([unknown], may_read=False)] == [ON_RECORD]
True
>>> withheld([unknown], may_read=True) == [unknown]
True
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from familynet.bundle.loader import ON_RECORD_REASONS
from familynet.errors import Problem

#: The one error a caller who may not read persons is told for every problem found against the store.
ON_RECORD = (
    "refused: an id given is not on record, is already recorded, or was recorded by another agency, "
    "or a fact disagrees with one on record; your role may not read persons, so you are not told which"
)
#: The one warning such a caller is told for every warning found against the store.
ON_RECORD_WARNING = "recorded; a fact given may disagree with one on record that your role may not read"


def withheld(problems: Sequence[Problem], *, may_read: bool, also: Collection[str] = ()) -> list[Problem]:
    """``problems`` as a caller who may (``may_read``) or may not read persons is told them;
    reasons in ``also`` are found against the store too (the service's own checks)."""
    if may_read:
        return list(problems)
    on_record = ON_RECORD_REASONS | frozenset(also)
    own = [p for p in problems if p.reason not in on_record]
    against = [p for p in problems if p.reason in on_record]
    if not against:
        return own
    if any(p.severity == "error" for p in own):
        return own
    errors = any(p.severity == "error" for p in against)
    reason, severity = (ON_RECORD, "error") if errors else (ON_RECORD_WARNING, "warning")
    return [*own, Problem("", 0, "", reason, severity)]
