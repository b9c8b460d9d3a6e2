"""The purpose a reader gives: what is accepted, and what of a refused one the access log keeps.

A purpose is stored in every access log entry of the read, so it is bounded twice:
it must say something (at least ``min_letters`` letters of any alphabet, so that
``"\\u200b"`` or an escape character is no purpose) and be at most ``max_length``
characters. A refused purpose is logged too, but never longer than an accepted one
could be: one over the limit is stored as its length and SHA-256, so a caller cannot
fill the append-only log by sending long purposes that are refused.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from familynet.errors import FamilynetError

#: Longest purpose accepted; the purpose is stored in every access log entry.
MAX_PURPOSE_LENGTH = 500
#: Fewest letters a purpose must hold (the default of ``FAMILYNET_PURPOSE_MIN_LETTERS``).
MIN_PURPOSE_LETTERS = 3


class PurposeRequiredError(FamilynetError):
    """A read of a person without a usable purpose."""


def letters(text: str) -> int:
    """How many letters (Unicode category L*, any alphabet) ``text`` holds.

    >>> letters("s47 enquiry"), letters("\\u200b\\x1b"), letters("Ærø")
    (8, 0, 3)
    """
    return sum(1 for c in text if unicodedata.category(c).startswith("L"))


@dataclass(frozen=True)
class PurposeRule:
    """What a purpose must be: at least ``min_letters`` letters, at most ``max_length`` characters."""

    min_letters: int = MIN_PURPOSE_LETTERS
    max_length: int = MAX_PURPOSE_LENGTH

    def check(self, purpose: str | None) -> str:
        """The purpose stripped, or :class:`PurposeRequiredError` saying what is wrong (never the purpose).

        >>> PurposeRule().check("  s47 enquiry ")
        's47 enquiry'
        >>> PurposeRule().check("\\u200b")
        Traceback (most recent call last):
        ...
        familynet.access.purpose.PurposeRequiredError: a purpose is required for every read of a person: \
say why in at least 3 letters
        """
        text = (purpose or "").strip()
        if letters(text) < max(self.min_letters, 1):
            raise PurposeRequiredError(
                f"a purpose is required for every read of a person: say why in at least {self.min_letters} letters"
            )
        if len(text) > self.max_length:
            raise PurposeRequiredError(f"the purpose is longer than {self.max_length} characters")
        return text

    def logged(self, purpose: str | None) -> str | None:
        """What the access log keeps of a refused purpose: the purpose if it is within the length
        limit, else its length and SHA-256 (80 characters or so, whatever its length).

        >>> PurposeRule(max_length=5).logged("why")
        'why'
        >>> PurposeRule(max_length=5).logged("x" * 250_000)[:40]
        'refused purpose of 250000 characters, sh'
        """
        if purpose is None or len(purpose) <= self.max_length:
            return purpose
        digest = hashlib.sha256(purpose.encode("utf-8", "surrogatepass")).hexdigest()
        return f"refused purpose of {len(purpose)} characters, sha256 {digest}"
