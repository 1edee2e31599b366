"""A full disk: a submission that cannot be stored fails whole (never "submitted" with half
its rows), the worker reports "disk", and once space is back everything syncs exactly once.

Uses a 4 MB tmpfs when the test may mount one (root on Linux); otherwise SQLite's
``max_page_count`` stands in for the full disk on the submission side.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from central.testing import assert_exactly_once, enrolled_kiosk, queue, running_central
from central.testing import sync_engine as make_engine
from kiosk.store.engine import Database
from kiosk.store.models import OutboxRecord, Rating
from kiosk.store.outbox import enqueue


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / "small-disk"
    mnt.mkdir()
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 65536)
    except OSError:
        pass
    finally:
        os.close(fd)
    return filler


def submit(db: Database, n: int) -> None:
    """A business row and its outbox record in one transaction, as the UI submits."""
    with db.write() as s:
        s.add(Rating(score=3))
        enqueue(s, "rating", {"score": 3, "n": n, "pad": "满意" * 2000})


def counts(db: Database) -> tuple[int, int]:
    with db.read() as s:
        return (s.scalar(select(func.count()).select_from(Rating)) or 0,
                s.scalar(select(func.count()).select_from(OutboxRecord)) or 0)


def test_full_disk_fails_whole_reports_disk_and_recovers(
        tmp_path: Path, small_disk: Path) -> None:
    with running_central(tmp_path) as (store, server):
        home = small_disk / "home"
        db, _ = enrolled_kiosk(store, server.url, home)
        queue(db, 30)
        filler = fill(small_disk)
        before = counts(db)
        with pytest.raises(OperationalError, match="full"):
            for n in range(200):
                submit(db, n)
        ratings, records = counts(db)  # no rating without its outbox record, nor back
        assert ratings - before[0] == records - before[1]
        engine = make_engine(db, home)
        status = engine.run_once()
        assert status.last_error == "disk" and status.pending == counts(db)[1]
        filler.unlink()
        status = engine.run_once()
        engine.stop()
        assert status.last_error is None and status.pending == 0
        assert assert_exactly_once(db, store) == counts(db)[1]
        assert db.integrity_ok()[0]
        db.close()


def test_database_page_limit_fails_a_submission_whole(kiosk_home: Path) -> None:
    db = Database(kiosk_home / "data" / "kiosk.sqlite3").open()
    submit(db, 0)
    with db.read() as s:
        pages = s.connection().exec_driver_sql("PRAGMA page_count").scalar()

    @event.listens_for(db.engine, "connect")
    def _cap(dbapi_conn: object, _record: object) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")  # type: ignore[attr-defined]

    db.engine.dispose()
    with pytest.raises(OperationalError, match="full"):
        for n in range(50):
            submit(db, n)
    ratings, records = counts(db)
    assert ratings == records >= 1
    db.close()
