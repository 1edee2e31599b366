"""为什么: how one policy was decided for this resident, condition by condition.

Each condition says whether it was met, not met or still unknown, in plain Chinese, and
where the facts behind it came from (身份证 / 人社记录 / 您的回答), so a resident can see
which of their own answers a "可能符合" rests on and staff can see what to check.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.app import Services
from kiosk.eligibility import Decision, Status
from kiosk.i18n import N_, tr
from ui.ops import KioskOps
from ui.screens.base import Navigator, Screen, label
from ui.widgets.buttons import KioskButton
from ui.widgets.policy_card import add_info_block, button_row
from ui.widgets.policy_text import (
    DISCLAIMER,
    MODE_LABEL,
    RESULT_MARK,
    STAFF_NOTE,
    amount_line,
    apply_label,
    can_apply,
    reason_depth,
    reason_sources,
    reason_text,
    status_line,
)
from ui.widgets.policy_visit import PolicyCheck, PolicyVisit
from ui.widgets.scroll import ScrollColumn

log = logging.getLogger(__name__)

MARK_STYLE = {True: "OkText", False: "ErrorText", None: "Body"}
INDENT_PX = 48


class PolicyDetailScreen(Screen):
    name = "policy_detail"
    title = N_("为什么")
    needs_identity = True

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps, visit: PolicyVisit,
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self._services = services
        self._ops = ops
        self._visit = visit
        self._policy = ""
        self._generation = 0
        self.loading = False
        self.conclusion = label("", "Heading")
        self.meta = label("", "Hint")
        self._rows = ScrollColumn(spacing=16)
        self.questions_button = KioskButton(tr("补充信息"))
        self.questions_button.clicked.connect(lambda: self.nav.show_screen("questionnaire"))
        self.apply_button = KioskButton(tr("一键申报"), role="primary")
        self.apply_button.clicked.connect(
            lambda: self.nav.show_screen("apply", policy=self._policy))
        self.applied = label("", "OkText")
        self.content.addWidget(self.conclusion)
        self.content.addWidget(self.meta)
        self.content.addWidget(self._rows, 1)
        self.content.addWidget(self.applied)
        self.content.addLayout(button_row(self.questions_button, self.apply_button))
        self._reset()

    def on_enter(self, **kwargs: Any) -> None:
        """``policy``: the policy id (kept when coming back from a later screen)."""
        self._policy = str(kwargs.get("policy") or self._policy)
        self._generation += 1
        if self._visit.check is not None and self._visit.decision(self._policy) is not None:
            self._show(self._visit.check)
            return
        self._reset()
        self.conclusion.setText(tr("正在为您核对，请稍候…"))
        if self._visit.recheck(self._services, self._ops, lambda: self._generation, self._show,
                               self._check_failed):
            self.loading = True

    def _check_failed(self, exc: BaseException) -> None:
        self.loading = False
        log.error("policy check for 为什么 failed", exc_info=exc)
        if self._services.session.resident is not None:
            self.conclusion.setText(tr("暂时无法为您核对，请稍后再试，或咨询服务站工作人员。"))

    def _show(self, check: PolicyCheck) -> None:
        self.loading = False
        decision = check.decision(self._policy)
        self._reset()
        if decision is None:
            self.conclusion.setText(tr("请从政策列表中选择一项政策。"))
            return
        self.title_label.setText(decision.name or decision.policy)
        self.conclusion.setText(tr("结论：{status}").format(status=status_line(decision)))
        self.meta.setText(tr("{mode} · 判断日期 {y}年{m}月{d}日 · 规则版本 {version}").format(
            mode=tr(MODE_LABEL[decision.mode]), y=check.on.year, m=check.on.month,
            d=check.on.day, version=check.rule_pack))
        add = self._rows.add
        add(label(tr("判断依据"), "Heading"))
        add(label(tr("信息来源：“身份证”是读卡所得；“人社记录”是人社部门的记录；"
                     "“您的回答”是您在本机的回答，办理时由工作人员核实。"), "Hint"))
        add(self._reasons(decision, check.sources))
        if decision.refer_to_staff:
            add(label(tr(STAFF_NOTE), "ErrorText"))
        block = QWidget()
        box = QVBoxLayout(block)
        box.setContentsMargins(0, 16, 0, 0)
        box.setSpacing(12)
        add_info_block(box, amount=amount_line(decision), materials=decision.materials,
                       where=decision.where, deadline=decision.deadline_text)
        box.addWidget(label(tr(DISCLAIMER), "Hint"))
        add(block)
        self._show_actions(decision, check)

    def _show_actions(self, decision: Decision, check: PolicyCheck) -> None:
        number = check.open_numbers.get(decision.policy)
        self.applied.setVisible(bool(number))
        self.applied.setText(tr("您已提交申请（编号 {number}），正在办理中。").format(
            number=number) if number else "")
        self.questions_button.setVisible(decision.status is Status.NEEDS_INFO
                                         and check.question is not None)
        self.apply_button.setVisible(can_apply(decision) and not number)
        self.apply_button.setText(apply_label(decision))

    @staticmethod
    def _reasons(decision: Decision, sources: dict[str, str]) -> QWidget:
        """Marks in one column, texts beside them; a group's conditions indented."""
        widget = QWidget()
        grid = QGridLayout(widget)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(16)
        for row, reason in enumerate(decision.reasons):
            mark = label(tr(RESULT_MARK[reason.result]), MARK_STYLE[reason.result], wrap=False)
            text = QVBoxLayout()
            text.setContentsMargins(INDENT_PX * reason_depth(reason.condition), 0, 0, 0)
            text.setSpacing(4)
            text.addWidget(label(reason_text(reason)))
            origin = reason_sources(reason.facts, sources)
            if origin:
                text.addWidget(label(tr("依据：{sources}").format(sources=tr("、").join(origin)),
                                     "Hint"))
            grid.addWidget(mark, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addLayout(text, row, 1)
        grid.setColumnStretch(1, 1)
        return widget

    def _reset(self) -> None:
        self.show_title()
        self.conclusion.setText("")
        self.meta.setText("")
        self.applied.hide()
        self.questions_button.hide()
        self.apply_button.hide()
        self._rows.clear()

    def screenshot_states(self) -> Iterator[str]:
        """为什么 for the first policy that still needs information (or the first one)."""
        if self._services.session.resident is None:
            return
        pack = self._services.policies.current
        self.on_enter(policy=self._policy or pack.policies[0].id)
        yield "reasons"

    def clear_personal(self) -> None:
        self._generation += 1
        self.loading = False
        self._policy = ""
        self._reset()
