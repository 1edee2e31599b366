"""The demo catalogue: generated on first demo start, reused afterwards."""

from __future__ import annotations

from datetime import date

from kiosk.jobs.catalogue import live_count, upsert_jobs
from kiosk.jobs.generator import DEFAULT_SEED, generate
from kiosk.store.engine import Database


def ensure_demo_catalogue(db: Database, count: int = 2000, seed: int = DEFAULT_SEED,
                          today: date | None = None) -> int:
    """Generate and import ``count`` demo jobs unless at least half that many are live
    already (one indexed count, so a demo start with a catalogue costs milliseconds).
    Regenerating later refreshes the same demo jobs with new dates rather than adding more.
    Returns how many jobs were written."""
    today = today or date.today()
    with db.read() as s:
        if live_count(s, today) >= count // 2:
            return 0
    jobs = generate(count, seed, today)
    with db.write() as s:
        return upsert_jobs(s, jobs)
