"""The sync worker's daily housekeeping: expired jobs leave the database even on a kiosk that
was never enrolled (searches hide them already; this keeps them from piling up)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.config import SyncConfig
from kiosk.jobs.catalogue import live_count, upsert_jobs
from kiosk.jobs.generator import generate
from kiosk.jobs.search import JobQuery, search_page
from kiosk.store.engine import Database
from kiosk.store.models import Job
from kiosk.sync.engine import SyncEngine

POSTED = date(2026, 3, 1)


def test_expired_jobs_are_purged_once_a_day_without_a_server(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(tmp_path / "kiosk.sqlite3").open()
    try:
        with db.write() as s:
            upsert_jobs(s, generate(300, today=POSTED))
        later = POSTED + timedelta(days=30)
        monkeypatch.setenv("KIOSK_TODAY", later.isoformat())
        with db.read() as s:
            stored = s.scalar(select(func.count()).select_from(Job))
            expired = s.scalar(select(func.count()).select_from(Job)
                               .where(Job.expires_on < later))
            live = live_count(s, later)
        assert stored == 300 and 0 < expired < 300  # the generator's expiries: 3–90 days
        with db.read() as s:
            before = search_page(s, JobQuery(text="保洁"), limit=500, today=later)

        engine = SyncEngine(db, SyncConfig(), tmp_path / "data")
        engine.run_once()  # not enrolled: no server is asked anything

        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(Job)) == live
            assert s.scalar(select(func.count()).select_from(Job)
                            .where(Job.expires_on < later)) == 0
        with db.read() as s:
            after = search_page(s, JobQuery(text="保洁"), limit=500, today=later)
        assert after == before and after.total > 0  # what residents see is unchanged

        with db.write() as s:  # an expiry today; the same day's next cycle leaves it be
            s.execute(Job.__table__.update().where(Job.id == after.items[0].id)
                      .values(expires_on=later - timedelta(days=1)))
        engine.run_once()
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(Job)) == live
    finally:
        db.close()
