"""The ranges the rules' parameters may take, checked once for every caller.

The CLI, the GraphQL API and a notebook all pass parameters straight to the rule
functions, so the rules refuse a value outside its range themselves: a negative
window or a month count of a million would otherwise give a silently meaningless
answer, or an overflow deep inside date arithmetic instead of a clear message.

>>> check_parameters(months=12, short_months=3, medium_months=6)
>>> check_parameters(window_days=0)
Traceback (most recent call last):
...
familynet.analyses.parameters.ParameterError: window_days must be between 1 and 36600
"""

from __future__ import annotations

from collections.abc import Collection

from familynet.errors import FamilynetError
from familynet.model.vocabulary import vocabulary

#: A hundred years: wider than any record, narrow enough that date arithmetic never overflows.
_MAX_DAYS = 36_600
_MAX_MONTHS = 1_200

#: The inclusive (lowest, highest) value of each parameter, as docs/rules.md lists them.
RANGES: dict[str, tuple[int, int]] = {
    "adult_age": (1, 150),
    "infant_age": (0, 150),
    "assessment_days": (0, _MAX_DAYS),
    "lookback_days": (0, _MAX_DAYS),
    "months": (1, _MAX_MONTHS),
    "short_months": (1, _MAX_MONTHS),
    "medium_months": (1, _MAX_MONTHS),
    "window_days": (1, _MAX_DAYS),
    "min_contacts": (1, 1_000_000),
    "flag_months": (0, _MAX_MONTHS),
    "min_households": (1, 1_000_000),
    "considered_before_days": (0, _MAX_DAYS),
    "considered_after_days": (0, _MAX_DAYS),
    "red_hours": (0, _MAX_DAYS * 24),
    "amber_hours": (0, _MAX_DAYS * 24),
    "green_hours": (0, _MAX_DAYS * 24),
    "prior_months": (1, _MAX_MONTHS),
    "feedback_days": (0, _MAX_DAYS),
}


class ParameterError(FamilynetError, ValueError):
    """A rule's parameter is outside its range."""


def check_parameters(**values: int) -> None:
    """Raise ParameterError unless each value is within its range of :data:`RANGES`, and
    the interval marks of audit 2 (when given) are in order: short ≤ medium ≤ months."""
    for name, value in values.items():
        low, high = RANGES[name]
        if not low <= value <= high:
            raise ParameterError(f"{name} must be between {low} and {high}")
    marks = [values[name] for name in ("short_months", "medium_months", "months") if name in values]
    if marks != sorted(marks):
        raise ParameterError("the interval marks must be in order: short_months <= medium_months <= months")


def check_outcomes(outcomes: Collection[str]) -> None:
    """Raise ParameterError unless every value is a referral outcome of the vocabulary.

    >>> check_outcomes(["section_47", "strategy_dicsussion"])
    Traceback (most recent call last):
    ...
    familynet.analyses.parameters.ParameterError: not referral outcomes: strategy_dicsussion
    """
    unknown = set(outcomes) - vocabulary().referral_outcome
    if unknown:
        raise ParameterError(f"not referral outcomes: {', '.join(sorted(unknown))}")


def check_kinds(kinds: Collection[str]) -> None:
    """Raise ParameterError unless ``kinds`` is a non-empty set of referral kinds.

    >>> check_kinds(["contact", "refferal"])
    Traceback (most recent call last):
    ...
    familynet.analyses.parameters.ParameterError: not referral kinds: refferal
    """
    unknown = set(kinds) - vocabulary().referral_kind
    if unknown:
        raise ParameterError(f"not referral kinds: {', '.join(sorted(unknown))}")
    if not kinds:
        raise ParameterError("kinds must name at least one referral kind")
