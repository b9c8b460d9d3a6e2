"""NHS numbers: the modulus 11 check digit."""

from __future__ import annotations

from operator import mul

_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
#: The weighted sum of nine ASCII zeros: the weights times the code of "0".
_ZEROS = ord("0") * sum(_WEIGHTS)


def check_digit(first_nine: str) -> int | None:
    """Return the check digit for nine digits, or None when no valid one exists.

    >>> check_digit("943476591")
    9
    """
    if len(first_nine) != len(_WEIGHTS) or not first_nine.isascii() or not first_nine.isdigit():
        raise ValueError("expected nine digits")
    # Weighted character codes less those of zeros: every NHS number of a bundle is checked.
    total = sum(map(mul, first_nine.encode("ascii"), _WEIGHTS)) - _ZEROS
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
    return check_digit(digits[:9]) == ord(digits[9]) - ord("0")
