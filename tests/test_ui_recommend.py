"""为您推荐 through the real window: the invitation to register, ranked jobs with their
reasons, pages that fit the screen, opening a job, and the wipe on 退出."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot
from test_ui_register_support import RESIDENT, TODAY, tap
from ui_support import fixed_today, identify, texts

from kiosk.app import today
from kiosk.jobs.matching import SeekerPreferences, recommend
from kiosk.jobs.submissions import register_seeker
from ui.launch import KioskUi
from ui.screens.recommend_screen import RecommendScreen
from ui.screens.register_screen import RegisterScreen

PREFS = SeekerPreferences(job_types=("fulltime",), industries=("manufacturing",),
                          towns=("yangliuqing",), home_town="yangliuqing",
                          expected_salary=5000, education="senior")

_fixed_today = fixed_today(TODAY)


def open_recommend(ui: KioskUi, qtbot: QtBot) -> RecommendScreen:
    ui.window.show_screen("recommend")
    screen = ui.window.screens["recommend"]
    assert isinstance(screen, RecommendScreen) and ui.window.current is screen
    qtbot.waitUntil(lambda: not screen.loading, timeout=10000)
    return screen


def open_registered(ui: KioskUi, qtbot: QtBot) -> RecommendScreen:
    """为您推荐 for a resident who registered (PREFS) and then read the card."""
    services = ui.window.services
    register_seeker(services.db, RESIDENT, PREFS, "13812345678", services.config.station.code)
    identify(ui, RESIDENT)
    return open_recommend(ui, qtbot)


def test_without_a_card_it_asks_for_the_card(make_ui: Callable[..., KioskUi],
                                             qtbot: QtBot) -> None:
    ui = make_ui()
    screen = open_recommend(ui, qtbot)
    assert screen.card_invite.isVisible() and not screen.results.isVisible()
    assert "请将身份证放在读卡区" in texts(screen)


def test_not_registered_invites_to_register(make_ui: Callable[..., KioskUi],
                                            qtbot: QtBot) -> None:
    ui = make_ui()
    identify(ui, RESIDENT)
    screen = open_recommend(ui, qtbot)
    assert screen.register_invite.isVisible() and not screen.cards
    assert "您还没有做求职登记" in texts(screen)
    tap(qtbot, screen.register_button)
    assert ui.window.current.name == "register"


def test_recommendations_are_ranked_with_their_reasons(make_ui: Callable[..., KioskUi],
                                                       qtbot: QtBot) -> None:
    ui = make_ui()
    screen = open_registered(ui, qtbot)
    assert screen.results.isVisible() and screen.cards
    with ui.window.services.db.read() as s:
        expected = recommend(s, PREFS, RESIDENT.age(today()), limit=20, today=today())
    assert [r.job.id for r in screen.shown_recommendations()] == [r.job.id for r in expected]
    first = screen.cards[0]
    assert first.job_id == expected[0].job.id
    assert first.reason_texts() == expected[0].reasons
    assert "离您家近：杨柳青镇" in first.reason_texts()
    assert "薪资符合期望" in first.reason_texts()
    shown = texts(screen)
    assert expected[0].job.title in shown and "全职 · 制造业产业链 · 杨柳青镇" in shown
    assert "为您挑选了 20 个岗位" in shown

    # Pages: as many cards as fit, the next ones a tap away, nothing repeated or skipped.
    seen: list[str] = []
    for page in range(screen.pages):
        assert screen.page == page and 1 <= len(screen.cards) <= 6
        seen += [card.job_id for card in screen.cards]
        if page < screen.pages - 1:
            tap(qtbot, screen.next_button)
    assert seen == [r.job.id for r in expected]
    assert not screen.next_button.isVisible() and screen.prev_button.isVisible()
    tap(qtbot, screen.prev_button)
    assert screen.page == screen.pages - 2


def test_tapping_a_job_opens_its_detail(make_ui: Callable[..., KioskUi],
                                        qtbot: QtBot) -> None:
    ui = make_ui()
    screen = open_registered(ui, qtbot)
    card = screen.cards[0]
    if "job_detail" not in ui.window.screens:  # the jobs flow is built separately
        assert card.open_button is None
        return
    assert card.open_button is not None
    tap(qtbot, card.open_button)
    assert ui.window.current.name == "job_detail"


def test_change_registration_goes_back_to_the_first_step(make_ui: Callable[..., KioskUi],
                                                         qtbot: QtBot) -> None:
    ui = make_ui()
    screen = open_registered(ui, qtbot)
    tap(qtbot, screen.change_button)
    register_screen = ui.window.screens["register"]
    assert isinstance(register_screen, RegisterScreen)
    assert ui.window.current is register_screen
    qtbot.waitUntil(lambda: register_screen.pickers["types"].selected() == ["fulltime"],
                    timeout=5000)  # starts from what was registered


def test_exit_wipes_the_recommendations(make_ui: Callable[..., KioskUi],
                                        qtbot: QtBot) -> None:
    ui = make_ui()
    screen = open_registered(ui, qtbot)
    title = screen.cards[0].job_id
    assert title
    tap(qtbot, ui.window.nav.exit)
    assert not screen.cards and not screen.shown_recommendations()
    assert not screen.results.isVisible() and not screen.summary.text()
    assert not screen.wishes.text()
