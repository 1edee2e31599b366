"""Sending the outbox: claim a batch (committed as ``inflight`` before any byte leaves), post
it, and settle every record from its own answer.

Nothing is ever dropped. ``accepted``/``duplicate`` → acked; ``invalid`` → rejected and
``conflict`` → conflict (both kept for staff, who can requeue them); ``deferred`` → pending
again. A whole-request failure puts the batch back to pending. A 413 halves the batch size;
a 400 bisects the batch until the one bad record is found and rejected, so one record cannot
block the queue (CommCare's "bricked queue").
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update

from kiosk.store.engine import Database
from kiosk.store.models import OutboxRecord
from kiosk.store.models.base import new_id, utcnow
from kiosk.sync.client import SyncClient, SyncError
from kiosk.sync.credentials import kv_set
from kiosk.sync.protocol import MAX_BATCH_BYTES, MAX_BATCH_RECORDS

log = logging.getLogger(__name__)
Trace = Callable[[str], None]

# Core statements: the ORM's per-object bookkeeping cost more than the HTTP round trip.
OUTBOX = cast(Table, OutboxRecord.__table__)
CLAIMED = (OUTBOX.c.id, OUTBOX.c.kind, OUTBOX.c.schema_ver, OUTBOX.c.local_seq,
           OUTBOX.c.created_local, OUTBOX.c.sha256, OUTBOX.c.body)
SETTLE = update(OUTBOX).where(OUTBOX.c.id == bindparam("b_id"))

SETTLED = {"accepted": "acked", "duplicate": "acked", "invalid": "rejected",
           "conflict": "conflict", "deferred": "pending"}


@dataclass
class PushResult:
    acked: int = 0
    rejected: int = 0
    conflict: int = 0
    deferred: int = 0
    batches: int = 0
    server_time: float | None = None
    deferred_ids: set[str] = field(default_factory=set)


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


class Pusher:
    def __init__(self, db: Database, client: SyncClient, *,
                 batch_size: int = MAX_BATCH_RECORDS, max_bytes: int = MAX_BATCH_BYTES,
                 trace: Trace | None = None) -> None:
        self.db = db
        self.client = client
        self.batch_size = batch_size
        self.max_bytes = max_bytes
        self._trace = trace or (lambda _event: None)

    def release_inflight(self) -> int:
        """Inflight rows left by a crash or a failed cycle go back to pending. Safe because
        the server deduplicates; run only by the one sync worker (see kiosk.sync.lock)."""
        with self.db.write() as s:
            done = s.execute(update(OutboxRecord).where(OutboxRecord.state == "inflight")
                             .values(state="pending"))
            return int(done.rowcount)  # type: ignore[attr-defined]

    def push_all(self, should_stop: Callable[[], bool] = lambda: False) -> PushResult:
        """Send batches until nothing is pending (deferred records wait for the next cycle).
        Raises :class:`SyncError` when a request fails as a whole; its records are then
        pending again.

        Two batches overlap: while one is on the wire (on the "sync-send" thread) the next
        is claimed, and while that one is on the wire the first is settled, so the local
        bookkeeping hides behind the server's time. Each batch is still committed inflight
        before it is sent, and sent only after the one before it was answered.
        """
        result = PushResult()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-send") as pool:
            batch = self._claim(result.deferred_ids)
            sending = pool.submit(self._post, batch) if batch else None
            while sending is not None:
                ahead = self._claim(result.deferred_ids) if not should_stop() else []
                try:
                    reply = sending.result()
                except SyncError as exc:
                    self._release(ahead)
                    if exc.kind not in ("too_large", "bad_request"):
                        self._release(batch)
                        raise
                    self._refused(batch, exc, result)
                    ahead = self._claim(result.deferred_ids) if not should_stop() else []
                    batch, sending = ahead, pool.submit(self._post, ahead) if ahead else None
                    continue
                except BaseException:
                    self._release(ahead + batch)
                    raise
                self._trace("answered")
                following = pool.submit(self._post, ahead) if ahead else None
                try:
                    self._settle(batch, reply, result)
                except BaseException:
                    if following is not None:
                        wait([following])
                    self._release(ahead + batch)
                    raise
                self._trace("acked")
                batch, sending = ahead, following
        return result

    def _post(self, batch: list[dict[str, Any]]) -> dict[str, Any]:
        return self.client.push(new_id(), batch)

    def _claim(self, skip: set[str]) -> list[dict[str, Any]]:
        """Mark the next batch inflight and commit, before any of it is sent."""
        batch_id = new_id()
        with self.db.write() as s:
            query = select(*CLAIMED).where(OUTBOX.c.state == "pending") \
                .order_by(OUTBOX.c.local_seq).limit(self.batch_size + len(skip))
            rows = [r for r in s.execute(query) if r.id not in skip][:self.batch_size]
            batch: list[dict[str, Any]] = []
            size = 0
            for row in rows:
                size += len(row.body.encode()) + 300
                if batch and size > self.max_bytes:
                    break
                batch.append({"id": row.id, "kind": row.kind, "schema": row.schema_ver,
                              "local_seq": row.local_seq,
                              "created_local": row.created_local.isoformat()
                              if row.created_local else "",
                              "sha256": row.sha256, "body": row.body})
            if batch:
                s.execute(update(OUTBOX).where(OUTBOX.c.id.in_([r["id"] for r in batch]))
                          .values(state="inflight", batch_id=batch_id,
                                  attempts=OUTBOX.c.attempts + 1, updated_at=utcnow()))
        if batch:
            self._trace(f"claimed {len(batch)}")
        return batch

    def _release(self, batch: list[dict[str, Any]]) -> None:
        if not batch:
            return
        try:
            with self.db.write() as s:
                s.execute(update(OUTBOX).where(OUTBOX.c.id.in_([r["id"] for r in batch]),
                                               OUTBOX.c.state == "inflight")
                          .values(state="pending"))
        except Exception:  # disk trouble: the next cycle's release_inflight() retries
            log.exception("could not put a batch back to pending")

    def _refused(self, batch: list[dict[str, Any]], exc: SyncError, result: PushResult
                 ) -> None:
        """413: halve the batch size (one record still too large is rejected). 400: bisect
        until the malformed record is alone, and reject it; the rest go through."""
        if exc.kind == "too_large":
            if len(batch) > 1:
                self.batch_size = max(1, len(batch) // 2)
                log.info("server refused %d records as too large; batches of %d now",
                         len(batch), self.batch_size)
                self._release(batch)
                return
            self._settle_one(batch[0], "rejected", 413, f"too large: {exc.detail}", result)
            return
        if len(batch) == 1:
            self._settle_one(batch[0], "rejected", 400, exc.detail, result)
            return
        mid = len(batch) // 2  # the halves stay inflight while they are tried
        for half in (batch[:mid], batch[mid:]):
            try:
                reply = self._post(half)
            except SyncError as inner:
                if inner.kind not in ("too_large", "bad_request"):
                    raise
                self._refused(half, inner, result)
                continue
            self._settle(half, reply, result)

    def _settle_one(self, record: dict[str, Any], state: str, http: int, error: str,
                    result: PushResult) -> None:
        with self.db.write() as s:
            s.execute(update(OutboxRecord).where(OutboxRecord.id == record["id"])
                      .values(state=state, last_http=http, last_error=error[:500]))
        result.rejected += 1
        log.warning("outbox record %s (%s) rejected by the server: %s", record["id"],
                    record["kind"], error)

    def _settle(self, batch: list[dict[str, Any]], reply: dict[str, Any],
                result: PushResult) -> None:
        """Each record's state from its own answer; a record the reply does not mention
        goes back to pending and the cycle fails as a server error."""
        answers = {a.get("id"): a for a in reply.get("results", []) if isinstance(a, dict)}
        changes: list[dict[str, Any]] = []
        unanswered: list[str] = []
        now = utcnow()
        for record in batch:
            answer = answers.get(record["id"])
            state = SETTLED.get(str(answer.get("status"))) if answer else None
            if answer is None or state is None:
                unanswered.append(record["id"])
                continue
            changes.append({"b_id": record["id"], "state": state, "last_http": 200,
                            "receipt": answer.get("receipt"), "last_error": answer.get("error"),
                            "updated_at": now})
            if state == "acked":
                result.acked += 1
            elif state == "rejected":
                result.rejected += 1
            elif state == "conflict":
                result.conflict += 1
            else:
                result.deferred += 1
                result.deferred_ids.add(record["id"])
        server_time = reply.get("server_time")
        with self.db.write() as s:
            if changes:
                s.execute(SETTLE, changes)
            if unanswered:
                s.execute(update(OUTBOX).where(OUTBOX.c.id.in_(unanswered))
                          .values(state="pending"))
            if isinstance(server_time, int | float):
                kv_set(s, "sync.last_push_at", _iso(server_time))
                result.server_time = float(server_time)
        result.batches += 1
        if unanswered:
            raise SyncError("server", f"{len(unanswered)} records got no answer")
