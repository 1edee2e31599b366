"""招聘活动 · 培训 · 创业 in English: the screens speak English around the content, and what is
stored and printed stays Chinese.

The language is switched before the UI is built (the window builds its resident screens in the
language of the moment; tests/conftest.py puts Chinese back after each test). "No Chinese but
data" is checked run by run: every run of Chinese characters left on a screen must come from
the content the screen shows (titles, places, employers, towns, bios...), never from the
kiosk's own words.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from test_ui_activities import (  # the activities UI tests' fixtures and finger
    TODAY,
    _fixed_today,  # noqa: F401  (autouse: the demo month's day)
    open_from_hub,
    open_hub,
    open_later_event,
    submit,
    tap,
    type_phone,
    ui_demo_db,  # noqa: F401  (fixture: the demo month, for make_ui)
)
from ui_support import (
    CARD,
    pdf_text,
    read_card,
    rows,
    screen_of,
    settled,
    showing,
    texts,
    visible_texts,
)

from kiosk.activities.catalogue import ActivityCatalogue
from kiosk.activities.submissions import my_activities
from kiosk.i18n import set_language
from kiosk.jobs.towns import load_towns
from kiosk.store.models import EventRegistration, MentorRequest
from ui.launch import KioskUi

CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


@pytest.fixture
def english(make_ui: Callable[..., KioskUi]) -> KioskUi:
    """The kiosk with its resident screens built in English."""
    set_language("en")  # before the screens are built: they take their words then
    return make_ui()


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _strings(item)


def content(ui: KioskUi) -> str:
    """Everything the activities screens may show as it comes: the catalogue's entities, the
    jobs they feature, town names, the station, the policies' names."""
    services = ui.window.services
    catalogue = ActivityCatalogue(services.db, lambda: TODAY)
    entities: list[Any] = [*catalogue.events(), *catalogue.live_today(),
                           *catalogue.live_upcoming(), *catalogue.courses(),
                           *catalogue.projects(), *catalogue.mentors(),
                           *catalogue.announcements()]
    job_ids = [j for e in entities for j in getattr(e, "job_ids", ())]
    jobs = [(j.title, j.employer_name, j.town_label) for j in catalogue.jobs_for(job_ids)]
    station = services.config.station
    parts = [*_strings(entities), *_strings(jobs), *(t.name for t in load_towns()),
             station.name, station.address, station.hours,
             *(p.name for p in services.policies.current.policies)]
    return "\n".join(parts)


def kiosk_chinese(widget: QWidget, data: str) -> list[str]:
    """Visible texts holding Chinese that is not content (should be none in English)."""
    return [t for t in visible_texts(widget)
            if any(run not in data for run in CJK_RUN.findall(t))]


def test_hub_and_every_list_in_english(english: KioskUi, qtbot: QtBot) -> None:
    ui = english
    data = content(ui)
    hub = open_hub(ui, qtbot)
    assert [t.title_label.text() for t in hub.tiles.values()] == [
        "Job fairs", "Live hiring", "Training", "Start a business", "Notices"]
    assert hub.tiles["events"].sub_label.text().startswith("Coming up: ")
    assert kiosk_chinese(hub, data) == []
    expected = {"events": "Events: ", "live": "Watch", "training": "Courses: ",
                "entrepreneur": "Business ideas: ", "announcements": "Read all"}
    for key, words in expected.items():
        screen = open_from_hub(ui, qtbot, key)
        assert screen.list.cards, key
        assert any(words in t for t in visible_texts(screen)), (key, visible_texts(screen))
        assert kiosk_chinese(screen, data) == [], key
        tap(qtbot, ui.window.nav.back)
    # the events' pickers and the mentors' library
    events = open_from_hub(ui, qtbot, "events")
    tap(qtbot, events.kind_button)
    assert events.picker.title.text() == "Choose a type of event"
    assert events.picker.chips.chips["招聘会"].text() == "Job fair"  # the value stays Chinese
    events.picker.close_picker()
    library = open_from_hub(ui, qtbot, "entrepreneur")
    tap(qtbot, library.tab_chips["mentors"])
    settled(qtbot, library)
    assert library.list.status.text().startswith("Mentors: ")
    assert kiosk_chinese(library, data) == []


def test_event_sign_up_in_english_keeps_the_record_and_slip_chinese(
        english: KioskUi, qtbot: QtBot, tmp_path: Path) -> None:
    ui = english
    data = content(ui)
    read_card(ui, qtbot, CARD)
    event, detail = open_later_event(ui, qtbot)
    page = visible_texts(detail)
    assert "When and where" in page and "Sign up" in page and "Organiser" in page
    assert event.title in page  # content as published
    assert kiosk_chinese(detail, data) == []
    tap(qtbot, detail.join_button)
    flow = screen_of(ui, "event_signup")
    type_phone(ui, qtbot, flow)
    assert flow.question.text() == "Please check these details"
    assert "What will be shared" in texts(flow) and "138 1234 5678" in texts(flow)
    assert kiosk_chinese(flow, data + "\n李*兰") == []
    submit(ui, qtbot, flow)
    assert flow.submitted is not None
    assert "You have applied" in texts(flow)
    (row,) = rows(ui, EventRegistration)
    assert row.event_title == event.title
    (slip,) = (tmp_path / "printed").glob("*.pdf")
    assert "活动" in pdf_text(slip)  # the printed slip is an official record: Chinese
    # 我的申请's words for it, made in the resident's language
    (record,) = my_activities(ui.window.services.db, row.resident_key)
    assert record.status.startswith("Signed up: ") and record.title == event.title


def test_mentor_request_in_english_submits_the_chinese_words(
        english: KioskUi, qtbot: QtBot) -> None:
    ui = english
    read_card(ui, qtbot, CARD)
    library = open_from_hub(ui, qtbot, "entrepreneur")
    tap(qtbot, library.tab_chips["mentors"])
    settled(qtbot, library)
    tap(qtbot, library.list.cards[0].open_button)
    detail = screen_of(ui, "mentor_detail")
    settled(qtbot, detail)
    assert detail.book_button.text() == "Book a mentor"
    assert "How to book" in visible_texts(detail)
    tap(qtbot, detail.book_button)
    flow = screen_of(ui, "mentor_request")
    type_phone(ui, qtbot, flow)
    topics = flow.chips["topic"]
    assert topics.chip("资金").text() == "Loans and subsidies"
    tap(qtbot, topics.chip("资金"))
    tap(qtbot, flow.next_button)
    tap(qtbot, flow.chips["time"].chip("周末"))
    tap(qtbot, flow.next_button)
    summary = texts(flow)
    assert "Loans and subsidies" in summary and "Weekends" in summary
    assert flow.next_button.text() == "Confirm booking"
    submit(ui, qtbot, flow)
    assert "Booking sent" in texts(flow)
    (row,) = rows(ui, MentorRequest)
    assert row.topic == "贷款和创业补贴" and row.preferred_time == "周末"  # staff read Chinese
    (record,) = my_activities(ui.window.services.db, row.resident_key)
    assert record.title.endswith("(Loans and subsidies)")


def test_full_course_and_notice_in_english(english: KioskUi, qtbot: QtBot) -> None:
    ui = english
    data = content(ui)
    training = open_from_hub(ui, qtbot, "training")
    index = next(i for i, o in enumerate(training.offers) if o.full)
    assert any("waiting list" in t for t in training.list.cards[index].texts())
    tap(qtbot, training.list.cards[index].open_button)
    detail = screen_of(ui, "course_detail")
    settled(qtbot, detail)
    assert detail.signup_button.text() == "Join waiting list"
    assert "Schedule" in visible_texts(detail)
    assert kiosk_chinese(detail, data) == []
    # the attract loop: its tag line in English, the notice itself as published
    ui.window.home()
    attract = ui.window.home_screen.attract
    qtbot.waitUntil(lambda: bool(attract.items), timeout=5000)
    assert attract.tag.text().endswith("tap to see")
    shown = attract.current()
    assert shown is not None
    tap(qtbot, attract)
    notice = screen_of(ui, shown.target)
    settled(qtbot, notice)
    assert kiosk_chinese(notice, data) == []
    assert showing(ui, "announcement_detail") or showing(ui, "event_detail") or \
        showing(ui, "live_detail")


def test_dates_money_and_seats_in_english() -> None:
    from ui.widgets.activity_text import (
        date_range,
        day_text,
        investment_text,
        seats_text,
        short_day,
        yuan,
    )

    set_language("en")
    assert day_text(TODAY, TODAY) == "Today, Thu 26 Nov"
    assert day_text(date(2026, 11, 27), TODAY) == "Tomorrow, Fri 27 Nov"
    assert short_day(date(2026, 12, 1), TODAY) == "1 Dec"
    assert date_range(date(2026, 12, 2), date(2026, 12, 11)) == "2 Dec – 11 Dec 2026"
    assert yuan(15000) == "¥15,000" and investment_text(5000, 20000) == "¥5,000—¥20,000"
    assert seats_text(5, 30) == "5 of 30 places left"
    assert CJK_RUN.search(seats_text(0, 30)) is None
