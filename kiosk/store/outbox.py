"""Writing to the outbox: the only way a resident's submission is queued for the server.

Call :func:`enqueue` inside the same transaction as the business row, so that either both
exist or neither does; the sync worker (kiosk.sync) sends and acknowledges them later.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.store.models import OutboxRecord
from kiosk.store.models.base import new_id


def canonical_json(body: dict[str, Any]) -> str:
    """Stable JSON (sorted keys, no spaces) so the same record always hashes the same."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str)


def enqueue(session: Session, kind: str, body: dict[str, Any], *, record_id: str | None = None,
            schema_ver: int = 1) -> OutboxRecord:
    """Add one pending outbox record to ``session`` (not committed here)."""
    text = canonical_json(body)
    next_seq = (session.scalar(select(func.max(OutboxRecord.local_seq))) or 0) + 1
    record = OutboxRecord(
        id=record_id or new_id(),
        kind=kind,
        schema_ver=schema_ver,
        local_seq=next_seq,
        body=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        state="pending",
        attempts=0,
    )
    session.add(record)
    session.flush()
    session.info["outbox_queued"] = True  # Database.write() tells the sync worker after commit
    return record
