"""找工作 / 地图 / 岗位详情 / 报名 through the real window, by tapping.

Real SQLite with the demo catalogue (2,000 generated jobs, made once per module and copied
into each test's KIOSK_HOME), the real search, real PDFs from the PDF-folder printer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import ui_support
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScroller
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from ui_support import (
    CARD,
    ID_NUMBER,
    build_demo_db,
    fixed_today,
    pdf_text,
    read_card,
    screen_of,
    settled,
    showing,
    texts,
)
from ui_support import rows as db_rows

from kiosk.jobs.errors import AlreadySignedUp
from kiosk.jobs.matching import SeekerPreferences
from kiosk.jobs.search import JobQuery, count, get_job, search, town_counts
from kiosk.jobs.submissions import CONSENT_TEXT, register_seeker, sign_up
from kiosk.jobs.towns import distance_km
from kiosk.session import Resident
from kiosk.store.models import CallbackRequest, JobSignup, OutboxRecord, UsageEvent
from kiosk.store.models.jobs import Job
from ui.launch import KioskUi
from ui.screens.job_detail_screen import CONTACT_ROUTE
from ui.screens.signup_screen import PROMISE

TODAY = date(2026, 11, 26)
RESIDENT = Resident(id_number=ID_NUMBER, name="李秀兰", card_type="resident", gender="female",
                    birth_date=date(1974, 3, 15), card_address="天津市西青区精武镇学府路8号",
                    key="r" * 32)

_fixed_today = fixed_today(TODAY)
# This module's finger: the scroll gesture goes whenever the widget is in a scroll area.
tap = partial(ui_support.tap, check_enabled=False, ungrab="always")


@pytest.fixture(scope="module")
def ui_demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo jobs catalogue for TODAY, generated once for the module (about 1.5 s)."""
    return build_demo_db(tmp_path_factory.mktemp("catalogue"), TODAY, activities=False)


# -- helpers ------------------------------------------------------------------------------

def open_jobs(ui: KioskUi, qtbot: QtBot) -> Any:
    window = ui.window
    if window.current is window.home_screen:
        tap(qtbot, window.home_screen.tiles["jobs"])
    else:
        window.show_screen("jobs")
    screen = screen_of(ui, "jobs")
    assert showing(ui, screen)
    settled(qtbot, screen)
    return screen


def rows(screen: Any) -> list[Any]:
    model = screen.model
    return [model.job_at(i) for i in range(model.rowCount())]


def pick(qtbot: QtBot, screen: Any, key: str, value: str) -> None:
    """Open a filter's picker and tap the chip, turning pages with 更多 as a finger would."""
    tap(qtbot, screen.filter_buttons[key])
    picker = screen.picker
    assert picker.isVisible()
    for _ in range(picker.chips.page_count):
        if value in picker.options():
            break
        tap(qtbot, picker.chips.more)
    assert value in picker.options()
    assert len(picker.options()) + (picker.chips.page_count > 1) <= 6
    tap(qtbot, picker.chips.chips[value])
    assert not picker.isVisible()
    settled(qtbot, screen)


def tap_row(qtbot: QtBot, screen: Any, row: int = 0) -> None:
    view = screen.list
    QScroller.ungrabGesture(view.viewport())
    rect = view.row_rect(row)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def resident(ui: KioskUi) -> Resident:
    found = ui.window.services.session.resident
    assert found is not None
    return found


def expected(ui: KioskUi, query: JobQuery, limit: int = 40) -> tuple[list[str], int]:
    with ui.window.services.db.read() as s:
        return ([j.id for j in search(s, query, 0, limit, TODAY)], count(s, query, TODAY))


# -- 找工作 -------------------------------------------------------------------------------

def test_chip_search_shows_results(make_ui: Callable[..., KioskUi], qtbot: QtBot) -> None:
    ui = make_ui()
    screen = open_jobs(ui, qtbot)
    ids, total = expected(ui, JobQuery())
    assert total > 1000 and [j.id for j in rows(screen)] == ids  # newest first, one page
    assert screen.count_label.text() == f"共 {total} 个岗位"
    assert len(screen.popular.visible_values()) + 1 <= 6  # five chips and 更多
    tap(qtbot, screen.popular.chips["保洁"])
    settled(qtbot, screen)
    ids, total = expected(ui, JobQuery(text="保洁"))
    assert 0 < total < 1000 and [j.id for j in rows(screen)] == ids
    assert screen.count_label.text() == f"共 {total} 个岗位"
    assert screen.popular.chips["保洁"].isChecked()
    # a job-type chip on a later page: 更多 turns the page, the type filter follows
    tap(qtbot, screen.popular.more)
    tap(qtbot, screen.popular.more)
    tap(qtbot, screen.popular.chips["兼职"])
    settled(qtbot, screen)
    assert {j.job_type for j in rows(screen)} == {"parttime"}
    assert screen.filter_buttons["job_type"].text() == "类型：兼职"
    with ui.window.services.db.read() as s:
        searches = s.scalars(select(UsageEvent).where(UsageEvent.kind == "search")).all()
    assert len(searches) == 2  # two taps, two searches; opening the screen is not one


def test_a_typed_keyword_searches_and_is_not_counted_by_name(
        make_ui: Callable[..., KioskUi], qtbot: QtBot) -> None:
    ui = make_ui()
    screen = open_jobs(ui, qtbot)
    tap(qtbot, screen.keyword_button)
    panel = ui.extras["text_entry"]
    assert panel.isVisible()
    panel.keyboard.type_letter("b")  # initials: bj finds 保洁员
    panel.keyboard.type_letter("j")
    tap(qtbot, panel.keyboard.ok)
    assert not panel.isVisible()
    settled(qtbot, screen)
    ids, total = expected(ui, JobQuery(text="bj"))
    assert total > 0 and [j.id for j in rows(screen)] == ids
    assert screen.keyword_button.text() == "关键词：bj"
    with ui.window.services.db.read() as s:
        details = s.scalars(select(UsageEvent.detail).where(UsageEvent.kind == "search")).all()
    assert details == ["typed"]  # what someone typed never reaches the figures
    tap(qtbot, screen.clear_button)
    settled(qtbot, screen)
    assert screen.keyword_button.text() == "输入关键词"


def test_filters_and_sorts_change_the_list(make_ui: Callable[..., KioskUi],
                                           qtbot: QtBot) -> None:
    ui = make_ui()
    screen = open_jobs(ui, qtbot)
    pick(qtbot, screen, "town", "dasi")
    assert rows(screen) and {j.town for j in rows(screen)} == {"dasi"}
    assert screen.filter_buttons["town"].text() == "街镇：大寺镇"
    pick(qtbot, screen, "salary", "5000")
    assert rows(screen) and all((j.salary_max or 0) >= 5000 for j in rows(screen))
    ids, _ = expected(ui, JobQuery(town="dasi", salary_floor=5000))
    assert [j.id for j in rows(screen)] == ids
    pick(qtbot, screen, "industry", "community_service")  # on the picker's third page
    assert all(j.industry == "community_service" for j in rows(screen))
    pick(qtbot, screen, "industry", "")  # 不限
    tap(qtbot, screen.sort_chips["salary"])
    settled(qtbot, screen)
    pays = [j.salary_max or 0 for j in rows(screen)]
    assert pays == sorted(pays, reverse=True)
    tap(qtbot, screen.clear_button)
    settled(qtbot, screen)
    assert not screen.clear_button.isVisible()
    # 离我近 = the station's town without a card (杨柳青镇), the card's town with one (精武镇)
    tap(qtbot, screen.sort_chips["distance"])
    settled(qtbot, screen)
    assert rows(screen)[0].town == "yangliuqing"
    read_card(ui, qtbot, CARD)  # the same person goes on: 离我近 now starts from their own town
    screen = open_jobs(ui, qtbot)
    assert screen.sort_chips["distance"].isChecked()
    got = [distance_km("jingwu", j.town) for j in rows(screen)]
    assert rows(screen)[0].town == "jingwu" and got == sorted(got)
    pick(qtbot, screen, "town", "@near")
    assert {j.town for j in rows(screen)} == {"jingwu"}
    assert screen.filter_buttons["town"].text() == "街镇：离我近"


def test_scrolling_reads_more_pages_on_the_worker(make_ui: Callable[..., KioskUi],
                                                  qtbot: QtBot) -> None:
    ui = make_ui()
    screen = open_jobs(ui, qtbot)
    first = screen.model.rowCount()
    assert first == 40
    bar = screen.list.verticalScrollBar()
    bar.setValue(bar.maximum())  # the finger reaches the end of the list
    qtbot.waitUntil(lambda: screen.model.rowCount() > first, timeout=5000)
    ids, _ = expected(ui, JobQuery(), limit=screen.model.rowCount())
    assert [j.id for j in rows(screen)] == ids


def test_map_tap_filters_by_town(make_ui: Callable[..., KioskUi], qtbot: QtBot) -> None:
    ui = make_ui()
    screen = open_jobs(ui, qtbot)
    tap(qtbot, screen.popular.chips["保洁"])
    settled(qtbot, screen)
    tap(qtbot, screen.map_button)
    map_screen = screen_of(ui, "job_map")
    assert showing(ui, map_screen)
    settled(qtbot, map_screen)
    with ui.window.services.db.read() as s:
        want = town_counts(s, JobQuery(text="保洁"), TODAY)
    assert map_screen.map.counts == want
    assert f"{want['jingwu']}个岗位" in map_screen.map.label_lines("jingwu")
    assert "示意" in map_screen.note.text()
    widget = map_screen.map
    tap(qtbot, widget, widget.label_rect("jingwu").center().toPoint())
    assert showing(ui, screen)
    settled(qtbot, screen)
    assert screen.filter_buttons["town"].text() == "街镇：精武镇"
    assert len(rows(screen)) == min(40, want["jingwu"])
    assert {j.town for j in rows(screen)} == {"jingwu"}
    assert all(j.id in expected(ui, JobQuery(text="保洁", town="jingwu"))[0]
               for j in rows(screen))


# -- 岗位详情 -----------------------------------------------------------------------------

def test_detail_shows_the_fields_and_a_qr(make_ui: Callable[..., KioskUi], qtbot: QtBot,
                                          tmp_path: Path) -> None:
    ui = make_ui()
    screen = open_jobs(ui, qtbot)
    tap_row(qtbot, screen, 0)
    detail = screen_of(ui, "job_detail")
    assert showing(ui, detail)
    settled(qtbot, detail)
    first = rows(screen)[0]
    with ui.window.services.db.read() as s:
        job = get_job(s, first.id, TODAY)
        raw_phone = s.scalars(select(Job.contact_phone).where(Job.id == first.id)).one()
    shown = texts(detail)
    for value in (job.title, job.employer_name, job.salary_text, job.address, job.town_label,
                  job.job_type_label, job.education_label, job.age_text, job.description,
                  CONTACT_ROUTE, f"{TODAY.year}年"):
        assert value in shown, value
    for value in (*job.skills, *job.benefits):
        assert value in shown, value
    assert raw_phone and raw_phone not in shown and raw_phone[-4:] in shown  # masked
    assert detail.qr.isVisible()
    assert detail.qr.data == "https://lexy.xiqing.example/t/job/" + job.id
    # 打印职位信息: a PDF slip with the job, never the employer's phone
    tap(qtbot, detail.print_button)
    receipts = ui.window.receipts
    qtbot.waitUntil(lambda: receipts.overlay.ok.isVisible(), timeout=10_000)
    printed = list((tmp_path / "printed").glob("*.pdf"))
    assert len(printed) == 1
    text = pdf_text(printed[0])
    assert job.title in text and raw_phone not in text
    tap(qtbot, receipts.overlay.ok)
    # 返回 goes to the list as it was
    tap(qtbot, detail.other_button)
    assert showing(ui, screen) and rows(screen)[0].id == first.id


def test_a_job_that_is_gone_says_so(make_ui: Callable[..., KioskUi], qtbot: QtBot) -> None:
    ui = make_ui()
    ui.window.show_screen("job_detail", job_id="no-such-job")
    detail = screen_of(ui, "job_detail")
    settled(qtbot, detail)
    assert "已过期或已下架" in detail.status.text()
    assert not detail.signup_button.isVisible()


# -- 报名 ---------------------------------------------------------------------------------

def open_signup(ui: KioskUi, qtbot: QtBot, row: int = 0) -> tuple[Any, Any]:
    screen = open_jobs(ui, qtbot)
    tap_row(qtbot, screen, row)
    detail = screen_of(ui, "job_detail")
    settled(qtbot, detail)
    job = detail.job
    tap(qtbot, detail.signup_button)
    signup = screen_of(ui, "signup")
    assert showing(ui, signup)
    settled(qtbot, signup)
    return signup, job


def test_signup_writes_the_record_the_outbox_and_a_slip(make_ui: Callable[..., KioskUi],
                                                       qtbot: QtBot, tmp_path: Path) -> None:
    ui = make_ui()
    read_card(ui, qtbot, CARD)
    signup, job = open_signup(ui, qtbot)
    assert signup.pages.currentWidget() is signup.phone_page
    assert "第 2 步" in signup.steps.text()
    signup.phone_entry.type_number("1380013")
    tap(qtbot, signup.phone_entry.keys["下一步"])
    assert "11位" in signup.phone_entry.message.text()  # refused, and nothing is lost
    assert signup.pages.currentWidget() is signup.phone_page
    signup.phone_entry.type_number("8000")
    tap(qtbot, signup.phone_entry.keys["下一步"])
    assert signup.pages.currentWidget() is signup.confirm_page
    shown = texts(signup)
    for value in ("李*兰", RESIDENT.id_number[:6] + "********" + RESIDENT.id_number[-4:],
                  "138 0013 8000", CONSENT_TEXT, PROMISE, job.title, job.employer_name):
        assert value in shown, value
    assert ID_NUMBER not in shown and "李秀兰" not in shown
    assert db_rows(ui, JobSignup) == []  # nothing is sent before 同意并报名
    tap(qtbot, signup.agree_button)
    qtbot.waitUntil(lambda: signup.pages.currentWidget() is signup.result_page, timeout=5000)
    (row,) = db_rows(ui, JobSignup)
    assert row.job_id == job.id and row.consent and row.resident_key == resident(ui).key
    outbox = db_rows(ui, OutboxRecord)
    assert [o.kind for o in outbox].count("job_signup") == 1
    (callback,) = db_rows(ui, CallbackRequest)  # the typed number goes to the matchmaker
    assert callback.phone == "13800138000" and row.number in callback.topic
    assert "报名成功" in signup.lead.text() and row.number in texts(signup)
    assert signup.promise.isVisible() and PROMISE in signup.promise.text()
    assert "第 4 步" in signup.steps.text()
    receipts = ui.window.receipts
    qtbot.waitUntil(lambda: receipts.overlay.ok.isVisible(), timeout=10_000)
    (slip,) = (tmp_path / "printed").glob("*.pdf")
    text = pdf_text(slip)
    assert row.number in text and "李*兰" in text and "138****8000" in text
    assert "13800138000" not in text and ID_NUMBER not in text
    tap(qtbot, receipts.overlay.ok)
    # a second 报名 for the same job is refused kindly, before anything is asked
    tap(qtbot, signup.more_button)
    signup2, _ = open_signup(ui, qtbot)
    assert signup2.pages.currentWidget() is signup2.result_page
    assert AlreadySignedUp.default_message in texts(signup2)
    assert len(db_rows(ui, JobSignup)) == 1


def test_a_racing_duplicate_is_refused_on_submit(make_ui: Callable[..., KioskUi],
                                                 qtbot: QtBot) -> None:
    ui = make_ui()
    read_card(ui, qtbot, CARD)
    services = ui.window.services
    register_seeker(services.db, resident(ui),
                    SeekerPreferences(towns=("jingwu",)), "13912345678",
                    services.config.station.code)
    signup, job = open_signup(ui, qtbot)
    # a phone on file: no phone step, shown masked
    assert signup.pages.currentWidget() is signup.confirm_page
    assert "139****5678" in texts(signup) and "13912345678" not in texts(signup)
    sign_up(services.db, resident(ui), job.id, True, "XQ-YLQ-01", today=TODAY)
    tap(qtbot, signup.agree_button)
    qtbot.waitUntil(lambda: signup.pages.currentWidget() is signup.result_page, timeout=5000)
    assert AlreadySignedUp.default_message in texts(signup)
    assert len(db_rows(ui, JobSignup)) == 1 and db_rows(ui, CallbackRequest) == []


def test_without_a_card_it_asks_for_one_and_carries_on(make_ui: Callable[..., KioskUi],
                                                       qtbot: QtBot) -> None:
    ui = make_ui()
    signup, job = open_signup(ui, qtbot)
    assert signup.pages.currentWidget() is signup.card_page
    assert "请将身份证放在读卡区" in texts(signup) and job.title in signup.lead.text()
    assert "第 1 步" in signup.steps.text()
    read_card(ui, qtbot, CARD)  # the window greets on home, then 报名 picks up where it was
    qtbot.waitUntil(lambda: showing(ui, signup) and not signup.loading, timeout=3000)
    assert signup.job_id == job.id
    assert signup.pages.currentWidget() is signup.phone_page
    tap(qtbot, signup.phone_entry.skip)
    assert "未留电话" in texts(signup)
    tap(qtbot, signup.decline_button)  # 不同意: back to the job, nothing sent
    assert showing(ui, screen_of(ui, "job_detail"))
    assert db_rows(ui, JobSignup) == []


def test_exit_forgets_the_search_and_the_signup(make_ui: Callable[..., KioskUi],
                                                qtbot: QtBot) -> None:
    ui = make_ui()
    read_card(ui, qtbot, CARD)
    signup, job = open_signup(ui, qtbot)
    signup.phone_entry.type_number("13800138000")
    tap(qtbot, signup.phone_entry.keys["下一步"])
    assert "138 0013 8000" in texts(signup)
    tap(qtbot, ui.window.nav.exit)
    assert not ui.window.services.session.identified
    jobs, detail = screen_of(ui, "jobs"), screen_of(ui, "job_detail")
    assert jobs.model.rowCount() == 0 and detail.job is None and signup.job is None
    for screen in (jobs, detail, signup):
        shown = texts(screen)
        assert "李*兰" not in shown and "138 0013 8000" not in shown and job.title not in shown
