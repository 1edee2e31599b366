"""Where applications stand: set by district staff, read back by the kiosks of their station."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from central.db import Store
from central.models import ApplicationStatus


def set_status(store: Store, app_id: str, status: str, text: str = "") -> bool:
    with store.write() as s:
        done = s.execute(update(ApplicationStatus).where(ApplicationStatus.id == app_id)
                         .values(status=status, status_text=text,
                                 updated_at=datetime.now(UTC)))
        return bool(done.rowcount)  # type: ignore[attr-defined]


def statuses(store: Store, station: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Statuses of ``ids`` that belong to ``station`` (a kiosk sees its own station only)."""
    if not ids:
        return []
    with store.read() as s:
        rows = s.execute(select(ApplicationStatus).where(
            ApplicationStatus.id.in_(list(ids)), ApplicationStatus.station == station)
        ).scalars().all()
    return [{"id": r.id, "number": r.number, "status": r.status, "status_text": r.status_text,
             "updated_at": r.updated_at.isoformat()} for r in rows]
