"""求职登记 through the real window, by tapping: steps, 返回, the phone keypad, submission
(row + outbox + printed slip), the offer of 为您推荐, prefilling and the wipe on 退出."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import text
from test_ui_register_support import ID_NUMBER, PHONE, RESIDENT, TODAY, tap, tap_back, type_phone
from ui_support import fixed_today, identify, outbox, pdf_text, rows, texts, wait_receipt

from kiosk.jobs.matching import SeekerPreferences
from kiosk.jobs.submissions import register_seeker
from kiosk.store.models import SeekerRegistration
from ui.launch import KioskUi
from ui.screens.recommend_screen import RecommendScreen
from ui.screens.register_screen import STEP_KEYS, RegisterScreen

_fixed_today = fixed_today(TODAY)


def open_register(ui: KioskUi, qtbot: QtBot) -> RegisterScreen:
    tap(qtbot, ui.window.home_screen.tiles["register"])
    screen = ui.window.screens["register"]
    assert isinstance(screen, RegisterScreen) and ui.window.current is screen
    qtbot.waitUntil(lambda: not screen.loading, timeout=5000)
    return screen


def step(screen: RegisterScreen) -> str:
    return STEP_KEYS[screen._step]


def pick(qtbot: QtBot, screen: RegisterScreen, key: str, *values: str) -> None:
    picker = screen.pickers[key]
    for value in values:
        tap(qtbot, picker.chip(value))  # turns to the chip's page (更多) first


def visible_chips(screen: RegisterScreen, key: str) -> list[str]:
    picker = screen.pickers[key]
    return [v for v, chip in picker.chips.items() if chip.isVisibleTo(screen)]


def fill_to_confirm(qtbot: QtBot, screen: RegisterScreen) -> None:
    """Every step by taps, as a resident would, up to the confirmation."""
    assert step(screen) == "types"
    pick(qtbot, screen, "types", "fulltime")
    tap(qtbot, screen.next_button)
    assert step(screen) == "industries"
    pick(qtbot, screen, "industries", "manufacturing", "logistics_platform")
    tap(qtbot, screen.next_button)
    assert step(screen) == "towns"
    assert screen.pickers["towns"].selected() == ["yangliuqing"]  # from the card's address
    pick(qtbot, screen, "towns", "zhongbei")
    tap(qtbot, screen.next_button)
    pick(qtbot, screen, "salary", "5000")
    tap(qtbot, screen.next_button)
    pick(qtbot, screen, "education", "senior")
    tap(qtbot, screen.next_button)
    assert step(screen) == "skills"
    offered = [v for v, _ in screen.pickers["skills"].options]
    assert "焊工" in offered and "叉车" in offered  # manufacturing + logistics skills
    pick(qtbot, screen, "skills", "叉车")
    tap(qtbot, screen.next_button)
    assert step(screen) == "phone"
    assert not screen.next_button.isVisible()  # the keypad's own 下一步 moves on
    type_phone(qtbot, screen.phone, PHONE)
    assert step(screen) == "confirm"


def test_without_a_card_it_asks_for_the_card(make_ui: Callable[..., KioskUi],
                                             qtbot: QtBot) -> None:
    ui = make_ui()
    tap(qtbot, ui.window.home_screen.tiles["register"])
    screen = ui.window.screens["register"]
    assert isinstance(screen, RegisterScreen) and ui.window.current is screen
    assert screen.invite.isVisible() and not screen.flow.isVisible()
    assert "请将身份证放在读卡区" in texts(screen)
    assert screen.step_back() is False  # 返回 leaves: there is no step to go back to
    tap_back(qtbot, ui)
    assert ui.window.current is ui.window.home_screen


def test_full_registration_by_taps_writes_row_outbox_and_slip(
        make_ui: Callable[..., KioskUi], qtbot: QtBot, tmp_path: Path) -> None:
    ui = make_ui()
    identify(ui, RESIDENT)
    screen = open_register(ui, qtbot)
    assert screen.steps.text().startswith("第 1 步，共 9 步")
    assert len(visible_chips(screen, "industries")) <= 6
    fill_to_confirm(qtbot, screen)

    shown = texts(screen)
    for expected in ("全职", "制造业产业链、物流与平台经济", "中北镇、杨柳青镇", "5000元/月以上",
                     "高中/中专", "叉车", "138 1234 5678", "李*兰", "身份证号"):
        assert expected in shown, expected
    assert ID_NUMBER not in shown and "李秀兰" not in shown
    assert screen.next_button.text() == "确认提交"
    assert rows(ui, SeekerRegistration) == [] and outbox(ui, "seeker_registration") == []

    tap(qtbot, screen.next_button)
    overlay = wait_receipt(qtbot, ui)
    assert overlay.title.text() == "请取走您的回执"
    [row] = rows(ui, SeekerRegistration)
    [record] = outbox(ui, "seeker_registration")
    assert row.resident_key == RESIDENT.key and row.phone == PHONE
    assert row.name_masked == "李*兰" and row.town == "yangliuqing"
    prefs = json.loads(row.preferences)
    assert prefs["job_types"] == ["fulltime"]
    assert prefs["industries"] == ["manufacturing", "logistics_platform"]
    assert prefs["towns"] == ["zhongbei", "yangliuqing"] and prefs["home_town"] == "yangliuqing"
    assert prefs["expected_salary"] == 5000 and prefs["education"] == "senior"
    assert prefs["skills"] == ["叉车"]
    body = json.loads(record.body)
    assert body["number"] == row.number and body["phone"] == PHONE
    assert body["resident"]["id_number"] == ID_NUMBER  # only the outbox carries it
    assert row.number in overlay.text.text()

    printed = list((tmp_path / "printed").glob("*.pdf"))
    assert len(printed) == 1 and row.number in printed[0].name
    slip = pdf_text(printed[0])
    for expected in ("求职登记回执", row.number, "李*兰", "138****5678", "制造业产业链",
                     "杨柳青镇", "5000元/月以上", "叉车"):
        assert expected in slip, expected
    assert PHONE not in slip and ID_NUMBER not in slip

    tap(qtbot, overlay.ok)
    assert step(screen) == "done"
    assert row.number in texts(screen) and "138****5678" in texts(screen)
    assert screen.step_back() is False  # after submitting, 返回 leaves the flow
    tap(qtbot, screen.recommend_button)
    recommend = ui.window.screens["recommend"]
    assert isinstance(recommend, RecommendScreen)
    assert ui.window.current is recommend
    qtbot.waitUntil(lambda: bool(recommend.cards), timeout=10000)
    assert "离您家近：杨柳青镇" in texts(recommend)


def test_back_goes_back_one_step_and_keeps_the_choices(make_ui: Callable[..., KioskUi],
                                                       qtbot: QtBot) -> None:
    ui = make_ui()
    identify(ui, RESIDENT)
    screen = open_register(ui, qtbot)
    pick(qtbot, screen, "types", "parttime", "flexible")
    tap(qtbot, screen.next_button)
    pick(qtbot, screen, "industries", "community_service")  # on the second page (更多)
    assert screen.pickers["industries"].page == 1
    tap(qtbot, screen.next_button)
    assert step(screen) == "towns"
    assert "第 3 步" in screen.steps.text()

    tap_back(qtbot, ui)
    assert ui.window.current is screen and step(screen) == "industries"
    assert "第 2 步" in screen.steps.text()
    assert screen.pickers["industries"].selected() == ["community_service"]
    tap_back(qtbot, ui)
    assert step(screen) == "types"
    assert screen.pickers["types"].selected() == ["parttime", "flexible"]
    assert all(screen.pickers["types"].chips[v].isChecked() for v in ("parttime", "flexible"))

    tap(qtbot, screen.next_button)  # forward again: nothing was lost
    tap(qtbot, screen.next_button)
    assert screen.pickers["industries"].selected() == ["community_service"]
    while step(screen) != "phone":
        tap(qtbot, screen.next_button)
    type_phone(qtbot, screen.phone, PHONE)
    tap_back(qtbot, ui)  # from the confirmation back to the number, still typed
    assert step(screen) == "phone" and screen.phone.digits() == PHONE
    for _ in range(STEP_KEYS.index("phone")):
        tap_back(qtbot, ui)
    assert step(screen) == "types" and ui.window.current is screen
    tap_back(qtbot, ui)  # at the first step 返回 leaves the screen
    assert ui.window.current is ui.window.home_screen
    tap(qtbot, ui.window.home_screen.tiles["register"])  # and coming back keeps them
    assert step(screen) == "types" and screen.pickers["types"].selected() == ["parttime",
                                                                              "flexible"]


def test_a_bad_phone_number_is_refused_with_a_clear_message(
        make_ui: Callable[..., KioskUi], qtbot: QtBot) -> None:
    ui = make_ui()
    identify(ui, RESIDENT)
    screen = open_register(ui, qtbot)
    while step(screen) != "phone":
        tap(qtbot, screen.next_button)
    entry = screen.phone
    type_phone(qtbot, entry, "1381234")
    assert step(screen) == "phone"
    assert "11位" in entry.error and "还差4位" in entry.error
    assert entry.message.isVisible() and entry.message.objectName() == "ErrorText"
    assert entry.display.text() == "138 1234"  # what was typed stays, to be corrected
    for _ in range(7):
        tap(qtbot, entry.keypad.buttons["删除"])
    type_phone(qtbot, entry, "12812345678")
    assert step(screen) == "phone" and "第二位" in entry.error
    for _ in range(11):
        tap(qtbot, entry.keypad.buttons["删除"])
    type_phone(qtbot, entry, "0221234567")
    assert "以数字1开头" in entry.error
    for _ in range(10):
        tap(qtbot, entry.keypad.buttons["删除"])
    type_phone(qtbot, entry, PHONE + "9", confirm=False)  # a twelfth digit is not taken
    assert entry.digits() == PHONE and "只有11位" in entry.error
    tap(qtbot, entry.keypad.buttons["下一步"])
    assert step(screen) == "confirm"
    assert rows(ui, SeekerRegistration) == []


def test_a_failed_submission_says_so_and_keeps_everything(make_ui: Callable[..., KioskUi],
                                                          qtbot: QtBot) -> None:
    ui = make_ui()
    identify(ui, RESIDENT)
    screen = open_register(ui, qtbot)
    fill_to_confirm(qtbot, screen)
    with ui.window.services.db.write() as s:  # the database refuses the write (a real error)
        s.execute(text("CREATE TRIGGER no_reg BEFORE INSERT ON seeker_registration "
                       "BEGIN SELECT RAISE(ABORT, 'disk says no'); END"))
    tap(qtbot, screen.next_button)
    qtbot.waitUntil(lambda: not screen._busy, timeout=5000)
    assert step(screen) == "confirm" and screen.status.isVisible()
    assert "没有成功" in screen.status.text() and "都还在" in screen.status.text()
    assert screen.next_button.isEnabled()
    assert rows(ui, SeekerRegistration) == [] and outbox(ui, "seeker_registration") == []
    assert not ui.window.receipts.overlay.isVisible()
    with ui.window.services.db.write() as s:
        s.execute(text("DROP TRIGGER no_reg"))
    tap(qtbot, screen.next_button)  # the same choices go through on the second try
    wait_receipt(qtbot, ui)
    [row] = rows(ui, SeekerRegistration)
    assert json.loads(row.preferences)["towns"] == ["zhongbei", "yangliuqing"]


def test_a_returning_seeker_starts_from_the_last_registration(
        make_ui: Callable[..., KioskUi], qtbot: QtBot) -> None:
    ui = make_ui()
    services = ui.window.services
    register_seeker(services.db, RESIDENT,
                    SeekerPreferences(job_types=("parttime",), industries=("new_retail",),
                                      towns=("jingwu",), home_town="yangliuqing",
                                      expected_salary=4000, education="junior"),
                    "13900001111", services.config.station.code)
    identify(ui, RESIDENT)
    screen = open_register(ui, qtbot)
    qtbot.waitUntil(lambda: screen.note.isVisible(), timeout=5000)
    assert "登记过" in screen.note.text()
    assert screen.pickers["types"].selected() == ["parttime"]
    assert screen.pickers["towns"].selected() == ["jingwu"]
    assert screen.pickers["salary"].selected() == ["4000"]
    assert screen.pickers["education"].selected() == ["junior"]
    assert screen.phone.digits() == "13900001111"


def test_exit_wipes_every_choice_and_the_number(make_ui: Callable[..., KioskUi],
                                               qtbot: QtBot) -> None:
    ui = make_ui()
    identify(ui, RESIDENT)
    screen = open_register(ui, qtbot)
    fill_to_confirm(qtbot, screen)
    assert "138 1234 5678" in texts(screen)
    tap(qtbot, ui.window.nav.exit)
    assert not ui.window.services.session.identified
    assert all(not picker.selected() for picker in screen.pickers.values())
    assert screen.phone.digits() == "" and screen._phone == ""
    assert step(screen) == "types" and screen._owner is None
    everything = "\n".join(w.text() for w in screen.findChildren(type(screen.status)))
    assert "1234" not in everything and "李*兰" not in everything
    tap(qtbot, ui.window.home_screen.tiles["register"])  # the next person sees the card prompt
    assert screen.invite.isVisible()


def test_startup_intent_from_the_entrepreneur_libraries(make_ui: Callable[..., KioskUi],
                                                        qtbot: QtBot, tmp_path: Path) -> None:
    """登记创业意向 in the 创业 libraries opens 求职登记 with 想自己创业 chosen; it is sent as
    ``startup``, never as a job type, and printed on the slip."""
    ui = make_ui()
    identify(ui, RESIDENT)
    ui.window.show_screen("entrepreneur")
    tap(qtbot, ui.window.screens["entrepreneur"].talent_button)  # type: ignore[attr-defined]
    screen = ui.window.screens["register"]
    assert isinstance(screen, RegisterScreen) and ui.window.current is screen
    qtbot.waitUntil(lambda: not screen.loading, timeout=5000)
    assert step(screen) == "types" and screen.pickers["types"].selected() == ["startup"]
    assert screen.pickers["types"].chip("startup").text() == "想自己创业"
    fill_to_confirm(qtbot, screen)  # adds 全职 to it
    shown = texts(screen)
    assert "创业意向" in shown and "有，想了解创业扶持" in shown
    tap(qtbot, screen.next_button)
    overlay = wait_receipt(qtbot, ui)
    [row] = rows(ui, SeekerRegistration)
    prefs = json.loads(row.preferences)
    assert prefs["startup"] is True and prefs["job_types"] == ["fulltime"]
    [record] = outbox(ui, "seeker_registration")
    assert json.loads(record.body)["preferences"]["startup"] is True
    [printed] = (tmp_path / "printed").glob("*.pdf")
    assert "创业意向：有，想了解创业扶持" in pdf_text(printed)
    tap(qtbot, overlay.ok)

    # the next visit starts from it again (修改登记 keeps 想自己创业)
    screen._reset()
    screen.on_enter()
    qtbot.waitUntil(lambda: not screen.loading and "startup" in
                    screen.pickers["types"].selected(), timeout=5000)
