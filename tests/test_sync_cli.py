"""`kiosk enroll`, `kiosk sync now|status|requeue` against a real server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from central import auth
from central.db import Store
from central.server import ServerThread
from central.testing import queue, running_central
from kiosk.cli import main
from kiosk.store.engine import Database
from kiosk.store.models import OutboxRecord


@pytest.fixture
def central(tmp_path: Path) -> Iterator[tuple[Store, ServerThread]]:
    with running_central(tmp_path) as pair:
        yield pair


def status_json(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert main(["sync", "status", "--json"]) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def test_enroll_sync_now_and_status(central: tuple[Store, ServerThread], kiosk_home: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    store, server = central
    assert status_json(capsys)["enrolled"] is False
    code = auth.issue_enroll_code(store, "XQ-YLQ-01")
    assert main(["enroll", "--server", server.url, "--code", code]) == 0
    assert "enrolled as kiosk" in capsys.readouterr().out
    key = kiosk_home / "data" / "sync" / "station.key"
    assert key.stat().st_mode & 0o777 == 0o600
    db = Database(kiosk_home / "data" / "kiosk.sqlite3").open()
    ids = queue(db, 7, kind="job_signup")
    status = status_json(capsys)
    assert status["pending_by_kind"] == {"job_signup": 7} and status["pending"] == 7
    assert main(["sync", "now"]) == 0
    out = capsys.readouterr().out
    assert "pending: 0" in out and "last push:" in out
    with db.write() as s:
        s.execute(update(OutboxRecord).where(OutboxRecord.id == ids[0])
                  .values(state="rejected"))
    status = status_json(capsys)
    assert status["rejected"] == 1 and status["last_push_at"] and status["last_error"] is None
    assert main(["sync", "requeue", ids[0]]) == 0
    assert capsys.readouterr().out == "1 record(s) queued again\n"
    assert status_json(capsys)["pending"] == 1
    db.close()


def test_cli_errors_are_one_line(central: tuple[Store, ServerThread], kiosk_home: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    _, server = central
    assert main(["enroll", "--server", server.url, "--code", "WRONG-CODE"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: enrollment failed (auth)") and "\n" not in err
    assert main(["enroll", "--server", "http://127.0.0.1:9", "--code", "X"]) == 1
    err = capsys.readouterr().err.strip()
    assert "offline" in err and "\n" not in err
    assert main(["sync", "now"]) == 1
    assert "not enrolled" in capsys.readouterr().err
