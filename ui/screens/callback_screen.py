"""呼叫就业红娘: leave a phone number and the station's matchmaker calls back the same day.

The 乐业西青 plan's 呼叫—指派 promise (当天主动联系、3日内人岗双向推介) is said in plain
words before and after. It works with or without an ID card: the number is always asked for
on the keypad (never prefilled, so nobody's number is offered to the next person), then a
convenient time and what it is about, a confirmation restating all of it, and
:func:`kiosk.jobs.submissions.request_callback` on the worker (row + outbox in one
transaction) with a receipt. The screen forgets the number as soon as it is left.

The screen speaks the resident's language (kiosk.i18n); what is sent to the matchmaker (the
time, the topics) and the slip stay Chinese, so the tables here are Chinese marked with N_().
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from PySide6.QtCore import QEvent
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.app import Services
from kiosk.documents.model import CallbackSlip
from kiosk.i18n import N_, tr
from kiosk.identity import mask_phone
from kiosk.jobs.errors import SubmissionError, ValidationError
from kiosk.jobs.submissions import request_callback
from kiosk.jobs.vocab import date_text
from kiosk.session import Resident
from ui.ops import KioskOps
from ui.receipt_flow import ReceiptFlow
from ui.screens.base import Navigator, Screen, label
from ui.widgets.buttons import KioskButton
from ui.widgets.chip_grid import PagedChips, chip_page, fit_landscape_pages
from ui.widgets.fields import fields_grid
from ui.widgets.phone_entry import PhoneEntry, grouped
from ui.widgets.policy_card import card_frame, show_text
from ui.widgets.scroll import ScrollColumn
from ui.widgets.step_header import StepHeader, phone_header

log = logging.getLogger(__name__)

STEP_KEYS = ("phone", "time", "topic", "confirm", "done")
STEP_NAMES = [N_("电话"), N_("方便时间"), N_("咨询事项"), N_("确认"), N_("完成")]
PROMISE = N_("就业红娘会在当天给您回电，3天内为您推荐合适的岗位。")
TOPICS = (N_("找工作"), N_("政策补贴"), N_("创业"), N_("培训"), N_("其他"))  # sent as they are
ANY_TIME = N_("随时")
DEFAULT_TOPIC = N_("就业咨询")
#: (key, label, hour from which the slot has passed today; None = never)
TIMES = (("today_am", N_("今天上午"), 12), ("today_pm", N_("今天下午"), 17),
         ("tomorrow_am", N_("明天上午"), None), ("tomorrow_pm", N_("明天下午"), None),
         ("any", ANY_TIME, None))

QUESTIONS: dict[str, tuple[str, str]] = {
    "phone": (N_("请留下您的手机号码"),
              N_("就业红娘会在当天给您回电，3天内为您推荐合适的岗位。不用身份证也可以呼叫。")),
    "time": (N_("什么时候方便接电话？"), N_("选一项；不选就是随时都可以。")),
    "topic": (N_("您想咨询什么？"), N_("可以多选；不选也可以，红娘打电话时会问您。")),
    "confirm": (N_("请核对后呼叫就业红娘"), N_("确认无误后点“确认呼叫”；要修改请点“返回”。")),
    "done": (N_("已为您呼叫就业红娘"), ""),
}
RETRY_TEXT = N_("呼叫没有成功，您填的内容都还在。请再点一次“确认呼叫”；如仍不行，请到服务台咨询。")


class Requested(NamedTuple):
    number: str
    token: str
    created_at: datetime


def time_options(now: datetime) -> list[tuple[str, str]]:
    """The slots still ahead: 今天上午 is gone after noon, 今天下午 after office hours (as
    chips: in the resident's language)."""
    return [(key, tr(text)) for key, text, until in TIMES if until is None or now.hour < until]


def time_text(key: str | None, now: datetime, *, translate: bool = False) -> str:
    """What the matchmaker reads: 今天下午（11月26日）; the date makes 今天 unambiguous.
    ``translate``: the same for the resident's screen."""
    if key is None or key == "any":
        return tr(ANY_TIME) if translate else ANY_TIME
    text = dict((k, t) for k, t, _ in TIMES)[key]
    day = now.date() if key.startswith("today") else now.date() + timedelta(days=1)
    if translate:
        return tr("{slot}（{date}）").format(slot=tr(text), date=date_text(day, year=False))
    return f"{text}（{day.month}月{day.day}日）"


def _aware(at: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; they are stored in UTC."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)


class CallbackScreen(Screen):
    name = "callback"
    title = N_("呼叫就业红娘")

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps,
                 receipts: ReceiptFlow, parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self._services = services
        self._ops = ops
        self._receipts = receipts
        landscape = services.config.display.orientation == "landscape"
        self._generation = 0
        self._busy = False
        self._step = 0
        self._phone = ""
        self._now = datetime.now()  # when the times were offered (the slip says the same)
        self._done: Requested | None = None

        self._landscape = landscape
        self._header = StepHeader([tr(step) for step in STEP_NAMES])
        self.steps = self._header.steps
        self.question = self._header.question
        self.hint = self._header.hint
        self.content.addWidget(self._header)

        self.phone = PhoneEntry(N_("下一步"), landscape=landscape,
                                header=phone_header(tr(self.title),
                                                    [tr(step) for step in STEP_NAMES], 0,
                                                    *map(tr, QUESTIONS["phone"]))
                                if landscape else None)
        self.phone.accepted.connect(self._on_phone)
        columns = 3 if landscape else 2
        self.times = PagedChips(time_options(self._now), exclusive=True, columns=columns)
        self.topics = PagedChips(((t, tr(t)) for t in TOPICS), columns=columns)
        self._time_page = chip_page(self.times)
        self._topic_page = chip_page(self.topics)
        self._summary = ScrollColumn(bar_room=0)
        self._done_page = ScrollColumn(bar_room=0)
        self.pages: dict[str, QWidget] = {
            "phone": self.phone, "time": self._time_page, "topic": self._topic_page,
            "confirm": self._summary, "done": self._done_page}
        for page in self.pages.values():
            page.hide()
            self.content.addWidget(page, 1)

        self.status = label("", "ErrorText")
        self.status.hide()
        self.content.addWidget(self.status)
        self.next_button = KioskButton(tr("下一步"), role="primary")
        self.next_button.clicked.connect(self._on_next)
        self.home_button = KioskButton(tr("回到首页"), role="primary")
        self.home_button.clicked.connect(self.nav.home)
        self._buttons = QWidget()
        row = QHBoxLayout(self._buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(20)
        if landscape:  # beside 下一步: on a 1080 px screen there is no room for another row
            for picker in (self.times, self.topics):
                row.addWidget(picker.take_pager())
        row.addStretch(1)
        row.addWidget(self.home_button)
        row.addWidget(self.next_button)
        self.content.addWidget(self._buttons)
        self._reset()

    # -- entering and moving ---------------------------------------------------------------
    def on_enter(self, **kwargs: Any) -> None:
        """Always a fresh start: a number typed by someone else is never shown again."""
        self._reset()
        self._fit_pages()

    def _fit_pages(self) -> None:
        if self._landscape:
            fit_landscape_pages(self, (self.times, self.topics))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange and hasattr(self, "topics"):
            self._fit_pages()

    def step_back(self) -> bool:
        """返回 inside the flow: one step back with everything kept; False at the first step
        and after the call is placed (返回 then leaves as usual)."""
        if self._busy or self._done is not None or self._step == 0:
            return False
        self._go(self._step - 1)
        return True

    def _go(self, step: int) -> None:
        self._step = step
        key = STEP_KEYS[step]
        question, hint = (tr(text) if text else "" for text in QUESTIONS[key])
        self._header.show_step(step, question, hint,
                               hint_shown=not (self._landscape and key == "confirm"))
        own_header = self._landscape and key == "phone"  # the keypad needs the full height
        self._header.setVisible(not own_header)
        self.title_label.setVisible(not own_header)
        show_text(self.status, "", "ErrorText")
        if key == "phone":
            self.phone.set_digits(self._phone)
        if key == "confirm":
            self._fill_summary()
        for name, page in self.pages.items():
            page.setVisible(name == key)
        self.next_button.setVisible(key in ("time", "topic", "confirm"))
        self.next_button.setText(tr("确认呼叫") if key == "confirm" else tr("下一步"))
        self.next_button.setEnabled(True)
        self.home_button.setVisible(key == "done")
        self._buttons.setVisible(key != "phone")

    def _on_phone(self, digits: str) -> None:
        self._phone = digits
        self._go(STEP_KEYS.index("time"))

    def _on_next(self) -> None:
        key = STEP_KEYS[self._step]
        if key == "confirm":
            self._submit()
        elif key in ("time", "topic"):
            self._go(self._step + 1)

    # -- what will be sent -----------------------------------------------------------------
    def preferred_time(self, *, translate: bool = False) -> str:
        """As sent (Chinese), or ``translate``d for the screen."""
        return time_text(self.times.value(), self._now, translate=translate)

    def topic(self) -> str:
        """As sent: the topics' Chinese words."""
        return "、".join(self.topics.selected())

    def _topic_shown(self) -> str:
        return tr("、").join(tr(t) for t in self.topics.selected()) or tr(DEFAULT_TOPIC)

    def _fill_summary(self) -> None:
        self._summary.clear()
        resident = self._services.session.resident
        rows = [(tr("回电号码"), grouped(self._phone)),
                (tr("方便时间"), self.preferred_time(translate=True)),
                (tr("咨询事项"), self._topic_shown())]
        if resident is not None:
            rows.insert(0, (tr("称呼"), resident.name_masked))
        frame, box = card_frame()
        box.addWidget(fields_grid(rows, pairs_per_row=2 if self._landscape else 1, spacing=16))
        self._summary.add(frame)
        if resident is not None:
            note = tr("点“确认呼叫”后，您的电话号码会发给服务站的就业红娘，只用于给您回电。"
                      "您已读卡，姓名和身份证号会一并提交，方便红娘为您查询岗位和政策。")
        else:
            note = tr("点“确认呼叫”后，您的电话号码会发给服务站的就业红娘，只用于给您回电。")
        self._summary.add(label(note, "Hint"))
        self._summary.add(label(tr(PROMISE)))

    # -- submitting ------------------------------------------------------------------------
    def _submit(self) -> None:
        if self._busy:
            return
        self._busy = True
        self._generation += 1
        generation = self._generation
        services = self._services
        resident = services.session.resident
        phone, when, topic = self._phone, self.preferred_time(), self.topic()
        station_code = services.config.station.code
        self.next_button.setEnabled(False)
        show_text(self.status, tr("正在呼叫，请稍候…"), "Body")

        def work() -> Requested:
            row = request_callback(services.db, resident, phone, when, topic, station_code)
            return Requested(row.number, row.token, row.created_at)

        def done(requested: Requested) -> None:
            if generation != self._generation:
                return  # stored; the person left, so no receipt lies on the tray for others
            self._busy = False
            self._done = requested
            self._show_done(requested)
            self._receipts.print(self._slip(requested, resident, phone, when, topic),
                                 kind="callback", ref_number=requested.number,
                                 token=requested.token)
            if not self.isVisible():  # 首页 was tapped while it was being sent
                self._reset()

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self._busy = False
            self.next_button.setEnabled(True)
            if isinstance(exc, ValidationError) and exc.field == "phone":
                self._go(STEP_KEYS.index("phone"))
                self.phone._show_error(exc.message)
            elif isinstance(exc, SubmissionError):
                log.warning("callback refused: %s", exc)
                show_text(self.status, exc.message, "ErrorText")
            else:
                log.error("callback request not stored", exc_info=exc)
                show_text(self.status, tr(RETRY_TEXT), "ErrorText")

        self._ops.run(work).success(done).failure(failed)

    def _slip(self, requested: Requested, resident: Resident | None, phone: str, when: str,
              topic: str) -> CallbackSlip:
        return CallbackSlip(
            number=requested.number, phone_masked=mask_phone(phone), topic=topic,
            preferred_time=when, station=self._services.station,
            requested_at=_aware(requested.created_at).astimezone(), token=requested.token,
            name_masked=resident.name_masked if resident else "")

    def _show_done(self, requested: Requested) -> None:
        self._done_page.clear()
        frame, box = card_frame()
        box.addWidget(label(tr("就业红娘会在当天给您打电话"), "Heading"))
        box.addWidget(label(tr("请留意尾号{last4}的手机来电。3天内还会为您推荐合适的岗位。"
                               "没接到电话也不要紧，可以直接到服务站找就业红娘。").format(
            last4=self._phone[-4:])))
        box.addWidget(fields_grid([(tr("呼叫编号"), requested.number),
                                   (tr("回电号码"), mask_phone(self._phone)),
                                   (tr("方便时间"), self.preferred_time(translate=True))],
                                  spacing=16))
        self._done_page.add(frame)
        station = self._services.config.station
        self._done_page.add(label(tr("{name}\n地址：{address}\n办公时间：{hours}").format(
            name=station.name, address=station.address, hours=station.hours), "Hint"))
        self._go(STEP_KEYS.index("done"))

    # -- forgetting ------------------------------------------------------------------------
    def _reset(self) -> None:
        self._generation += 1
        self._busy = False
        self._phone = ""
        self._done = None
        self._now = datetime.now()
        self._set_times(time_options(self._now))
        self.topics.clear()
        self.phone.clear()
        self._summary.clear()
        self._done_page.clear()
        self._go(0)

    def _set_times(self, options: list[tuple[str, str]]) -> None:
        if self.times.options != options:
            self.times.set_options(options)
        self.times.clear()

    def hideEvent(self, event: QHideEvent) -> None:
        """Left the screen (首页, 返回, idle): forget the number now, not at the next visit."""
        super().hideEvent(event)
        if not self._busy and (self._phone or self._done is not None):
            self._reset()

    def clear_personal(self) -> None:
        self._reset()

    # -- screenshots -----------------------------------------------------------------------
    def screenshot_states(self) -> Iterator[str]:
        """Each step with a sample number (nothing is sent), for review and the audit."""
        self.phone.type_digits("2381234")
        self.phone.keypad.buttons["下一步"]._last_click = 0.0
        self.phone.press("下一步")
        yield "phone_error"
        self._phone = "13812345678"
        self._go(STEP_KEYS.index("time"))
        yield "time"
        self.topics.set_selected(["找工作", "培训"])
        self._go(STEP_KEYS.index("topic"))
        yield "topic"
        self._go(STEP_KEYS.index("confirm"))
        yield "confirm"
        self._show_done(Requested("HJ-YLQ01-261126-6TPX", "sample", datetime.now()))
        yield "done"
        self._reset()
