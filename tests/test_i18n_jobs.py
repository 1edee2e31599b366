"""The jobs side in English: 找工作, its filters and map, a job's detail, 报名, 求职登记, 为您推荐,
呼叫就业红娘 and the pinyin panel, driven by tapping the real window.

What is on screen is English except data (job titles, employers, addresses, town names, the
station's name, the resident's masked name, the pinyin candidates); what is stored, sent and
printed stays Chinese.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import ui_support
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from test_ui_jobs_audit import walk as jobs_walk
from test_ui_register_support import PHONE, RESIDENT, TODAY, tap
from ui_support import (
    AuditLog,
    audited_window,
    fixed_today,
    identify,
    outbox,
    pdf_printer,
    pdf_text,
    rows,
    visible_texts,
    wait_receipt,
)

from kiosk.i18n import set_language
from kiosk.input.pinyin import PinyinEngine
from kiosk.jobs.matching import SeekerPreferences, recommend
from kiosk.jobs.search import JobDetail
from kiosk.jobs.submissions import CONSENT_TEXT
from kiosk.jobs.towns import load_towns
from kiosk.jobs.vocab import industry_label, posted_text, salary_text
from kiosk.store.models import CallbackRequest, JobSignup, SeekerRegistration
from ui.launch import KioskUi
from ui.screens.callback_screen import CallbackScreen
from ui.screens.job_detail_screen import JobDetailScreen
from ui.screens.jobs_screen import JobsScreen
from ui.screens.recommend_screen import RecommendScreen
from ui.screens.register_screen import STEP_KEYS, RegisterScreen
from ui.screens.signup_screen import SignupScreen
from ui.screenshots import demo_resident

CJK = re.compile(r"[\u4e00-\u9fff]")
TOWN_NAMES = [n for t in load_towns() for n in (t.full_name, t.name)]

_fixed_today = fixed_today(TODAY)
settled = partial(ui_support.settled, timeout_ms=10000)


@pytest.fixture
def make_ui(make_ui: Callable[..., KioskUi]) -> Callable[..., KioskUi]:
    """The real window, built in English (the conftest puts Chinese back afterwards)."""
    set_language("en")
    return make_ui


# -- helpers ------------------------------------------------------------------------------

def chinese_left(widget: QWidget, data: Iterable[str] = ()) -> list[str]:
    """Visible texts that still hold Chinese once the data in them is taken out."""
    cut = sorted({d for d in (*data, *TOWN_NAMES) if d}, key=len, reverse=True)
    left = []
    for text in visible_texts(widget):
        rest = text
        for d in cut:
            rest = rest.replace(d, "")
        if CJK.search(rest):
            left.append(text)
    return left


def job_data(job: JobDetail) -> list[str]:
    return [job.title, job.employer_name, job.address, job.work_hours, job.description,
            job.employer_intro, job.contact_masked, *job.skills, *job.benefits,
            "、".join(job.skills), "、".join(job.benefits)]


# -- the core's words ---------------------------------------------------------------------

def test_vocabulary_and_reasons_follow_the_language_but_records_stay_chinese(
        make_services: Callable[..., Any]) -> None:
    set_language("en")
    assert industry_label("manufacturing", translate=True) == "Manufacturing"
    assert industry_label("manufacturing") == "制造业产业链"  # data: records, slips, demo
    assert salary_text(4500, 6500) == "4500-6500元/月"
    assert salary_text(4500, 6500, translate=True) == "4500-6500 yuan/month"
    assert salary_text(None, None, translate=True) == "Pay to be agreed"
    assert posted_text(date(2026, 5, 8), date(2026, 11, 26)) == "8 May"
    assert posted_text(date(2026, 11, 23), date(2026, 11, 26)) == "3 days ago"
    services = make_services()
    prefs = SeekerPreferences(job_types=("fulltime",), industries=("manufacturing",),
                              home_town="yangliuqing", expected_salary=3000)
    with services.db.read() as s:
        found = recommend(s, prefs, age=40, limit=5, today=date.fromisoformat(TODAY))
    reasons = {r for rec in found for r in rec.reasons}
    assert "Near your home: 杨柳青镇" in reasons and "Your industry: Manufacturing" in reasons
    assert not [r for r in reasons if CJK.search(r.replace("杨柳青镇", ""))], reasons


# -- 找工作, the filters, the map, a job, 报名 -----------------------------------------------

def test_finding_a_job_and_signing_up_in_english(make_ui: Callable[..., KioskUi],
                                                 qtbot: QtBot, tmp_path: Path) -> None:
    ui = make_ui()
    window = ui.window
    tap(qtbot, window.home_screen.tiles["jobs"])
    jobs = window.screens["jobs"]
    assert isinstance(jobs, JobsScreen) and window.current is jobs
    settled(qtbot, jobs)
    assert jobs.title_label.text() == "Find a job"
    assert jobs.count_label.text().startswith("Jobs: ")
    assert jobs.filter_buttons["industry"].text() == "Industry: Any"
    assert [c.text() for c in jobs.sort_chips.values()] == ["Newest", "Best pay", "Near me"]
    assert jobs.popular.chips["保洁"].text() == "Cleaning"  # the value stays the word searched
    assert chinese_left(jobs) == []
    row = jobs.model.index(0, 0)
    assert not CJK.search(str(row.data(jobs.model.SalaryRole)))
    assert not CJK.search(str(row.data(jobs.model.PostedRole)))

    tap(qtbot, jobs.popular.chips["保洁"])  # searches for 保洁 in the Chinese catalogue
    settled(qtbot, jobs)
    assert jobs._text == "保洁" and jobs.model.rowCount() > 0

    tap(qtbot, jobs.map_button)
    job_map: Any = window.screens["job_map"]
    settled(qtbot, job_map)
    assert "“Cleaning” jobs" in job_map.hint.text() or "\"Cleaning\" jobs" in job_map.hint.text()
    assert job_map.map.label_lines("yangliuqing")[1].endswith(" jobs")
    assert chinese_left(job_map) == []
    window.back()
    settled(qtbot, jobs)

    first = jobs.model.job_at(0)
    assert first is not None
    job_id = first.id
    tap(qtbot, jobs.filter_buttons["industry"])  # a picker: English words, Chinese values
    assert jobs.picker.title.text() == "Choose an industry"
    assert chinese_left(jobs.picker) == []
    tap(qtbot, jobs.picker.chips.chips["manufacturing"])
    settled(qtbot, jobs)
    assert jobs.filter_buttons["industry"].text() == "Industry: Manufacturing"
    assert jobs.keyword_button.text() == "Type words"  # a chip's word is not "typed"
    window.show_screen("job_detail", job_id=job_id)
    detail = window.screens["job_detail"]
    assert isinstance(detail, JobDetailScreen)
    settled(qtbot, detail)
    job = detail.job
    assert job is not None
    shown = "\n".join(visible_texts(detail))
    for english in ("Job details", "About the job", "Requirements", "How to get in touch",
                    "Apply", "Print", "Education: "):
        assert english in shown, english
    assert chinese_left(detail, job_data(job)) == []

    tap(qtbot, detail.print_button)  # the job slip stays Chinese: an official paper
    overlay = wait_receipt(qtbot, ui)
    [slip] = list((tmp_path / "printed").glob("*.pdf"))
    printed = pdf_text(slip)
    assert "元/月" in printed and "学历：" in printed and "yuan" not in printed
    tap(qtbot, overlay.ok)

    identify(ui, RESIDENT)
    tap(qtbot, detail.signup_button)
    signup = window.screens["signup"]
    assert isinstance(signup, SignupScreen) and window.current is signup
    settled(qtbot, signup)
    entry = signup.phone_entry
    assert entry.keys["删除"].text() == "⌫" and entry.skip.text() == "Skip"
    assert chinese_left(signup) == []
    for digit in PHONE[:5]:
        tap(qtbot, entry.keys[digit])
    tap(qtbot, entry.keys[entry.confirm_key])
    assert "11-digit" in entry.message.text()
    for digit in PHONE[5:]:
        tap(qtbot, entry.keys[digit])
    tap(qtbot, entry.keys[entry.confirm_key])
    qtbot.waitUntil(lambda: signup.agree_button.isVisible(), timeout=5000)
    assert signup.agree_button.text() == "Agree and apply"
    assert "I agree to give my name" in "\n".join(visible_texts(signup))
    assert chinese_left(signup, [*job_data(job), "李*兰"]) == []

    tap(qtbot, signup.agree_button)
    wait_receipt(qtbot, ui)
    [row] = rows(ui, JobSignup)
    [record] = outbox(ui, "job_signup")
    assert json.loads(record.body)["consent_text"] == CONSENT_TEXT  # recorded in Chinese
    [callback] = rows(ui, CallbackRequest)
    assert callback.topic.startswith("岗位报名")  # for the matchmaker: Chinese
    assert signup.lead.text() == "You have applied"
    assert row.number in signup.result_text.text()


# -- 求职登记 and 为您推荐 ------------------------------------------------------------------

def test_registering_and_recommendations_in_english(make_ui: Callable[..., KioskUi],
                                                    qtbot: QtBot, tmp_path: Path) -> None:
    ui = make_ui()
    identify(ui, RESIDENT)
    tap(qtbot, ui.window.home_screen.tiles["register"])
    screen = ui.window.screens["register"]
    assert isinstance(screen, RegisterScreen)
    settled(qtbot, screen)
    assert screen.question.text() == "What kind of work do you want?"
    assert screen.steps.text().startswith("Step 1 of 9")
    assert chinese_left(screen) == []
    choices = {"types": ["fulltime"], "industries": ["manufacturing"], "towns": [],
               "salary": ["5000"], "education": ["senior"], "skills": ["叉车"]}
    for key, values in choices.items():
        assert STEP_KEYS[screen._step] == key
        assert chinese_left(screen) == [], key
        for value in values:
            tap(qtbot, screen.pickers[key].chip(value))
        tap(qtbot, screen.next_button)
    assert screen.pickers["skills"].chips["叉车"].text() == "Forklift"
    for digit in PHONE:
        tap(qtbot, screen.phone.keypad.buttons[digit])
    assert chinese_left(screen) == []
    tap(qtbot, screen.phone.keypad.buttons["下一步"])
    assert STEP_KEYS[screen._step] == "confirm"
    shown = "\n".join(visible_texts(screen))
    for english in ("Full-time", "Manufacturing", "5000+ yuan/month",
                    "High school", "Forklift", "Submit"):
        assert english in shown, english
    assert chinese_left(screen, ["李*兰"]) == []

    tap(qtbot, screen.next_button)
    overlay = wait_receipt(qtbot, ui)
    [row] = rows(ui, SeekerRegistration)
    prefs = json.loads(row.preferences)
    assert prefs["skills"] == ["叉车"] and prefs["job_types"] == ["fulltime"]
    [slip] = list((tmp_path / "printed").glob("*.pdf"))
    printed = pdf_text(slip)
    assert "制造业产业链" in printed and "5000元/月以上" in printed and "叉车" in printed
    tap(qtbot, overlay.ok)
    assert STEP_KEYS[screen._step] == "done"
    assert chinese_left(screen) == []

    tap(qtbot, screen.recommend_button)
    recommended = ui.window.screens["recommend"]
    assert isinstance(recommended, RecommendScreen)
    qtbot.waitUntil(lambda: bool(recommended.cards), timeout=10000)
    assert "Your industry: Manufacturing" in recommended.cards[0].reason_texts()
    jobs = [r.job for r in recommended.shown_recommendations()]
    assert chinese_left(recommended, [w for j in jobs for w in (j.title, j.employer_name)]) == []


# -- 呼叫就业红娘 -------------------------------------------------------------------------

def test_a_call_back_in_english_is_sent_in_chinese(make_ui: Callable[..., KioskUi],
                                                   qtbot: QtBot) -> None:
    ui = make_ui()
    tap(qtbot, ui.window.home_screen.tiles["callback"])
    screen = ui.window.screens["callback"]
    assert isinstance(screen, CallbackScreen)
    assert screen.question.text() == "Please leave your mobile number"
    assert chinese_left(screen) == []
    for digit in PHONE:
        tap(qtbot, screen.phone.keypad.buttons[digit])
    tap(qtbot, screen.phone.keypad.buttons["下一步"])
    assert screen.times.chips["any"].text() == "Any time"
    assert chinese_left(screen) == []
    tap(qtbot, screen.times.chip("tomorrow_am"))
    tap(qtbot, screen.next_button)
    assert screen.topics.chips["培训"].text() == "Training"
    tap(qtbot, screen.topics.chip("培训"))
    tap(qtbot, screen.next_button)
    tomorrow = datetime.now().date() + timedelta(days=1)  # the screen's clock, not KIOSK_TODAY
    shown = "\n".join(visible_texts(screen))
    assert f"Tomorrow morning ({tomorrow.day} {tomorrow:%b})" in shown and "Training" in shown
    assert screen.next_button.text() == "Call me back"
    assert chinese_left(screen) == []
    tap(qtbot, screen.next_button)
    wait_receipt(qtbot, ui)
    [row] = rows(ui, CallbackRequest)
    assert row.preferred_time == f"明天上午（{tomorrow.month}月{tomorrow.day}日）"
    assert row.topic == "培训"


# -- the pinyin panel: built once, in the language of the moment it opens ------------------

def test_the_keyword_panel_speaks_the_language_it_is_opened_in(
        make_ui: Callable[..., KioskUi], qtbot: QtBot) -> None:
    ui = make_ui()
    window = ui.window
    panel = ui.extras["text_entry"]
    panel.set_engine(PinyinEngine([("保洁", ["bao", "jie"], 5.0), ("北京", ["bei", "jing"], 2.0)]))
    assert window.screens["jobs"].title_label.text() == "Find a job"
    window.set_language("zh")  # as a session wipe does: the panel was built in English...
    window.show_screen("jobs")
    jobs: Any = window.screens["jobs"]
    settled(qtbot, jobs)
    assert jobs.title_label.text() == "找工作"
    jobs.ask_keyword()
    assert panel.cancel.text() == "取消" and panel.keyboard.ok.text() == "确定"
    panel._on_cancel()
    window.set_language("en")  # ...and the next resident picks English again
    window.show_screen("jobs")
    jobs = window.screens["jobs"]
    settled(qtbot, jobs)
    jobs.ask_keyword()
    assert panel.isVisible() and panel.title.text() == "What job are you looking for?"
    assert panel.cancel.text() == "Cancel" and panel.keyboard.ok.text() == "OK"
    assert panel.keyboard.backspace.text() == "⌫" and panel.keyboard.mode_key.text() == "123"
    assert chinese_left(panel) == []
    tap(qtbot, panel.keyboard.keys["b"])
    tap(qtbot, panel.keyboard.keys["j"])
    assert panel.keyboard.candidates()[0] == "保洁"  # candidates are what is typed: Chinese
    assert panel.keyboard.hint.text().startswith("Pinyin bj")
    panel.keyboard.pick("保洁")
    tap(qtbot, panel.keyboard.ok)
    settled(qtbot, jobs)
    assert jobs._text == "保洁" and jobs.count_label.text().startswith("Jobs: ")


# -- the 适老化 audit, in English ----------------------------------------------------------

def english_walk(ui: KioskUi, qtbot: QtBot) -> Iterator[str]:
    """The jobs audit's walk (找工作, map, detail, 报名), then every state of 求职登记,
    为您推荐 and 呼叫就业红娘 with a demo resident."""
    yield from jobs_walk(ui, qtbot)
    window = ui.window
    window.services.session.identify(demo_resident())
    for name in ("register", "recommend", "callback"):
        window.history.clear()
        window.show_screen(name)
        qtbot.waitUntil(lambda: not getattr(window.current, "loading", False), timeout=5000)
        yield name
        for state in window.screens[name].screenshot_states():  # type: ignore[attr-defined]
            qtbot.waitUntil(lambda: not getattr(window.current, "loading", False),
                            timeout=5000)
            QApplication.processEvents()
            yield f"{name}_{state}"
    window.end_session()


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_english_passes_the_audit(qtbot: QtBot, make_services: Callable[..., Any],
                                  tmp_path: Path, orientation: str) -> None:
    """Nothing clipped, too small or too faint in English, in both text sizes (English is
    wider than Chinese: this is where it would not fit)."""
    set_language("en")
    log = AuditLog()
    for elder in (True,):  # large text: where English runs out of room first
        services = make_services(f'[display]\norientation = "{orientation}"\n'
                                 + pdf_printer(tmp_path / "printed"))
        with audited_window(services, elder=elder) as ui:
            log.walk(ui, english_walk(ui, qtbot), elder=elder)
    assert {"jobs_picker", "signup_confirm", "register_confirm", "callback_confirm",
            "recommend_results"} <= set(log.seen)
    assert not log.problems, log.report()
