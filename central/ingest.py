"""POST /v1/push: store each record exactly once and answer for each one.

The whole batch is one ``INSERT ... ON CONFLICT (id) DO NOTHING RETURNING id``: the rows it
returns are new (``accepted``); for the others the stored sha256 decides between
``duplicate`` (the same record again: a retry) and ``conflict`` (same id, different content).
The database constraint decides, never a check-then-insert in code, so two kiosks racing with
the same ids cannot both insert (kobocat#470). Business rows made from a new record are
written in the same transaction.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from central.activities import take_course_places
from central.auth import Caller
from central.db import Store, insert_for
from central.models import ApplicationStatus, Received
from central.schemas import PushRecord, RecordResult


@dataclass(frozen=True)
class SchemaRange:
    """Record schema versions this server can take: older → invalid, newer → deferred (the
    server will learn them after its own update; the kiosk keeps them and retries)."""

    min_ver: int = 1
    max_ver: int = 1


def receipt_for(record_id: str) -> str:
    """A short server receipt, the same on every retry of the record."""
    digest = hashlib.sha256(record_id.encode()).digest()
    return "C" + base64.b32encode(digest).decode()[:11]


def _check(record: PushRecord, schemas: SchemaRange) -> RecordResult | dict[str, Any]:
    """The parsed body, or the answer for a record that cannot be stored."""
    if hashlib.sha256(record.body.encode()).hexdigest() != record.sha256:
        return RecordResult(id=record.id, status="invalid", error="sha256 does not match body")
    try:
        body = json.loads(record.body)
    except ValueError:
        return RecordResult(id=record.id, status="invalid", error="body is not JSON")
    if not isinstance(body, dict):
        return RecordResult(id=record.id, status="invalid", error="body is not a JSON object")
    if record.schema_ < schemas.min_ver:
        return RecordResult(id=record.id, status="invalid",
                            error=f"schema {record.schema_} is no longer accepted "
                                  f"(oldest {schemas.min_ver})")
    if record.schema_ > schemas.max_ver:
        return RecordResult(id=record.id, status="deferred",
                            error=f"schema {record.schema_} is newer than this server's "
                                  f"{schemas.max_ver}")
    return body


def ingest(store: Store, caller: Caller, records: Sequence[PushRecord],
           schemas: SchemaRange = SchemaRange()) -> list[RecordResult]:
    answers: dict[str, RecordResult] = {}
    rows: list[dict[str, Any]] = []
    bodies: dict[str, dict[str, Any]] = {}
    for record in records:
        if record.id in bodies or record.id in answers:
            continue  # the same id twice in one batch: answered once, below
        checked = _check(record, schemas)
        if isinstance(checked, RecordResult):
            answers[record.id] = checked
            continue
        bodies[record.id] = checked
        rows.append({"id": record.id, "kiosk_id": caller.kiosk_id, "station": caller.station,
                     "kind": record.kind, "schema_ver": record.schema_,
                     "local_seq": record.local_seq, "sha256": record.sha256,
                     "body": record.body, "created_local": record.created_local,
                     "receipt": receipt_for(record.id)})
    if rows:
        with store.write() as s:
            stmt = insert_for(store, Received).on_conflict_do_nothing(index_elements=["id"])
            inserted = set(s.scalars(stmt.returning(Received.id), rows).all())
            old = [r["id"] for r in rows if r["id"] not in inserted]
            stored = dict(s.execute(select(Received.id, Received.sha256)
                                    .where(Received.id.in_(old))).all()) if old else {}
            projections = [_application_row(r, bodies[r["id"]], caller)
                           for r in rows if r["id"] in inserted and r["kind"] == "application"]
            if projections:
                s.execute(insert_for(store, ApplicationStatus)
                          .on_conflict_do_nothing(index_elements=["id"]), projections)
            take_course_places(store, s, _places_taken(
                bodies[r["id"]] for r in rows
                if r["id"] in inserted and r["kind"] == "course_signup"))
        for r in rows:
            if r["id"] in inserted:
                answers[r["id"]] = RecordResult(id=r["id"], status="accepted",
                                                receipt=r["receipt"])
            elif stored.get(r["id"]) == r["sha256"]:
                answers[r["id"]] = RecordResult(id=r["id"], status="duplicate",
                                                receipt=r["receipt"])
            else:
                answers[r["id"]] = RecordResult(
                    id=r["id"], status="conflict",
                    error="a different record with this id was received before")
    return [answers[r.id] for r in _unique(records)]


def _places_taken(bodies: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Course id → places taken by these sign-ups (a waiting-list sign-up takes none)."""
    counts: dict[str, int] = {}
    for body in bodies:
        course = body.get("course")
        if body.get("status") == "enrolled" and isinstance(course, dict) and \
                isinstance(course.get("id"), str):
            counts[course["id"]] = counts.get(course["id"], 0) + 1
    return counts


def _unique(records: Sequence[PushRecord]) -> list[PushRecord]:
    seen: set[str] = set()
    out = []
    for r in records:
        if r.id not in seen:
            seen.add(r.id)
            out.append(r)
    return out


def _application_row(row: dict[str, Any], body: dict[str, Any], caller: Caller
                     ) -> dict[str, Any]:
    app_id = str(body.get("id") or row["id"])[:36]
    return {"id": app_id, "record_id": row["id"], "station": caller.station,
            "number": str(body.get("number", ""))[:40], "status": "received",
            "status_text": "已收到，等待审核"}
