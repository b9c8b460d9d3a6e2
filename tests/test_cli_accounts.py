"""The ``users`` and ``access-log`` commands, on a real database."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from bundles import FAMILY, write_bundle
from familynet.access.auth import token_hash
from familynet.access.log import AccessRequest
from familynet.cli import main
from familynet.stores.sqlite.store import open_sqlite

AT = dt.datetime(2025, 6, 30, 9, 30, tzinfo=dt.UTC)


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_users_add_prints_a_token_once_and_stores_only_its_hash(tmp_path: Path) -> None:
    db = str(tmp_path / "f.db")
    assert _run("migrate", "--db", db)[0] == 0
    code, out, err = _run("users", "add", "svc-mash", "--role", "auditor", "--agency", "A1", "--db", db)
    assert code == 0
    token = out.strip()
    assert token.startswith("fn_")
    assert "shown once" in err
    store = open_sqlite(Path(db))
    user = store.user_by_token_hash(token_hash(token))
    store.close()
    assert user is not None
    assert (user.name, user.role.value, user.agency_id) == ("svc-mash", "auditor", "A1")
    dump = "\n".join(sqlite3.connect(db).iterdump())
    assert token not in dump
    assert token_hash(token) in dump


def test_users_list_and_revoke(tmp_path: Path) -> None:
    db = str(tmp_path / "f.db")
    assert _run("migrate", "--db", db)[0] == 0
    _run("users", "add", "a", "--role", "admin", "--db", db)
    code, _, err = _run("users", "add", "a", "--role", "admin", "--db", db)
    assert code == 1
    assert "already exists" in err
    assert _run("users", "revoke", "a", "--db", db)[0] == 0
    code, _, err = _run("users", "revoke", "a", "--db", db)
    assert (code, "no active user" in err) == (1, True)
    code, out, _ = _run("users", "list", "--format", "json", "--db", db)
    (listed,) = json.loads(out)
    assert (listed["name"], listed["role"]) == ("a", "admin")
    assert listed["revoked_at"] is not None


def test_users_add_refuses_an_unknown_role(tmp_path: Path) -> None:
    code, _, err = _run("users", "add", "x", "--role", "root", "--db", str(tmp_path / "f.db"))
    assert code == 2
    assert "'root' is not one of" in err


def _log(db: Path, users: list[str]) -> None:
    store = open_sqlite(db)
    store.append_access(
        [AccessRequest(AT, u, "practitioner", "A1", "visit", "householdContext", ("P1",), True, "c") for u in users]
    )
    store.close()


def test_access_log_verify_passes_an_intact_log_and_names_the_first_broken_entry(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    _log(db, ["alice", "bob", "carol"])
    code, out, _ = _run("access-log", "verify", "--db", str(db))
    assert (code, out.strip()) == (0, "ok: 3 entries, unbroken")
    raw = sqlite3.connect(db)
    raw.execute("DROP TRIGGER access_log_no_delete")
    raw.execute("DELETE FROM access_log WHERE sequence = 2")
    raw.commit()
    raw.close()
    code, _, err = _run("access-log", "verify", "--db", str(db))
    assert code == 1
    assert "broken at entry 2" in err


@pytest.mark.parametrize(
    "command",
    [("access-log", "verify"), ("access-log", "show"), ("person", "search", "zoe", "--purpose", "MASH screening")],
)
def test_a_mistyped_database_is_an_error_not_an_empty_log_that_verifies(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    missing = tmp_path / "typo.db"
    code, out, err = _run(*command, "--db", str(missing))
    assert code == 1 and "there is no database at" in err
    assert "ok:" not in out and not missing.exists()


def test_access_log_show_filters_entries(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    _log(db, ["alice", "bob", "alice"])
    code, out, _ = _run("access-log", "show", "--user", "alice", "--format", "json", "--db", str(db))
    assert code == 0
    assert [(e["sequence"], e["purpose"], e["person_ids"]) for e in json.loads(out)] == [
        (1, "visit", "P1"),
        (3, "visit", "P1"),
    ]


def test_access_log_show_is_itself_logged_with_the_person_asked_about(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    _log(db, ["alice"])
    code, out, _ = _run("access-log", "show", "--person", "P1", "--format", "json", "--db", str(db))
    assert code == 0 and [e["sequence"] for e in json.loads(out)] == [1]
    store = open_sqlite(db)
    try:
        last = store.access_entries()[-1].request
    finally:
        store.close()
    assert (last.operation, last.role, last.person_ids, last.purpose) == (
        "access-log show",
        "command_line",
        ("P1",),
        None,
    )


def test_person_search_logs_the_persons_it_shows_with_the_purpose(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    assert _run("ingest", str(write_bundle(tmp_path / "b", FAMILY)), "--db", str(db))[0] == 0
    code, out, _ = _run("person", "search", "zoe", "--purpose", "MASH screening", "--db", str(db))
    assert code == 0
    assert "P1" in out
    store = open_sqlite(db)
    (entry,) = store.access_entries()
    store.close()
    assert (entry.request.operation, entry.request.purpose, entry.request.person_ids) == (
        "person search",
        "MASH screening",
        ("P1",),
    )


@pytest.mark.parametrize("purpose", ["\u200b", "\x1b", "12"])
def test_a_purpose_without_three_letters_is_refused_on_the_command_line_as_in_the_service(
    tmp_path: Path, purpose: str
) -> None:
    code, out, err = _run("person", "search", "zoe", "--purpose", purpose, "--db", str(tmp_path / "f.db"))
    assert (code, out) == (2, "")
    assert "say why in at least 3 letters" in err
    genogram = CliRunner().invoke(main, ["genogram", "P1", "--purpose", purpose, "--db", str(tmp_path / "f.db")])
    assert genogram.exit_code == 2


def test_a_blank_purpose_is_refused_and_nothing_is_shown(tmp_path: Path) -> None:
    code, out, err = _run("person", "search", "zoe", "--purpose", "  ", "--db", str(tmp_path / "f.db"))
    assert code == 2
    assert "say why" in err
    assert out == ""
