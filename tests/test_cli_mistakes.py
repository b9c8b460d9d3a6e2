"""A user's mistakes get one line and a non-zero exit, never a traceback, from every command.

Each command is run with its required options filled in and one mistake made: a
database that does not exist, a database in a directory that does not exist, an
output file in a directory that does not exist. Commands added later are covered
without being listed here.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from familynet.access.log import AccessRequest
from familynet.cli import main
from familynet.cli.common import iso_date, partial_date
from familynet.stores.sqlite.store import open_sqlite

#: The only commands that may create a store.
CREATORS = {"ingest", "migrate", "demo", "import"}


def _leaves(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _leaves(command, (*path, name))
        else:
            yield (*path, name), command


LEAVES = list(_leaves(main))
IDS = [" ".join(path) for path, _ in LEAVES]


def _value(param: click.Parameter, tmp_path: Path) -> str:
    """A plausible value for a required parameter, so that the command reaches the mistake."""
    if param.name == "purpose":
        return "MASH screening"
    if param.name == "la_code":
        return "881"
    if param.callback in (iso_date, partial_date):
        return "2024-01-01"
    if isinstance(param.type, click.Choice):
        return str(param.type.choices[0])
    if isinstance(param.type, click.IntRange | click.types.IntParamType):
        return "1"
    if isinstance(param.type, click.Path):
        # An empty file or directory where one must exist (a workbook, a bundle), else a new path.
        if param.type.exists and not param.type.dir_okay:
            (tmp_path / "given.file").touch()
            return str(tmp_path / "given.file")
        (tmp_path / "given").mkdir(exist_ok=True)
        return str(tmp_path / "given") if param.type.exists else str(tmp_path / "new")
    return "P1"


def _required(command: click.Command, tmp_path: Path, *, leave_out: str) -> list[str]:
    args: list[str] = []
    for param in command.params:
        if param.name == leave_out or not param.required:
            continue
        if isinstance(param, click.Argument):
            args.append(_value(param, tmp_path))
        else:
            args += [param.opts[0], _value(param, tmp_path)]
    return args


def _run(path: tuple[str, ...], args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(tmp_path)
    for name in ("FAMILYNET_DB", "FAMILYNET_STORE"):
        monkeypatch.delenv(name, raising=False)
    # The settings a command needs besides its options, so that it reaches the mistake.
    monkeypatch.setenv("FAMILYNET_ACCESS_LOG_KEY", "a test key of thirty-two characters or more")
    result = CliRunner().invoke(main, [*path, *args])
    # CliRunner catches what would be a traceback; a clean error is a SystemExit.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def _param(command: click.Command, name: str) -> click.Parameter | None:
    return next((p for p in command.params if p.name == name), None)


@pytest.mark.parametrize(("path", "command"), LEAVES, ids=IDS)
def test_a_command_given_a_database_that_is_not_there_never_creates_one(
    path: tuple[str, ...], command: click.Command, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if _param(command, "db") is None:
        pytest.skip("takes no --db")
    missing = tmp_path / "typo.db"
    result = _run(path, [*_required(command, tmp_path, leave_out="db"), "--db", str(missing)], tmp_path, monkeypatch)
    if path[0] in CREATORS:
        return
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: there is no database at {missing}"
    assert not missing.exists()


@pytest.mark.parametrize(("path", "command"), LEAVES, ids=IDS)
def test_a_database_in_a_directory_that_is_not_there_is_one_line(
    path: tuple[str, ...], command: click.Command, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if _param(command, "db") is None:
        pytest.skip("takes no --db")
    db = tmp_path / "nowhere" / "f.db"
    result = _run(path, [*_required(command, tmp_path, leave_out="db"), "--db", str(db)], tmp_path, monkeypatch)
    assert result.exit_code != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize(("path", "command"), LEAVES, ids=IDS)
@pytest.mark.parametrize("where", ["missing", "under_a_file"])
def test_an_output_file_that_cannot_be_written_is_one_line(
    path: tuple[str, ...], command: click.Command, where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [p for p in command.params if p.name in ("output", "rejects")]
    # A directory that is not there is made (demo, demo-data); one under a file cannot be.
    directories = [p for p in command.params if p.name in ("directory", "out_dir")] if where == "under_a_file" else []
    outputs = files + directories
    if not outputs:
        pytest.skip("writes nothing it is told where to")
    (tmp_path / "a-file").write_text("not a directory")
    parent = tmp_path / ("nowhere" if where == "missing" else "a-file")
    # A real database, so that the command gets as far as its output.
    db = tmp_path / "f.db"
    open_sqlite(db).close()
    store = ["--db", str(db)] if _param(command, "db") is not None else []
    for output in outputs:
        leave_out = output.name or ""
        given = [output.opts[0]] if isinstance(output, click.Option) else []
        args = [*_required(command, tmp_path, leave_out=leave_out), *store, *given, str(parent / "out")]
        result = _run(path, args, tmp_path, monkeypatch)
        assert result.exit_code != 0
        # One line, after click's usage when the option itself is refused.
        assert result.stderr.strip().splitlines()[-1].startswith("Error: "), result.stderr
        assert "out" in result.stderr or "directory" in result.stderr


def test_serve_refuses_a_port_in_use_before_its_banner(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    open_sqlite(db).close()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "from familynet.cli import main; main()",
                "serve",
                "--db",
                str(db),
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"Error: cannot listen on 127.0.0.1:{port}: Address already in use\n"


def test_access_log_show_last_is_newest_first_and_wraps_to_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "f.db"
    store = open_sqlite(db)
    at = dt.datetime(2025, 6, 30, 9, 30, tzinfo=dt.UTC)
    purposes = ["first visit", "a strategy discussion about the household and the school", "last visit"]
    store.append_access(
        [AccessRequest(at, "alice", "practitioner", None, p, "household", ("P1", "P2"), True, "c") for p in purposes]
    )
    store.close()
    shown = CliRunner().invoke(main, ["access-log", "show", "--last", "2", "--format", "json", "--db", str(db)])
    assert [(e["sequence"], e["purpose"]) for e in json.loads(shown.stdout)] == [(3, purposes[2]), (2, purposes[1])]
    monkeypatch.setenv("COLUMNS", "100")
    table = CliRunner().invoke(main, ["access-log", "show", "--last", "3", "--db", str(db)]).stdout
    lines = table.splitlines()
    assert max(len(line) for line in lines) <= 100
    # The read above (4) first; three entries, one of them wrapped over more lines.
    assert [line.split()[0] for line in lines if line[0].isdigit()] == ["4", "3", "2"]
    assert len(lines) > 2 + 3
    assert all(word in table for word in purposes[1].split())
