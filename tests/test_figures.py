"""Station figures: counts per day, week and month from the real tables, and the CSV export."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.callbacks import mark_callback
from kiosk.figures import (
    all_periods,
    compute_figures,
    export_figures,
    figures_csv,
    period_days,
    removable_mounts,
)
from kiosk.jobs.matching import SeekerPreferences
from kiosk.ratings import store_rating
from kiosk.store.models import (
    Application,
    CallbackRequest,
    JobSignup,
    SeekerRegistration,
    UsageEvent,
)

# Wednesday 15 May 2024, noon at the kiosk (whatever its time zone).
NOW = datetime(2024, 5, 15, 12, 0).astimezone().astimezone(UTC)


def _at(days_ago: int, hour: int = 10) -> datetime:
    local = datetime(2024, 5, 15, hour, 0) - timedelta(days=days_ago)
    return local.astimezone().astimezone(UTC)


def test_period_days() -> None:
    wednesday = date(2024, 5, 15)
    assert period_days("today", wednesday) == (wednesday, wednesday)
    assert period_days("week", wednesday) == (date(2024, 5, 13), wednesday)
    assert period_days("month", wednesday) == (date(2024, 5, 1), wednesday)
    with pytest.raises(ValueError, match="period"):
        period_days("year", wednesday)


def _seed(db: Any) -> None:
    with db.write() as s:
        for days_ago, n in ((0, 3), (1, 2), (5, 4), (20, 1)):  # today, Tue, 10 May, 25 Apr
            for _ in range(n):
                s.add(UsageEvent(kind="visit", at=_at(days_ago)))
        s.add(UsageEvent(kind="identified", at=_at(0)))
        s.add(UsageEvent(kind="search", at=_at(1)))
        s.add(JobSignup(number="S1", token="s1", resident_key="k", job_id="j", job_title="保洁",
                        employer_name="某公司", consent=True, created_at=_at(0)))
        for i, (policy, days_ago) in enumerate((("灵活就业社保补贴", 0), ("灵活就业社保补贴", 1),
                                                ("一次性创业补贴", 6))):
            s.add(Application(number=f"A{i}", token=f"a{i}", resident_key="k",
                              name_masked="李*兰", id_masked="x", policy_id=f"p{i}",
                              policy_name=policy, decision="{}", rule_pack="v1",
                              created_at=_at(days_ago)))
        for i, days_ago in enumerate((0, 1, 12)):
            s.add(CallbackRequest(id=f"cb{i}", number=f"C{i}", token=f"c{i}", phone="13800000000",
                                  created_at=_at(days_ago, 9)))
    mark_callback(db, "cb0", "called", now=_at(0, 11))  # same day
    mark_callback(db, "cb1", "reached", now=_at(0, 11))  # a day late
    mark_callback(db, "cb1", "done", now=_at(0, 11))  # but recommended within 3 days
    for i, (startup, days_ago) in enumerate(((True, 0), (False, 0), (True, 3))):
        prefs = SeekerPreferences(job_types=("fulltime",), startup=startup)
        s_at = _at(days_ago)
        with db.write() as s:
            s.add(SeekerRegistration(number=f"R{i}", token=f"r{i}", resident_key=f"k{i}",
                                     name_masked="李*兰",
                                     town="zhongbei" if i == 1 else "yangliuqing",
                                     preferences=prefs.to_json(), phone="13800000000",
                                     created_at=s_at))
    store_rating(db, 3, now=_at(0))
    store_rating(db, 3, now=_at(1))
    store_rating(db, 1, now=_at(1))


def test_counts_per_period(make_services: Any) -> None:
    db = make_services().db
    _seed(db)
    today = compute_figures(db, "today", now=NOW)
    week = compute_figures(db, "week", now=NOW)
    month = compute_figures(db, "month", now=NOW)
    assert [f.events.get("visit", 0) for f in (today, week, month)] == [3, 5, 9]
    assert today.events.get("identified") == 1 and week.events.get("search") == 1
    assert (today.signups, week.signups) == (1, 1)
    assert today.applications_by_policy == (("灵活就业社保补贴", 1),)
    assert week.applications_by_policy == (("灵活就业社保补贴", 2),)
    assert month.applications_by_policy == (("灵活就业社保补贴", 2), ("一次性创业补贴", 1))
    assert (today.callbacks, week.callbacks, month.callbacks) == (1, 2, 3)
    assert week.callbacks_contacted_same_day == 1
    assert week.callbacks_recommended_in_time == 1
    assert today.ratings == {3: 1} and week.ratings == {3: 2, 1: 1}
    assert week.satisfied_percent == 67
    assert dataclasses.replace(week, ratings={}).satisfied_percent is None
    assert len(today.daily_visits) == 24 and today.daily_visits[10][1] == 3
    assert [n for _, n in week.daily_visits] == [0, 2, 3]  # Mon, Tue, Wed
    assert len(month.daily_visits) == 15 and sum(n for _, n in month.daily_visits) == 9
    rows = dict(week.rows())
    assert rows["到访人次"] == 5 and rows["政策申请"] == 2 and rows["评价：不满意"] == 1
    assert (today.registrations, today.startup_registrations) == (2, 1)
    assert (month.registrations, month.startup_registrations) == (3, 2)
    assert rows["求职登记"] == 2 and rows["其中想创业"] == 1  # Sunday is last week
    assert week.registrations_by_town == (("yangliuqing", 1), ("zhongbei", 1))
    assert month.registrations_by_town == (("yangliuqing", 2), ("zhongbei", 1))


def test_csv_export_to_a_usb_folder(make_services: Any, tmp_path: Path) -> None:
    services = make_services()
    _seed(services.db)
    text = figures_csv(all_periods(services.db, now=NOW), "杨柳青站")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["站点", "杨柳青站"]
    assert table[1][0] == "指标" and table[1][1].startswith("今日（2024-05-15")
    by_label = {row[0]: row[1:] for row in table[2:]}
    assert by_label["到访人次"] == ["3", "5", "9"]
    assert by_label["政策申请：一次性创业补贴"] == ["0", "0", "1"]
    assert by_label["求职登记：杨柳青镇"] == ["1", "1", "2"]
    assert by_label["求职登记：中北镇"] == ["1", "1", "1"]
    assert by_label["满意率（%）"] == ["100", "67", "67"]

    usb = tmp_path / "media" / "kiosk" / "U盘"
    usb.mkdir(parents=True)
    (tmp_path / "media" / "stale").mkdir()
    mounts = removable_mounts([tmp_path / "media", tmp_path / "nothing-here"],
                              is_mount=lambda p: p.name == "U盘")
    assert mounts == [usb]
    path = export_figures(services.db, usb, "XQ-YLQ-01", "杨柳青站", now=NOW)
    assert path.parent == usb and path.name.startswith("乐业西青统计-XQ-YLQ-01-")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads Chinese CSV only with the BOM
    assert raw.decode("utf-8-sig") == text
    assert not list(usb.glob(".*.part"))


def test_export_to_a_missing_drive_fails_cleanly(make_services: Any, tmp_path: Path) -> None:
    services = make_services()
    with pytest.raises(OSError):
        export_figures(services.db, tmp_path / "pulled-out", "XQ", "站")
