"""Which characters a text fact may hold: no control characters and no lone surrogates.

Names, addresses and codes end up in SVG (XML 1.0 forbids most C0 characters), in
GEDCOM and DOT (line-based: a line break in a name starts a new record), in CSV
opened by spreadsheets and in terminals (an escape character drives the terminal).
So every text cell of a bundle and every string a GraphQL client sends is refused
when it holds a C0 control character (U+0000 to U+001F; tab only where the format
allows it), DEL (U+007F), a C1 control character (U+0080 to U+009F) or a surrogate
code point (U+D800 to U+DFFF, which no UTF-8 text can hold: a JSON ``"\\ud800"`` makes one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_FORBIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")
_FORBIDDEN_WITH_TAB = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def forbidden_character(text: str, *, tab: bool = True) -> tuple[int, str] | None:
    """The position of the first character ``text`` may not hold and why, or None.

    The reason names the code point (never the text around it). ``tab`` says whether
    a tab is allowed.

    >>> forbidden_character("Zoë Nguyễn") is None
    True
    >>> forbidden_character("Kid\\x00Nul")
    (3, 'a control character (U+0000)')
    >>> forbidden_character("a\\tb"), forbidden_character("a\\tb", tab=False)
    (None, (1, 'a control character (U+0009)'))
    >>> forbidden_character("x\\ud800")
    (1, 'not valid UTF-8 (a lone surrogate or a byte that is not UTF-8)')
    """
    found = (_FORBIDDEN if tab else _FORBIDDEN_WITH_TAB).search(text)
    if found is None:
        return None
    code = ord(found.group())
    if 0xD800 <= code <= 0xDFFF:
        # A file read with errors="surrogateescape" holds a byte that is not UTF-8 as U+DC80 to U+DCFF.
        return found.start(), "not valid UTF-8 (a lone surrogate or a byte that is not UTF-8)"
    return found.start(), f"a control character (U+{code:04X})"


def has_forbidden(texts: Iterable[str], *, tab: bool = True) -> bool:
    """Whether any of ``texts`` holds a character :func:`forbidden_character` refuses (one scan
    of them all joined: joining makes no character and splits none, not even a surrogate pair).

    >>> has_forbidden(["Ann", "Lee"]), has_forbidden(["Ann", "L\\x1bee"]), has_forbidden(["\\ud83d", "\\ude00"])
    (False, True, True)
    """
    return (_FORBIDDEN if tab else _FORBIDDEN_WITH_TAB).search("".join(texts)) is not None
