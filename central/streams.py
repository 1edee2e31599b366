"""Catalogue streams (jobs, policy packs, announcements, station settings, ...): publishing
changes and serving them by cursor or as a snapshot.

A stream is generic: entities with an id, a version and JSON data, changed by ``upsert`` or
``delete``. Every change gets a ``change_log`` row; a kiosk's cursor is the last ``seq`` it
applied. On PostgreSQL sequence values can commit out of order, so a naive ``seq > cursor``
would skip rows (Sequin; event-driven.io): writers of one stream take
``pg_advisory_xact_lock`` first, so within a stream seqs are allocated and committed in the
same order. SQLite has one writer at a time and needs no lock.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from central.db import Store, insert_for
from central.errors import ApiError
from central.models import ChangeLog, Entity, StreamHorizon

CHUNK = 500


@dataclass(frozen=True)
class Published:
    changed: int
    unchanged: int


def lock_stream(store: Store, s: Session, stream: str) -> None:
    if store.dialect == "postgresql":
        key = zlib.crc32(stream.encode())  # stable across processes, unlike hash()
        s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _version(record: dict[str, Any]) -> int:
    version = record.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise ValueError(f"record {record.get('id')!r}: version must be a whole number ≥ 0")
    return version


def publish(store: Store, stream: str, records: Iterable[dict[str, Any]]) -> Published:
    """Upsert entities that are new or carry a higher version; others are left alone."""
    rows = list(records)
    for r in rows:
        if not isinstance(r, dict) or not isinstance(r.get("id"), str | int) or \
                not str(r["id"]).strip():
            raise ValueError(f"every {stream} record needs an id (got {str(r)[:60]})")
        _version(r)
    changed = 0
    with store.write() as s:
        lock_stream(store, s, stream)
        for start in range(0, len(rows), CHUNK):
            chunk = {str(r["id"]): r for r in rows[start:start + CHUNK]}
            current = dict(s.execute(select(Entity.id, Entity.version).where(
                Entity.stream == stream, Entity.id.in_(list(chunk)))).all())
            fresh = [(i, r) for i, r in chunk.items()
                     if i not in current or _version(r) > current[i]]
            if not fresh:
                continue
            changed += len(fresh)
            write_changes(store, s, stream,
                          [(i, "upsert", _version(r), dumps(r)) for i, r in fresh])
    return Published(changed, len(rows) - changed)


def retract(store: Store, stream: str, ids: Sequence[str]) -> Published:
    """Delete entities (kept as tombstones with a higher version)."""
    changed = 0
    with store.write() as s:
        lock_stream(store, s, stream)
        current = dict(s.execute(select(Entity.id, Entity.version).where(
            Entity.stream == stream, Entity.id.in_(list(ids)),
            Entity.deleted.is_(False))).all())
        if current:
            write_changes(store, s, stream,
                          [(i, "delete", v + 1, None) for i, v in current.items()])
            changed = len(current)
    return Published(changed, len(ids) - changed)


def write_changes(store: Store, s: Session, stream: str,
                  changes: Sequence[tuple[str, str, int, str | None]]) -> None:
    """Append ``(id, op, version, data)`` changes to the log and the entity table, in the
    caller's transaction (which holds :func:`lock_stream`)."""
    s.execute(insert_for(store, ChangeLog), [
        {"stream": stream, "entity_id": i, "op": op, "version": v, "data": d}
        for i, op, v, d in changes])
    stmt = insert_for(store, Entity)
    s.execute(stmt.on_conflict_do_update(
        index_elements=["stream", "id"],
        set_={"version": stmt.excluded.version, "deleted": stmt.excluded.deleted,
              "data": stmt.excluded.data}),
        [{"stream": stream, "id": i, "version": v, "deleted": op == "delete", "data": d}
         for i, op, v, d in changes])


def _cursor(value: str | None) -> int:
    if value in (None, ""):
        return 0
    try:
        cursor = int(value)  # type: ignore[arg-type]
    except ValueError:
        raise ApiError(400, "bad_request", "cursor must be one this server gave") from None
    if cursor < 0:
        raise ApiError(400, "bad_request", "cursor must be one this server gave")
    return cursor


def _data(raw: str | None) -> Any:
    return None if raw is None else json.loads(raw)


def pull(store: Store, stream: str, cursor: str | None, limit: int) -> dict[str, Any]:
    """Changes after ``cursor`` in seq order; 410 ``cursor_expired`` if compacted away."""
    after = _cursor(cursor)
    with store.read() as s:
        horizon = s.scalar(select(StreamHorizon.horizon).where(StreamHorizon.stream == stream))
        if horizon is not None and after < horizon - 1:
            raise ApiError(410, "cursor_expired", "changes since this cursor were compacted; "
                                                  "take a snapshot")
        rows = s.execute(select(ChangeLog).where(ChangeLog.stream == stream,
                                                 ChangeLog.seq > after)
                         .order_by(ChangeLog.seq).limit(limit + 1)).scalars().all()
    page = rows[:limit]
    return {"stream": stream,
            "changes": [{"seq": r.seq, "entity": stream, "id": r.entity_id, "op": r.op,
                         "version": r.version, "data": _data(r.data)} for r in page],
            "next_cursor": str(page[-1].seq if page else after),
            "has_more": len(rows) > limit}


def _snapshot_page(store: Store, stream: str, after: str, limit: int
                   ) -> tuple[int, list[Any], bool]:
    """(cursor, rows as (id, deleted, version, data text), has_more) for one snapshot page.

    The kiosk keeps the cursor of its FIRST page: changes made while it pages are replayed by
    the pull that follows, and versions make replaying harmless. Rows are read as plain
    tuples, not ORM objects: a 100,000-job snapshot is 20 pages of 5000 (issue #7).
    """
    with store.read() as s:
        cursor = s.scalar(select(func.max(ChangeLog.seq)).where(ChangeLog.stream == stream))
        if cursor is None:
            cursor = max(0, (s.scalar(select(StreamHorizon.horizon).where(
                StreamHorizon.stream == stream)) or 1) - 1)
        rows = s.execute(select(Entity.id, Entity.deleted, Entity.version, Entity.data)
                         .where(Entity.stream == stream, Entity.id > after)
                         .order_by(Entity.id).limit(limit + 1)).all()
    return cursor, list(rows[:limit]), len(rows) > limit


def snapshot(store: Store, stream: str, after: str, limit: int) -> dict[str, Any]:
    """One page of the stream's current state by id, with the cursor to pull from after it."""
    cursor, page, more = _snapshot_page(store, stream, after, limit)
    return {"stream": stream,
            "items": [{"id": i, "op": "delete", "version": v, "data": None} if gone else
                      {"id": i, "op": "upsert", "version": v, "data": _data(d)}
                      for i, gone, v, d in page],
            "next_after": page[-1][0] if page else after,
            "has_more": more,
            "cursor": str(cursor)}


def snapshot_json(store: Store, stream: str, after: str, limit: int,
                  server_time: float) -> bytes:
    """:func:`snapshot` as the JSON body of ``/v1/snapshot``, with each item's data spliced
    in as the text this server stored, not parsed and serialised again: that round trip was
    most of the server's time on a 5,000-job page. Same document as ``snapshot``."""
    cursor, page, more = _snapshot_page(store, stream, after, limit)
    js = json.dumps
    items = ",".join(
        f'{{"id":{js(i, ensure_ascii=False)},"op":"delete","version":{int(v)},"data":null}}'
        if gone else
        f'{{"id":{js(i, ensure_ascii=False)},"op":"upsert","version":{int(v)},'
        f'"data":{"null" if d is None else d}}}'
        for i, gone, v, d in page)
    next_after = page[-1][0] if page else after
    head = (f'{{"stream":{js(stream)},"next_after":{js(next_after, ensure_ascii=False)},'
            f'"has_more":{"true" if more else "false"},"cursor":{js(str(cursor))},'
            f'"server_time":{js(server_time)},"items":[')
    return (head + items + "]}").encode()


def compact(store: Store, stream: str, keep_after: int) -> int:
    """Drop changes with seq ≤ ``keep_after``; kiosks whose cursor is older get 410 and
    take a snapshot. Returns how many changes were dropped."""
    with store.write() as s:
        lock_stream(store, s, stream)
        done = s.execute(delete(ChangeLog).where(ChangeLog.stream == stream,
                                                 ChangeLog.seq <= keep_after))
        horizon = keep_after + 1
        existing = s.get(StreamHorizon, stream)
        if existing is None:
            s.add(StreamHorizon(stream=stream, horizon=horizon))
        elif existing.horizon < horizon:
            existing.horizon = horizon
        return int(done.rowcount)  # type: ignore[attr-defined]


def latest_seq(store: Store, stream: str) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.max(ChangeLog.seq)).where(
            ChangeLog.stream == stream)) or 0)
