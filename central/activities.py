"""Importing the activities streams (events, live-stream sessions, courses, projects, mentors,
announcements) and writing the demo month as import files.

An import file is checked whole with the parsers the kiosk reads the streams with
(kiosk.activities.formats) before anything is published: a file with one bad record publishes
nothing, so a half-imported month never reaches the kiosks, and the error names the record
and the field for whoever fixes the file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.db import Store
from central.models import Entity
from central.streams import Published, dumps, lock_stream, publish, write_changes
from kiosk.activities.formats import PARSERS, parse_course
from kiosk.activities.model import ACTIVITY_STREAMS, COURSES, Course

FORMAT = "lexy-activities"
MAX_PROBLEMS = 5


class ImportRefusedError(ValueError):
    """The file holds records the kiosks could not show; nothing was published."""


def check_records(stream: str, records: Sequence[dict[str, Any]]) -> None:
    """Every record must parse and carry a version; duplicate ids are refused too (which of
    the two should win would be a guess)."""
    if stream not in PARSERS:
        raise ValueError(f"unknown activities stream {stream!r}")
    parse = PARSERS[stream]
    problems: list[str] = []
    seen: set[str] = set()
    for n, record in enumerate(records, 1):
        try:
            parse(record)
            version = record.get("version")
            if isinstance(version, bool) or not isinstance(version, int) or version < 0:
                raise ValueError(f"{stream} {record.get('id')}: version must be a whole "
                                 "number ≥ 0 (raise it whenever the record changes)")
            rid = str(record["id"])
            if rid in seen:
                raise ValueError(f"{stream} {rid}: the id appears twice in the file")
            seen.add(rid)
        except ValueError as exc:
            problems.append(f"record {n}: {exc}")
    if problems:
        more = len(problems) - MAX_PROBLEMS
        raise ImportRefusedError("; ".join(problems[:MAX_PROBLEMS]) +
                                 (f"; and {more} more" if more > 0 else ""))


def import_stream(store: Store, stream: str, records: Sequence[dict[str, Any]]) -> Published:
    """Check all records, then publish those that are new or carry a higher version."""
    check_records(stream, records)
    if stream == COURSES:
        return _import_courses(store, records)
    return publish(store, stream, records)


# -- course places ------------------------------------------------------------------------
# A course's ``seats_taken`` is what the operator's file says (places filled elsewhere) plus
# the places residents took at kiosks (``kiosk_places``, counted here as sign-ups arrive).
# Each count republishes the course, so every entity change needs a version above the last
# one; the operator's own version is kept in the data (``version``) and decides whether an
# imported record is newer, so a re-import neither loses the kiosks' count nor is shadowed
# by the versions the counting used up.

def _import_courses(store: Store, records: Sequence[dict[str, Any]]) -> Published:
    changed = 0
    with store.write() as s:
        lock_stream(store, s, COURSES)
        current = _current(s, [str(r["id"]) for r in records])
        changes = []
        for r in records:
            cid = str(r["id"])
            held = current.get(cid)
            places = 0
            version = int(r["version"])
            if held is not None:
                entity_version, data = held
                if data is not None and version <= int(data.get("version", -1)):
                    continue
                places = int(data.get("kiosk_places", 0)) if data is not None else 0
                version = max(version, entity_version + 1)
            record = {**r, "kiosk_places": places,
                      "seats_taken": int(r.get("seats_taken", 0)) + places}
            changes.append((cid, "upsert", version, dumps(record)))
        if changes:
            write_changes(store, s, COURSES, changes)
            changed = len(changes)
    return Published(changed, len(records) - changed)


def take_course_places(store: Store, s: Session, counts: Mapping[str, int]) -> int:
    """Count places residents took at kiosks (``course_signup`` records newly received, in
    the push's own transaction) and republish those courses, so other kiosks show the seats
    that are left after their next pull. Unknown or withdrawn courses are not counted.
    Returns how many courses changed."""
    if not counts:
        return 0
    lock_stream(store, s, COURSES)
    changes = []
    for cid, (entity_version, data) in _current(s, list(counts)).items():
        if data is None:
            continue
        places = int(data.get("kiosk_places", 0)) + counts[cid]
        data = {**data, "kiosk_places": places,
                "seats_taken": int(data.get("seats_taken", 0)) + counts[cid]}
        changes.append((cid, "upsert", entity_version + 1, dumps(data)))
    if changes:
        write_changes(store, s, COURSES, changes)
    return len(changes)


@dataclass(frozen=True)
class CoursePlaces:
    course: Course  # as the kiosks read it: seats_taken = the file's figure + kiosk_places
    kiosk_places: int

    @property
    def over(self) -> int:
        """Places given beyond the seats (kiosks offline at once can each give the last)."""
        return max(0, self.course.seats_taken - self.course.seats)


def course_places(store: Store) -> list[CoursePlaces]:
    """Every course that is not withdrawn, soonest first, with its places: what the station
    needs to see a course over its seats and call the residents who came last."""
    with store.read() as s:
        rows = s.execute(select(Entity.data).where(Entity.stream == COURSES,
                                                   Entity.deleted.is_(False))).scalars().all()
    found = []
    for raw in rows:
        if raw is None:
            continue
        data = json.loads(raw)
        found.append(CoursePlaces(parse_course(data), int(data.get("kiosk_places", 0))))
    return sorted(found, key=lambda c: (c.course.starts_on, c.course.id))


def _current(s: Session, ids: Sequence[str]
             ) -> dict[str, tuple[int, dict[str, Any] | None]]:
    """Each live course's entity version and data (None for a tombstone)."""
    rows = s.execute(select(Entity.id, Entity.version, Entity.deleted, Entity.data).where(
        Entity.stream == COURSES, Entity.id.in_(ids))).all()
    return {i: (v, None if gone or d is None else json.loads(d)) for i, v, gone, d in rows}


def demo_files(out: Path, today: date) -> dict[str, Path]:
    """Write the demo month (the same one a demo kiosk makes on ``today``) as one import
    file per stream. Its featured jobs are those of ``kiosk jobs generate --today`` (same
    day, default seed), which the server should import first."""
    from kiosk.activities.demo import demo_month, job_refs_from_records
    from kiosk.jobs.generator import generate

    month = demo_month(today, job_refs_from_records(generate(2000, today=today)))
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for stream in ACTIVITY_STREAMS:
        path = out / f"{stream}.json"
        path.write_text(json.dumps({"format": FORMAT, "stream": stream,
                                    "generated_for": today.isoformat(),
                                    stream: month[stream]}, ensure_ascii=False, indent=1),
                        encoding="utf-8")
        written[stream] = path
    return written
