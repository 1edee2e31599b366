"""English on the policy side: 政策补贴, 为什么, 补充信息, 一键申报, 办事指南, 我的申请, the receipt
overlay, the satisfaction tap, the crash notice and the voice — by tapping the real window.

What must stay Chinese stays Chinese: the policy pack's own texts (names, conditions,
materials, offices), the questionnaire's questions, station names and the printed receipt.
Everything else a resident sees on these screens is checked to hold no Chinese.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import ui_support
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from test_ui_policies import CENTRAL, MAN_52, TODAY  # 王建国 and what 人社 says about him
from ui_support import Card, fixed_today, identify, pdf_text, read_card, visible_texts

from kiosk import printing
from kiosk.app import Services
from kiosk.eligibility import Status, evaluate
from kiosk.eligibility.apply import DuplicateApplicationError, submit_application
from kiosk.i18n import language, set_language, tr
from ui.crash import make_crash_handler
from ui.launch import KioskUi
from ui.receipt_flow import PRINTER_MESSAGES
from ui.screens.apply_screen import ApplyScreen
from ui.screens.guide_screen import GuideDetailScreen, GuideScreen
from ui.screens.my_applications_screen import MyApplicationsScreen
from ui.screens.policies_screen import PoliciesScreen
from ui.screens.policy_detail_screen import PolicyDetailScreen
from ui.screens.questionnaire_screen import QuestionnaireScreen
from ui.speech import spoken

CHINESE = re.compile(r"[\u4e00-\u9fff]")
HIS_CARD = Card(id_number=MAN_52.id_number, name=MAN_52.name, gender="男",
                birth_date=MAN_52.birth_date, address="天津市西青区杨柳青镇")


def his_facts() -> tuple[dict[str, Any], dict[str, str]]:
    """His card's facts and the 人社 lookup's, with their sources (as the session gives)."""
    card = MAN_52.card_facts()
    return ({**card, **CENTRAL},
            {**dict.fromkeys(card, "card"), **dict.fromkeys(CENTRAL, "central")})


_fixed_today = fixed_today(TODAY)
# This module's finger: like tests/test_ui_policies.py's, but a disabled widget is not checked.
tap = partial(ui_support.tap, check_enabled=False)


@pytest.fixture
def english_ui(make_ui: Callable[..., KioskUi]) -> KioskUi:
    """The real window built in English (as after a tap on "English" on home)."""
    set_language("en")
    return make_ui()


def shown_texts(widget: QWidget) -> list[str]:
    """Every label and button text the resident can see on ``widget``."""
    QApplication.processEvents()  # widgets added to a layout show at the next loop turn
    return visible_texts(widget)


def data_texts(services: Services) -> list[str]:
    """What is content, not kiosk wording: the pack's texts, the questions, the station, the
    resident's masked name, longest first (so a long text goes before a part of it)."""
    pack = services.policies.current
    station = services.config.station
    out = [MAN_52.name_masked, station.name, station.address, station.hours]
    for policy in pack.policies:
        out += [policy.name, policy.summary, policy.deadline_text, *policy.materials,
                *(policy.where or {}).values()]
        for cond in policy.all_conditions():
            out += [cond.text, cond.text_unmet, cond.text_unknown.removeprefix("待确认：")]
    for spec in pack.questions.values():
        out += [spec.text, spec.help, *(o.label for o in spec.options)]
    on = date.fromisoformat(TODAY)
    for decisions in (evaluate(pack, {}, {}, on), evaluate(pack, *his_facts(), on)):
        out += [d.amount_text for d in decisions]
    return sorted({t for t in out if t}, key=len, reverse=True)


def assert_no_kiosk_chinese(widget: QWidget, data: list[str]) -> None:
    """Chinese on ``widget`` only inside content (``data``): the kiosk's words are English."""
    for text in shown_texts(widget):
        rest = text
        for piece in data:
            rest = rest.replace(piece, "")
        assert not CHINESE.search(rest), f"untranslated on {widget.objectName()}: {text!r}"


def test_policy_journey_in_english_receipt_in_chinese(english_ui: KioskUi, qtbot: QtBot,
                                                      tmp_path: Path) -> None:
    ui, window = english_ui, english_ui.window
    data = data_texts(window.services)
    identify(ui, MAN_52, CENTRAL)
    tap(qtbot, window.home_screen.tiles["policies"])
    results = window.screens["policies"]
    assert isinstance(results, PoliciesScreen)
    qtbot.waitUntil(lambda: not results.loading and bool(results.cards), timeout=5000)
    assert results.title_label.text() == "Subsidies for you"
    assert results.status.text().startswith(f"{MAN_52.name_masked}, we checked ")
    assert results.questions_button.text() == "Answer a few questions"
    assert_no_kiosk_chinese(results, data)

    # 为什么 for the policy still waiting for answers
    waiting = next(p for p, c in results.cards.items()
                   if "More information needed" in c.tags.text())
    tap(qtbot, results.cards[waiting].why_button)
    detail = window.screens["policy_detail"]
    assert isinstance(detail, PolicyDetailScreen) and window.current is detail
    qtbot.waitUntil(lambda: detail.conclusion.text().startswith("Result: "), timeout=5000)
    texts = shown_texts(detail)
    assert "Why" in texts and "[To check]" in texts and "From: Official records" in texts
    assert "You have not received this before" in texts  # the loader's own condition
    assert_no_kiosk_chinese(detail, data)

    # 补充信息: the kiosk's words in English, the question as the pack words it
    tap(qtbot, detail.questions_button)
    questions = window.screens["questionnaire"]
    assert isinstance(questions, QuestionnaireScreen)
    qtbot.waitUntil(lambda: not questions.loading and questions.option_buttons != {},
                    timeout=5000)
    assert questions.title_label.text() == "Tell us more · Question 1"
    assert questions.unsure_button.text() == "Not sure"
    assert_no_kiosk_chinese(questions, data)
    window.back()
    window.back()

    # 一键申报 for the eligible one: confirmation, submit, receipt
    qtbot.waitUntil(lambda: not results.loading and bool(results.cards), timeout=5000)
    eligible = next(p for p, c in results.cards.items() if c.apply_button is not None)
    tap(qtbot, results.cards[eligible].apply_button)  # type: ignore[arg-type]
    confirm = window.screens["apply"]
    assert isinstance(confirm, ApplyScreen)
    qtbot.waitUntil(lambda: confirm.submit_button.isVisible(), timeout=5000)
    assert confirm.steps.text() == "Step 1 of 3: [Check] → Submit → Receipt"
    assert confirm.submit_button.text() == "Submit"
    assert_no_kiosk_chinese(confirm, data)
    tap(qtbot, confirm.submit_button)
    qtbot.waitUntil(lambda: confirm.lead.text() == "Application submitted", timeout=5000)
    assert "Status" in shown_texts(confirm)
    assert "Submitted, waiting for review" in shown_texts(confirm)
    overlay = window.receipts.overlay
    qtbot.waitUntil(lambda: overlay.title.text() == "Please take your receipt", timeout=10_000)
    assert overlay.ok.text() == "OK" and not CHINESE.search(overlay.text.text())
    printed = list((tmp_path / "printed").glob("*.pdf"))
    assert len(printed) == 1
    paper = pdf_text(printed[0], squeeze=False)
    assert "初步符合条件" in paper and "You qualify" not in paper  # official records: Chinese
    tap(qtbot, overlay.ok)

    # 我的申请
    window.home()
    tap(qtbot, window.home_screen.tiles["my_applications"])
    mine = window.screens["my_applications"]
    assert isinstance(mine, MyApplicationsScreen)
    qtbot.waitUntil(lambda: not mine.loading, timeout=5000)
    texts = shown_texts(mine)
    assert mine.summary.text() == "Records: 1"
    policy_name = window.services.policies.current.policy(eligible).name
    assert f"Subsidy: {policy_name}" in texts
    assert "Status: Submitted, waiting for review" in texts
    assert_no_kiosk_chinese(mine, data)


def test_guide_and_its_printout_in_english(english_ui: KioskUi, qtbot: QtBot) -> None:
    window = english_ui.window
    data = data_texts(window.services)
    tap(qtbot, window.home_screen.tiles["guide"])
    guide = window.screens["guide"]
    assert isinstance(guide, GuideScreen) and guide.title_label.text() == "Guides"
    assert guide.print_button.text() == "Print the guide"
    assert_no_kiosk_chinese(guide, data)
    first = next(iter(guide.cards.values()))
    assert first.open_button.text() == "Conditions"
    tap(qtbot, first.open_button)
    detail = window.screens["guide_detail"]
    assert isinstance(detail, GuideDetailScreen) and window.current is detail
    texts = shown_texts(detail)
    assert "Who can apply" in texts and "Where to go" in texts
    assert any(t.endswith("(any one of these is enough)") for t in texts)
    assert_no_kiosk_chinese(detail, data)
    tap(qtbot, detail.print_button)
    overlay = window.receipts.overlay
    qtbot.waitUntil(lambda: overlay.title.text() == "Please take your printout: Guides",
                    timeout=10_000)
    assert not CHINESE.search(overlay.text.text())


def test_anonymous_policies_invite_in_english(english_ui: KioskUi, qtbot: QtBot) -> None:
    window = english_ui.window
    tap(qtbot, window.home_screen.tiles["policies"])
    screen = window.screens["policies"]
    assert isinstance(screen, PoliciesScreen)
    assert screen.title_label.text() == "Subsidies"
    assert screen.guide_button.text() == "See the guides"
    assert "Place ID card on reader" in shown_texts(screen)
    assert_no_kiosk_chinese(screen, data_texts(window.services))


def test_rating_after_exit_asks_in_the_residents_language(kiosk_ui: KioskUi,
                                                          qtbot: QtBot) -> None:
    window = kiosk_ui.window
    rating = kiosk_ui.extras["admin"].rating
    tap(qtbot, window.nav.language)  # English, on home
    assert language() == "en"
    read_card(kiosk_ui, qtbot, HIS_CARD, timeout_ms=3000)
    tap(qtbot, window.nav.exit)
    assert language() == "zh"  # the kiosk is Chinese again for the next person ...
    assert rating.isVisible()  # ... but the one leaving is asked in English
    assert rating.title.text() == "Were you happy with your visit?"
    assert [b.text() for b in rating.buttons.values()] == ["Happy", "OK", "Unhappy"]
    assert rating.skip.text() == "Skip"
    rating.show_ms = 100_000
    tap(qtbot, rating.buttons[3])
    assert rating.title.text() == "Thank you!"
    rating.dismiss()
    read_card(kiosk_ui, qtbot, HIS_CARD, timeout_ms=3000)  # the next resident stays in Chinese
    tap(qtbot, window.nav.exit)
    assert rating.title.text() == "您对这次办理满意吗？"
    assert [b.text() for b in rating.buttons.values()] == ["满意", "一般", "不满意"]
    rating.dismiss()


def test_crash_notice_in_the_language_the_resident_was_using(english_ui: KioskUi) -> None:
    window = english_ui.window
    identify(english_ui, MAN_52, CENTRAL)
    handler = make_crash_handler(window)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        kind, exc, tb = sys.exc_info()
        assert kind is not None and exc is not None
        handler(kind, exc, tb)
    assert language() == "zh" and not window.services.session.identified
    assert window.message_box.title.text() == "Service interrupted"
    assert "Nothing you already submitted is lost" in window.message_box.text.text()
    window.message_box.hide()


def test_core_messages_and_printer_messages_in_english(make_services: Callable[..., Any]
                                                       ) -> None:
    services = make_services()
    pack = services.policies.current
    on = date.fromisoformat(TODAY)
    decision = next(d for d in evaluate(pack, *his_facts(), on) if d.status is Status.ELIGIBLE)
    submit_application(services.db, MAN_52, decision, "XQ01")
    set_language("en")
    with pytest.raises(DuplicateApplicationError) as refused:
        submit_application(services.db, MAN_52, decision, "XQ01")
    assert refused.value.message.startswith(f"You have already applied for \"{decision.name}\"")
    # kiosk.printing's resident messages are all in the catalogue, and in English
    messages = [v for k, v in vars(printing).items() if k.startswith("MSG_")]
    assert messages and set(messages) <= set(PRINTER_MESSAGES)
    assert all(not CHINESE.search(tr(m)) for m in messages)


def test_spoken_text_pauses_between_texts_in_either_language() -> None:
    assert spoken(["办事指南", "请选择一项政策。", ""]) == "办事指南。请选择一项政策。"
    assert spoken(["Guides", "Tap a subsidy.", "刘*兰"]) == "Guides. Tap a subsidy. 刘*兰。"


def _has_tts() -> bool:
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _has_tts(), reason="QtTextToSpeech not importable")
def test_voice_switches_to_english_and_back(qtbot: QtBot) -> None:
    from ui.speech import QtSpeaker, make_speaker

    speaker = make_speaker("mock")
    assert isinstance(speaker, QtSpeaker)
    mandarin_locale = speaker.tts.locale().name()
    set_language("en")
    with qtbot.waitSignal(speaker.finished, timeout=10_000):
        speaker.say("Place your ID card on the reader")
    assert speaker.language == "en"
    assert speaker.tts.locale().name() == "en_US"  # the mock engine's first English choice
    assert speaker.tts.voice().locale().name() == "en_US" and speaker.voice_name
    set_language("zh")
    with qtbot.waitSignal(speaker.finished, timeout=10_000):
        speaker.say("请将身份证放在读卡区")
    assert speaker.language == "zh" and speaker.tts.locale().name() == mandarin_locale


def test_kiosk_worded_condition_texts_and_answers_in_english() -> None:
    from kiosk.eligibility import Option, Question, Reason
    from ui.widgets.policy_text import STAFF_NOTE, answer_text, option_label, reason_text

    set_language("en")
    lapsed = Reason("age", None, ("birth_date",), f"在法定劳动年龄内（{STAFF_NOTE}）")
    assert reason_text(lapsed) == ("在法定劳动年龄内 (The rules for this subsidy are being "
                                   "updated. Please ask the staff.)")
    assert reason_text(Reason("x", None, (), "待确认：有劳动能力")) == "有劳动能力"  # content
    year = Question("graduation_date", "您是哪一年毕业的？", "year",
                    (Option("2025年", "2025-07-01"),))
    assert option_label(year, year.options[0]) == "2025"
    yes_no = Question("disabled", "您是否持有残疾人证？", "bool",
                      (Option("是", True), Option("否", False)))
    assert [option_label(yes_no, o) for o in yes_no.options] == ["Yes", "No"]
    assert answer_text(yes_no, False) == "No" and answer_text(None, None) == "None"
