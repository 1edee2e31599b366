"""我能享受哪些政策 / 补充信息 / 一键申报 through the real window, by tapping.

Real SQLite through ``make_services``, the real rule pack, real PDFs in the PDF-folder
printer's folder, and a simulated ESC/POS printer on loopback TCP for the paper-out path.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import ui_support
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from ui_support import fixed_today, identify, pdf_text, screen_of, tap, wait_receipt

from drivers.printer.simulator import PrinterSimulator
from kiosk.eligibility import Status
from kiosk.eligibility.apply import submit_application
from kiosk.identity import check_character
from kiosk.session import Resident
from kiosk.store.models import Application, OutboxRecord
from ui.launch import KioskUi
from ui.screens.apply_screen import ApplyScreen
from ui.screens.policies_screen import PoliciesScreen
from ui.screens.policy_detail_screen import PolicyDetailScreen
from ui.screens.questionnaire_screen import QuestionnaireScreen
from ui.widgets.policy_text import AUTO_NOTE, LIKELY_TEXT

TODAY = "2026-11-26"
ID17 = "12011119740601003"
ID_NUMBER = ID17 + check_character(ID17)
MAN_52 = Resident(id_number=ID_NUMBER, name="王建国", card_type="resident", gender="male",
                  birth_date=date(1974, 6, 1), key="k" * 32)
GRAD17 = "12011120030510002"
GRADUATE = Resident(id_number=GRAD17 + check_character(GRAD17), name="张小明",
                    card_type="resident", gender="male", birth_date=date(2003, 5, 10),
                    key="g" * 32)
# What the 人社 lookup would say about him: registered unemployed since March, wants to
# start a business (→ 创业担保贷款 eligible), the rest of 就业困难人员认定 waits for answers.
CENTRAL = {
    "hukou_tianjin": True, "hukou_rural": False, "owns_contracted_farmland": False,
    "employment_status": "unemployed", "unemployment_registered_on": "2026-03-01",
    "ui_contribution_months": 60, "difficulty_certified_on": None, "received": [],
    "business_registered_on": None, "wants_to_start_business": True,
    "zero_employment_household": False, "low_income_household": False,
}
GRADUATE_CENTRAL = {
    "hukou_tianjin": True, "employment_status": "unemployed", "education_level": "bachelor",
    "full_time_graduate": True, "graduation_date": "2025-06-30", "school_in_tianjin": True,
}


_fixed_today = fixed_today(TODAY)
# As these tests were written: every label not itself hidden counts, not only what shows.
texts = partial(ui_support.texts, visible_only=False)


def open_results(ui: KioskUi, qtbot: QtBot) -> PoliciesScreen:
    window = ui.window
    tap(qtbot, window.home_screen.tiles["policies"])
    screen = screen_of(ui, PoliciesScreen)
    assert window.current.name == screen.name
    settled(qtbot, screen)
    return screen


def settled(qtbot: QtBot, results: PoliciesScreen) -> None:
    """The results list shows a check decided after the screen was (re-)entered."""
    qtbot.waitUntil(lambda: not results.loading and bool(results.cards), timeout=5000)


def counts(ui: KioskUi) -> tuple[list[Application], list[OutboxRecord]]:
    with ui.window.services.db.read() as s:
        return (list(s.scalars(select(Application))),
                list(s.scalars(select(OutboxRecord).where(OutboxRecord.kind == "application"))))


# -- results ---------------------------------------------------------------------------------

def test_without_a_card_invites_to_read_it_or_browse_the_guide(make_ui: Callable[..., KioskUi],
                                                               qtbot: QtBot) -> None:
    ui = make_ui()
    window = ui.window
    tap(qtbot, window.home_screen.tiles["policies"])
    screen = screen_of(ui, PoliciesScreen)
    assert window.current.name == screen.name and screen.invite.isVisible()
    assert "请将身份证放在读卡区" in texts(screen)
    assert not screen.cards
    tap(qtbot, screen.guide_button)
    assert window.current.name == "guide"


def test_results_are_grouped_with_mode_amount_and_likely(make_ui: Callable[..., KioskUi],
                                                         qtbot: QtBot) -> None:
    ui = make_ui()
    identify(ui, MAN_52, CENTRAL)
    screen = open_results(ui, qtbot)
    check = screen._visit.check
    assert check is not None
    status = {d.policy: d.status for d in check.decisions}
    assert status["startup-guarantee-loan"] is Status.ELIGIBLE
    assert status["difficulty-recognition"] is Status.NEEDS_INFO
    assert status["unemployment-registration"] is Status.INELIGIBLE  # already registered
    # the list may be rebuilt once more when a late session notification arrives
    qtbot.waitUntil(lambda: "可以享受（" in texts(screen), timeout=5000)
    shown = texts(screen)
    assert "王*国，为您核对了 9 项政策" in shown
    for heading in ("可以享受（", "需要补充信息（", "暂不符合（"):
        assert heading in shown
    assert shown.index("可以享受（") < shown.index("需要补充信息（") < shown.index("暂不符合（")
    loan = screen.cards["startup-guarantee-loan"]
    assert "创业担保贷款及贴息" in texts(loan) and "需申请" in texts(loan)
    assert "待遇：" in texts(loan)
    assert loan.apply_button is not None and loan.apply_button.text() == "一键申报"
    assert screen.cards["unemployment-registration"].apply_button is None
    assert "已有失业登记记录" in texts(screen.cards["unemployment-registration"])
    assert screen.questions_button.isVisible()
    assert "王建国" not in shown and ID_NUMBER not in shown


def test_why_shows_each_condition_and_where_its_facts_came_from(
        make_ui: Callable[..., KioskUi], qtbot: QtBot) -> None:
    ui = make_ui()
    identify(ui, MAN_52, CENTRAL)
    screen = open_results(ui, qtbot)
    tap(qtbot, screen.cards["difficulty-recognition"].why_button)
    detail = screen_of(ui, PolicyDetailScreen)
    assert ui.window.current.name == detail.name
    shown = texts(detail)
    assert detail.title_label.text() == "就业困难人员认定"
    assert "结论：需要补充信息" in shown
    assert "【符合】" in shown and "【待确认】" in shown
    assert "本市户籍" in shown and "依据：人社记录" in shown
    assert "在法定劳动年龄内" in shown and "依据：身份证" in shown  # age from the card
    assert "有劳动能力" in shown and "待确认：有劳动能力" not in shown
    assert "需要准备的材料" in shown and "户口簿" in shown
    assert detail.questions_button.isVisible() and not detail.apply_button.isVisible()
    ui.window.nav.back._last_click = 0.0
    tap(qtbot, ui.window.nav.back)
    assert ui.window.current.name == screen.name


# -- questionnaire ---------------------------------------------------------------------------

def answer(qtbot: QtBot, questionnaire: QuestionnaireScreen, option_label: str) -> None:
    """Tap the option with this label (turning pages if needed), then wait for the next."""
    asked = questionnaire._visit.asked
    for _ in range(5):
        buttons = {b.text(): b for b in questionnaire.option_buttons.values()}
        if option_label in buttons:
            tap(qtbot, buttons[option_label])
            break
        tap(qtbot, questionnaire.next_button)
    else:
        raise AssertionError(f"no option {option_label!r}")
    qtbot.waitUntil(lambda: questionnaire._visit.asked == asked + 1 and
                    not questionnaire._busy, timeout=5000)


def test_questionnaire_asks_one_question_at_a_time_and_reevaluates(
        make_ui: Callable[..., KioskUi], qtbot: QtBot) -> None:
    ui = make_ui()
    window = ui.window
    session = window.services.session
    identify(ui, MAN_52, CENTRAL)
    results = open_results(ui, qtbot)
    tap(qtbot, results.questions_button)
    q = screen_of(ui, QuestionnaireScreen)
    assert window.current.name == q.name
    qtbot.waitUntil(lambda: q._question is not None, timeout=5000)
    assert q.title_label.text() == "补充信息 · 第 1 题"
    answered: dict[str, Any] = {}
    for _ in range(12):  # answer "是" to yes/no questions, skip the rest, until both are known
        question = q._question
        if question is None or {"able_to_work", "willing_to_work"} <= answered.keys():
            break
        if question.kind == "bool":
            answer(qtbot, q, "是")
            answered[question.fact] = True
            assert session.fact_sources[question.fact] == "declared"
            assert session.facts[question.fact] is True
        else:
            asked = q._visit.asked

            def skipped(a: int = asked) -> bool:
                return q._visit.asked == a + 1 and not q._busy

            tap(qtbot, q.unsure_button)
            qtbot.waitUntil(skipped, timeout=5000)
            assert question.fact in q._visit.skip and question.fact not in session.facts
        if q._question is not None:
            assert q.title_label.text().endswith(f"第 {q._visit.asked + 1} 题")
            assert q._question.fact not in answered and q._question.fact not in q._visit.skip
    assert {"able_to_work", "willing_to_work"} <= answered.keys()
    assert q._visit.check is not None
    decision = q._visit.check.decision("difficulty-recognition")
    assert decision is not None  # decided again, on the answers:
    assert decision.status is Status.ELIGIBLE and decision.likely
    if q._question is not None:
        tap(qtbot, q.results_button)
    assert window.current.name == results.name
    settled(qtbot, results)
    card = results.cards["difficulty-recognition"]
    assert LIKELY_TEXT in texts(card)
    assert "已根据您的" in results.note.text()
    tap(qtbot, card.why_button)
    assert "依据：您的回答" in texts(screen_of(ui, PolicyDetailScreen))

    tap(qtbot, window.nav.exit)  # 退出: the answers are this visit's only
    assert not session.identified and not session.facts
    assert q._visit.check is None and not q._visit.skip and q._visit.asked == 0
    assert q._question is None and not q.question.text()
    assert not results.cards
    assert "王*国" not in texts(results) and "您的回答" not in texts(screen_of(ui, ApplyScreen))


def test_multiple_choice_pages_and_none_of_these(make_ui: Callable[..., KioskUi],
                                                 qtbot: QtBot) -> None:
    ui = make_ui()
    central = dict(CENTRAL)
    del central["received"]  # → "which of these have you had?" (nine policies, two pages)
    identify(ui, MAN_52, central)
    results = open_results(ui, qtbot)
    tap(qtbot, results.questions_button)
    q = screen_of(ui, QuestionnaireScreen)
    qtbot.waitUntil(lambda: q._question is not None, timeout=5000)
    assert q._question is not None
    assert q._question.fact == "received" and q._question.multiple
    assert len(q.option_buttons) <= 6 and q.next_button.isVisible()
    assert q.confirm_button.text() == "都没有"
    first = next(iter(q.option_buttons.values()))
    tap(qtbot, first)
    assert first.isChecked() and q.confirm_button.text() == "确定（已选 1 项）"
    tap(qtbot, q.next_button)  # the choice survives turning the page
    tap(qtbot, q.prev_button)
    first = next(iter(q.option_buttons.values()))  # the page was built again
    assert first.isChecked()
    tap(qtbot, first)  # untick: none of these
    asked = q._visit.asked
    tap(qtbot, q.confirm_button)
    qtbot.waitUntil(lambda: q._visit.asked == asked + 1 and not q._busy, timeout=5000)
    assert ui.window.services.session.facts["received"] == []


# -- 一键申报 --------------------------------------------------------------------------------

def submit(ui: KioskUi, qtbot: QtBot, policy: str) -> ApplyScreen:
    results = screen_of(ui, PoliciesScreen)
    card = results.cards[policy]
    assert card.apply_button is not None
    tap(qtbot, card.apply_button)
    apply = screen_of(ui, ApplyScreen)
    assert ui.window.current.name == apply.name
    qtbot.waitUntil(lambda: apply.submit_button.isVisible() or apply.more_button.isVisible(),
                    timeout=5000)  # decided again with the facts of this moment
    return apply


def test_apply_confirms_stores_application_and_outbox_and_prints(
        make_ui: Callable[..., KioskUi], qtbot: QtBot, tmp_path: Path) -> None:
    ui = make_ui()
    window = ui.window
    identify(ui, MAN_52, CENTRAL)
    open_results(ui, qtbot)
    window.services.session.add_facts({"able_to_work": True}, "declared")
    apply = submit(ui, qtbot, "startup-guarantee-loan")
    shown = texts(apply)
    for expected in ("创业担保贷款及贴息", "王*国", "120111********" + ID_NUMBER[-4:],
                     "初步判断", "您的回答", "到哪里办", "准备材料", "创业项目计划书"):
        assert expected in shown, expected
    assert ID_NUMBER not in shown and "王建国" not in shown
    assert apply.submit_button.text() == "确认提交" and apply.back_button.isVisible()
    assert counts(ui) == ([], [])

    tap(qtbot, apply.submit_button)
    overlay = wait_receipt(qtbot, ui, timeout_ms=10000)
    assert overlay.title.text() == "请取走您的回执"
    apps, outbox = counts(ui)
    assert len(apps) == 1 and len(outbox) == 1
    app = apps[0]
    assert (app.policy_id, app.status, app.name_masked) == ("startup-guarantee-loan",
                                                             "submitted", "王*国")
    body = json.loads(outbox[0].body)
    assert body["number"] == app.number and body["policy"] == "startup-guarantee-loan"
    assert body["resident"]["id_number"] == ID_NUMBER  # only the outbox carries it
    assert body["declared"] == {"able_to_work": True}
    assert app.number in overlay.text.text()
    printed = list((tmp_path / "printed").glob("*.pdf"))
    assert len(printed) == 1 and app.number in printed[0].name
    text = pdf_text(printed[0])
    for expected in ("申请回执", app.number, "王*国", "创业担保贷款及贴息", "规则版本"):
        assert expected in text, expected
    assert ID_NUMBER not in text

    tap(qtbot, overlay.ok)
    assert "申请已提交" in apply.lead.text() and app.number in texts(apply)
    tap(qtbot, apply.more_button)
    results = screen_of(ui, PoliciesScreen)
    assert window.current.name == results.name
    assert results.cards["startup-guarantee-loan"].apply_button is None  # at once
    settled(qtbot, results)
    loan = results.cards["startup-guarantee-loan"]
    assert loan.apply_button is None and app.number in texts(loan)


def test_a_duplicate_application_is_refused_kindly(make_ui: Callable[..., KioskUi],
                                                   qtbot: QtBot) -> None:
    ui = make_ui()
    services = ui.window.services
    identify(ui, MAN_52, CENTRAL)
    results = open_results(ui, qtbot)
    apply = submit(ui, qtbot, "startup-guarantee-loan")
    # Meanwhile the same application arrived another way (an earlier tap, another screen).
    decision = results._visit.decision("startup-guarantee-loan")
    assert decision is not None
    earlier = submit_application(services.db, MAN_52, decision, services.config.station.code)
    tap(qtbot, apply.submit_button)
    qtbot.waitUntil(lambda: not apply._busy and apply.more_button.isVisible(), timeout=5000)
    assert apply.lead.text() == "您已经申请过了"
    assert earlier.number in texts(apply) and "无需重复提交" in texts(apply)
    assert not ui.window.receipts.overlay.isVisible()
    assert len(counts(ui)[0]) == 1
    tap(qtbot, apply.more_button)
    assert ui.window.current.name == results.name
    settled(qtbot, results)
    assert results.cards["startup-guarantee-loan"].apply_button is None


@pytest.fixture
def paper_out() -> Iterator[PrinterSimulator]:
    sim = PrinterSimulator("tcp", paper="out")
    sim.start()
    try:
        yield sim
    finally:
        sim.stop()


def test_paper_out_shows_the_qr_and_keeps_the_application(
        make_ui: Callable[..., KioskUi], qtbot: QtBot, paper_out: PrinterSimulator) -> None:
    ui = make_ui(f'[printer]\nbackend = "escpos-tcp"\nhost = "127.0.0.1"\n'
                 f'tcp_port = {paper_out.port}\n')
    identify(ui, MAN_52, CENTRAL)
    open_results(ui, qtbot)
    apply = submit(ui, qtbot, "startup-guarantee-loan")
    tap(qtbot, apply.submit_button)
    overlay = wait_receipt(qtbot, ui, timeout_ms=10000)
    assert overlay.title.text() == "回执暂时无法打印"
    assert "缺纸" in overlay.text.text() and "已办理成功" in overlay.text.text()
    apps, outbox = counts(ui)
    assert len(apps) == 1 and len(outbox) == 1
    assert apps[0].number in overlay.text.text()
    assert overlay.qr.isVisible()
    assert overlay.qr.data == ui.window.services.receipt_url(apps[0].token)
    assert paper_out.pages_received == 0


def test_a_免申即享_policy_asks_to_confirm_and_records_its_mode(
        make_ui: Callable[..., KioskUi], qtbot: QtBot) -> None:
    ui = make_ui()
    identify(ui, GRADUATE, GRADUATE_CENTRAL)
    results = open_results(ui, qtbot)
    card = results.cards["graduate-assistance"]
    assert "免申即享" in texts(card)
    assert card.apply_button is not None and card.apply_button.text() == "确认享受"
    apply = submit(ui, qtbot, "graduate-assistance")
    assert apply.lead.text() == AUTO_NOTE and apply.submit_button.text() == "确认享受"
    tap(qtbot, apply.submit_button)
    qtbot.waitUntil(lambda: ui.window.receipts.overlay.ok.isVisible(), timeout=10000)
    apps, outbox = counts(ui)
    assert [a.policy_id for a in apps] == ["graduate-assistance"]
    assert json.loads(outbox[0].body)["mode"] == "auto"
    tap(qtbot, ui.window.receipts.overlay.ok)
    assert apply.lead.text() == "已确认您的意愿"


def test_a_result_arriving_after_the_resident_left_is_dropped(
        make_ui: Callable[..., KioskUi], qtbot: QtBot) -> None:
    ui = make_ui()
    window = ui.window
    identify(ui, MAN_52, CENTRAL)
    tap(qtbot, window.home_screen.tiles["policies"])
    window.end_session()  # gone before the worker answered
    screen = screen_of(ui, PoliciesScreen)
    done: list[int] = []
    ui.ops.run(lambda: 1).success(done.append)  # one worker, in order: the check is done first
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert not screen.cards and screen._visit.check is None
    assert "王*国" not in texts(screen)
