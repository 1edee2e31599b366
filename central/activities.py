"""Importing the activities streams (events, live-stream sessions, courses, projects, mentors,
announcements) and writing the demo month as import files.

An import file is checked whole with the parsers the kiosk reads the streams with
(kiosk.activities.formats) before anything is published: a file with one bad record publishes
nothing, so a half-imported month never reaches the kiosks, and the error names the record
and the field for whoever fixes the file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from central.db import Store
from central.streams import Published, publish
from kiosk.activities.formats import PARSERS
from kiosk.activities.model import ACTIVITY_STREAMS

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
    return publish(store, stream, records)


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
