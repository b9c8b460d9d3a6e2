"""The bundle directory: it holds the bundle's files, and nothing that might be mistaken for one.

A misspelt file (``household_member.csv``) would otherwise be passed over in silence
and the load would succeed without a single membership, so every ``.csv`` file in
the directory must be one of the bundle's (:data:`~familynet.bundle.files.FILES`),
and a bundle file must be a regular file in the directory itself: a symbolic link
could make the load read (and its error messages repeat) any file the loader can read.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from familynet.bundle.files import FILES
from familynet.errors import BundleError, Problem

#: The file names a bundle may hold.
EXPECTED = tuple(f"{spec.name}.csv" for spec in FILES)
#: Files a bundle may carry that are never loaded: the synthetic generator's answer key for
#: record linkage (:mod:`familynet.synthetic`), written beside the bundle files it describes.
NOT_LOADED = ("identity_truth.csv",)


def directory_problems(bundle: Path) -> list[Problem]:
    """Each ``.csv`` file of ``bundle`` that is not a bundle file, and each bundle file that is a link.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / "household_member.csv").write_text("")
    ...     [str(p) for p in directory_problems(Path(d))]
    ['error: household_member.csv:0: not a bundle file (did you mean household_members.csv?); \
the bundle files are agencies.csv, persons.csv, households.csv, household_members.csv, relationships.csv, \
referrals.csv, referral_mentions.csv, assessments.csv, checks.csv, plans.csv, considerations.csv']
    """
    problems = []
    for path in sorted(bundle.iterdir()):
        name = path.name
        if name in EXPECTED:
            if path.is_symlink() or not path.is_file():
                problems.append(Problem(name, 0, "", "not a regular file (a symbolic link or a directory is refused)"))
        elif name.lower().endswith(".csv") and name not in NOT_LOADED:
            # The name is the supplier's, not a person's: it is shown so the file can be found.
            close = difflib.get_close_matches(name, EXPECTED, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]}?)" if close else ""
            problems.append(
                Problem(name, 0, "", f"not a bundle file{hint}; the bundle files are {', '.join(EXPECTED)}")
            )
    return problems


def check_directory(bundle: Path) -> None:
    """Refuse a bundle directory with :func:`directory_problems` (:class:`BundleError` with them all)."""
    problems = directory_problems(bundle)
    if problems:
        raise BundleError(f"the bundle has {len(problems)} error(s); nothing was loaded", tuple(problems))
