"""Reading the activities catalogue: what the screens list, filtered by the kiosk's clock.

Every entity lives in ``sync_entity`` under its stream, whether the sync worker pulled it or
the demo wrote it, so there is one reading path. Each method is one blocking read (the UI
calls it on a worker). An entity whose JSON does not parse (a format from a newer server, a
hand-edited row) is skipped and logged rather than failing the whole list: one bad poster
must not blank the screen.

Past events and sessions disappear by themselves because every list is filtered by ``now``;
nothing has to delete them.

The attract loop's subtitles are made here, in the resident's language at the time of the call
(kiosk.i18n); the entities themselves are content and stay as published.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.activities.formats import PARSERS, parse_announcement
from kiosk.activities.model import (
    ANNOUNCEMENTS,
    COURSES,
    EVENTS,
    LIVE,
    MENTORS,
    PROJECTS,
    SCREEN_ANNOUNCEMENT,
    SCREEN_EVENT,
    SCREEN_LIVE,
    Announcement,
    AttractItem,
    Course,
    Event,
    LiveSession,
    Mentor,
    Project,
)
from kiosk.i18n import tr
from kiosk.jobs.towns import resolve_town
from kiosk.jobs.vocab import date_text
from kiosk.store.engine import Database
from kiosk.store.models import CourseSignup, SyncEntity

log = logging.getLogger(__name__)
T = TypeVar("T")


def _local_now(today: Callable[[], date]) -> Callable[[], datetime]:
    """Wall time on the kiosk's ``today`` (KIOSK_TODAY moves the date, not the clock)."""
    return lambda: datetime.combine(today(), datetime.now().time())


def _hm(moment: datetime) -> str:
    return f"{moment:%H:%M}"


class ActivityCatalogue:
    """The events, live sessions, courses, projects, mentors and announcements on this kiosk."""

    def __init__(self, db: Database, today: Callable[[], date],
                 now: Callable[[], datetime] | None = None) -> None:
        self.db = db
        self.today = today
        self.now = now or _local_now(today)

    # -- reading one stream ------------------------------------------------------------
    def _rows(self, s: Session, stream: str, ids: Iterable[str] | None = None
              ) -> list[tuple[str, str, datetime]]:
        query = select(SyncEntity.id, SyncEntity.data, SyncEntity.updated_at).where(
            SyncEntity.stream == stream, SyncEntity.deleted.is_(False),
            SyncEntity.data.is_not(None))
        if ids is not None:
            query = query.where(SyncEntity.id.in_(list(ids)))
        return [(i, d, u) for i, d, u in s.execute(query.order_by(SyncEntity.id)).all()
                if d is not None]

    def _parse(self, stream: str, entity_id: str, raw: str, updated_at: datetime) -> Any:
        try:
            data = json.loads(raw)
            if stream == ANNOUNCEMENTS:
                return parse_announcement(data, received_on=updated_at.date())
            return PARSERS[stream](data)
        except ValueError as exc:  # JSONDecodeError is a ValueError too
            log.warning("%s %s skipped: %s", stream, entity_id, exc)
            return None

    def _all(self, stream: str, ids: Iterable[str] | None = None) -> list[Any]:
        with self.db.read() as s:
            rows = self._rows(s, stream, ids)
        return [e for e in (self._parse(stream, *row) for row in rows) if e is not None]

    def _one(self, stream: str, entity_id: str) -> Any:
        found = self._all(stream, [entity_id])
        return found[0] if found else None

    # -- events ------------------------------------------------------------------------
    def events(self, *, kind: str | None = None, town: str | None = None,
               day: date | None = None) -> list[Event]:
        """Events not ended yet, by start time; ``town`` may be a code or a name."""
        now = self.now()
        town_code = resolve_town(town) if town else None
        out = []
        for e in self._all(EVENTS):
            if e.ends_at <= now or (kind and e.kind != kind):
                continue
            if town and resolve_town(e.town) != (town_code or town):
                continue
            if day and not e.starts_at.date() <= day <= e.ends_at.date():
                continue
            out.append(e)
        return sorted(out, key=lambda e: (e.starts_at, e.id))

    def event(self, event_id: str) -> Event | None:
        """The event even if it has ended (a slip's QR may be scanned afterwards)."""
        found: Event | None = self._one(EVENTS, event_id)
        return found

    def event_days(self, month: date) -> dict[date, int]:
        """How many events (not ended) fall on each day of ``month``'s month, for the calendar;
        an event over several days counts on each of them."""
        first = month.replace(day=1)
        after = (first + timedelta(days=32)).replace(day=1)
        counts: dict[date, int] = {}
        for e in self.events():
            d = max(e.starts_at.date(), first)
            while d <= e.ends_at.date() and d < after:
                counts[d] = counts.get(d, 0) + 1
                d += timedelta(days=1)
        return dict(sorted(counts.items()))

    # -- live-stream hiring ------------------------------------------------------------
    def _live(self) -> list[LiveSession]:
        return sorted(self._all(LIVE), key=lambda x: (x.starts_at, x.id))

    def live_today(self) -> list[LiveSession]:
        """Today's sessions that have not ended (the one on air first)."""
        now = self.now()
        return [x for x in self._live() if x.starts_at.date() == now.date() and x.ends_at > now]

    def live_upcoming(self, days: int = 7) -> list[LiveSession]:
        """Sessions of the next ``days`` days after today (today's are in :meth:`live_today`)."""
        today = self.now().date()
        last = today + timedelta(days=days)
        return [x for x in self._live() if today < x.starts_at.date() <= last]

    def live(self, session_id: str) -> LiveSession | None:
        found: LiveSession | None = self._one(LIVE, session_id)
        return found

    # -- training ----------------------------------------------------------------------
    def courses(self, *, kind: str | None = None) -> list[Course]:
        """Courses that have not started yet or are running, soonest first."""
        today = self.now().date()
        return sorted((c for c in self._all(COURSES)
                       if c.ends_on >= today and (not kind or c.kind == kind)),
                      key=lambda c: (c.starts_on, c.id))

    def course(self, course_id: str) -> Course | None:
        found: Course | None = self._one(COURSES, course_id)
        return found

    def seats_left(self, course: Course) -> int:
        """Seats − the server's count − places taken at this kiosk since the server last
        published the course (those the server's count cannot include yet); never < 0."""
        with self.db.read() as s:
            since = s.scalar(select(SyncEntity.updated_at).where(
                SyncEntity.stream == COURSES, SyncEntity.id == course.id))
            taken = s.scalars(select(CourseSignup.created_at).where(
                CourseSignup.course_id == course.id, CourseSignup.status == "enrolled")).all()
        since_utc = _aware(since) if since is not None else None
        local = sum(1 for t in taken if since_utc is None or _aware(t) > since_utc)
        return max(0, course.seats - course.seats_taken - local)

    # -- 创业 libraries ----------------------------------------------------------------
    def projects(self, *, industry: str | None = None, max_investment: int | None = None
                 ) -> list[Project]:
        """Projects, cheapest to start first; ``max_investment`` keeps those whose minimum
        investment fits the budget."""
        return sorted((p for p in self._all(PROJECTS)
                       if (not industry or p.industry == industry)
                       and (max_investment is None or p.investment_min <= max_investment)),
                      key=lambda p: (p.investment_min, p.investment_max, p.id))

    def project(self, project_id: str) -> Project | None:
        found: Project | None = self._one(PROJECTS, project_id)
        return found

    def project_industries(self) -> list[str]:
        """The industries present, for the filter chips (in first-seen order)."""
        return list(dict.fromkeys(p.industry for p in self.projects()))

    def mentors(self, *, field: str | None = None) -> list[Mentor]:
        return sorted((m for m in self._all(MENTORS) if not field or m.field == field),
                      key=lambda m: (m.field, -m.experience_years, m.id))

    def mentor(self, mentor_id: str) -> Mentor | None:
        found: Mentor | None = self._one(MENTORS, mentor_id)
        return found

    def mentor_fields(self) -> list[str]:
        return list(dict.fromkeys(m.field for m in self.mentors()))

    # -- announcements -----------------------------------------------------------------
    def announcements(self) -> list[Announcement]:
        """Published and unexpired notices: urgent first, then newest first."""
        today = self.now().date()
        live = [a for a in self._all(ANNOUNCEMENTS) if a.published_on <= today
                and (a.expires_on is None or a.expires_on >= today)]
        live.sort(key=lambda a: a.id)
        live.sort(key=lambda a: a.published_on, reverse=True)
        live.sort(key=lambda a: not a.urgent)  # stable: keeps newest-first within each group
        return live

    def announcement(self, announcement_id: str) -> Announcement | None:
        found: Announcement | None = self._one(ANNOUNCEMENTS, announcement_id)
        return found

    # -- the home screen ---------------------------------------------------------------
    def attract_items(self, now: datetime) -> list[AttractItem]:
        """Urgent announcements, then today's events and live sessions (not ended, by start),
        then the other announcements."""
        notices = self.announcements()
        urgent = [_notice(a) for a in notices if a.urgent]
        today: list[tuple[datetime, AttractItem]] = []
        for e in self._all(EVENTS):
            if e.starts_at.date() <= now.date() <= e.ends_at.date() and e.ends_at > now:
                today.append((e.starts_at, AttractItem(
                    "event", e.title, tr("今天 {start}-{end} · {place}").format(
                        start=_hm(e.starts_at), end=_hm(e.ends_at), place=e.place),
                    SCREEN_EVENT, e.id, False)))
        for x in self._live():
            if x.starts_at.date() == now.date() and x.ends_at > now:
                on_air = x.starts_at <= now
                when = tr("正在直播") if on_air else tr("今天 {time} 开播").format(
                    time=_hm(x.starts_at))
                today.append((x.starts_at, AttractItem(
                    "live", x.title, f"{when} · {'、'.join(x.employers[:3])}",
                    SCREEN_LIVE, x.id, False)))
        today.sort(key=lambda pair: pair[0])
        others = [_notice(a) for a in notices if not a.urgent]
        return urgent + [item for _, item in today] + others

    # -- featured jobs -----------------------------------------------------------------
    def jobs_for(self, job_ids: Sequence[str]) -> list[Any]:
        """The featured jobs still open, as ``kiosk.jobs.search.JobSummary`` in the given
        order (a withdrawn or expired job is simply left out)."""
        from kiosk.jobs.search import summaries_by_id

        ids = list(dict.fromkeys(job_ids))
        with self.db.read() as s:
            found = summaries_by_id(s, ids, self.now().date())
        return [found[i] for i in ids if i in found]


def _notice(a: Announcement) -> AttractItem:
    day = date_text(a.published_on, year=False)
    subtitle = f"{a.source} · {day}" if a.source else day
    return AttractItem("announcement", a.title, subtitle, SCREEN_ANNOUNCEMENT, a.id, a.urgent)


def _aware(moment: datetime) -> datetime:
    """Stored timestamps come back naive from SQLite; they were written as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
