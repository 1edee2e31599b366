"""The JSON form of each activities stream (docs/activities.md), read strictly and written back.

One parser per stream serves three callers: the sync layer refuses a pulled entity the parser
rejects (the last good copy stays), the catalogue turns cached JSON into dataclasses (skipping
and logging anything that no longer parses), and the central import checks a file before it
publishes. A ``ValueError`` names the field, for the technician who fixes the file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from kiosk.activities.model import (
    ANNOUNCEMENTS,
    COURSE_KINDS,
    COURSES,
    EVENT_KINDS,
    EVENTS,
    LIVE,
    MENTORS,
    PROJECTS,
    RISKS,
    Announcement,
    Course,
    Event,
    EventEmployer,
    LiveSession,
    Mentor,
    Project,
)
from kiosk.jobs.towns import resolve_town, towns_by_code

SHORT, LONG, BODY = 100, 2000, 8000


class _Fields:
    """Typed reads of one JSON object; errors name the entity and the field."""

    def __init__(self, data: Any, label: str) -> None:
        if not isinstance(data, Mapping):
            raise ValueError(f"{label}: not a JSON object")
        self.d = data
        self.label = label

    def fail(self, field: str, message: str) -> ValueError:
        return ValueError(f"{self.label} field {field!r}: {message}")

    def text(self, field: str, *, required: bool = False, max_len: int = SHORT) -> str:
        value = self.d.get(field)
        if value is None or value == "":
            if required:
                raise self.fail(field, "is required")
            return ""
        if not isinstance(value, str):
            raise self.fail(field, "must be text")
        value = value.strip()
        if required and not value:
            raise self.fail(field, "is required")
        if len(value) > max_len:
            raise self.fail(field, f"longer than {max_len} characters")
        return value

    def choice(self, field: str, allowed: tuple[str, ...]) -> str:
        value = self.text(field, required=True)
        if value not in allowed:
            raise self.fail(field, f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def integer(self, field: str, *, lo: int = 0, hi: int = 10**9, default: int | None = None
                ) -> int:
        value = self.d.get(field, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(field, "must be a whole number")
        if not lo <= value <= hi:
            raise self.fail(field, f"must be between {lo} and {hi}")
        return value

    def flag(self, field: str) -> bool:
        value = self.d.get(field, False)
        if not isinstance(value, bool):
            raise self.fail(field, "must be true or false")
        return value

    def day(self, field: str, *, required: bool = True) -> date | None:
        value = self.d.get(field)
        if value in (None, ""):
            if required:
                raise self.fail(field, "is required (YYYY-MM-DD)")
            return None
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(field, f"{value!r} is not a date (YYYY-MM-DD)") from None

    def moment(self, field: str) -> datetime:
        value = self.d.get(field)
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            raise self.fail(field, f"{value!r} is not a local time (YYYY-MM-DDTHH:MM)") from None
        if moment.tzinfo is not None:
            raise self.fail(field, "is local wall time: leave out the UTC offset")
        return moment

    def span(self, start: str, end: str) -> tuple[datetime, datetime]:
        a, b = self.moment(start), self.moment(end)
        if b <= a:
            raise self.fail(end, f"must be after {start}")
        return a, b

    def strings(self, field: str, *, max_items: int = 200) -> tuple[str, ...]:
        value = self.d.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(field, "must be a list of texts")
        if len(value) > max_items:
            raise self.fail(field, f"more than {max_items} items")
        return tuple(v.strip() for v in value if v.strip())

    def town(self, field: str) -> str:
        """A town or street of the map, stored by its short name (杨柳青镇, 西营门街)."""
        value = self.text(field, required=True)
        code = resolve_town(value)
        if code is None:
            raise self.fail(field, f"{value!r} is not a town or street of Xiqing")
        return towns_by_code()[code].name

    def url(self, field: str, *, required: bool = False) -> str:
        value = self.text(field, required=required, max_len=500)
        if value and not value.startswith(("https://", "http://")):
            raise self.fail(field, "must be an http(s) address")
        return value


def _id(data: Any, stream: str) -> tuple[_Fields, str]:
    label = stream
    if isinstance(data, Mapping) and data.get("id") not in (None, ""):
        label = f"{stream} {data.get('id')}"
    f = _Fields(data, label)
    value = f.d.get("id")
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise f.fail("id", "is required")
    return f, str(value)


def parse_event(data: Any) -> Event:
    f, eid = _id(data, EVENTS)
    starts, ends = f.span("starts_at", "ends_at")
    raw = f.d.get("employers", [])
    if not isinstance(raw, list):
        raise f.fail("employers", "must be a list of objects")
    employers = []
    for n, item in enumerate(raw):
        e = _Fields(item, f"{f.label} employer {n + 1}")
        employers.append(EventEmployer(
            name=e.text("name", required=True), industry=e.text("industry"),
            positions=e.integer("positions", hi=100000, default=0),
            job_ids=e.strings("job_ids")))
    return Event(id=eid, kind=f.choice("kind", EVENT_KINDS), title=f.text("title", required=True),
                 starts_at=starts, ends_at=ends, town=f.town("town"),
                 place=f.text("place", required=True), address=f.text("address", max_len=200),
                 organiser=f.text("organiser"), description=f.text("description", max_len=LONG),
                 employers=tuple(employers), online_url=f.url("online_url"))


def parse_live(data: Any) -> LiveSession:
    f, sid = _id(data, LIVE)
    starts, ends = f.span("starts_at", "ends_at")
    return LiveSession(id=sid, title=f.text("title", required=True), starts_at=starts,
                       ends_at=ends, host=f.text("host"),
                       stream_url=f.url("stream_url", required=True),
                       employers=f.strings("employers"), job_ids=f.strings("job_ids"))


def parse_course(data: Any) -> Course:
    f, cid = _id(data, COURSES)
    starts_on, ends_on = f.day("starts_on"), f.day("ends_on")
    assert starts_on is not None and ends_on is not None
    if ends_on < starts_on:
        raise f.fail("ends_on", "must not be before starts_on")
    seats = f.integer("seats", hi=10000)
    return Course(id=cid, kind=f.choice("kind", COURSE_KINDS), title=f.text("title", required=True),
                  brand=f.text("brand"), starts_on=starts_on, ends_on=ends_on,
                  schedule=f.text("schedule"), town=f.town("town"),
                  place=f.text("place", required=True), seats=seats,
                  seats_taken=f.integer("seats_taken", hi=100000, default=0),
                  policy_id=f.text("policy_id"), who_may_join=f.text("who_may_join", max_len=LONG),
                  description=f.text("description", max_len=LONG), fee=f.text("fee"))


def parse_project(data: Any) -> Project:
    f, pid = _id(data, PROJECTS)
    low = f.integer("investment_min")
    high = f.integer("investment_max")
    if high < low:
        raise f.fail("investment_max", "must not be below investment_min")
    return Project(id=pid, title=f.text("title", required=True),
                   industry=f.text("industry", required=True), investment_min=low,
                   investment_max=high, risk=f.choice("risk", RISKS), skills=f.strings("skills"),
                   description=f.text("description", max_len=LONG), payback=f.text("payback"))


def parse_mentor(data: Any) -> Mentor:
    f, mid = _id(data, MENTORS)
    return Mentor(id=mid, name=f.text("name", required=True),
                  field=f.text("field", required=True), title=f.text("title"),
                  experience_years=f.integer("experience_years", hi=80, default=0),
                  bio=f.text("bio", max_len=LONG), availability=f.text("availability"),
                  town=f.town("town") if f.d.get("town") else "")


def parse_announcement(data: Any, received_on: date | None = None) -> Announcement:
    """``published_on`` may be left out (older servers sent only a title); the day the kiosk
    received it stands in, so the list still sorts sensibly."""
    f, aid = _id(data, ANNOUNCEMENTS)
    published = f.day("published_on", required=False) or received_on or date.today()
    expires = f.day("expires_on", required=False)
    if expires is not None and expires < published:
        raise f.fail("expires_on", "must not be before published_on")
    return Announcement(id=aid, title=f.text("title", required=True),
                        body=f.text("body", max_len=BODY), published_on=published,
                        expires_on=expires, urgent=f.flag("urgent"), source=f.text("source"))


PARSERS: dict[str, Callable[[Any], Any]] = {
    EVENTS: parse_event, LIVE: parse_live, COURSES: parse_course, PROJECTS: parse_project,
    MENTORS: parse_mentor, ANNOUNCEMENTS: parse_announcement,
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def dump(entity: Any, version: int) -> dict[str, Any]:
    """The stream JSON of one dataclass, with its ``version`` (what central imports take)."""
    return {**_plain(asdict(entity)), "version": version}
