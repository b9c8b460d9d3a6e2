"""The ``familynet`` command group as a whole: every command documents itself."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from familynet.cli import main


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


COMMANDS = list(_commands(main))


def test_the_walk_finds_every_command_group_and_subcommand() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    expected = {"ingest", "demo-data", "stats", "demo", "person", "person search", "household", "audit"}
    expected |= {f"audit {name}" for name in ("siblings", "repeat-referrals", "escalations", "missing-members")}
    assert expected <= names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_and_option_has_help(path: tuple[str, ...], command: click.Command) -> None:
    assert (command.help or "").strip(), f"{' '.join(path)} has no docstring"
    undocumented = [p.name for p in command.params if isinstance(p, click.Option) and not (p.help or "").strip()]
    assert undocumented == []
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    # --help shows the docstring, rewrapped (and words broken at hyphens).
    assert "".join(command.help.split()) in "".join(result.stdout.split())
