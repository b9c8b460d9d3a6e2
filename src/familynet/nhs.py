"""NHS numbers: the modulus 11 check digit."""

from __future__ import annotations

_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def check_digit(first_nine: str) -> int | None:
    """Return the check digit for nine digits, or None when no valid one exists.

    >>> check_digit("943476591")
    9
    """
    total = sum(int(d) * w for d, w in zip(first_nine, _WEIGHTS, strict=True))
    digit = 11 - total % 11
    if digit == 11:
        return 0
    return None if digit == 10 else digit


def is_valid_nhs_number(value: str) -> bool:
    """Whether ``value`` is ten digits (spaces allowed) with a valid check digit.

    >>> is_valid_nhs_number("943 476 5919")
    True
    >>> is_valid_nhs_number("9434765918")
    False
    """
    digits = value.replace(" ", "")
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    return check_digit(digits[:9]) == int(digits[9])
