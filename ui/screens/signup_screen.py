"""我要报名: who you are, how to reach you, what will be shared — then the 报名 and a receipt.

报名 passes the resident's name, ID number and phone to the employer and the district's
employment service (kiosk.jobs.submissions.CONSENT_TEXT), so nothing is sent before a page
that restates exactly that and a tap on 同意并报名. 不同意 goes back to the job.

Without a card the screen asks for one and carries on by itself once it is read (the window
greets a new card on the home screen; this screen brings the resident straight back here, so
they do not have to find the job again). The phone: the one on file from 求职登记 if there is
one (shown masked); otherwise the resident may type one, or not. ``sign_up`` has no phone
field, so a typed number goes to the station's matchmaker as a call-back request naming the
sign-up (kiosk.jobs.submissions.request_callback), which is how 就业红娘 get numbers to call.

Signing up twice for one job is refused kindly, before anything is asked when it is known
already, and by the database's UNIQUE constraint when two taps race.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.app import Services, today
from kiosk.documents.model import SignupSlip
from kiosk.i18n import N_, tr
from kiosk.identity import mask_phone
from kiosk.jobs.errors import AlreadySignedUp, SubmissionError
from kiosk.jobs.search import JobDetail, JobNotFoundError, get_job
from kiosk.jobs.submissions import (
    CONSENT_TEXT,
    latest_registration,
    my_signups,
    request_callback,
    sign_up,
)
from kiosk.session import Resident
from kiosk.store.models import JobSignup
from ui.ops import KioskOps
from ui.receipt_flow import ReceiptFlow
from ui.screens.base import Navigator, Screen, label, set_role
from ui.widgets.buttons import KioskButton
from ui.widgets.card_prompt import card_prompt_page
from ui.widgets.card_wait import CardWait
from ui.widgets.discard import clear_layout
from ui.widgets.fields import fields_grid
from ui.widgets.job_ops import start
from ui.widgets.job_phone import PhoneEntry
from ui.widgets.phone_entry import grouped
from ui.widgets.scroll import touch_scroll_area
from ui.widgets.steps import StepIndicator

log = logging.getLogger(__name__)

STEPS = [N_("放身份证"), N_("联系电话"), N_("确认报名"), N_("完成")]
PROMISE = N_("3个工作日内会有人联系您")  # these are shown through tr()
RETRY_TEXT = N_("报名没有提交成功，您的信息没有丢失。请再点一次“同意并报名”；"
                "如仍不行，请咨询服务站工作人员。")
NO_JOB = (N_("请先选择岗位"), N_("请在“找工作”中点一个岗位，再点“我要报名”。"))
MAX_TOPIC = 100
ACTIONS_WIDTH = 380  # landscape: the column with the instruction, the promise and the buttons


def _card(heading: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("Card")
    box = QVBoxLayout(frame)
    box.setContentsMargins(24, 16, 24, 16)
    box.setSpacing(10)
    box.addWidget(label(heading, "Heading"))
    return frame, box


class SignupScreen(Screen):
    name = "signup"
    title = N_("我要报名")
    # Not needs_identity: the window would refuse to open the screen; this one asks for the
    # card as its first step instead, and comes back to the job by itself.
    needs_identity = False

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps,
                 receipts: ReceiptFlow, parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self._services = services
        self._ops = ops
        self._receipts = receipts
        self._generation = 0
        self.loading = False
        self._busy = False
        self.job_id = ""
        self.job: JobDetail | None = None
        self.phone = ""  # typed here (shown in full to its owner)
        self.phone_on_file = ""  # from 求职登记 (shown masked)
        self.signup: JobSignup | None = None
        self._landscape = False
        self.steps = StepIndicator([tr(step) for step in STEPS])
        self.lead = label("", "Heading")
        self.pages = QStackedWidget()
        self.content.addWidget(self.steps)
        self.content.addWidget(self.lead)
        self.content.addWidget(self.pages, 1)

        # -- page: put your card on the reader -----------------------------------------
        self.card_text = label("")
        self.card_page = card_prompt_page(self.card_text, centred=True)
        self.pages.addWidget(self.card_page)

        # -- page: a phone number ------------------------------------------------------
        self.phone_entry = PhoneEntry()
        self.phone_entry.submitted.connect(self._phone_given)
        self.phone_entry.skipped.connect(lambda: self._phone_given(""))
        self.phone_page = QWidget()
        box = QVBoxLayout(self.phone_page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.phone_entry)
        box.addStretch(1)
        self.pages.addWidget(self.phone_page)

        # -- page: what will be shared; 同意并报名 / 不同意 ----------------------------------
        # Portrait: the cards above, the actions in a row below. Landscape: the cards side
        # by side and the actions in a column at the right, so everything that will be
        # shared is on screen at once even in 长辈模式.
        self.confirm_page = QWidget()
        self._confirm_box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self.confirm_page)
        self._confirm_box.setContentsMargins(0, 0, 0, 0)
        self._confirm_box.setSpacing(24)
        self._confirm_body = QWidget()
        self._confirm_rows = QBoxLayout(QBoxLayout.Direction.TopToBottom, self._confirm_body)
        self._confirm_rows.setContentsMargins(0, 0, 12, 0)
        self._confirm_rows.setSpacing(20)
        self._confirm_rows.addStretch(1)
        self.instruction = label(tr("请看一下这些信息，同意后就为您报名。"))
        self.status = label("")
        self.decline_button = KioskButton(tr("不同意"))
        self.agree_button = KioskButton(tr("同意并报名"), role="primary")
        self.decline_button.clicked.connect(self.nav.back)
        self.agree_button.clicked.connect(self._submit)
        self._actions = QWidget()
        actions = QVBoxLayout(self._actions)
        actions.setContentsMargins(0, 0, 0, 0)
        actions.setSpacing(20)
        for widget in (self.instruction, self.status):
            actions.addWidget(widget)
        actions.addStretch(1)
        self._buttons_box = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._buttons_box.setSpacing(20)
        self._buttons_box.addStretch(1)
        self._buttons_box.addWidget(self.decline_button)
        self._buttons_box.addWidget(self.agree_button)
        actions.addLayout(self._buttons_box)
        self._confirm_box.addWidget(touch_scroll_area(self._confirm_body), 1)
        self._confirm_box.addWidget(self._actions)
        self.pages.addWidget(self.confirm_page)

        # -- page: the outcome (done, already signed up, job gone, no job chosen) --------
        self.result_page = QWidget()
        box = QVBoxLayout(self.result_page)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(24)
        self.result_text = label("")
        self.promise = label(tr(PROMISE), "OkText")
        self.result_hint = label("", "Hint")
        self.more_button = KioskButton(tr("继续找工作"))
        self.home_button = KioskButton(tr("回到首页"), role="primary")
        self.more_button.clicked.connect(lambda: self.nav.show_screen("jobs"))
        self.home_button.clicked.connect(self.nav.home)
        row = QHBoxLayout()
        row.setSpacing(24)
        row.addStretch(1)
        row.addWidget(self.more_button)
        row.addWidget(self.home_button)
        for widget in (self.result_text, self.promise, self.result_hint):
            box.addWidget(widget)
        box.addStretch(1)
        box.addLayout(row)
        self.pages.addWidget(self.result_page)

        self._arrange(services.config.display.orientation == "landscape")
        self._card_wait = CardWait(services.session, self, self._card_read)
        self._show_result(*(tr(text) for text in NO_JOB), promise=False)

    # -- entering ------------------------------------------------------------------------
    def on_enter(self, **kwargs: Any) -> None:
        """``job_id``: the job to sign up for (kept when the screen is shown again)."""
        self.job_id = str(kwargs.get("job_id") or self.job_id)
        self._generation += 1
        self._busy = False
        self._card_wait.waiting = False
        self.signup = None
        self.phone = ""
        self.phone_on_file = ""
        self.phone_entry.clear()
        if not self.job_id:
            self._show_result(*(tr(text) for text in NO_JOB), promise=False)
            return
        self._check()

    def _check(self) -> None:
        """Is the job still open, who is here, are they signed up already, is a phone on
        file — one worker trip before the first question."""
        generation = self._generation
        resident = self._services.session.resident
        db, job_id, day = self._services.db, self.job_id, today()
        self.loading = True
        self.steps.set_step(0 if resident is None else 1)
        self.steps.show()
        self.lead.setText(tr("请稍候…"))
        self.lead.show()
        self.pages.hide()

        def work() -> tuple[JobDetail, str, bool]:
            with db.read() as session:
                job = get_job(session, job_id, day)
            if resident is None:
                return job, "", False
            registration = latest_registration(db, resident.key)
            already = any(s.job_id == job_id for s in my_signups(db, resident.key))
            return job, registration.phone if registration else "", already

        def done(result: tuple[JobDetail, str, bool]) -> None:
            if not self._still_here(generation, resident):
                return
            self.loading = False
            self.pages.show()
            self.job, self.phone_on_file, already = result
            if already:
                self._show_result(tr("您已经报过名了"), tr(AlreadySignedUp.default_message),
                                  promise=False)
            elif resident is None:
                self._ask_for_card()
            elif self.phone_on_file:
                self._show_confirmation()
            else:
                self._ask_for_phone()

        def failed(exc: BaseException) -> None:
            if not self._still_here(generation, resident):
                return
            self.loading = False
            self.pages.show()
            if isinstance(exc, JobNotFoundError):
                self._show_result(tr("这个岗位已经下架了"), tr(exc.message), promise=False)
            else:
                log.error("sign-up check for job %s failed", job_id, exc_info=exc)
                self._show_result(tr("暂时无法报名"), tr("岗位信息暂时无法读取，请稍后再试，"
                                  "或咨询服务站工作人员。"), promise=False)

        start(self._ops, work, done, failed)

    def _still_here(self, generation: int, resident: Resident | None) -> bool:
        """The answer is for the person still at the kiosk, on this visit to the screen."""
        return generation == self._generation and self._services.session.resident is resident

    # -- step 1: the card ----------------------------------------------------------------
    def _ask_for_card(self) -> None:
        self.steps.set_step(0)
        title = self.job.title if self.job else tr("这个岗位")
        self.lead.setText(tr("报名：{job}").format(job=title))
        self.lead.show()
        self.card_text.setText(tr("报名需要核对您的身份。读卡成功后会自动回到这里继续，"
                                  "不用重新找岗位。"))
        self.pages.setCurrentWidget(self.card_page)
        self._card_wait.waiting = True

    def _card_read(self) -> None:
        """Back to 报名 by way of the job, so 返回 and 不同意 lead to the job as before the
        card (the window emptied its history when it greeted the card on the home screen)."""
        if self._services.session.identified and self.job_id:
            self.nav.show_screen("job_detail", job_id=self.job_id)
            self.nav.show_screen(self.name)

    # -- step 2: a phone -----------------------------------------------------------------
    def _ask_for_phone(self, *, keep: bool = False) -> None:
        """``keep``: back from the confirmation, with the number typed still there."""
        self.steps.set_step(1)
        self.lead.setText(tr("怎么联系您？"))
        self.lead.setVisible(not self._landscape)  # landscape: no room; the pad says it
        if not keep:
            self.phone_entry.clear()
        self.pages.setCurrentWidget(self.phone_page)

    def _phone_given(self, number: str) -> None:
        self.phone = number
        self._show_confirmation()

    def _phone_line(self) -> str:
        if self.phone:
            return grouped(self.phone)
        if self.phone_on_file:
            return tr("{phone}（您求职登记时留的电话）").format(
                phone=mask_phone(self.phone_on_file))
        return tr("未留电话（就业红娘会通过服务站与您联系）")

    # -- step 3: consent -----------------------------------------------------------------
    def _show_confirmation(self) -> None:
        job, resident = self.job, self._services.session.resident
        if job is None or resident is None:
            return
        self.steps.set_step(2)
        self.lead.hide()  # the step says 确认报名; the instruction stands by the buttons
        rows = self._confirm_rows
        clear_layout(rows, keep=1)
        frame, box = _card(tr("报名岗位"))
        box.addWidget(fields_grid([(tr("岗位"), job.title), (tr("用人单位"), job.employer_name),
                               (tr("薪资"), job.salary_text), (tr("地点"), job.town_label)]))
        box.addWidget(label(tr(PROMISE), "OkText"))
        box.addStretch(1)
        rows.insertWidget(0, frame, 1)
        frame, box = _card(tr("将提供的信息"))
        box.addWidget(fields_grid([(tr("姓名"), resident.name_masked),
                               (tr("身份证号"), resident.id_masked),
                               (tr("联系电话"), self._phone_line())]))
        # says: the full ID number, to whom (the record keeps the Chinese text)
        box.addWidget(label(tr(CONSENT_TEXT), "Hint"))
        box.addStretch(1)
        rows.insertWidget(1, frame, 1)
        self._confirm_stretches()
        self._set_status("", error=False)
        self.agree_button.setEnabled(True)
        self.decline_button.setEnabled(True)
        self.pages.setCurrentWidget(self.confirm_page)

    def _submit(self) -> None:
        job, resident = self.job, self._services.session.resident
        if self._busy or job is None or resident is None:
            return
        self._busy = True
        self._generation += 1
        generation = self._generation
        self.loading = True
        self.agree_button.setEnabled(False)
        self.decline_button.setEnabled(False)
        self._set_status(tr("正在报名，请稍候…"), error=False)
        services, phone = self._services, self.phone
        station, day = services.config.station.code, today()

        def work() -> tuple[JobSignup, bool]:
            row = sign_up(services.db, resident, job.id, True, station, today=day)
            if not phone:
                return row, True
            topic = f"岗位报名（{row.number}）：{job.title}"[:MAX_TOPIC]
            try:  # the 报名 stands even if the number could not be noted
                request_callback(services.db, resident, phone, "", topic, station)
            except Exception:
                log.exception("sign-up %s: call-back number not stored", row.number)
                return row, False
            return row, True

        def done(result: tuple[JobSignup, bool]) -> None:
            row, phone_kept = result
            if not self._still_here(generation, resident):
                return  # stored; the resident left, so no receipt lies on the tray for others
            self._busy = False
            self.loading = False
            self._done(row, job, resident, phone_kept)

        def failed(exc: BaseException) -> None:
            if not self._still_here(generation, resident):
                return
            self._busy = False
            self.loading = False
            if isinstance(exc, AlreadySignedUp):
                self._show_result(tr("您已经报过名了"), exc.message, promise=False)
            elif isinstance(exc, SubmissionError):
                self._show_result(tr("暂时无法报名"), exc.message, promise=False)
            else:
                log.error("sign-up for job %s not stored", job.id, exc_info=exc)
                self._set_status(tr(RETRY_TEXT), error=True)
                self.agree_button.setEnabled(True)
                self.decline_button.setEnabled(True)

        start(self._ops, work, done, failed)

    # -- step 4: done --------------------------------------------------------------------
    def _done(self, row: JobSignup, job: JobDetail, resident: Resident,
              phone_kept: bool) -> None:
        self.signup = row
        phone = self.phone or self.phone_on_file
        hint = tr("请保持电话畅通。") if phone else ""
        if self.phone and not phone_kept:
            hint = tr("您的电话没能记下，请告诉服务站工作人员。")
        self._show_result(tr("报名成功"), tr("您已报名“{job}”（{employer}）。\n报名编号 {number}")
                          .format(job=job.title, employer=job.employer_name, number=row.number),
                          promise=True, hint=hint)
        self.steps.set_step(3)
        slip = SignupSlip(number=row.number, name_masked=resident.name_masked,
                          job_title=job.title, employer=job.employer_name,
                          station=self._services.station,
                          signed_at=row.created_at.astimezone() if row.created_at
                          else datetime.now(),
                          token=row.token, phone_masked=mask_phone(phone) if phone else "")
        self._receipts.print(slip, kind="signup", ref_number=row.number, token=row.token)

    def _show_result(self, title: str, text: str, *, promise: bool, hint: str = "") -> None:
        self.loading = False
        self.pages.show()
        self.steps.set_step(3)
        self.steps.setVisible(promise)  # a refusal is not a step of the flow
        self.lead.setText(title)
        self.lead.show()
        self.result_text.setText(text)
        self.promise.setVisible(promise)
        self.result_hint.setText(hint)
        self.result_hint.setVisible(bool(hint))
        self.more_button.setVisible(True)
        self.pages.setCurrentWidget(self.result_page)

    def _set_status(self, text: str, *, error: bool) -> None:
        set_role(self.status, "ErrorText" if error else "Body")
        self.status.setText(text)

    def step_back(self) -> bool:
        """返回 on the confirmation goes back to the number typed (to correct it); anywhere
        else it leaves the screen."""
        if (self.pages.currentWidget() is self.confirm_page and not self._busy
                and not self.phone_on_file):
            self._ask_for_phone(keep=True)
            return True
        return False

    # -- layout --------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(self.width() > self.height() * 1.2)

    def _arrange(self, landscape: bool) -> None:
        self._landscape = landscape
        if self.pages.currentWidget() is self.phone_page:
            self.lead.setVisible(not landscape)
        self.phone_entry.set_columns(6 if landscape else 3)
        horizontal, vertical = QBoxLayout.Direction.LeftToRight, QBoxLayout.Direction.TopToBottom
        self._confirm_box.setDirection(horizontal if landscape else vertical)
        self._confirm_rows.setDirection(horizontal if landscape else vertical)
        self._buttons_box.setDirection(vertical if landscape else horizontal)
        self._actions.setMaximumWidth(ACTIONS_WIDTH if landscape else 16_777_215)
        self._actions.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred
                                    if landscape else QSizePolicy.Policy.Maximum)
        self._confirm_stretches()

    def _confirm_stretches(self) -> None:
        """Side by side the cards share the width; one above the other they keep their
        height and the trailing stretch takes the rest."""
        rows = self._confirm_rows
        side_by_side = rows.direction() == QBoxLayout.Direction.LeftToRight
        last = rows.count() - 1
        for i in range(rows.count()):
            rows.setStretch(i, int(side_by_side) if i < last else int(not side_by_side))

    def retire(self) -> None:
        self._card_wait.stop()

    def clear_personal(self) -> None:
        self._generation += 1
        self._busy = False
        self._card_wait.waiting = False
        self.loading = False
        self.job_id = ""
        self.job = None
        self.phone = ""
        self.phone_on_file = ""
        self.signup = None
        self.phone_entry.clear()
        self._show_result(*(tr(text) for text in NO_JOB), promise=False)
        self.steps.set_step(0)

    def screenshot_states(self) -> Iterator[str]:
        """The questions before anything is sent (nothing is submitted in a walk)."""
        if not self.job_id:
            return
        yield "asked"  # the phone page (the confirmation when a phone is on file)
        if self.pages.currentWidget() is self.phone_page:
            self.phone_entry.type_number("13800138000")
            self.phone_entry.press(self.phone_entry.confirm_key)
            yield "confirm"
