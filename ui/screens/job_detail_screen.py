"""One job in full: pay, place, requirements, benefits, what the work is — in large type.

The employer's contact is never shown in full: residents are routed through the station's
就业红娘, who makes the introduction (the plan's 一站一红娘). A QR code takes the job to the
resident's phone; 打印职位信息 prints it; 我要报名 starts the sign-up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QFrame, QVBoxLayout, QWidget

from kiosk.app import Services, today
from kiosk.documents.model import JobSlip
from kiosk.i18n import N_, tr
from kiosk.jobs.search import JobDetail, JobNotFoundError, get_job
from kiosk.jobs.vocab import age_text, date_text, education_label, salary_text
from ui.ops import KioskOps
from ui.receipt_flow import ReceiptFlow
from ui.screens.base import Navigator, Screen, is_wide, label
from ui.widgets.buttons import KioskButton
from ui.widgets.detail_side import DetailSide
from ui.widgets.fields import fields_grid
from ui.widgets.job_ops import start
from ui.widgets.scroll import ScrollColumn

log = logging.getLogger(__name__)

CONTACT_ROUTE = N_("请联系服务站就业红娘，我们帮您联系。")  # shown as tr(CONTACT_ROUTE)
NO_JOB = N_("请先在“找工作”中点一个岗位。")


def job_url(base_url: str, job_id: str) -> str:
    """What the job's QR code opens (the base URL is unconfirmed: it is configurable)."""
    return f"{base_url}job/{job_id}"


def _date(d: date) -> str:
    return date_text(d)


def requirement_lines(job: JobDetail) -> list[str]:
    """On screen, in the resident's language (skills are the employer's words: as they are)."""
    lines = [tr("学历：{education}").format(education=job.education_label),
             tr("年龄：{age}").format(age=job.age_text)]
    if job.skills:
        lines.append(tr("技能：{skills}").format(skills="、".join(job.skills)))
    return lines


def slip_requirements(job: JobDetail) -> list[str]:
    """The same on the printed slip, which stays Chinese (an official paper)."""
    lines = [f"学历：{education_label(job.education_min)}",
             f"年龄：{age_text(job.age_min, job.age_max)}"]
    if job.skills:
        lines.append("技能：" + "、".join(job.skills))
    return lines


def _card(heading: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("Card")
    box = QVBoxLayout(frame)
    box.setContentsMargins(28, 24, 28, 24)
    box.setSpacing(12)
    if heading:
        box.addWidget(label(heading, "Heading"))
    return frame, box


class JobDetailScreen(Screen):
    name = "job_detail"
    title = N_("岗位详情")

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps,
                 receipts: ReceiptFlow, parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self._services = services
        self._ops = ops
        self._receipts = receipts
        self._generation = 0
        self.loading = False
        self.job_id = ""
        self.job: JobDetail | None = None
        self.status = label("", "Body")
        self.signup_button = KioskButton(tr("我要报名"), role="primary")
        self.print_button = KioskButton(tr("打印职位信息"))
        self.other_button = KioskButton(tr("看看其他岗位"))
        self.signup_button.clicked.connect(self._sign_up)
        self.print_button.clicked.connect(self._print)
        self.other_button.clicked.connect(self._other_jobs)
        self._side = DetailSide([self.signup_button, self.print_button, self.other_button],
                                qr_caption=tr("手机扫码\n查看这个岗位"))
        self.qr = self._side.qr
        self.qr_caption = self._side.qr_caption
        self._body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._body.setSpacing(32)
        self._scroll = ScrollColumn()
        self._body.addWidget(self._scroll, 1)
        self._body.addWidget(self._side)
        self.content.addWidget(self.status)
        self.content.addLayout(self._body, 1)
        self._landscape: bool | None = None
        self._arrange(services.config.display.orientation == "landscape")
        self._show_nothing(tr(NO_JOB))

    # -- entering ------------------------------------------------------------------------
    def on_enter(self, **kwargs: Any) -> None:
        """``job_id``: the job to show (kept when coming back, e.g. from 报名)."""
        job_id = str(kwargs.get("job_id") or self.job_id)
        if not job_id:
            self._show_nothing(tr(NO_JOB))
            return
        if job_id == self.job_id and self.job is not None:
            return  # back from 报名, or the same job again: it is on screen already
        self.job_id = job_id
        self.job = None
        self._clear()
        self._side.hide()
        self.status.setText(tr("正在打开岗位信息…"))
        self.status.show()
        self._generation += 1
        generation = self._generation
        self.loading = True
        db, day = self._services.db, today()

        def work() -> JobDetail:
            with db.read() as session:
                return get_job(session, job_id, day)

        def done(job: JobDetail) -> None:
            if generation != self._generation:
                return
            self.loading = False
            self._show(job)

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self.loading = False
            if isinstance(exc, JobNotFoundError):
                self._show_nothing(tr(exc.message))
            else:
                log.error("job %s could not be read", job_id, exc_info=exc)
                self._show_nothing(tr("岗位信息暂时无法打开，请稍后再试，或咨询服务站工作人员。"))

        start(self._ops, work, done, failed)

    def _show(self, job: JobDetail) -> None:
        self.job = job
        self._clear()
        self.status.hide()
        add = self._scroll.add
        frame, box = _card("")
        box.addWidget(label(job.title, "Heading"))
        box.addWidget(label(job.salary_text, "OkText"))
        box.addWidget(label(job.employer_name))
        box.addWidget(label(f"{job.town_label} · {job.job_type_label} · {job.industry_label}",
                            "Hint"))
        add(frame)
        rows = [(tr("工作地点"), job.address or job.town_label), (tr("所在街镇"), job.town_label)]
        if job.work_hours:
            rows.append((tr("工作时间"), job.work_hours))
        if job.headcount:
            rows.append((tr("招聘人数"), tr("{n}人").format(n=job.headcount)))
        rows += [(tr("发布日期"), _date(job.posted_on)), (tr("截止日期"), _date(job.expires_on))]
        frame, box = _card(tr("工作信息"))
        box.addWidget(fields_grid(rows))
        add(frame)
        frame, box = _card(tr("岗位要求"))
        for line in requirement_lines(job):
            box.addWidget(label(line))
        add(frame)
        if job.benefits:
            frame, box = _card(tr("福利待遇"))
            box.addWidget(label("、".join(job.benefits)))
            add(frame)
        if job.description:
            frame, box = _card(tr("岗位介绍"))
            box.addWidget(label(job.description))
            add(frame)
        if job.employer_intro:
            frame, box = _card(tr("单位介绍"))
            box.addWidget(label(job.employer_intro))
            add(frame)
        frame, box = _card(tr("怎么联系"))
        box.addWidget(label(tr(CONTACT_ROUTE)))
        box.addWidget(label(tr("也可以点“我要报名”，就业红娘会把您推荐给用人单位。"), "Hint"))
        if job.contact_masked:
            box.addWidget(label(tr("单位联系人：{contact}（已隐去部分号码）").format(
                contact=job.contact_masked), "Hint"))
        add(frame)
        self.qr.set_data(job_url(self._services.config.receipts.qr_base_url, job.id))
        self._side.show()
        for button in (self.signup_button, self.print_button):
            button.show()

    def _show_nothing(self, text: str) -> None:
        self.job = None
        self._clear()
        self.status.setText(text)
        self.status.show()
        self._side.show()
        self.qr.set_data("")
        self.qr.hide()
        self.qr_caption.hide()
        self.signup_button.hide()
        self.print_button.hide()

    def _clear(self) -> None:
        self._scroll.clear()
        self.qr.show()
        self.qr_caption.show()

    # -- actions -------------------------------------------------------------------------
    def _sign_up(self) -> None:
        if self.job is not None:
            self.nav.show_screen("signup", job_id=self.job.id)

    def _other_jobs(self) -> None:
        self.nav.back()

    def _print(self) -> None:
        job = self.job
        if job is None:
            return
        slip = JobSlip(  # Chinese whatever the screen's language: an official paper
            job_number=job.id, title=job.title, employer=job.employer_name,
            pay=salary_text(job.salary_min, job.salary_max), address=job.address
            or job.town_label, station=self._services.station, printed_at=datetime.now(),
            token="",  # the slip is the job itself; no per-print page to open
            work_hours=job.work_hours,
            headcount=f"{job.headcount}人" if job.headcount else "",
            requirements=slip_requirements(job), benefits=list(job.benefits))
        # If the printer cannot print, the overlay offers the job's own page as a QR code.
        self._receipts.print(slip, kind="job", ref_number=job.id, token=f"job/{job.id}")

    # -- layout --------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(is_wide(self))

    def _arrange(self, landscape: bool) -> None:
        """Landscape: QR and the two actions in a column at the right (看看其他岗位 is the
        nav bar's 返回 there: a third button would not fit under the QR in 长辈模式).
        Portrait: a band at the foot with all three."""
        if landscape == self._landscape:
            return
        self._landscape = landscape
        self._body.setDirection(QBoxLayout.Direction.LeftToRight if landscape
                                else QBoxLayout.Direction.TopToBottom)
        self._side.arrange(landscape)
        self.qr_caption.setText(tr("手机扫码看岗位") if landscape else tr("手机扫码\n查看这个岗位"))
        self.other_button.setVisible(not landscape)

    def clear_personal(self) -> None:
        self._generation += 1
        self.loading = False
        self.job_id = ""
        self._show_nothing(tr(NO_JOB))

    def screenshot_states(self) -> Iterator[str]:
        """No states of its own (a scrolled page would straddle the viewport edge, which the
        audit cannot judge); it hands 报名 the job on screen, the walk's next stop."""
        if self.job is not None:
            self._sign_up()
        yield from ()
