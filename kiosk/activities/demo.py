"""The demo month of activities: job fairs, daily live-stream hiring, courses, the 创业 libraries
and notices, generated from ``today`` and the demo jobs catalogue.

The same ``today`` and jobs always give the same month, so a demo kiosk, a screenshot run and
``kiosk-central activities demo`` agree. Entities go into ``sync_entity`` exactly as pulled
ones do (ids starting ``demo-``), so the screens read one path. A later start checks one
key-value row and returns (well under 5 ms); after a week the month is rebuilt from the new
``today`` so a demo kiosk that keeps running always has weeks of events ahead.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kiosk.activities import demo_data as d
from kiosk.activities.formats import dump
from kiosk.activities.model import (
    ACTIVITY_STREAMS,
    ANNOUNCEMENTS,
    COURSES,
    EVENTS,
    LIVE,
    MENTORS,
    PROJECTS,
    Announcement,
    Course,
    Event,
    EventEmployer,
    LiveSession,
    Mentor,
    Project,
)
from kiosk.jobs.towns import towns_by_code
from kiosk.store.engine import Database
from kiosk.store.models import Job, KeyValue, SyncEntity

MARKER = "activities.demo_for"  # kv: the day the demo month was generated for
REFRESH_DAYS = 7
WINDOW_DAYS = 35
PREFIX = "demo-"


@dataclass(frozen=True)
class JobRef:
    """What the demo needs of a catalogue job to feature it at an event or in a stream."""

    id: str
    title: str
    employer: str
    industry: str
    town: str  # code
    expires_on: date
    headcount: int


def job_refs_from_records(records: Iterable[Mapping[str, Any]]) -> list[JobRef]:
    """Refs from job import records (kiosk.jobs.generator output, docs/data-formats.md)."""
    out = []
    for r in records:
        employer = r.get("employer") or {}
        out.append(JobRef(str(r["id"]), str(r["title"]),
                          str(employer.get("name") or r.get("employer_name") or ""),
                          str(r.get("industry", "")), str(r.get("town", "")),
                          date.fromisoformat(str(r["expires_on"])), int(r.get("headcount") or 1)))
    return out


def _job_refs(s: Session, today: date) -> list[JobRef]:
    rows = s.execute(select(Job.id, Job.title, Job.employer_name, Job.industry, Job.town,
                            Job.expires_on, Job.headcount)
                     .where(Job.deleted.is_(False), Job.expires_on >= today)).all()
    return [JobRef(i, t, e, ind, town, exp, hc or 1) for i, t, e, ind, town, exp, hc in rows]


def _town(code: str) -> str:
    return towns_by_code()[code].name


class _Month:
    def __init__(self, today: date, jobs: Sequence[JobRef]) -> None:
        self.today = today
        self.rng = random.Random(f"lexy-activities-{today.isoformat()}")
        by_employer: dict[str, list[JobRef]] = {}
        for job in sorted(jobs, key=lambda j: j.id):
            if job.expires_on >= today and job.employer:
                by_employer.setdefault(job.employer, []).append(job)
        self.employers = by_employer

    def _pick(self, day: date, industries: Sequence[str], town: str, n: int, per: int
              ) -> list[tuple[str, str, list[JobRef]]]:
        """``n`` employers with jobs still open on ``day``, those of ``industries`` and
        ``town`` first; up to ``per`` of each one's jobs."""
        rng = self.rng
        scored = []
        for name, jobs in self.employers.items():
            open_jobs = [j for j in jobs if j.expires_on >= day]
            if not open_jobs:
                continue
            first = open_jobs[0]
            score = (2 if first.industry in industries else 0) + (1 if town and
                                                                  first.town == town else 0)
            scored.append((-score, rng.random(), name, first.industry, open_jobs))
        scored.sort(key=lambda row: (row[0], row[1]))
        return [(name, industry, jobs[:per]) for _, _, name, industry, jobs in scored[:n]]

    def _employers(self, day: date, industries: Sequence[str], town: str, n: int
                   ) -> tuple[EventEmployer, ...]:
        out = []
        for name, industry, jobs in self._pick(day, industries, town, n, 3):
            positions = min(200, sum(j.headcount for j in jobs) + self.rng.randint(0, 6))
            out.append(EventEmployer(name, _industry_label(industry), positions,
                                     tuple(j.id for j in jobs)))
        return tuple(out)

    def _day(self, offset: int) -> date:
        day = self.today + timedelta(days=offset)
        return day + timedelta(days=1) if day.weekday() == 6 else day  # no fairs on Sundays

    def events(self) -> list[Event]:
        out: list[Event] = []
        # the weekly fair at the district labour market, every Tuesday
        tuesday = self.today + timedelta(days=(1 - self.today.weekday()) % 7)
        while (tuesday - self.today).days < WINDOW_DAYS:
            place, address, town = d.MARKET
            out.append(Event(
                id=f"{PREFIX}ev-{tuesday:%Y%m%d}-market", kind="招聘会",
                title=f"西青区人力资源市场周二招聘会（第{tuesday.isocalendar().week}周）",
                starts_at=datetime.combine(tuesday, time(9)),
                ends_at=datetime.combine(tuesday, time(11, 30)), town=_town(town), place=place,
                address=address, organiser=d.CENTRE, description=d.EVENT_TEXT["招聘会"],
                employers=self._employers(tuesday, (), "", 10)))
            tuesday += timedelta(days=7)
        offsets = (0, 2, 4, 6, 9, 12, 15, 18, 22, 26)
        for k, (kind, pattern, organiser, where, industries) in enumerate(d.SPECIAL_EVENTS):
            day = self._day(offsets[k % len(offsets)])
            title = pattern.format(year=day.year)
            online = ""
            if where == "campus":
                town, place, address = d.CAMPUS
                start, end = time(13, 30), time(16, 30)
            elif where:
                town, place, address = next(v for v in d.TOWN_VENUES if v[0] == where)
                start, end = time(9), time(11, 30)
            else:
                place, address, town = d.MARKET
                start, end = time(9), time(16)
            last = day
            if kind == "百日千万网络招聘":
                place, address = "网络招聘会（手机扫码参加）", ""
                online = f"{d.WEB}/fair/{day:%Y%m%d}"
                last = day + timedelta(days=9)
                start, end = time(9), time(17)
            out.append(Event(
                id=f"{PREFIX}ev-{day:%Y%m%d}-{k}", kind=kind, title=title,
                starts_at=datetime.combine(day, start), ends_at=datetime.combine(last, end),
                town=_town(town), place=place, address=address, organiser=organiser,
                description=d.EVENT_TEXT[kind],
                employers=self._employers(day, industries, town, 8 if where else 12),
                online_url=online))
        return sorted(out, key=lambda e: (e.starts_at, e.id))

    def live(self) -> list[LiveSession]:
        out = []
        n = 0
        for offset in range(WINDOW_DAYS):
            day = self.today + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for hour in (10, 15):
                theme, industries = d.LIVE_THEMES[n % len(d.LIVE_THEMES)]
                picked = self._pick(day, industries, "", 3, 2)
                sid = f"{PREFIX}live-{day:%Y%m%d}-{hour}"
                out.append(LiveSession(
                    id=sid, title=f"西青人社直播带岗｜{theme}",
                    starts_at=datetime.combine(day, time(hour)),
                    ends_at=datetime.combine(day, time(hour + 1)),
                    host=d.LIVE_HOSTS[n % len(d.LIVE_HOSTS)],
                    stream_url=f"{d.WEB}/live/{day:%Y%m%d}-{hour}",
                    employers=tuple(name for name, _, _ in picked),
                    job_ids=tuple(j.id for _, _, jobs in picked for j in jobs)))
                n += 1
        return out

    def courses(self) -> list[Course]:
        starts = (6, 13, 3, -2, 9, 16, 20, 11)  # the 养老护理员 class is already running
        out = []
        for k, (kind, title, brand, policy, days, schedule, seats, who, text, fee) in \
                enumerate(d.COURSES):
            first = self.today + timedelta(days=starts[k % len(starts)])
            if k == 0:
                town, place = d.MARKET[2], "西青区就业服务中心创业培训教室"
            else:
                town, place, _ = d.TOWN_VENUES[(k - 1) % len(d.TOWN_VENUES)]
            taken = seats if k == 0 else self.rng.randint(seats // 4, seats - 3)
            out.append(Course(
                id=f"{PREFIX}course-{k + 1}", kind=kind, title=title, brand=brand,
                starts_on=first, ends_on=first + timedelta(days=days - 1), schedule=schedule,
                town=_town(town), place=place, seats=seats, seats_taken=taken, policy_id=policy,
                who_may_join=who, description=text, fee=fee))
        return out

    def projects(self) -> list[Project]:
        return [Project(id=f"{PREFIX}project-{k + 1}", title=title, industry=industry,
                        investment_min=low, investment_max=high, risk=risk, skills=skills,
                        description=text, payback=payback)
                for k, (title, industry, low, high, risk, skills, text, payback)
                in enumerate(d.PROJECTS)]

    def mentors(self) -> list[Mentor]:
        return [Mentor(id=f"{PREFIX}mentor-{k + 1}", name=name, field=field, title=title,
                       experience_years=years, bio=bio, availability=when, town=_town(town))
                for k, (name, field, title, years, bio, when, town) in enumerate(d.MENTORS)]

    def announcements(self) -> list[Announcement]:
        out = []
        for k, (title, body, ago, lasts, urgent, source) in enumerate(d.ANNOUNCEMENTS):
            out.append(Announcement(
                id=f"{PREFIX}notice-{k + 1}", title=title.format(month=self.today.month),
                body=body, published_on=self.today - timedelta(days=ago),
                expires_on=self.today + timedelta(days=lasts) if lasts is not None else None,
                urgent=urgent, source=source))
        return out


def _industry_label(code: str) -> str:
    from kiosk.jobs.vocab import industry_label

    return industry_label(code) if code else ""


def demo_month(today: date, jobs: Sequence[JobRef]) -> dict[str, list[dict[str, Any]]]:
    """Every activities stream of the demo month, as the stream JSON (with versions)."""
    month = _Month(today, jobs)
    version = today.toordinal()
    made: dict[str, Sequence[Any]] = {
        EVENTS: month.events(), LIVE: month.live(), COURSES: month.courses(),
        PROJECTS: month.projects(), MENTORS: month.mentors(),
        ANNOUNCEMENTS: month.announcements()}
    return {stream: [dump(e, version) for e in items] for stream, items in made.items()}


def _fresh(marker: str | None, today: date) -> bool:
    try:
        made = date.fromisoformat(marker or "")
    except ValueError:
        return False
    return 0 <= (today - made).days < REFRESH_DAYS


def ensure_demo_activities(db: Database, today: date) -> None:
    """Write the demo month unless one made in the last week is there (one kv read)."""
    with db.read() as s:
        marker = s.get(KeyValue, MARKER)
        if marker is not None and _fresh(marker.value, today):
            return
    with db.write() as s:
        month = demo_month(today, _job_refs(s, today))
        s.execute(delete(SyncEntity).where(SyncEntity.stream.in_(ACTIVITY_STREAMS),
                                           SyncEntity.id.startswith(PREFIX)))
        now = datetime.now(UTC)
        s.add_all(SyncEntity(stream=stream, id=item["id"], version=item["version"],
                             deleted=False, data=json.dumps(item, ensure_ascii=False),
                             updated_at=now)
                  for stream, items in month.items() for item in items)
        s.merge(KeyValue(key=MARKER, value=today.isoformat()))
