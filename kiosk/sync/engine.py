"""The sync worker: one thread named "sync" that pushes the outbox, pulls the streams, fetches
application statuses and sends heartbeats, with full-jitter backoff on the monotonic clock.

It is Qt-free. The UI calls :meth:`SyncEngine.nudge` after committing a submission and
:meth:`SyncEngine.subscribe` to hear about status changes (callbacks run on the sync thread;
ui/bridge.py marshals them to the GUI thread). Attempts are never capped: a record waits,
visibly, until the server has it. A 403 ``revoked`` stops the worker's traffic for good and
keeps every record.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from kiosk.config import SyncConfig
from kiosk.store.engine import Database, StorageError
from kiosk.store.models import Application, OutboxRecord
from kiosk.sync.client import SyncClient, SyncError
from kiosk.sync.credentials import (
    CredentialError,
    key_path,
    kv_get,
    kv_set,
    load_enrollment,
    load_key,
)
from kiosk.sync.lock import InstanceLock
from kiosk.sync.protocol import MAX_BATCH_RECORDS, STREAMS
from kiosk.sync.pull import JobsApplier, Puller
from kiosk.sync.push import Pusher, PushResult
from kiosk.sync.status import SyncStatus, read_status
from kiosk.sync.validate import Validator

log = logging.getLogger(__name__)

Listener = Callable[[SyncStatus], None]
ACKED_KEEP_DAYS = 30
FINAL_APPLICATION_STATES = ("approved", "rejected", "paid", "closed", "withdrawn")


class Backoff:
    """Full jitter (AWS): a random wait in [0, min(cap, base·2^n)], n = failures so far."""

    def __init__(self, base_s: float, cap_s: float, rng: random.Random) -> None:
        self.base_s = base_s
        self.cap_s = cap_s
        self.rng = rng
        self.failures = 0

    def next_delay(self) -> float:
        ceiling = min(self.cap_s, self.base_s * (2 ** min(self.failures, 30)))
        self.failures += 1
        return self.rng.uniform(0, ceiling)

    def reset(self) -> None:
        self.failures = 0


def _is_disk_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, StorageError | OSError) or any(
        word in text for word in ("disk", "full", "readonly", "i/o"))


class SyncEngine:
    """Background sync for one kiosk; see the module docstring.

    ``wall`` is the wall clock (injected so tests can move it a year without touching the
    system); every wait uses ``monotonic``. ``transport`` lets tests route HTTP in-process.
    """

    def __init__(self, db: Database, config: SyncConfig, data_dir: Path, *,
                 wall: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic,
                 rng: random.Random | None = None,
                 backoff_base_s: float = 5.0, backoff_cap_s: float = 900.0,
                 batch_size: int = MAX_BATCH_RECORDS, timeout: httpx.Timeout | None = None,
                 transport: httpx.BaseTransport | None = None,
                 streams: Sequence[str] = STREAMS,
                 validators: dict[str, Validator] | None = None,
                 jobs: JobsApplier | None = None,
                 trace: Callable[[str], None] | None = None, app_ver: str = "") -> None:
        self.db = db
        self.config = config
        self.data_dir = data_dir
        self._wall = wall
        self._mono = monotonic
        self._backoff = Backoff(backoff_base_s, backoff_cap_s, rng or random.Random())
        self._batch_size = batch_size
        self._timeout = timeout
        self._transport = transport
        self._streams = tuple(streams)
        self._validators = validators
        self._jobs = jobs
        self._trace = trace
        self._app_ver = app_ver
        self._lock = InstanceLock(data_dir / "sync" / "worker.lock")
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._listeners: list[Listener] = []
        self._listeners_lock = threading.Lock()
        self._client: SyncClient | None = None
        self._client_lock = threading.Lock()
        self._pusher: Pusher | None = None
        self._puller: Puller | None = None
        self._last_pull_mono: float | None = None
        self._last_heartbeat_mono: float | None = None
        self._not_before = 0.0
        self._next_try_at: float | None = None
        self._error: tuple[str, str] | None = None
        self._revoked = False
        self._refused: str | None = None
        self._last_purge_mono: float | None = None
        self._jobs_purged_on: date | None = None

    # -- life cycle -----------------------------------------------------------------------
    def start(self) -> SyncEngine:
        """Take the single-worker lock and start the "sync" thread."""
        if self._thread is not None:
            raise RuntimeError("sync engine already started")
        self._lock.acquire()
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="sync", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 15.0) -> None:
        """Ask the thread to finish its current request and wait for it."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("sync thread did not stop within %.0f s", timeout)
            self._thread = None
        self._close_client()
        self._lock.release()

    def nudge(self) -> None:
        """Something new was committed: try to send it now (Retry-After still holds)."""
        self._wake.set()

    def subscribe(self, callback: Listener) -> Callable[[], None]:
        """Call ``callback(status)`` on the sync thread after each cycle; returns an
        unsubscribe function."""
        with self._listeners_lock:
            self._listeners.append(callback)

        def unsubscribe() -> None:
            with self._listeners_lock:
                if callback in self._listeners:
                    self._listeners.remove(callback)

        return unsubscribe

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- queries and staff actions ----------------------------------------------------------
    def status(self) -> SyncStatus:
        try:
            status = read_status(self.db)
        except DBAPIError as exc:
            return SyncStatus(last_error="disk", last_error_detail=str(exc))
        overlay: dict[str, Any] = {"running": self.running}
        if self._error is not None:
            overlay.update(last_error=self._error[0], last_error_detail=self._error[1])
        elif self.running:
            overlay.update(last_error=None, last_error_detail=None)
        client = self._client
        if client is not None and client.clock_offset_s is not None:
            overlay["clock_offset_s"] = client.clock_offset_s
        if self._revoked:
            overlay.update(revoked=True, last_error="revoked")
        if self._next_try_at is not None:
            overlay["next_try_in_s"] = max(0.0, self._next_try_at - self._mono())
        return replace(status, **overlay)

    def requeue(self, ids: Sequence[str]) -> int:
        """Staff action: send rejected or conflicting records again (e.g. after an update)."""
        with self.db.write() as s:
            done = s.execute(update(OutboxRecord).where(
                OutboxRecord.id.in_(list(ids)),
                OutboxRecord.state.in_(("rejected", "conflict"))).values(state="pending"))
            count = int(done.rowcount)  # type: ignore[attr-defined]
        self.nudge()
        return count

    def lookup_facts(self, id_number: str, timeout: float | None = None
                     ) -> dict[str, Any] | None:
        """Facts the district holds about a resident, or None when they cannot be had within
        ``timeout`` (default config.sync.facts_timeout_s): the kiosk then goes on without.

        Returns the facts (vocabulary of contracts/resident-facts.md) plus ``as_of``; an
        empty dict when the server knows nothing of this person. Nothing is stored.
        """
        timeout = self.config.facts_timeout_s if timeout is None else timeout
        try:
            client = self._ensure_client()
            if client is None or self._revoked:
                return None
            reply = client.facts(id_number, timeout)
        except (SyncError, CredentialError) as exc:
            log.info("facts lookup went without: %s", getattr(exc, "kind", exc))
            return None
        if not reply.get("found"):
            return {}
        facts = dict(reply.get("facts") or {})
        if reply.get("as_of"):
            facts["as_of"] = reply["as_of"]
        return facts

    # -- the worker -----------------------------------------------------------------------
    def run_once(self) -> SyncStatus:
        """One full cycle on the calling thread (`kiosk sync now`, tests); raises
        :class:`SyncLockedError` while another worker (e.g. the running kiosk) syncs."""
        if self.running:
            raise RuntimeError("the sync thread is running; nudge() it instead")
        self._lock.acquire()
        try:
            self._cycle(force_pull=True)
        finally:
            self._lock.release()
        return self.status()

    def _run(self) -> None:
        force_pull = True
        while not self._stopping.is_set():
            delay = self._cycle(force_pull=force_pull)
            force_pull = False
            self._notify()
            deadline = self._mono() + delay
            self._next_try_at = deadline
            while not self._stopping.is_set():
                remaining = deadline - self._mono()
                if remaining <= 0:
                    break
                if self._wake.wait(remaining):
                    self._wake.clear()
                    if self._stopping.is_set():
                        break
                    if self._not_before > self._mono():
                        deadline = self._not_before  # the server asked us to wait
                        continue
                    break
            self._next_try_at = None

    def _notify(self) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners)
        if not listeners:
            return
        status = self.status()
        for callback in listeners:
            try:
                callback(status)
            except Exception:
                log.exception("sync status listener failed")

    def _close_client(self) -> None:
        with self._client_lock:
            if self._client is not None:
                self._client.close()
            self._client = self._pusher = self._puller = None

    def _ensure_client(self) -> SyncClient | None:
        with self._client_lock:
            if self._client is not None:
                return self._client
            with self.db.read() as s:
                enrollment = load_enrollment(s)
                self._revoked = kv_get(s, "sync.revoked") == "1"
            if enrollment is None:
                return None
            server_url = self.config.server_url or enrollment.server_url
            key = load_key(key_path(self.data_dir))
            self._client = SyncClient(server_url, enrollment.kiosk_id, key,
                                      ca_file=self.config.ca_file, timeout=self._timeout,
                                      wall=self._wall, transport=self._transport)
            self._pusher = Pusher(self.db, self._client, batch_size=self._batch_size,
                                  trace=self._trace)
            self._puller = Puller(self.db, self._client, streams=self._streams,
                                  validators=self._validators, jobs=self._jobs,
                                  trace=self._trace)
            return self._client

    def _cycle(self, *, force_pull: bool = False) -> float:
        """One round of work; returns how long to wait before the next."""
        interval = float(self.config.interval_s)
        self._purge_expired_jobs()
        try:
            client = self._ensure_client()
            if client is None:
                self._error = None
                return interval
            if self._revoked:
                return interval
            assert self._pusher is not None and self._puller is not None
            self._pusher.release_inflight()  # left by a crash or a failed cycle
            pushed = self._pusher.push_all(self._stopping.is_set)
            now = self._mono()
            if force_pull or self._last_pull_mono is None or \
                    now - self._last_pull_mono >= interval:
                refused = self._puller.pull_all(self._stopping.is_set).refused
                self._refresh_applications(client)
                self._last_pull_mono = now
                self._refused = refused[-1] if refused else None
            if self._last_heartbeat_mono is None or now - self._last_heartbeat_mono >= interval:
                client.heartbeat(self._health())
                self._last_heartbeat_mono = now
            self._remember_success(client, pushed)
            if self._last_purge_mono is None or now - self._last_purge_mono >= 86400:
                self._purge_acked()
                self._last_purge_mono = now
            if pushed.deferred:
                return self._backoff.next_delay()
            self._backoff.reset()
            return interval
        except SyncError as exc:
            return self._failed(exc.kind, exc.detail, exc.retry_after)
        except CredentialError as exc:
            return self._failed("auth", str(exc), None)
        except (DBAPIError, StorageError, sqlite3.Error, OSError) as exc:
            kind = "disk" if _is_disk_error(exc) else "server"
            log.exception("sync cycle failed on the local database")
            return self._failed(kind, str(exc).splitlines()[0][:300], None)

    def _remember_success(self, client: SyncClient, pushed: PushResult) -> None:
        # a catalogue entity refused by the last pull stays on the panel until a pull
        # brings a good version
        self._error = ("server", self._refused) if self._refused else None
        try:
            with self.db.write() as s:
                kv_set(s, "sync.last_error", json.dumps(
                    {"kind": self._error[0], "detail": self._error[1]}) if self._error else "")
                if client.clock_offset_s is not None:
                    kv_set(s, "sync.clock_offset_s", f"{client.clock_offset_s:.3f}")
        except DBAPIError:
            log.warning("could not save sync status (disk?)")
        if pushed.acked or pushed.rejected or pushed.conflict:
            log.info("pushed: %d acked, %d rejected, %d conflict, %d deferred", pushed.acked,
                     pushed.rejected, pushed.conflict, pushed.deferred)

    def _failed(self, kind: str, detail: str, retry_after: float | None) -> float:
        self._error = (kind, detail)
        log.warning("sync failed (%s): %s", kind, detail)
        if kind == "revoked":
            self._revoked = True
        try:
            with self.db.write() as s:
                kv_set(s, "sync.last_error", json.dumps({"kind": kind, "detail": detail}))
                if kind == "revoked":
                    kv_set(s, "sync.revoked", "1")
        except DBAPIError:
            log.warning("could not save the sync error (disk?)")
        if kind == "revoked":
            return float(self.config.interval_s)
        if retry_after is not None:
            self._backoff.failures += 1
            self._not_before = self._mono() + retry_after
            return retry_after
        return self._backoff.next_delay()

    def _purge_acked(self) -> None:
        """Acked records are on the server; drop them after ACKED_KEEP_DAYS. Rejected and
        conflicting ones are never dropped."""
        cutoff = datetime.now(UTC) - timedelta(days=ACKED_KEEP_DAYS)
        with self.db.write() as s:
            s.execute(delete(OutboxRecord).where(OutboxRecord.state == "acked",
                                                 OutboxRecord.updated_at < cutoff))

    def _purge_expired_jobs(self) -> None:
        """Once a day, enrolled or not: expired and withdrawn jobs leave the database.
        Searches hide them anyway, but they would pile up, and searches stay on their fast
        path only while few expiry days have passed since the last purge
        (kiosk.jobs.search.EXPIRED_DAYS_MAX). A failure is logged and waits for tomorrow:
        housekeeping never holds up the residents' records."""
        from kiosk.clock import today
        from kiosk.jobs.catalogue import purge_expired

        day = today()
        if self._jobs_purged_on == day:
            return
        self._jobs_purged_on = day
        try:
            with self.db.write() as s:
                removed = purge_expired(s, day)
        except Exception:
            log.exception("daily purge of expired jobs failed")
            return
        if removed:
            log.info("removed %d expired or withdrawn jobs", removed)

    def _refresh_applications(self, client: SyncClient) -> None:
        with self.db.read() as s:
            ids = list(s.scalars(select(Application.id).where(
                Application.status.not_in(FINAL_APPLICATION_STATES))
                .order_by(Application.created_at.desc()).limit(200)))
        if not ids:
            return
        states = client.application_status(ids)
        if not states:
            return
        with self.db.write() as s:
            for state in states:
                try:
                    updated = datetime.fromisoformat(str(state["updated_at"]))
                except (KeyError, ValueError):
                    continue
                row = s.get(Application, state.get("id"))
                if row is None or (row.status == state.get("status")
                                   and row.status_text == state.get("status_text")):
                    continue
                row.status = str(state.get("status", row.status))[:20]
                row.status_text = str(state.get("status_text", ""))
                row.status_updated_at = updated

    def _health(self) -> dict[str, Any]:
        status = read_status(self.db)
        try:
            free_mb: float | None = shutil.disk_usage(self.data_dir).free / 2**20
        except OSError:
            free_mb = None
        client = self._client
        return {"pending": status.pending, "oldest_age_s": status.oldest_pending_age_s,
                "rejected": status.rejected, "conflict": status.conflict,
                "free_disk_mb": free_mb,
                "clock_offset_s": client.clock_offset_s if client else None,
                "app_ver": self._app_ver}

