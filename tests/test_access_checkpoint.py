"""Signed checkpoints anchor the access log outside the database: deletions at the end and
rewrites with recomputed hashes, which the chain alone accepts, are found against them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from familynet.access.checkpoint import Checkpoint, CheckpointError
from familynet.access.log import GENESIS, AccessRequest, chain
from familynet.cli import main
from familynet.service.checkpoints import CheckpointSchedule
from familynet.settings import ServiceSettings
from familynet.stores.sqlite.store import open_sqlite

KEY = "k" * 40
ENV = {"FAMILYNET_ACCESS_LOG_KEY": KEY}


def _request(n: int) -> AccessRequest:
    at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=n)
    return AccessRequest(at, f"user{n % 3}", "practitioner", "A1", "MASH screening", "person", (f"P{n}",), True, "c")


def _db(tmp_path: Path, entries: int = 150) -> Path:
    db = tmp_path / "familynet.db"
    store = open_sqlite(db)
    try:
        store.append_access([_request(n) for n in range(1, entries + 1)])
    finally:
        store.close()
    return db


def _cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=ENV if env is None else env)
    return result.exit_code, result.output


def _checkpoint(db: Path, file: Path) -> None:
    code, out = _cli("access-log", "checkpoint", "--output", str(file), "--db", str(db))
    assert code == 0, out


def _tamper(db: Path, sql: str, rows: Sequence[Sequence[object]] = ()) -> None:
    """What an administrator of the database could do: drop the triggers that keep the log append-only."""
    with sqlite3.connect(db) as connection:
        for trigger in ("access_log_no_update", "access_log_no_delete", "access_log_persons_no_delete"):
            connection.execute(f"DROP TRIGGER {trigger}")
        if rows:
            connection.executemany(sql, rows)
        else:
            connection.executescript(sql)


def test_deleting_the_last_entries_passes_the_chain_but_not_the_checkpoint(tmp_path: Path) -> None:
    db = _db(tmp_path)
    _checkpoint(db, tmp_path / "checkpoints")
    _tamper(db, "DELETE FROM access_log_persons WHERE sequence > 100; DELETE FROM access_log WHERE sequence > 100;")
    assert _cli("access-log", "verify", "--db", str(db)) == (0, "ok: 100 entries, unbroken\n")
    code, out = _cli("access-log", "verify", "--against", str(tmp_path / "checkpoints"), "--db", str(db))
    assert code == 1
    assert "the access log has 100 entries; the checkpoint of" in out and "saw 150: 50 missing" in out


def test_a_rewrite_with_every_later_hash_recomputed_passes_the_chain_but_not_the_checkpoint(tmp_path: Path) -> None:
    db = _db(tmp_path)
    _checkpoint(db, tmp_path / "checkpoints")
    store = open_sqlite(db)
    entries = store.access_entries()
    store.close()
    forged, previous = [], entries[98].entry_hash
    for entry in entries[99:]:
        request = entry.request
        if entry.sequence == 100:
            request = dataclasses.replace(request, purpose="routine", person_ids=("P1",))
        forged.append(chain(entry.sequence, request, previous))
        previous = forged[-1].entry_hash
    update = "UPDATE access_log SET purpose = ?, person_ids = ?, previous_hash = ?, entry_hash = ? WHERE sequence = ?"
    rows = [
        (f.request.purpose, json.dumps(list(f.request.person_ids)), f.previous_hash, f.entry_hash, f.sequence)
        for f in forged
    ]
    _tamper(db, update, rows)
    assert _cli("access-log", "verify", "--db", str(db))[0] == 0
    code, out = _cli("access-log", "verify", "--against", str(tmp_path / "checkpoints"), "--db", str(db))
    assert code == 1
    assert "entry 150 does not have the hash the checkpoint of" in out and "rewritten" in out


def test_an_intact_log_that_grew_holds_every_checkpoint(tmp_path: Path) -> None:
    db = _db(tmp_path, 10)
    _checkpoint(db, tmp_path / "checkpoints")
    store = open_sqlite(db)
    store.append_access([_request(11)])
    store.close()
    _checkpoint(db, tmp_path / "checkpoints")
    code, out = _cli("access-log", "verify", "--against", str(tmp_path / "checkpoints"), "--db", str(db))
    assert (code, out) == (0, "ok: 11 entries, unbroken, and holds the heads of 2 checkpoint(s)\n")


def test_a_checkpoint_needs_the_key_and_is_refused_under_another(tmp_path: Path) -> None:
    db = _db(tmp_path, 3)
    assert _cli("access-log", "checkpoint", "--db", str(db), env={"FAMILYNET_ACCESS_LOG_KEY": ""})[0] == 1
    _checkpoint(db, tmp_path / "checkpoints")
    other = {"FAMILYNET_ACCESS_LOG_KEY": "j" * 40}
    code, out = _cli("access-log", "verify", "--against", str(tmp_path / "checkpoints"), "--db", str(db), env=other)
    assert code == 1 and "not signed with this key" in out
    line = (tmp_path / "checkpoints").read_text().strip()
    assert Checkpoint.read(line, KEY.encode()).entries == 3
    with pytest.raises(CheckpointError):
        Checkpoint.read(line.replace('"entries":3', '"entries":2'), KEY.encode())


def test_the_service_writes_checkpoints_on_a_schedule_and_when_it_stops(tmp_path: Path) -> None:
    db = _db(tmp_path, 5)
    path = tmp_path / "scheduled"
    schedule = CheckpointSchedule(lambda: open_sqlite(db), KEY.encode(), path, minutes=0.01)
    schedule.start()
    time.sleep(1.5)
    store = open_sqlite(db)
    store.append_access([_request(6)])
    store.close()
    schedule.close()
    heads = [Checkpoint.read(line, KEY.encode()) for line in path.read_text().splitlines()]
    assert len(heads) >= 2
    assert heads[0].entries == 5 and heads[-1].entries == 6
    assert all(h.head_hash != GENESIS for h in heads)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert _cli("access-log", "verify", "--against", str(path), "--db", str(db))[0] == 0


def test_checkpoint_settings() -> None:
    assert ServiceSettings.from_environ({}).checkpoint_path is None
    chosen = ServiceSettings.from_environ(
        {"FAMILYNET_CHECKPOINT_PATH": "/var/log/fn.ckpt", "FAMILYNET_CHECKPOINT_MINUTES": "5", **ENV}
    )
    assert (chosen.checkpoint_path, chosen.checkpoint_minutes) == (Path("/var/log/fn.ckpt"), 5.0)
    with pytest.raises(Exception, match="FAMILYNET_CHECKPOINT_PATH needs FAMILYNET_ACCESS_LOG_KEY"):
        ServiceSettings.from_environ({"FAMILYNET_CHECKPOINT_PATH": "/var/log/fn.ckpt"})
