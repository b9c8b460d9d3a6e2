"""The README's examples work when pasted in order after its first command (``bash scripts/demo``).

Every ``.venv/bin/familynet`` command of the README, in its code blocks or inline, runs
against a demo database made as ``scripts/demo`` makes it, in a directory of its own.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FAMILYNET = ".venv/bin/familynet"


def readme_commands(text: str) -> list[str]:
    """The ``.venv/bin/familynet`` commands of ``text`` in order: lines of its bash blocks
    (continued lines joined) and inline code.

    >>> readme_commands("Try `.venv/bin/familynet stats --db x`.\\n```bash\\n.venv/bin/familynet a \\\\\\n  b\\n```\\n")
    ['.venv/bin/familynet stats --db x', '.venv/bin/familynet a b']
    """
    found: list[tuple[int, str]] = []
    for block in re.finditer(r"```bash\n(.*?)```", text, re.DOTALL):
        joined = re.sub(r"\\\n\s*", "", block.group(1))
        found += [(block.start(), line.strip()) for line in joined.splitlines() if line.startswith(FAMILYNET)]
    found += [(m.start(), m.group(1)) for m in re.finditer(r"`(\.venv/bin/familynet [^`]+)`", text)]
    return [command for _, command in sorted(found)]


COMMANDS = readme_commands((ROOT / "README.md").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def after_the_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory as ``bash scripts/demo --no-serve`` leaves the repository: demo/familynet.db."""
    directory = tmp_path_factory.mktemp("readme")
    _run(directory, f"{FAMILYNET} demo --no-serve --households 60")
    return directory


def _run(directory: Path, command: str) -> subprocess.CompletedProcess[str]:
    # The README's .venv/bin/familynet is the one of the Python running the tests.
    args = shlex.split(command)
    args[0] = str(Path(sys.executable).parent / "familynet")
    done = subprocess.run(args, cwd=directory, capture_output=True, text=True, timeout=300, check=False)
    assert (done.returncode, "Traceback" in done.stderr) == (0, False), f"{command}\n{done.stderr}"
    return done


def test_the_readme_has_examples_to_run() -> None:
    assert len(COMMANDS) >= 4
    assert all(command.startswith(FAMILYNET) for command in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_readme_example_works_when_pasted(after_the_demo: Path, command: str) -> None:
    _run(after_the_demo, command)
