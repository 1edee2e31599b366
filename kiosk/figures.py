"""The station's figures for today, this week and this month, and their CSV export.

Counted from what the kiosk already keeps: anonymous usage events (``usage_event``: visits,
identifications, searches), the submissions themselves (sign-ups, registrations,
applications, callback requests), the audit log of callback steps and the anonymous ratings.
Days are the station's calendar days (local time); the database stores UTC. Qt-free.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.callbacks import AUDIT_ACTION, RECOMMEND_DAYS, local_day
from kiosk.jobs.towns import towns_by_code
from kiosk.ratings import SCORES
from kiosk.store.engine import Database
from kiosk.store.models import (
    Application,
    AuditEntry,
    CallbackRequest,
    JobSignup,
    Rating,
    SeekerRegistration,
    UsageEvent,
)

PERIODS = ("today", "week", "month")
PERIOD_LABELS = {"today": "今日", "week": "本周", "month": "本月"}
#: usage_event kinds that count as one thing each (other screens add theirs with
#: Services.count(kind)); see docs/admin.md for who counts what
EVENT_KINDS = {"visit": "到访人次", "identified": "刷证次数", "search": "搜索岗位"}
#: where removable drives are mounted on Debian/Ubuntu (udisks) and most other Linuxes
REMOVABLE_ROOTS = (Path("/media"), Path("/run/media"))


@dataclass(frozen=True)
class Figures:
    period: str
    first_day: date
    last_day: date  # inclusive (today)
    events: dict[str, int]  # usage_event kind → count
    signups: int
    registrations: int
    applications_by_policy: tuple[tuple[str, int], ...]
    callbacks: int
    callbacks_contacted_same_day: int
    callbacks_recommended_in_time: int
    ratings: dict[int, int]  # score → count
    startup_registrations: int = 0  # of the registrations, those with 创业意向
    # town code → registrations (the town lived in, else the first wished): the admin map
    registrations_by_town: tuple[tuple[str, int], ...] = field(default=())
    daily_visits: tuple[tuple[date, int], ...] = field(default=())  # by hour for today

    @property
    def label(self) -> str:
        return PERIOD_LABELS[self.period]

    @property
    def applications(self) -> int:
        return sum(n for _, n in self.applications_by_policy)

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def satisfied_percent(self) -> int | None:
        return round(100 * self.ratings.get(3, 0) / self.rated) if self.rated else None

    def rows(self) -> list[tuple[str, int]]:
        """The headline numbers, in the order the screen and the CSV show them."""
        return [
            *((label, self.events.get(kind, 0)) for kind, label in EVENT_KINDS.items()),
            ("岗位报名", self.signups),
            ("求职登记", self.registrations),
            ("其中想创业", self.startup_registrations),
            ("政策申请", self.applications),
            ("呼叫红娘", self.callbacks),
            ("当天联系", self.callbacks_contacted_same_day),
            (f"{RECOMMEND_DAYS}日内推荐岗位", self.callbacks_recommended_in_time),
            *((f"评价：{SCORES[s]}", self.ratings.get(s, 0)) for s in sorted(SCORES,
                                                                            reverse=True)),
        ]


def period_days(period: str, today: date) -> tuple[date, date]:
    """First and last (inclusive) day of ``period``; weeks start on Monday."""
    if period == "today":
        return today, today
    if period == "week":
        return today - timedelta(days=today.weekday()), today
    if period == "month":
        return today.replace(day=1), today
    raise ValueError(f"period must be one of {', '.join(PERIODS)}, got {period!r}")


def _utc_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """Local midnights as naive UTC, the way SQLite holds the timestamps."""
    def utc(d: date) -> datetime:
        return datetime.combine(d, time()).astimezone().astimezone(UTC).replace(tzinfo=None)
    return utc(first), utc(last + timedelta(days=1))


def _count(s: Session, column: Any, start: datetime, end: datetime, *where: Any) -> int:
    return int(s.scalar(select(func.count()).where(column >= start, column < end, *where))
               or 0)


def compute_figures(db: Database, period: str, *, now: datetime | None = None) -> Figures:
    now = now or datetime.now(UTC)
    today = local_day(now)
    first, last = period_days(period, today)
    start, end = _utc_bounds(first, last)
    with db.read() as s:
        events = dict(s.execute(select(UsageEvent.kind, func.count())
                                .where(UsageEvent.at >= start, UsageEvent.at < end)
                                .group_by(UsageEvent.kind)).all())
        visit_times = s.scalars(select(UsageEvent.at).where(
            UsageEvent.kind == "visit", UsageEvent.at >= start, UsageEvent.at < end)).all()
        signups = _count(s, JobSignup.created_at, start, end)
        # per town: registrations and, of them, those with 创业意向 (one read of the rows)
        wants_startup = func.json_extract(SeekerRegistration.preferences, "$.startup") == 1
        by_town = s.execute(select(SeekerRegistration.town, func.count(),
                                   func.count().filter(wants_startup))
                            .where(SeekerRegistration.created_at >= start,
                                   SeekerRegistration.created_at < end)
                            .group_by(SeekerRegistration.town)).all()
        by_policy = s.execute(select(Application.policy_name, func.count())
                              .where(Application.created_at >= start,
                                     Application.created_at < end)
                              .group_by(Application.policy_name)).all()
        callbacks = s.execute(select(CallbackRequest.id, CallbackRequest.created_at,
                                     CallbackRequest.handled_at)
                              .where(CallbackRequest.created_at >= start,
                                     CallbackRequest.created_at < end)).all()
        ids = {row.id for row in callbacks}
        done_at: dict[str, datetime] = {}
        if ids:
            for at, detail in s.execute(select(AuditEntry.at, AuditEntry.detail).where(
                    AuditEntry.action == AUDIT_ACTION, AuditEntry.at >= start)):
                change = _json(detail)
                cid = str(change.get("callback_id"))
                if cid in ids and change.get("to") == "done" and cid not in done_at:
                    done_at[cid] = at
        ratings = dict(s.execute(select(Rating.score, func.count())
                                 .where(Rating.at >= start, Rating.at < end)
                                 .group_by(Rating.score)).all())
    same_day = sum(1 for r in callbacks
                   if r.handled_at is not None and local_day(r.handled_at)
                   == local_day(r.created_at))
    in_time = sum(1 for r in callbacks if r.id in done_at and
                  (local_day(done_at[r.id]) - local_day(r.created_at)).days <= RECOMMEND_DAYS)
    return Figures(
        period=period, first_day=first, last_day=last,
        events={str(k): int(n) for k, n in events.items()}, signups=signups,
        registrations=sum(int(n) for _, n, _ in by_town),
        startup_registrations=sum(int(n) for _, _, n in by_town),
        registrations_by_town=tuple(sorted(((str(t), int(n)) for t, n, _ in by_town if t),
                                           key=lambda tn: (-tn[1], tn[0]))),
        applications_by_policy=tuple(sorted(((str(p), int(n)) for p, n in by_policy),
                                            key=lambda pn: (-pn[1], pn[0]))),
        callbacks=len(callbacks), callbacks_contacted_same_day=same_day,
        callbacks_recommended_in_time=in_time,
        ratings={int(k): int(n) for k, n in ratings.items()},
        daily_visits=_series(period, first, last, visit_times))


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _series(period: str, first: date, last: date,
            times: Iterable[datetime]) -> tuple[tuple[date, int], ...]:
    """Visits per day (per hour, as (day, hour) labels, for today)."""
    local = [(t if t.tzinfo else t.replace(tzinfo=UTC)).astimezone() for t in times]
    if period == "today":
        hours = Counter(t.hour for t in local)
        return tuple((first, hours.get(h, 0)) for h in range(24))
    days = Counter(t.date() for t in local)
    n = (last - first).days + 1
    return tuple((first + timedelta(days=i), days.get(first + timedelta(days=i), 0))
                 for i in range(n))


def all_periods(db: Database, *, now: datetime | None = None) -> list[Figures]:
    return [compute_figures(db, p, now=now) for p in PERIODS]


def figures_csv(figures: Sequence[Figures], station: str) -> str:
    """One table: a row per figure, a column per period (Excel opens it: UTF-8 with BOM)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["站点", station])
    writer.writerow(["指标", *(f"{f.label}（{f.first_day}～{f.last_day}）" for f in figures)])
    labels = [label for label, _ in figures[0].rows()] if figures else []
    values = [dict(f.rows()) for f in figures]
    for label in labels:
        writer.writerow([label, *(v[label] for v in values)])
    policies = sorted({p for f in figures for p, _ in f.applications_by_policy})
    for policy in policies:
        writer.writerow([f"政策申请：{policy}",
                         *(dict(f.applications_by_policy).get(policy, 0) for f in figures)])
    towns = towns_by_code()
    for code in sorted({t for f in figures for t, _ in f.registrations_by_town}):
        name = towns[code].name if code in towns else code
        writer.writerow([f"求职登记：{name}",
                         *(dict(f.registrations_by_town).get(code, 0) for f in figures)])
    writer.writerow(["满意率（%）", *("" if f.satisfied_percent is None else f.satisfied_percent
                                     for f in figures)])
    return out.getvalue()


def removable_mounts(roots: Sequence[Path] = REMOVABLE_ROOTS, *,
                     is_mount: Callable[[Path], bool] = os.path.ismount) -> list[Path]:
    """Writable folders where a USB drive is mounted: ``/media/<user>/<label>``,
    ``/media/<label>`` and ``/run/media/<user>/<label>`` (two levels below each root).

    Only mount points count: an empty folder left under /media by an unclean unplug is not
    a drive, and a CSV written there would fill the kiosk's own disk instead."""
    found: list[Path] = []
    for root in roots:
        try:
            children = sorted(p for p in root.iterdir() if p.is_dir())
        except OSError:
            continue
        for child in children:
            if is_mount(child):
                found.append(child)
                continue
            try:
                found += sorted(p for p in child.iterdir() if p.is_dir() and is_mount(p))
            except OSError:
                continue
    return [p for p in found if os.access(p, os.W_OK)]


def export_csv(text: str, folder: Path, name: str) -> Path:
    """Write ``text`` as ``folder/name`` (UTF-8 with BOM) via a temporary file, so a pulled
    drive never holds half a file under the real name."""
    path = folder / name
    tmp = folder / f".{name}.part"
    try:
        tmp.write_text(text, encoding="utf-8-sig", newline="")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    return path


def export_figures(db: Database, folder: Path, station_code: str, station_name: str, *,
                   now: datetime | None = None) -> Path:
    now = now or datetime.now(UTC)
    text = figures_csv(all_periods(db, now=now), station_name)
    name = f"乐业西青统计-{station_code}-{now.astimezone():%Y%m%d-%H%M}.csv"
    return export_csv(text, folder, name)
