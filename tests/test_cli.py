"""The ``familynet`` command group as a whole: every command documents itself."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from familynet.cli import main
from familynet.stores.sqlite.store import open_sqlite


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
    text = command.help or ""
    assert text.strip(), f"{' '.join(path)} has no docstring"
    undocumented = [p.name for p in command.params if isinstance(p, click.Option) and not (p.help or "").strip()]
    assert undocumented == []
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    # --help shows the docstring, rewrapped (and words broken at hyphens).
    assert "".join(text.split()) in "".join(result.stdout.split())


def test_a_familynet_error_ends_the_process_cleanly(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    open_sqlite(db).close()
    args = ["audit", "siblings", "--from", "2025-01-01", "--to", "2024-01-01", "--db", str(db)]
    done = subprocess.run(
        [sys.executable, "-c", "from familynet.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (1, "", "Error: the period ends before it starts\n")


def test_demo_replaces_its_own_database_but_never_another(tmp_path: Path) -> None:
    demo = ["demo", "--households", "2", "--no-serve", "--dir"]
    for _ in range(2):
        result = CliRunner().invoke(main, [*demo, str(tmp_path / "demo")])
        assert result.exit_code == 0, result.output
    real = tmp_path / "real"
    real.mkdir()
    (real / "familynet.db").write_bytes(b"the authority's records")
    result = CliRunner().invoke(main, [*demo, str(real)])
    assert result.exit_code == 1
    assert "was not made by familynet demo" in result.stderr
    assert (real / "familynet.db").read_bytes() == b"the authority's records"


def test_demo_without_serving_says_how_to_serve_later_and_shows_no_progress_in_a_pipe(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["demo", "--households", "2", "--no-serve", "--port", "8123", "--dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert f"familynet serve --db {tmp_path / 'familynet.db'} --port 8123" in result.stdout
    assert "curl" not in result.stdout
    # Progress is for a terminal: CliRunner's standard error is not one.
    assert result.stderr == ""


def test_serve_names_its_log_lines_uvicorn_and_only_errors_uvicorn_error() -> None:
    # In a process of its own: the configuration is global to the logging module.
    script = (
        "import logging, logging.config; from familynet.cli.serve import log_config; "
        "logging.config.dictConfig(log_config()); "
        "logging.getLogger('uvicorn.error').info('Started server process'); "
        "logging.getLogger('uvicorn.error').error('Exception in ASGI application')"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    first, second = done.stderr.splitlines()
    assert first.endswith(" uvicorn: Started server process")
    assert second.endswith(" uvicorn.error: Exception in ASGI application")
