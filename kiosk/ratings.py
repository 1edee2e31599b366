"""The end-of-session satisfaction tap (满意 / 一般 / 不满意), stored anonymously.

Nothing links a rating to the person who gave it: no resident key, no session, and the time
is kept only to the hour, so a rating cannot be matched with the application submitted a
minute before it. The row and its outbox record ("rating") are written in one transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.store.engine import Database
from kiosk.store.models import Rating
from kiosk.store.outbox import enqueue

SCORES = {3: "满意", 2: "一般", 1: "不满意"}


def store_rating(db: Database, score: int, *, now: datetime | None = None) -> None:
    if score not in SCORES:
        raise ValueError(f"rating score must be one of {sorted(SCORES)}, got {score!r}")
    hour = (now or datetime.now(UTC)).astimezone(UTC).replace(minute=0, second=0,
                                                               microsecond=0)
    with db.write() as s:
        row = Rating(at=hour, score=score)
        s.add(row)
        s.flush()
        enqueue(s, "rating", {"id": row.id, "score": score, "hour": hour.isoformat()})
