"""Settings, each from a command-line option or an environment variable.

=================== ================== ==========================================
setting             environment        default
=================== ================== ==========================================
database file       ``FAMILYNET_DB``   ``familynet.db`` in the working directory
=================== ================== ==========================================

A command-line option wins over the environment, which wins over the default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = Path("familynet.db")


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one command."""

    db: Path

    @classmethod
    def resolve(cls, db: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
        """Resolve settings from an explicit value, then the environment, then the default.

        >>> Settings.resolve(environ={"FAMILYNET_DB": "/tmp/x.db"}).db
        PosixPath('/tmp/x.db')
        >>> Settings.resolve(Path("a.db"), environ={"FAMILYNET_DB": "/tmp/x.db"}).db
        PosixPath('a.db')
        """
        env = os.environ if environ is None else environ
        if db is None:
            db = Path(env["FAMILYNET_DB"]) if env.get("FAMILYNET_DB") else DEFAULT_DB
        return cls(db=db)
