"""Pulling the catalogue streams into local tables, page by page, each page and its cursor in
one transaction.

A change is applied only when its version is newer than the local copy, so a page applied
twice (a kill before the cursor was saved, a retry) changes nothing. A kiosk without a cursor,
or whose cursor the server has compacted away (410 ``cursor_expired``), pages through the
snapshot first and then pulls from the cursor the snapshot's first page gave. While one
snapshot page is written, the next is already being fetched, parsed and (for jobs) validated
by one helper thread, joined before the snapshot returns: SQLite releases the GIL, so the
server, the network and the Python half of a page cost little on top of the writing.

Jobs go to the jobs catalogue (``kiosk.jobs.catalogue.upsert_jobs`` / ``delete_jobs``, which
keep the search indexes right); other streams are cached in ``sync_entity``. An entity that
fails validation is refused: the last good copy stays and the refusal is reported. A jobs page
the catalogue refuses is refused whole and retried later, its cursor not advanced.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from kiosk.store.engine import Database
from kiosk.store.models import PullCheckpoint, SyncEntity
from kiosk.sync.client import SyncClient, SyncError
from kiosk.sync.credentials import kv_set
from kiosk.sync.protocol import STREAMS
from kiosk.sync.validate import Validator, default_validators

log = logging.getLogger(__name__)
ENTITY = cast(Table, SyncEntity.__table__)

JOBS = "jobs"
# Items per snapshot page (the server's maximum): one transaction and one commit each, so
# bigger pages mean fewer fsyncs and index segments; 5000 jobs are about 5 MB of JSON.
SNAPSHOT_LIMIT = 5000


@dataclass
class JobsApplier:
    """The calls the jobs catalogue offers for pulled jobs (looked up lazily, so the sync
    worker runs on a kiosk build whose jobs module is older or absent).

    ``prepare`` (optional) validates a page's job records without the database and returns an
    object with ``only(ids)`` that ``upsert`` accepts instead of the records: the puller runs
    it on its prefetch thread, so the Python half of the next page overlaps the SQLite half
    of this one."""

    upsert: Callable[[Session, Any], Any]
    delete: Callable[[Session, list[str]], Any]
    validate: Callable[[dict[str, Any]], Any] | None = None
    prepare: Callable[[list[Any]], Any] | None = None

    @classmethod
    def find(cls) -> JobsApplier | None:
        try:
            module = importlib.import_module("kiosk.jobs.catalogue")
        except ImportError:
            return None
        upsert = getattr(module, "upsert_jobs", None)
        delete = getattr(module, "delete_jobs", None)
        if upsert is None or delete is None:
            return None
        return cls(upsert, delete, getattr(module, "validate_job_record", None),
                   getattr(module, "prepare_jobs", None))


@dataclass
class PullResult:
    applied: int = 0
    refused: list[str] = field(default_factory=list)
    server_time: float | None = None


@dataclass(frozen=True)
class Change:
    id: str
    op: str
    version: int
    data: Any


_Fetched = tuple[dict[str, Any], list[Change], Any]  # page, its changes, its prepared jobs


def _json_values(values: list[str]) -> Any:
    """``IN (…)`` over a JSON array bound as one parameter (a literal IN list of a 5000-item
    page costs SQLAlchemy one bind name per value)."""
    each = func.json_each(json.dumps(values, ensure_ascii=False)).table_valued("value")
    return select(each.c.value).scalar_subquery()


def _changes(items: Iterable[Any]) -> list[Change]:
    out = []
    for item in items:
        if not isinstance(item, dict) or item.get("op") not in ("upsert", "delete"):
            raise SyncError("server", "malformed change in a pulled page")
        try:
            out.append(Change(str(item["id"]), str(item["op"]), int(item["version"]),
                              item.get("data")))
        except (KeyError, TypeError, ValueError) as exc:
            raise SyncError("server", f"malformed change in a pulled page: {exc}") from exc
    return out


class Puller:
    def __init__(self, db: Database, client: SyncClient, *, streams: Sequence[str] = STREAMS,
                 validators: dict[str, Validator] | None = None, page_limit: int = 500,
                 snapshot_limit: int = SNAPSHOT_LIMIT, jobs: JobsApplier | None = None,
                 trace: Callable[[str], None] | None = None) -> None:
        self.db = db
        self.client = client
        self.streams = tuple(streams)
        self.validators = {**default_validators(), **(validators or {})}
        self.page_limit = page_limit
        self.snapshot_limit = snapshot_limit
        self.jobs = jobs if jobs is not None else JobsApplier.find()
        self._trace = trace or (lambda _event: None)

    def pull_all(self, should_stop: Callable[[], bool] = lambda: False) -> PullResult:
        """Pull every stream; a failing stream does not stop the others, but the first
        failure is raised at the end so the worker backs off and reports it."""
        result = PullResult()
        failure: SyncError | None = None
        for stream in self.streams:
            if should_stop():
                break
            try:
                self.pull_stream(stream, result, should_stop)
            except SyncError as exc:
                if exc.kind in ("offline", "revoked", "auth", "clock"):
                    raise
                log.warning("pulling %s failed: %s", stream, exc)
                failure = failure or exc
        if failure is not None:
            raise failure
        return result

    def _checkpoint(self, stream: str) -> PullCheckpoint:
        with self.db.read() as s:
            cp = s.get(PullCheckpoint, stream)
            if cp is None:
                return PullCheckpoint(stream=stream, cursor="", snapshot_done=False,
                                      snapshot_after="", snapshot_cursor="")
            s.expunge(cp)
            return cp

    def pull_stream(self, stream: str, result: PullResult | None = None,
                    should_stop: Callable[[], bool] = lambda: False) -> PullResult:
        result = result or PullResult()
        cp = self._checkpoint(stream)
        if not cp.snapshot_done:
            cp = self._snapshot(stream, cp, result, should_stop)
        while not should_stop():
            try:
                page = self.client.pull(stream, cp.cursor, self.page_limit)
            except SyncError as exc:
                if exc.kind != "cursor_expired":
                    raise
                log.info("%s: cursor %s expired on the server; taking a snapshot", stream,
                         cp.cursor)
                cp.snapshot_done, cp.snapshot_after, cp.snapshot_cursor = False, "", ""
                cp = self._snapshot(stream, cp, result, should_stop)
                continue
            cp.cursor = str(page.get("next_cursor", cp.cursor))
            self._apply(stream, _changes(page.get("changes", [])), cp, result,
                        page.get("server_time"))
            self._trace(f"pulled {stream}")
            if not page.get("has_more"):
                break
        return result

    def _snapshot(self, stream: str, cp: PullCheckpoint, result: PullResult,
                  should_stop: Callable[[], bool]) -> PullCheckpoint:
        with ThreadPoolExecutor(1, thread_name_prefix=f"sync-prefetch-{stream}") as pool:
            ahead: tuple[str, Future[_Fetched]] | None = None
            while not cp.snapshot_done and not should_stop():
                if ahead is not None and ahead[0] == cp.snapshot_after:
                    page, changes, prepared = ahead[1].result()
                else:
                    page, changes, prepared = self._fetch_snapshot(stream, cp.snapshot_after)
                ahead = None
                if not cp.snapshot_cursor:  # the first page's cursor is where pulling resumes
                    cp.snapshot_cursor = str(page.get("cursor", ""))
                cp.snapshot_after = str(page.get("next_after", cp.snapshot_after))
                if not page.get("has_more"):
                    cp.snapshot_done = True
                    cp.cursor = cp.snapshot_cursor
                else:  # fetch (and validate) the next page while this one is written
                    ahead = (cp.snapshot_after,
                             pool.submit(self._fetch_snapshot, stream, cp.snapshot_after))
                self._apply(stream, changes, cp, result, page.get("server_time"), prepared)
                self._trace(f"snapshot {stream}")
            if ahead is not None:  # stopped, or failed: a page fetched for nothing
                ahead[1].cancel()
        return cp

    def _fetch_snapshot(self, stream: str, after: str) -> _Fetched:
        """A snapshot page, its changes parsed and its jobs validated: the part of a page's
        work that needs no database, done on the prefetch thread."""
        page = self.client.snapshot(stream, after, self.snapshot_limit)
        return page, _changes(page.get("items", [])), self._prepare(stream, page.get("items"))

    def _prepare(self, stream: str, items: Any) -> Any:
        """The page's jobs validated ahead of writing, or None (not jobs, no catalogue support,
        or a bad record: then the page takes the record-by-record path, which refuses it)."""
        if stream != JOBS or self.jobs is None or self.jobs.prepare is None \
                or not isinstance(items, list):
            return None
        records = [i.get("data") for i in items
                   if isinstance(i, dict) and i.get("op") == "upsert"]
        try:
            return self.jobs.prepare(records)
        except (ValueError, TypeError, AttributeError):
            return None

    def _apply(self, stream: str, changes: list[Change], cp: PullCheckpoint,
               result: PullResult, server_time: Any, prepared: Any = None) -> None:
        latest: dict[str, Change] = {}
        for change in changes:  # the last change of an id in a page is the newest
            if change.id not in latest or change.version >= latest[change.id].version:
                latest[change.id] = change
        validator = self.validators.get(stream)
        with self.db.write() as s:
            known = dict(s.execute(select(SyncEntity.id, SyncEntity.version).where(
                SyncEntity.stream == stream, SyncEntity.id.in_(_json_values(list(latest))))
            ).all()) if latest else {}
            fresh = [c for c in latest.values() if c.version > known.get(c.id, -1)]
            accepted: list[Change] = []
            for change in fresh:
                if change.op == "upsert" and validator is not None:
                    try:
                        validator(change.id, change.data)
                    except ValueError as exc:
                        note = f"{stream} {change.id} v{change.version} refused: {exc}"
                        log.warning("%s", note)
                        result.refused.append(note)
                        continue
                accepted.append(change)
            if stream == JOBS and self.jobs is not None:
                accepted = self._apply_jobs(s, accepted, result, prepared)
            if accepted:
                self._remember(s, stream, accepted)
            s.merge(PullCheckpoint(stream=cp.stream, cursor=cp.cursor,
                                   snapshot_done=cp.snapshot_done,
                                   snapshot_after=cp.snapshot_after,
                                   snapshot_cursor=cp.snapshot_cursor,
                                   pulled_at=datetime.now(UTC)))
            if isinstance(server_time, int | float):
                kv_set(s, "sync.last_pull_at",
                       datetime.fromtimestamp(server_time, UTC).isoformat(timespec="seconds"))
                result.server_time = float(server_time)
        result.applied += len(accepted)

    def _remember(self, s: Session, stream: str, changes: list[Change]) -> None:
        """Upsert the changes' versions (and, but for jobs, their data) into sync_entity: one
        prepared statement run per row, without SQLAlchemy's per-row work (a 5000-job page)."""
        jobs_elsewhere = stream == JOBS and self.jobs is not None
        conn = s.connection()
        stamp_proc = ENTITY.c.updated_at.type.dialect_impl(conn.dialect).bind_processor(
            conn.dialect)
        now = datetime.now(UTC)
        stamp = stamp_proc(now) if stamp_proc else now
        rows = [(stream, c.id, c.version, int(c.op == "delete"), stamp,
                 json.dumps(c.data, ensure_ascii=False)
                 if c.op == "upsert" and not jobs_elsewhere else None) for c in changes]
        conn.exec_driver_sql(
            "INSERT INTO sync_entity (stream, id, version, deleted, updated_at, data) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (stream, id) DO UPDATE SET "
            "version = excluded.version, deleted = excluded.deleted, data = excluded.data, "
            "updated_at = excluded.updated_at", rows)

    def _apply_jobs(self, s: Session, changes: list[Change], result: PullResult,
                    prepared: Any = None) -> list[Change]:
        """Hand jobs to the catalogue. It refuses a page with one bad record whole; then each
        record is checked on its own, the bad ones refused and the rest applied."""
        jobs = self.jobs
        assert jobs is not None
        try:
            self._write_jobs(s, changes, prepared)
            return changes
        except ValueError as exc:
            if jobs.validate is None:
                raise SyncError("server", f"jobs page refused by the catalogue: {exc}") from exc
        good = []
        for change in changes:
            try:
                if change.op == "upsert":
                    jobs.validate(change.data)
                good.append(change)
            except ValueError as exc:
                note = f"jobs {change.id} v{change.version} refused: {exc}"
                log.warning("%s", note)
                result.refused.append(note)
        try:
            self._write_jobs(s, good)
        except ValueError as exc:
            raise SyncError("server", f"jobs page refused by the catalogue: {exc}") from exc
        return good

    def _write_jobs(self, s: Session, changes: list[Change], prepared: Any = None) -> None:
        assert self.jobs is not None
        upserts = [c.data for c in changes if c.op == "upsert"]
        deletes = [c.id for c in changes if c.op == "delete"]
        if upserts and prepared is not None:  # validated on the prefetch thread already
            self.jobs.upsert(s, prepared.only({c.id for c in changes if c.op == "upsert"}))
        elif upserts:
            self.jobs.upsert(s, upserts)
        if deletes:
            self.jobs.delete(s, deletes)
