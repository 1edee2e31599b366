"""What station staff see about sync (the PIN-protected panel and `kiosk sync status`).

Counts come from the outbox itself, so they are right even when no worker runs; the rest
(last push/pull in server time, last error, clock offset) is kept in ``kv`` by the worker.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from kiosk.store.engine import Database
from kiosk.store.models import OutboxRecord
from kiosk.sync.credentials import kv_get, load_enrollment

# Plain words for each cause, in the staff panel's language.
ERROR_TEXT = {
    "offline": "连不上服务器（网络断开或服务器未开）",
    "server": "服务器暂时出错，稍后自动重试",
    "auth": "本机身份验证失败，请联系技术人员",
    "clock": "本机时间不准，请校准时间",
    "disk": "本机存储已满或出错，请联系技术人员",
    "revoked": "本机已被停用，数据保留，请联系技术人员",
}
AMBER_PENDING_S = 24 * 3600
AMBER_CLOCK_S = 5 * 60


@dataclass
class SyncStatus:
    enrolled: bool = False
    kiosk_id: str | None = None
    server_url: str | None = None
    pending_by_kind: dict[str, int] = field(default_factory=dict)
    inflight: int = 0
    oldest_pending_age_s: float | None = None
    rejected: int = 0
    conflict: int = 0
    last_push_at: str | None = None
    last_pull_at: str | None = None
    last_error: str | None = None  # offline | server | auth | clock | disk | revoked
    last_error_detail: str | None = None  # the cause, for technicians
    clock_offset_s: float | None = None
    revoked: bool = False
    running: bool = False
    next_try_in_s: float | None = None

    @property
    def pending(self) -> int:
        return sum(self.pending_by_kind.values())

    @property
    def last_error_text(self) -> str | None:
        return ERROR_TEXT.get(self.last_error or "", self.last_error)

    @property
    def warnings(self) -> list[str]:
        """Amber flags: something waiting over 24 h, or the clock off by over 5 minutes."""
        out = []
        if self.oldest_pending_age_s is not None and self.oldest_pending_age_s > AMBER_PENDING_S:
            out.append("pending_over_24h")
        if self.clock_offset_s is not None and abs(self.clock_offset_s) > AMBER_CLOCK_S:
            out.append("clock_off")
        return out

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(pending=self.pending, last_error_text=self.last_error_text,
                    warnings=self.warnings)
        return data


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def read_status(db: Database) -> SyncStatus:
    """Everything the database knows; a running worker overlays its live state on this."""
    status = SyncStatus()
    with db.read() as s:
        enrollment = load_enrollment(s)
        if enrollment is not None:
            status.enrolled = True
            status.kiosk_id = enrollment.kiosk_id
            status.server_url = enrollment.server_url
        counts = s.execute(select(OutboxRecord.state, OutboxRecord.kind, func.count())
                           .where(OutboxRecord.state != "acked")
                           .group_by(OutboxRecord.state, OutboxRecord.kind)).all()
        for state, kind, n in counts:
            if state in ("pending", "inflight"):
                status.pending_by_kind[kind] = status.pending_by_kind.get(kind, 0) + n
            if state == "inflight":
                status.inflight += n
            elif state == "rejected":
                status.rejected += n
            elif state == "conflict":
                status.conflict += n
        oldest = s.scalar(select(func.min(OutboxRecord.created_local))
                          .where(OutboxRecord.state.in_(("pending", "inflight"))))
        if oldest is not None:
            status.oldest_pending_age_s = max(
                0.0, (datetime.now(UTC) - _aware(oldest)).total_seconds())
        status.last_push_at = kv_get(s, "sync.last_push_at")
        status.last_pull_at = kv_get(s, "sync.last_pull_at")
        status.revoked = kv_get(s, "sync.revoked") == "1"
        offset = kv_get(s, "sync.clock_offset_s")
        status.clock_offset_s = float(offset) if offset else None
        error = kv_get(s, "sync.last_error")
    if error:
        parsed = json.loads(error)
        status.last_error = parsed.get("kind")
        status.last_error_detail = parsed.get("detail")
    if status.revoked:
        status.last_error = "revoked"
    return status
