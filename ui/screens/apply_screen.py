"""一键申报: restate exactly what will be sent, submit it, and hand over the receipt.

The confirmation lists everything the application carries — the policy, the resident's
masked name and ID, the decision, their own answers — and what happens next, because a
resident must know what they agree to before anything leaves the kiosk. Submission runs
on the worker (:func:`kiosk.eligibility.apply.submit_application` writes the application
and its outbox record in one transaction); the receipt is printed through the window's
:class:`~ui.receipt_flow.ReceiptFlow`, which falls back to an on-screen QR code.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.app import Services
from kiosk.documents.model import ApplicationReceipt
from kiosk.eligibility import Decision, Mode
from kiosk.eligibility.apply import (
    ApplicationError,
    DuplicateApplicationError,
    submit_application,
)
from kiosk.i18n import N_, tr
from kiosk.my_records import APPLICATION_STATUS
from kiosk.session import Resident
from kiosk.store.models import Application
from ui.ops import KioskOps
from ui.receipt_flow import ReceiptFlow
from ui.screens.base import Navigator, Screen, label
from ui.widgets.buttons import KioskButton
from ui.widgets.fields import fields_grid
from ui.widgets.policy_card import button_row, card_frame, show_text
from ui.widgets.policy_text import (
    AUTO_NOTE,
    MODE_LABEL,
    RESULT_MARK,
    amount_line,
    apply_label,
    can_apply,
    declared_answers,
    reason_depth,
    reason_text,
    receipt_amount,
    receipt_decision,
    receipt_reasons,
    status_line,
    where_line,
    where_text,
)
from ui.widgets.policy_visit import PolicyCheck, PolicyVisit
from ui.widgets.scroll import ScrollColumn
from ui.widgets.steps import StepIndicator

log = logging.getLogger(__name__)

STEPS = [N_("核对信息"), N_("确认提交"), N_("取走回执")]
NO_DEADLINE = N_("请按工作人员通知办理")  # also printed: the receipt keeps the Chinese
RETRY_TEXT = N_("提交没有成功，您填写的信息没有丢失。请再点一次“{button}”；"
                "如仍不行，请咨询服务站工作人员。")


class ApplyScreen(Screen):
    name = "apply"
    title = N_("一键申报")
    needs_identity = True

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps, visit: PolicyVisit,
                 receipts: ReceiptFlow, parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self._services = services
        self._ops = ops
        self._visit = visit
        self._receipts = receipts
        self._policy = ""
        self._generation = 0
        self._busy = False
        self.loading = False
        self.steps = StepIndicator([tr(step) for step in STEPS])
        self.lead = label("", "Heading")
        self._rows = ScrollColumn()
        self.status = label("")
        self.back_button = KioskButton(tr("返回修改"))
        self.submit_button = KioskButton(tr("确认提交"), role="primary")
        self.more_button = KioskButton(tr("查看其他政策"))
        self.home_button = KioskButton(tr("回到首页"), role="primary")
        self.back_button.clicked.connect(self.nav.back)
        self.submit_button.clicked.connect(self._submit)
        self.more_button.clicked.connect(self.nav.back)
        self.home_button.clicked.connect(self.nav.home)
        self.content.addWidget(self.steps)
        self.content.addWidget(self.lead)
        self.content.addWidget(self._rows, 1)
        self.content.addWidget(self.status)
        self.content.addLayout(button_row(self.back_button, self.more_button,
                                          self.home_button, self.submit_button))
        self._reset()

    # -- entering ------------------------------------------------------------------------
    def on_enter(self, **kwargs: Any) -> None:
        """``policy``: the policy id to apply for (kept when coming back to this screen)."""
        self._policy = str(kwargs.get("policy") or self._policy)
        self._generation += 1
        self._busy = False
        self._reset()
        # Decide again now: what is confirmed must be exactly what the facts say at this moment.
        self.lead.setText(tr("正在为您核对，请稍候…"))
        if self._visit.recheck(self._services, self._ops, lambda: self._generation, self._show,
                               self._check_failed):
            self.loading = True

    def _check_failed(self, exc: BaseException) -> None:
        self.loading = False
        log.error("policy check for the confirmation failed", exc_info=exc)
        if self._services.session.resident is not None:
            self._show_refused(tr("暂时无法核对"), tr("暂时无法为您核对，请稍后再试，"
                                                      "或咨询服务站工作人员。"))

    def _show(self, check: PolicyCheck) -> None:
        self.loading = False
        self._reset()
        decision = check.decision(self._policy)
        if decision is None:
            self.lead.setText(tr("请先在“我能享受哪些政策”中选择一项政策。"))
            self._finish_buttons()
            return
        number = check.open_numbers.get(decision.policy)
        if number:
            self._show_refused(tr("您已经申请过了"), tr(
                "您已提交过“{policy}”的申请（编号 {number}），正在办理中，无需重复提交。"
            ).format(policy=decision.name, number=number))
            return
        if not can_apply(decision):
            self._show_refused(tr("暂时不能申报"), tr(
                "根据现有信息，“{policy}”{status}。详情请点“返回”查看原因，"
                "或咨询服务站工作人员。").format(policy=decision.name,
                                                  status=status_line(decision)))
            return
        self._show_confirmation(decision, check)

    def _show_confirmation(self, decision: Decision, check: PolicyCheck) -> None:
        resident = check.resident
        auto = decision.mode is Mode.AUTO
        self.title_label.setText(apply_label(decision))
        self.steps.set_step(0)
        self.lead.setText(tr(AUTO_NOTE) if auto
                          else tr("请核对以下信息，确认无误后点“确认提交”。"))
        self.submit_button.setText(apply_label(decision) if auto else tr("确认提交"))
        add = self._rows.add
        frame, box = card_frame()
        box.addWidget(label(tr("申请信息"), "Heading"))
        box.addWidget(fields_grid([
            (tr("申请事项"), decision.name or decision.policy),
            (tr("办理方式"), tr(MODE_LABEL[decision.mode])),
            (tr("申请人"), resident.name_masked),
            (tr("证件号码"), resident.id_masked),
            (tr("初步判断"), status_line(decision)),
            (tr("待遇标准"), amount_line(decision)),
        ]))
        add(frame)

        frame, box = card_frame()
        box.addWidget(label(tr("判断依据"), "Heading"))
        for reason in decision.reasons:
            indent = "　　" * reason_depth(reason.condition)
            box.addWidget(label(indent + tr("{mark}{condition}").format(
                mark=tr(RESULT_MARK[reason.result]), condition=reason_text(reason))))
        add(frame)

        frame, box = card_frame()
        box.addWidget(label(tr("您的回答（一并提交，由工作人员核实）"), "Heading"))
        answers = declared_answers(self._services.policies.current, check.declared, check.on)
        if answers:
            box.addWidget(fields_grid([(f"{i}.", tr("{question}\n答：{answer}").format(
                question=q, answer=a)) for i, (q, a) in enumerate(answers, 1)]))
        else:
            box.addWidget(label(tr("无（以上判断依据身份证和人社记录）")))
        add(frame)

        frame, box = card_frame()
        box.addWidget(label(tr("接下来怎么办"), "Heading"))
        rows = [(tr("到哪里办"), where_text(decision.where)),
                (tr("办理期限"), decision.deadline_text or tr(NO_DEADLINE))]
        if decision.materials:
            rows.append((tr("准备材料"), "\n".join(f"{i}. {m}" for i, m in
                                               enumerate(decision.materials, 1))))
        box.addWidget(fields_grid(rows))
        add(frame)
        add(label(tr("确认后，以上信息连同您的身份证信息将提交给人社部门审核，并为您打印回执。"
                     "以上为自助机初步判断，最终以审核结果为准。"), "Hint"))
        self.back_button.show()
        self.submit_button.show()

    # -- submitting ----------------------------------------------------------------------
    def _submit(self) -> None:
        check = self._visit.check
        decision = self._visit.decision(self._policy)
        resident = self._services.session.resident
        if self._busy or check is None or decision is None or resident is None:
            return
        self._busy = True
        self._generation += 1
        generation = self._generation
        self.steps.set_step(1)
        self._say(tr("正在提交，请稍候…"))
        self.submit_button.setEnabled(False)
        self.back_button.setEnabled(False)
        services = self._services
        station_code = services.config.station.code
        declared = dict(check.declared)

        def work() -> Application:
            return submit_application(services.db, resident, decision, station_code,
                                      declared=declared)

        def still_here() -> bool:
            return generation == self._generation and services.session.resident is resident

        def done(app: Application) -> None:
            self._visit.note_application(decision.policy, app.number)
            if not still_here():
                return  # stored; the resident left, so no receipt lies on the tray for others
            self._busy = False
            self._show_done(app, decision, resident, check)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, DuplicateApplicationError):
                self._visit.note_application(decision.policy, exc.existing_number)
            if not still_here():
                return
            self._busy = False
            if isinstance(exc, ApplicationError):
                self._show_refused(tr("您已经申请过了") if isinstance(
                    exc, DuplicateApplicationError) else tr("暂时不能申报"), exc.message)
                return
            log.error("application for %s not stored", decision.policy, exc_info=exc)
            self.steps.set_step(0)
            self._say(tr(RETRY_TEXT).format(button=self.submit_button.text()), "ErrorText")
            self.submit_button.setEnabled(True)
            self.back_button.setEnabled(True)

        self._ops.run(work).success(done).failure(failed)

    def _show_done(self, app: Application, decision: Decision, resident: Resident,
                   check: PolicyCheck) -> None:
        self._reset()
        auto = decision.mode is Mode.AUTO
        self.steps.set_step(2)
        self.lead.setText(tr("已确认您的意愿") if auto else tr("申请已提交"))
        frame, box = card_frame()
        status = app.status_text or APPLICATION_STATUS["submitted"]
        box.addWidget(fields_grid([(tr("申请编号"), app.number), (tr("申请事项"), app.policy_name),
                                   (tr("当前状态"), tr(status))]))
        box.addWidget(label(tr("下一步：{where}").format(where=where_text(decision.where))))
        if decision.materials:
            box.addWidget(label(tr("请准备：{materials}").format(
                materials=tr("、").join(decision.materials))))
        box.addWidget(label(tr("办理进度可在首页“我的申请”中查看。"), "Hint"))
        self._rows.add(frame)
        self._finish_buttons()
        receipt = ApplicationReceipt(
            number=app.number, name_masked=resident.name_masked, id_masked=resident.id_masked,
            policy_name=app.policy_name, decision=receipt_decision(decision),
            reasons=receipt_reasons(decision, check.sources),
            amount=receipt_amount(decision), materials_needed=list(decision.materials),
            where_to_go=where_line(decision.where),
            deadline=decision.deadline_text or NO_DEADLINE, station=self._services.station,
            submitted_at=app.created_at.astimezone(), rule_pack=app.rule_pack,
            token=app.token)
        self._receipts.print(receipt, kind="application", ref_number=app.number,
                             token=app.token)

    def _show_refused(self, title: str, text: str) -> None:
        self._reset()
        self.lead.setText(title)
        self._rows.add(label(text))
        self._finish_buttons()

    # -- helpers -------------------------------------------------------------------------
    def _finish_buttons(self) -> None:
        self.back_button.hide()
        self.submit_button.hide()
        self.more_button.show()
        self.home_button.show()

    def _say(self, text: str, role: str = "Body") -> None:
        show_text(self.status, text, role)

    def _reset(self) -> None:
        self.show_title()
        self.steps.set_step(0)
        self.lead.setText("")
        self._say("")
        self._rows.clear()
        for button in (self.back_button, self.submit_button, self.more_button,
                       self.home_button):
            button.hide()
            button.setEnabled(True)

    def screenshot_states(self) -> Iterator[str]:
        """The confirmation for the first policy the demo resident could apply for."""
        check = self._visit.check
        chosen = next((d.policy for d in check.decisions if can_apply(d)
                       and d.policy not in check.open_numbers), None) if check else None
        if chosen is not None:
            self.on_enter(policy=chosen)
            yield "confirm"

    def clear_personal(self) -> None:
        self._generation += 1
        self._busy = False
        self.loading = False
        self._policy = ""
        self._reset()
