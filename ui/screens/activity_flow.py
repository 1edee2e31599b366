"""What the activities screens share: loading on the worker, the detail pages, and the
我要参加 / 我要报名 / 预约导师 flow.

:class:`ActivityScreen` is the base of them all: the catalogue, the worker, and an answer
that only lands on the visit (and, for personal answers, the resident) that asked for it.
:class:`ActivityListScreen` is a list of cards that re-lays itself when the screen turns wide;
:class:`ActivityDetailScreen` is one item in full (an event, a live session, a course, a
project, a mentor, a notice) with its QR and actions — each subclass says only how to read its
item and what cards to show.

The three sign-ups ask the same things in the same order — the card, a mobile number,
(for a mentor) what about and when, a confirmation that restates everything that will be
sent, then the record and its slip — so they share :class:`ActivityFlowScreen` and differ only
in what they load, show and submit (the subclasses in events_screen.py, training_screen.py and
entrepreneur_screen.py).

Without a card the first step asks for one and the flow carries on by itself once it is read:
the window greets a new card on the home screen, and this screen brings the resident back to
the item's detail and on into the flow, so nobody has to find the event again. The number is
always typed here (never prefilled: the next person must not see it) and forgotten on 退出,
the idle timeout, and when the screen is left before submitting.

The record and its outbox row are written on the worker in one transaction by the core
(kiosk.activities.submissions); signing up twice is refused kindly (``AlreadyDone``) and the
slip is printed through the window's :class:`~ui.receipt_flow.ReceiptFlow`.

Texts are Chinese message ids shown through ``tr`` (kiosk.i18n) when they are put on screen;
what the resident picks is kept and submitted in Chinese (the records and the printed slip
stay Chinese), whatever language the chips showed it in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QEvent
from PySide6.QtGui import QHideEvent, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.activities.model import AlreadyDone, Submitted
from kiosk.app import Services
from kiosk.i18n import N_, tr
from kiosk.jobs.errors import SubmissionError, ValidationError
from kiosk.session import Resident
from ui.ops import KioskOps
from ui.receipt_flow import ReceiptFlow
from ui.screens.base import Navigator, Screen, is_wide, label
from ui.widgets.activity_cards import CardList, DetailBody
from ui.widgets.buttons import KioskButton
from ui.widgets.card_prompt import card_prompt_page
from ui.widgets.card_wait import CardWait
from ui.widgets.chip_grid import PagedChips, chip_page, fit_landscape_pages
from ui.widgets.fields import fields_grid
from ui.widgets.phone_entry import PhoneEntry, grouped
from ui.widgets.policy_card import card_frame, show_text
from ui.widgets.scroll import ScrollColumn
from ui.widgets.step_header import StepHeader, phone_header

log = logging.getLogger(__name__)
T = TypeVar("T")

ACTIONS_WIDTH = 400  # landscape: the column with the buttons (and a message above them)
RETRY_TEXT = N_("没有提交成功，您填的内容都还在。请再点一次“{submit}”；"
                "如仍不行，请咨询服务站工作人员。")
STEP_NAMES = (N_("放身份证"), N_("联系电话"), N_("确认"), N_("完成"))
ANY_TIME = N_("都可以")


class ActivityScreen(Screen):
    """The catalogue and the worker, and :meth:`fetch`: read on the worker, show on the GUI
    thread, and drop an answer that comes back after the resident moved on."""

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps, catalogue: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self._services = services
        self._ops = ops
        self._catalogue = catalogue
        self._generation = 0
        self.loading = False

    def fetch(self, work: Callable[[], T], done: Callable[[T], None],
              failed: Callable[[BaseException], None], what: str, *,
              for_resident: bool = False) -> None:
        """``work()`` on the worker; then ``done(result)`` or (logged) ``failed(exc)`` on
        the GUI thread — unless another fetch, :meth:`clear_personal` or (``for_resident``:
        the answer is about the person at the kiosk) a change of resident came first."""
        self._generation += 1
        generation = self._generation
        resident = self._services.session.resident
        self.loading = True

        def current() -> bool:
            return generation == self._generation and not (
                for_resident and self._services.session.resident is not resident)

        def ok(result: T) -> None:
            if current():
                self.loading = False
                done(result)

        def bad(exc: BaseException) -> None:
            if current():
                log.error("%s: %s could not be read", self.name, what, exc_info=exc)
                self.loading = False
                failed(exc)

        self._ops.run(work).success(ok).failure(bad)

    def clear_personal(self) -> None:
        """Whatever is on its way is for someone who has gone."""
        self._generation += 1
        self.loading = False


class ActivityListScreen(ActivityScreen):
    """A scrolling list of cards; :meth:`show_list` builds them from what was read, again when
    the screen turns wide (buttons beside the texts) or narrow (under them)."""

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps, catalogue: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, services, ops, catalogue, parent)
        self.list = CardList()
        self._wide = services.config.display.orientation == "landscape"
        self._read = False  # something to render (a resize before the first answer: not yet)

    def load(self, work: Callable[[], T], done: Callable[[T], None], what: str,
             failed_text: str) -> None:
        """Read the list (正在查找… meanwhile); ``failed_text`` (Chinese) if it cannot be."""
        self.list.show_status(tr("正在查找…"))

        def arrived(result: T) -> None:
            self._read = True
            done(result)

        def failed(_exc: BaseException) -> None:
            self._read = False
            self.list.clear()
            self.list.show_status(tr(failed_text), "ErrorText")

        self.fetch(work, arrived, failed, what)

    def show_list(self) -> None:
        """Build the cards from what the screen holds."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wide = is_wide(self)
        if wide != self._wide:
            self._wide = wide
            if self._read:
                self.show_list()


class ActivityDetailScreen(ActivityScreen):
    """One item in full: cards in a :class:`DetailBody` with its QR and actions.

    Subclasses set the Chinese texts below, :meth:`read` the item on the worker (None when it
    is gone) and :meth:`present` it; ``item_id`` in ``on_enter`` says which. Coming back to the
    same item (from a job, from the sign-up) shows the page as it was, unless
    ``reload_on_enter`` (seats change, the subsidy depends on the card).
    """

    #: without an item / gone since the list showed it / cannot be read
    nothing_text = ""
    gone_text = ""
    failed_text = ""
    qr_caption = ""
    reload_on_enter = False
    for_resident = False  # the page holds something about the resident: drop it on a change

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps, catalogue: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, services, ops, catalogue, parent)
        self.item_id = ""
        self.current: Any = None
        self.body = DetailBody(self.make_buttons(),
                               qr_caption=tr(self.qr_caption) if self.qr_caption else "")
        self.content.addWidget(self.body, 1)
        self.body.arrange(services.config.display.orientation == "landscape")
        self.show_nothing(tr(self.nothing_text))

    def on_enter(self, **kwargs: Any) -> None:
        """``item_id``: the item (kept when the screen is shown again without one)."""
        item_id = str(kwargs.get("item_id") or self.item_id)
        if not item_id:
            self.show_nothing(tr(self.nothing_text))
            return
        same = item_id == self.item_id and self.current is not None
        if same and not self.reload_on_enter:
            return  # back from a job or the sign-up: as it was
        self.item_id = item_id
        if not same:
            self.current = None
            self.body.list.clear()
            self.body.list.show_status(tr("正在打开…"))
            self.body.side.hide()

        def done(found: Any) -> None:
            if found is None:
                self.show_nothing(tr(self.gone_text))
                return
            rows = self.body.list
            position = rows.area.verticalScrollBar().value() if same else 0
            self.current = found
            rows.clear()
            rows.show_status("")
            self.present(found)
            rows.area.verticalScrollBar().setValue(position)
            for button in self.body.buttons:
                button.show()
            self.body.side.show()

        self.fetch(lambda: self.read(item_id), done,
                   lambda _exc: self.show_nothing(tr(self.failed_text)), item_id,
                   for_resident=self.for_resident)

    def show_nothing(self, text: str) -> None:
        self.current = None
        self.body.list.clear()
        self.body.list.show_status(text)
        self.body.set_qr("")
        for button in self.body.buttons:
            button.hide()
        self.body.side.hide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.body.arrange(is_wide(self))

    def clear_personal(self) -> None:
        super().clear_personal()
        self.item_id = ""
        self.show_nothing(tr(self.nothing_text))

    # -- hooks -----------------------------------------------------------------------------
    def make_buttons(self) -> list[KioskButton]:
        """The page's actions (shown with an item, hidden without one)."""
        return []

    def read(self, item_id: str) -> Any:
        """Worker thread: what the page shows, or None when the item is gone."""
        raise NotImplementedError

    def present(self, found: Any) -> None:
        """Add the cards to ``self.body.list`` and set the QR (the list is empty)."""
        raise NotImplementedError


@dataclass(frozen=True)
class ChipStep:
    """One extra question answered by tapping chips (预约导师: what about, when). Texts are
    Chinese (shown through tr); the chosen options' Chinese words are what is submitted."""

    key: str
    name: str  # in the step indicator
    question: str
    hint: str
    options: tuple[tuple[str, str], ...]
    exclusive: bool = True
    empty: str = ANY_TIME  # what the confirmation says (and is sent) when nothing is picked


class ActivityFlowScreen(ActivityScreen):
    """The shared flow; subclasses fill in the hooks at the foot of the class."""

    needs_identity = False  # the flow asks for the card as its first step itself
    #: the detail screen the flow starts from (and returns through after a card read)
    detail_screen = ""
    #: the printer's document kind and the words on the buttons (Chinese; shown through tr)
    print_kind = ""
    submit_text = N_("确认提交")
    lead_text = N_("报名")
    extra_steps: tuple[ChipStep, ...] = ()

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps,
                 receipts: ReceiptFlow, catalogue: Any, parent: QWidget | None = None) -> None:
        super().__init__(nav, services, ops, catalogue, parent)
        self._receipts = receipts
        self._landscape = services.config.display.orientation == "landscape"
        self._busy = False
        self.item_id = ""
        self.item: Any = None
        self.phone = ""
        self.submitted: Submitted | None = None
        self._step = ""
        self._extra = {s.key: s for s in self.extra_steps}
        card, phone, confirm, done = STEP_NAMES
        names = [tr(n) for n in (card, phone, *(s.name for s in self.extra_steps), confirm,
                                 done)]
        self._step_keys = ["card", "phone", *(s.key for s in self.extra_steps), "confirm",
                           "done"]
        self._header = StepHeader(names, spacing=16)
        self.steps = self._header.steps
        self.question = self._header.question
        self.hint = self._header.hint
        self.content.addWidget(self._header)
        self.pages = QStackedWidget()
        # Portrait: the actions in a row under the page. Landscape: in a column at its right,
        # so the page keeps the little height there is (what will be sent, in 长辈模式).
        self._main = QBoxLayout(QBoxLayout.Direction.LeftToRight if self._landscape
                                else QBoxLayout.Direction.TopToBottom)
        self._main.setSpacing(24)
        self._main.addWidget(self.pages, 1)
        self.content.addLayout(self._main, 1)

        # -- the card --------------------------------------------------------------------
        self.card_page = card_prompt_page(
            label(tr("读卡成功后会自动回到这里继续，不用重新查找。")), centred=True)
        self.pages.addWidget(self.card_page)

        # -- the phone number ------------------------------------------------------------
        # landscape: beside the keypad, instead of above it
        self.phone_header = phone_header(tr(self.title), names, 1, tr("请留下您的手机号码"), "",
                                         spacing=16)
        self.phone_hint = self.phone_header.hint
        self.phone_entry = PhoneEntry(N_("下一步"), landscape=self._landscape,
                                      header=self.phone_header if self._landscape else None)
        if not self._landscape:  # portrait: PhoneEntry has its own heading
            self.phone_header.setParent(self)
            self.phone_header.hide()
        self.phone_entry.accepted.connect(self._phone_given)
        self.pages.addWidget(self.phone_entry)

        # -- extra questions (chips) -----------------------------------------------------
        self.chips: dict[str, PagedChips] = {}
        self._chip_pages: dict[str, QWidget] = {}
        columns = 3 if self._landscape else 2
        for step in self.extra_steps:
            chips = PagedChips([(value, tr(text)) for value, text in step.options],
                               exclusive=step.exclusive, columns=columns)
            page = chip_page(chips)
            self.chips[step.key] = chips
            self._chip_pages[step.key] = page
            self.pages.addWidget(page)

        # -- the confirmation ------------------------------------------------------------
        self.confirm_page = ScrollColumn(direction=QBoxLayout.Direction.LeftToRight
                                         if self._landscape else QBoxLayout.Direction.TopToBottom)
        self.pages.addWidget(self.confirm_page)

        # -- the outcome -----------------------------------------------------------------
        self.result_page = ScrollColumn()
        self.pages.addWidget(self.result_page)

        self.status = label("", "ErrorText")
        self.status.hide()
        self.next_button = KioskButton(tr("下一步"), role="primary")
        self.next_button.clicked.connect(self._on_next)
        self.more_button = KioskButton(tr("看看其他的"))
        self.more_button.clicked.connect(self._more)
        self.home_button = KioskButton(tr("回到首页"), role="primary")
        self.home_button.clicked.connect(self.nav.home)
        self._buttons = QWidget()
        column = QVBoxLayout(self._buttons)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(20)
        row = QBoxLayout(QBoxLayout.Direction.TopToBottom if self._landscape
                         else QBoxLayout.Direction.LeftToRight)
        row.setSpacing(20)
        row.addStretch(1)
        for button in (self.more_button, self.home_button, self.next_button):
            row.addWidget(button)
        if self._landscape:
            self._buttons.setMaximumWidth(ACTIONS_WIDTH)
            column.addLayout(row, 1)
            column.insertWidget(0, self.status)
        else:
            column.addWidget(self.status)
            column.addLayout(row)
        self._main.addWidget(self._buttons)

        self._card_wait = CardWait(services.session, self, self._card_read)
        self._show_result(self.nothing_text(), "", done=False)

    # -- entering --------------------------------------------------------------------------
    def on_enter(self, **kwargs: Any) -> None:
        """``item_id``: what to sign up for (kept when the screen is shown again)."""
        self.item_id = str(kwargs.get("item_id") or self.item_id)
        self._generation += 1
        self._busy = False
        self._card_wait.waiting = False
        self.submitted = None
        self.phone = ""
        self.phone_entry.clear()
        for chips in self.chips.values():
            chips.clear()
        self._fit_pages()
        if not self.item_id:
            self._show_result(self.nothing_text(), "", done=False)
            return
        resident = self._services.session.resident
        item_id = self.item_id
        self._show_step("card" if resident is None else "phone")
        self.question.setText(tr("请稍候…"))
        self.pages.hide()

        def done(item: Any) -> None:
            self.pages.show()
            self.item = item
            if item is None:
                self._show_result(tr("这项活动已经结束或取消了"), tr("请看看其他的活动。"),
                                  done=False)
            elif not self.can_start(item):
                self._show_result(*self.refusal(item), done=False)
            elif resident is None:
                self._ask_for_card()
            else:
                self._show_step("phone")

        def failed(_exc: BaseException) -> None:
            self.pages.show()
            self._show_result(tr("暂时无法办理"),
                              tr("信息暂时无法读取，请稍后再试，或咨询服务站工作人员。"),
                              done=False)

        self.fetch(lambda: self.load(item_id), done, failed, item_id, for_resident=True)

    def _still_here(self, generation: int, resident: Resident | None) -> bool:
        """The answer is for the person still at the kiosk, on this visit to the screen."""
        return generation == self._generation and self._services.session.resident is resident

    # -- the card --------------------------------------------------------------------------
    def _ask_for_card(self) -> None:
        self._show_step("card")
        self._card_wait.waiting = True

    def retire(self) -> None:
        self._card_wait.stop()

    def _card_read(self) -> None:
        if self._services.session.identified and self.item_id:
            self.nav.show_screen(self.detail_screen, item_id=self.item_id)
            self.nav.show_screen(self.name, item_id=self.item_id)

    # -- moving between steps ----------------------------------------------------------------
    def _show_step(self, key: str) -> None:
        self._step = key
        extra = self._extra
        if key == "card":
            question = tr("{action}：{item}").format(action=tr(self.lead_text),
                                                    item=self.item_title())
            hint = tr("办理需要核对您的身份。")
        elif key == "phone":
            question = tr("请留下您的手机号码")
            hint = self.phone_reason()
            self.phone_hint.setText(hint)
        elif key in extra:
            question, hint = tr(extra[key].question), tr(extra[key].hint)
        elif key == "confirm":
            question = tr("请核对以下信息")
            hint = tr("确认无误后点“{submit}”；要修改请点“返回”。").format(
                submit=tr(self.submit_text))
        else:
            question, hint = "", ""
        self._header.show_step(self._step_keys.index(key), question, hint,
                               hint_shown=not (self._landscape and key == "confirm"))
        self.steps.show()
        self.question.setVisible(bool(question))
        own_header = self._landscape and key == "phone"  # the keypad needs the full height
        self._header.setVisible(not own_header)
        self.title_label.setVisible(not own_header)
        self.status.hide()
        page: QWidget = {"card": self.card_page, "phone": self.phone_entry,
                         "confirm": self.confirm_page, "done": self.result_page
                         }.get(key) or self._chip_pages[key]
        if key == "phone":
            self.phone_entry.set_digits(self.phone)
        if key == "confirm":
            self._fill_summary()
        self.pages.setCurrentWidget(page)
        self.pages.show()
        self.next_button.setVisible(key in extra or key == "confirm")
        self.next_button.setText(tr(self.submit_text) if key == "confirm" else tr("下一步"))
        self.next_button.setEnabled(True)
        self.more_button.setVisible(key == "done")
        self.home_button.setVisible(key == "done")
        self._buttons.setVisible(key not in ("card", "phone"))

    def _phone_given(self, digits: str) -> None:
        self.phone = digits
        self._show_step(self._step_keys[self._step_keys.index("phone") + 1])

    def _on_next(self) -> None:
        if self._step == "confirm":
            self._submit()
        elif self._step in self.chips:
            self._show_step(self._step_keys[self._step_keys.index(self._step) + 1])

    def step_back(self) -> bool:
        """返回 inside the flow: one step back with everything kept; at the first question
        and after submitting, 返回 leaves as usual."""
        if self._busy or self._step in ("card", "phone", "done", ""):
            return False
        self._show_step(self._step_keys[self._step_keys.index(self._step) - 1])
        return True

    def _more(self) -> None:
        self.nav.back()

    # -- what will be sent -----------------------------------------------------------------
    def choice(self, key: str) -> str:
        """The chosen options' Chinese words for an extra step, joined with 、 ("" for none):
        what is submitted and printed, whatever language the chips were shown in."""
        words = dict(self._extra[key].options)
        return "、".join(words[v] for v in self.chips[key].selected())

    def choice_text(self, key: str) -> str:
        """The same choice in the resident's language, for the confirmation."""
        step = self._extra[key]
        words = dict(step.options)
        chosen = [tr(words[v]) for v in self.chips[key].selected()]
        return tr("、").join(chosen) if chosen else tr(step.empty)

    def _fill_summary(self) -> None:
        self.confirm_page.clear()
        resident = self._services.session.resident
        if resident is None or self.item is None:
            return
        what, box = card_frame()
        box.addWidget(label(self.summary_heading(), "Heading"))
        box.addWidget(fields_grid(self.item_rows(self.item)))
        box.addStretch(1)
        side_by_side = int(self._landscape)  # the cards share the width, the stretch none
        self.confirm_page.add(what, side_by_side)
        rows = [(tr("姓名"), resident.name_masked), (tr("身份证号"), resident.id_masked),
                (tr("联系电话"), grouped(self.phone))]
        rows += [(tr(s.name), self.choice_text(s.key)) for s in self.extra_steps]
        frame, box = card_frame()
        box.addWidget(label(tr("将提供的信息"), "Heading"))
        box.addWidget(fields_grid(rows))
        box.addWidget(label(self.consent_text(), "Hint"))
        box.addStretch(1)
        self.confirm_page.add(frame, side_by_side)
        self.confirm_page.rows.setStretch(2, 1 - side_by_side)

    # -- submitting ------------------------------------------------------------------------
    def _submit(self) -> None:
        resident = self._services.session.resident
        if self._busy or resident is None or self.item is None:
            return
        self._busy = True
        self._generation += 1
        generation = self._generation
        self.loading = True
        self.next_button.setEnabled(False)
        show_text(self.status, tr("正在提交，请稍候…"), "Body")
        item, phone = self.item, self.phone
        choices = {s.key: self.choice(s.key) for s in self.extra_steps}

        def done(submitted: Submitted) -> None:
            if not self._still_here(generation, resident):
                return  # stored; the resident left, so no slip lies on the tray for others
            self._busy = False
            self.loading = False
            self.submitted = submitted
            heading, text = self.done_texts(submitted, item)
            self._show_result(heading, text, done=True, submitted=submitted)
            self._receipts.print(self.slip(submitted, resident, item, phone, choices),
                                 kind=self.print_kind,
                                 ref_number=submitted.number, token=submitted.token)

        def failed(exc: BaseException) -> None:
            if not self._still_here(generation, resident):
                return
            self._busy = False
            self.loading = False
            self.next_button.setEnabled(True)
            if isinstance(exc, AlreadyDone):
                self._show_result(tr("您已经报过名了"), exc.message, done=False)
            elif isinstance(exc, ValidationError) and exc.field == "phone":
                self._show_step("phone")
                self.phone_entry._show_error(exc.message)
            elif isinstance(exc, SubmissionError):
                log.warning("%s refused: %s", self.name, exc)
                self._show_result(tr("暂时无法办理"), exc.message, done=False)
            else:
                log.error("%s not stored", self.name, exc_info=exc)
                show_text(self.status, tr(RETRY_TEXT).format(submit=tr(self.submit_text)),
                          "ErrorText")

        self._ops.run(lambda: self.submit(resident, phone, item, choices)).success(
            done).failure(failed)

    def _show_result(self, heading: str, text: str, *, done: bool,
                     submitted: Submitted | None = None) -> None:
        """The last page: done (with the number), or why the flow cannot go on."""
        self.loading = False
        self.result_page.clear()
        frame, box = card_frame()
        box.addWidget(label(heading, "Heading"))
        if text:
            box.addWidget(label(text))
        if submitted is not None:
            rows = [(tr("编号"), submitted.number), (tr("联系电话"), grouped(self.phone))]
            box.addWidget(fields_grid(rows))
        self.result_page.add(frame)
        if done:
            station = self._services.config.station
            self.result_page.add(label(tr(
                "{name}\n地址：{address}\n办公时间：{hours}").format(
                    name=station.name, address=station.address, hours=station.hours), "Hint"))
        self._show_step("done")
        self.steps.setVisible(done)  # a refusal is not a step of the flow
        self.question.setText("")
        self.question.hide()
        self.hint.hide()

    # -- forgetting ------------------------------------------------------------------------
    def hideEvent(self, event: QHideEvent) -> None:
        """Left the screen before submitting: forget the number now, not at the next visit."""
        super().hideEvent(event)
        if not self._busy and self.phone and self.submitted is None:
            self.phone = ""
            self.phone_entry.clear()
            self.confirm_page.clear()

    def clear_personal(self) -> None:
        super().clear_personal()
        self._busy = False
        self._card_wait.waiting = False
        self.item_id = ""
        self.item = None
        self.phone = ""
        self.submitted = None
        self.phone_entry.clear()
        for chips in self.chips.values():
            chips.clear()
        self.confirm_page.clear()
        self._show_result(self.nothing_text(), "", done=False)

    # -- layout ----------------------------------------------------------------------------
    def _fit_pages(self) -> None:
        if self._landscape:
            fit_landscape_pages(self, self.chips.values())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange and hasattr(self, "chips"):
            self._fit_pages()

    # -- screenshots -----------------------------------------------------------------------
    def screenshot_states(self) -> Iterator[str]:
        """Each question with a sample number (nothing is sent), for review and the audit."""
        if self._step != "phone":
            return
        self.phone_entry.type_digits("13812345678")
        yield "phone"
        self.phone = "13812345678"
        for step in self.extra_steps:
            self.chips[step.key].set_selected([step.options[0][0]])
            self._show_step(step.key)
            yield step.key
        self._show_step("confirm")
        yield "confirm"

    # -- hooks (texts in the resident's language: call tr) -----------------------------------
    def load(self, item_id: str) -> Any:
        """Worker thread: the item (None when it is gone)."""
        raise NotImplementedError

    def can_start(self, item: Any) -> bool:
        return True

    def refusal(self, item: Any) -> tuple[str, str]:
        return tr("暂时无法办理"), ""

    def item_title(self) -> str:
        return str(getattr(self.item, "title", "") or "")

    def nothing_text(self) -> str:
        return tr("请先选择一项活动")

    def phone_reason(self) -> str:
        return tr("用于通知您活动安排，只用于这次报名。")

    def summary_heading(self) -> str:
        return tr("报名内容")

    def item_rows(self, item: Any) -> Sequence[tuple[str, str]]:
        raise NotImplementedError

    def consent_text(self) -> str:
        raise NotImplementedError

    def submit(self, resident: Resident, phone: str, item: Any, choices: dict[str, str]
               ) -> Submitted:
        """Worker thread: store the record (and its outbox row) and say what was stored."""
        raise NotImplementedError

    def slip(self, submitted: Submitted, resident: Resident, item: Any, phone: str,
             choices: dict[str, str]) -> Any:
        raise NotImplementedError

    def done_texts(self, submitted: Submitted, item: Any) -> tuple[str, str]:
        raise NotImplementedError
