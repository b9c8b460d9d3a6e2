"""Where the data directories (graph/, schema/, queries/, and docs/ for the rules) live.

In a wheel they are packaged under ``familynet/_resources``; in a source checkout
(editable install) they are the top-level directories of the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from familynet.errors import ConfigurationError

_PACKAGED = Path(__file__).parent / "_resources"
_CHECKOUT = Path(__file__).resolve().parents[2]


@cache
def resource_dir(name: str) -> Path:
    """Return the directory ``name`` (``graph``, ``schema``, ``queries`` or ``docs``).

    >>> resource_dir("graph").joinpath("model.toml").is_file()
    True
    """
    for base in (_PACKAGED, _CHECKOUT):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise ConfigurationError(f"familynet's {name}/ directory is missing from this installation")
