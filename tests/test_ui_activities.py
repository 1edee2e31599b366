"""招聘活动 · 培训 · 创业 through the real window, by tapping.

Real SQLite with the demo jobs catalogue and the demo activities month (made once per module
for a fixed day and copied into each test's KIOSK_HOME), the real catalogue and submissions,
real PDFs from the PDF-folder printer, the real outbox. Events and sessions are chosen on later
days than today, so the wall clock (the catalogue's time of day) never decides a test.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import ui_support
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from ui_support import (
    CARD,
    ID_NUMBER,
    build_demo_db,
    fixed_today,
    pdf_text,
    read_card,
    rows,
    screen_of,
    settled,
    showing,
    texts,
)

from kiosk.activities.catalogue import ActivityCatalogue
from kiosk.activities.model import AttractItem
from kiosk.store.models import CourseSignup, EventRegistration, MentorRequest, OutboxRecord
from ui.launch import KioskUi
from ui.screens.activities_screen import HUB_TILES

TODAY = date(2026, 11, 26)
PHONE = "13812345678"

_fixed_today = fixed_today(TODAY)
# This module's finger: up to 3 s to show; the scroll gesture goes whenever the widget is in
# a scroll area.
tap = partial(ui_support.tap, timeout_ms=3000, check_enabled=False, ungrab="always")


@pytest.fixture(scope="module")
def ui_demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database with jobs and the activities month, generated once (about 1.5 s)."""
    return build_demo_db(tmp_path_factory.mktemp("activities"), TODAY, activities=True)


# -- helpers ------------------------------------------------------------------------------

def open_hub(ui: KioskUi, qtbot: QtBot) -> Any:
    tap(qtbot, ui.window.home_screen.activities_button)
    assert showing(ui, "activities")
    hub = screen_of(ui, "activities")
    settled(qtbot, hub)
    return hub


def open_from_hub(ui: KioskUi, qtbot: QtBot, key: str) -> Any:
    if not showing(ui, "activities"):
        ui.window.home()
        open_hub(ui, qtbot)
    tap(qtbot, screen_of(ui, "activities").tiles[key])
    assert showing(ui, key)
    screen = screen_of(ui, key)
    settled(qtbot, screen)
    return screen


def type_phone(ui: KioskUi, qtbot: QtBot, flow: Any, phone: str = PHONE) -> None:
    qtbot.waitUntil(lambda: flow._step == "phone" and flow.phone_entry.isVisible(),
                    timeout=5000)
    flow.phone_entry.type_digits(phone)
    button = flow.phone_entry.keypad.buttons["下一步"]
    tap(qtbot, button)


def submit(ui: KioskUi, qtbot: QtBot, flow: Any) -> None:
    assert flow._step == "confirm"
    tap(qtbot, flow.next_button)
    qtbot.waitUntil(lambda: flow.submitted is not None or flow._step == "done", timeout=5000)
    receipts = ui.window.receipts
    qtbot.waitUntil(lambda: receipts.overlay.ok.isVisible() or not receipts.overlay.isVisible(),
                    timeout=10_000)


def first_later_event(events_screen: Any) -> int:
    """The index of the first listed event that starts after today (not online)."""
    for i, event in enumerate(events_screen.shown_events()):
        if event.starts_at.date() > TODAY and not event.online_url:
            return i
    raise AssertionError("the demo month has no later event")


def open_later_event(ui: KioskUi, qtbot: QtBot) -> tuple[Any, Any]:
    """Tap the first event after today in 招聘活动: the event and its loaded detail screen
    (a later day, so the time of day never closes its sign-up)."""
    events = open_from_hub(ui, qtbot, "events")
    index = first_later_event(events)
    event = events.shown_events()[index]
    tap(qtbot, events.list.cards[index].open_button)
    detail = screen_of(ui, "event_detail")
    settled(qtbot, detail)
    return event, detail


# -- the hub ------------------------------------------------------------------------------

def test_home_entry_and_hub_open_every_screen_by_tapping(make_ui: Callable[..., KioskUi],
                                                         qtbot: QtBot) -> None:
    ui = make_ui()
    home = ui.window.home_screen
    assert len(home.tiles) == 6  # the six services stay; the entry is a button of its own
    hub = open_hub(ui, qtbot)
    assert [t.title_label.text() for t in hub.tiles.values()] == [t for _, t, _ in HUB_TILES]
    assert "场" in hub.tiles["events"].sub_label.text()  # the counts arrived
    for key, _title, _sub in HUB_TILES:
        screen = open_from_hub(ui, qtbot, key)
        assert screen.list.cards, f"{key}: nothing listed"
        tap(qtbot, ui.window.nav.back)
        assert showing(ui, "activities")


def test_events_filter_by_day_kind_and_town(make_ui: Callable[..., KioskUi],
                                            qtbot: QtBot) -> None:
    ui = make_ui()
    events = open_from_hub(ui, qtbot, "events")
    everything = list(events.shown_events())
    assert all(e.ends_at.date() >= TODAY for e in everything)  # past events are gone
    # a day chip: only that day's events, and the chip said how many there are
    day_value, day_text = events.days.options[1]
    tap(qtbot, events.days.chip(day_value))
    day = date.fromisoformat(day_value)
    shown = events.shown_events()
    assert shown and all(e.starts_at.date() <= day <= e.ends_at.date() for e in shown)
    assert f"{len(shown)}场" in day_text
    assert len(events.list.cards) == len(shown)
    tap(qtbot, events.clear_button)
    settled(qtbot, events)
    # 类型: the picker shows at most six choices
    tap(qtbot, events.kind_button)
    assert events.picker.isVisible()
    assert len(events.picker.options()) + (events.picker.chips.page_count > 1) <= 6
    kind = everything[0].kind
    while kind not in events.picker.options():
        tap(qtbot, events.picker.chips.more)
    tap(qtbot, events.picker.chips.chips[kind])
    settled(qtbot, events)
    assert events.shown_events() and all(e.kind == kind for e in events.shown_events())
    assert kind in events.kind_button.text()
    # 街镇 by the map: the map counts the events per town and a tap filters the list
    tap(qtbot, events.clear_button)
    settled(qtbot, events)
    tap(qtbot, events.map_button)
    assert showing(ui, "events_map")
    events_map = screen_of(ui, "events_map")
    settled(qtbot, events_map)
    counts = events_map.map.counts
    town = max(counts, key=lambda c: counts[c])
    events_map._tapped(town)  # the map's town_tapped, as a finger on the town would
    assert showing(ui, "events")
    settled(qtbot, events)
    assert len(events.shown_events()) == counts[town]


# -- 我要参加 -------------------------------------------------------------------------------

def test_event_registration_end_to_end(make_ui: Callable[..., KioskUi], qtbot: QtBot,
                                       tmp_path: Path) -> None:
    ui = make_ui()
    read_card(ui, qtbot, CARD)
    event, detail = open_later_event(ui, qtbot)
    assert showing(ui, "event_detail")
    page = texts(detail)
    assert event.title in page and event.organiser in page
    assert event.employers[0].name in page  # the employers taking part, with their jobs
    assert detail.body.qr.data.endswith(f"event/{event.id}")
    tap(qtbot, detail.join_button)
    flow = screen_of(ui, "event_signup")
    assert showing(ui, "event_signup")
    type_phone(ui, qtbot, flow)
    assert flow._step == "confirm"
    summary = texts(flow)
    assert event.title in summary and "138 1234 5678" in summary
    assert ID_NUMBER not in summary and "李*兰" in summary  # masked, never the full number
    submit(ui, qtbot, flow)
    assert flow.submitted is not None
    number = flow.submitted.number
    assert number in texts(flow)
    (row,) = rows(ui, EventRegistration)
    assert row.event_id == event.id and row.number == number
    (record,) = [r for r in rows(ui, OutboxRecord) if r.kind == "event_registration"]
    assert number in record.body
    (slip,) = (tmp_path / "printed").glob("*.pdf")
    text = pdf_text(slip)
    assert number in text and ID_NUMBER not in text
    # the same event again: refused kindly, nothing stored twice
    ui.window.receipts.overlay.hide()
    tap(qtbot, ui.window.nav.back)
    assert showing(ui, "event_detail")
    tap(qtbot, detail.join_button)
    type_phone(ui, qtbot, flow)
    tap(qtbot, flow.next_button)
    qtbot.waitUntil(lambda: "报过名" in texts(flow), timeout=5000)
    assert len(rows(ui, EventRegistration)) == 1
    # 我的申请 lists it with the resident's other records
    ui.window.show_screen("my_applications")
    mine = screen_of(ui, "my_applications")
    qtbot.waitUntil(lambda: number in texts(mine), timeout=5000)
    assert "活动报名" in texts(mine) and event.title in texts(mine)


def test_signing_up_without_a_card_asks_for_it_and_carries_on(
        make_ui: Callable[..., KioskUi], qtbot: QtBot) -> None:
    ui = make_ui()
    _event, detail = open_later_event(ui, qtbot)
    tap(qtbot, detail.join_button)
    flow = screen_of(ui, "event_signup")
    settled(qtbot, flow)
    assert flow._step == "card" and flow.card_page.isVisible()
    read_card(ui, qtbot, CARD)  # the window greets the card on home; the flow brings them back
    qtbot.waitUntil(lambda: showing(ui, "event_signup") and flow._step == "phone",
                    timeout=5000)
    tap(qtbot, ui.window.nav.back)  # 返回 leads to the event, as before the card
    assert showing(ui, "event_detail")


# -- training -----------------------------------------------------------------------------

def test_full_course_offers_the_waiting_list(make_ui: Callable[..., KioskUi], qtbot: QtBot
                                             ) -> None:
    ui = make_ui()
    read_card(ui, qtbot, CARD)
    training = open_from_hub(ui, qtbot, "training")
    full = [i for i, o in enumerate(training.offers) if o.full]
    assert full, "the demo has a full course"
    offer = training.offers[full[0]]
    assert "候补" in "\n".join(training.list.cards[full[0]].texts())
    tap(qtbot, training.list.cards[full[0]].open_button)
    detail = screen_of(ui, "course_detail")
    settled(qtbot, detail)
    assert detail.signup_button.text() == "加入候补名单"
    if offer.course.policy_id:  # the training subsidy decided for this resident
        assert detail.subsidy is not None
        assert detail.subsidy.decision.policy == offer.course.policy_id
    tap(qtbot, detail.signup_button)
    flow = screen_of(ui, "course_signup")
    type_phone(ui, qtbot, flow)
    assert "候补" in texts(flow)  # the confirmation says it before anything is sent
    submit(ui, qtbot, flow)
    assert flow.submitted is not None and flow.submitted.waitlisted
    assert "候补" in texts(flow)
    (row,) = rows(ui, CourseSignup)
    assert row.status == "waitlist" and row.course_id == offer.course.id
    assert [r.kind for r in rows(ui, OutboxRecord)] == ["course_signup"]


def test_course_with_seats_signs_up(make_ui: Callable[..., KioskUi], qtbot: QtBot) -> None:
    ui = make_ui()
    read_card(ui, qtbot, CARD)
    training = open_from_hub(ui, qtbot, "training")
    index = next(i for i, o in enumerate(training.offers) if not o.full)
    before = training.offers[index].seats_left
    tap(qtbot, training.list.cards[index].open_button)
    detail = screen_of(ui, "course_detail")
    settled(qtbot, detail)
    assert detail.signup_button.text() == "我要报名"
    tap(qtbot, detail.signup_button)
    flow = screen_of(ui, "course_signup")
    type_phone(ui, qtbot, flow)
    submit(ui, qtbot, flow)
    assert flow.submitted is not None and not flow.submitted.waitlisted
    ui.window.receipts.overlay.hide()
    tap(qtbot, ui.window.nav.back)  # the detail counts the seat just taken
    settled(qtbot, detail)
    assert detail.offer is not None and detail.offer.seats_left == before - 1


# -- 创业 ----------------------------------------------------------------------------------

def test_mentor_request(make_ui: Callable[..., KioskUi], qtbot: QtBot) -> None:
    ui = make_ui()
    read_card(ui, qtbot, CARD)
    library = open_from_hub(ui, qtbot, "entrepreneur")
    assert "投资" in "\n".join(library.list.cards[0].texts())  # projects first
    tap(qtbot, library.tab_chips["mentors"])
    settled(qtbot, library)
    mentor = library.items[0]
    tap(qtbot, library.list.cards[0].open_button)
    detail = screen_of(ui, "mentor_detail")
    settled(qtbot, detail)
    assert mentor.bio in texts(detail)
    tap(qtbot, detail.book_button)
    flow = screen_of(ui, "mentor_request")
    type_phone(ui, qtbot, flow)
    assert flow._step == "topic"
    topics = flow.chips["topic"]
    tap(qtbot, topics.chip("资金"))
    tap(qtbot, flow.next_button)
    assert flow._step == "time"
    tap(qtbot, flow.chips["time"].chip("周末"))
    tap(qtbot, flow.next_button)
    assert flow._step == "confirm"
    assert "贷款和创业补贴" in texts(flow) and "周末" in texts(flow)
    tap(qtbot, ui.window.nav.back)  # 返回 inside the flow: one step back, choices kept
    assert flow._step == "time" and flow.chips["time"].selected() == ["周末"]
    tap(qtbot, flow.next_button)
    submit(ui, qtbot, flow)
    (row,) = rows(ui, MentorRequest)
    assert row.mentor_id == mentor.id
    assert row.topic == "贷款和创业补贴" and row.preferred_time == "周末"
    assert [r.kind for r in rows(ui, OutboxRecord)] == ["mentor_request"]


def test_project_filters(make_ui: Callable[..., KioskUi], qtbot: QtBot) -> None:
    ui = make_ui()
    library = open_from_hub(ui, qtbot, "entrepreneur")
    everything = list(library.items)
    tap(qtbot, library.budget_button)
    picker = library.picker
    tap(qtbot, picker.chips.chips["10000"])
    settled(qtbot, library)
    assert library.items and all(p.investment_min <= 10_000 for p in library.items)
    assert len(library.items) < len(everything)
    tap(qtbot, library.clear_button)
    settled(qtbot, library)
    assert len(library.items) == len(everything)


# -- announcements and the attract loop ----------------------------------------------------

def test_attract_loop_shows_the_urgent_notice_first(make_ui: Callable[..., KioskUi],
                                                    qtbot: QtBot) -> None:
    ui = make_ui()
    home = ui.window.home_screen
    attract = home.attract
    qtbot.waitUntil(lambda: bool(attract.items), timeout=5000)
    # at eight in the morning, so today's events have not ended whenever the test runs
    morning = ActivityCatalogue(ui.window.services.db, lambda: TODAY,
                                now=lambda: datetime(2026, 11, 26, 8, 0))
    attract.set_source(ui.ops, lambda _now: morning.attract_items(morning.now()))
    qtbot.waitUntil(lambda: any(i.kind == "event" for i in attract.items), timeout=5000)
    first = attract.current()
    assert first is not None and first.urgent and first.kind == "announcement"
    assert attract.isVisible() and home.card_prompt.isVisible()
    assert not attract.geometry().intersects(home.card_prompt.geometry())
    kinds = {item.kind for item in attract.items}
    assert {"announcement", "event"} <= kinds  # today's events take turns too
    for _ in range(3):  # the urgent notice comes back every other turn
        attract.advance()
        shown = attract.current()
        assert shown is not None and not shown.urgent
        attract.advance()
        assert attract.current() == first
    tap(qtbot, attract)
    assert showing(ui, "announcement_detail")
    detail = screen_of(ui, "announcement_detail")
    settled(qtbot, detail)
    assert detail.notice is not None and detail.notice.urgent
    assert detail.notice.title in texts(detail)
    # the list: urgent first, marked in words
    ui.window.home()
    notices = open_from_hub(ui, qtbot, "announcements")
    assert "紧急" in "\n".join(notices.list.cards[0].texts())


def test_attract_schedule_and_pause() -> None:
    from ui.widgets.attract_loop import schedule

    def item(title: str, urgent: bool = False) -> AttractItem:
        return AttractItem("announcement", title, "", "announcement_detail", title, urgent)

    items = [item("u", True), item("a"), item("b"), item("c")]
    assert [items[i].title for i in schedule(items)] == ["u", "a", "u", "b", "u", "c"]
    assert schedule([item("a"), item("b")]) == [0, 1]
    assert schedule([item("u", True)]) == [0]


def test_live_session_has_a_qr_and_featured_jobs(make_ui: Callable[..., KioskUi],
                                                  qtbot: QtBot) -> None:
    ui = make_ui()
    live = open_from_hub(ui, qtbot, "live")
    index = next(i for i, s in enumerate(live.sessions) if s.starts_at.date() > TODAY)
    session = live.sessions[index]
    tap(qtbot, live.list.cards[index].open_button)
    detail = screen_of(ui, "live_detail")
    settled(qtbot, detail)
    assert detail.body.qr.data == session.stream_url
    jobs = [b for b in detail.body.list.findChildren(QWidget)
            if b.metaObject().className() == "KioskButton" and b.isVisibleTo(detail)]
    assert jobs, "the featured jobs are listed"
    tap(qtbot, jobs[0])
    assert showing(ui, "job_detail")
    tap(qtbot, ui.window.nav.back)
    assert showing(ui, "live_detail")
    # the attract loop's target for a session is the list, which opens the session itself
    ui.window.home()
    ui.window.show_screen("live", item_id=live.sessions[-1].id)
    assert showing(ui, "live_detail")
    settled(qtbot, detail)
    assert detail.session == live.sessions[-1]
    tap(qtbot, ui.window.nav.back)
    assert showing(ui, "live")


# -- forgetting ---------------------------------------------------------------------------

def test_leaving_forgets_the_resident(make_ui: Callable[..., KioskUi], qtbot: QtBot) -> None:
    ui = make_ui()
    read_card(ui, qtbot, CARD)
    training = open_from_hub(ui, qtbot, "training")
    index = next(i for i, o in enumerate(training.offers) if o.course.policy_id)
    tap(qtbot, training.list.cards[index].open_button)
    detail = screen_of(ui, "course_detail")
    settled(qtbot, detail)
    assert detail.subsidy is not None  # a decision about this resident is on screen
    tap(qtbot, detail.signup_button)
    flow = screen_of(ui, "course_signup")
    type_phone(ui, qtbot, flow)
    assert "138 1234 5678" in texts(flow)
    ui.window.end_session()  # 退出 / idle timeout
    for name in ("course_detail", "course_signup", "event_signup", "mentor_request",
                 "events", "entrepreneur"):
        screen = screen_of(ui, name)
        shown = texts(screen)
        assert "138 1234 5678" not in shown and "李*兰" not in shown, name
    assert detail.subsidy is None and detail.offer is None
    assert flow.phone == "" and flow.phone_entry.digits() == ""
    assert ui.window.home_screen.attract.paused is False
