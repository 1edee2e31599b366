"""我能享受哪些政策: every policy of the current pack decided for the resident at the kiosk.

Grouped the way a resident thinks about it — 可以享受 / 需要补充信息 / 暂不符合 — with what
each gives and how it is obtained. Without a card the screen cannot decide anything, so it
invites the resident to read their card or to browse the 办事指南 instead.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.app import Services
from kiosk.eligibility import Status
from kiosk.i18n import N_, tr
from ui.ops import KioskOps
from ui.receipt_flow import ReceiptFlow
from ui.screens.apply_screen import ApplyScreen
from ui.screens.base import Navigator, Screen, label, sentences
from ui.screens.policy_detail_screen import PolicyDetailScreen
from ui.screens.questionnaire_screen import QuestionnaireScreen
from ui.widgets.buttons import KioskButton
from ui.widgets.policy_card import PolicyCard, button_row, show_text
from ui.widgets.policy_text import DISCLAIMER, GROUP_ORDER, GROUP_TITLE
from ui.widgets.policy_visit import PolicyCheck, PolicyVisit, guarded
from ui.widgets.scroll import ScrollColumn

log = logging.getLogger(__name__)

# Screenshots only: what a 人社 lookup might say about the demo resident, so the walk shows
# every group (the demo card has no birth date; a central record supplies one).
SCREENSHOT_FACTS: dict[str, Any] = {
    "birth_date": "1981-03-15", "hukou_tianjin": True, "hukou_rural": False,
    "owns_contracted_farmland": False, "employment_status": "unemployed",
    "unemployment_registered_on": "2026-03-01", "ui_contribution_months": 60,
    "difficulty_certified_on": None, "received": [], "wants_to_start_business": True,
    "business_registered_on": None,
}

TITLE_ANONYMOUS = N_("政策补贴")
TITLE_IDENTIFIED = N_("我能享受哪些政策")


class PoliciesScreen(Screen):
    name = "policies"
    title = TITLE_ANONYMOUS

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps, visit: PolicyVisit,
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self._services = services
        self._ops = ops
        self._visit = visit
        self._generation = 0
        self.loading = False  # a fresh check is on its way (what is shown may be older)
        self.cards: dict[str, PolicyCard] = {}
        # -- without a card ------------------------------------------------------------
        self.invite = QWidget()
        invite = QVBoxLayout(self.invite)
        invite.setContentsMargins(0, 0, 0, 0)
        invite.setSpacing(24)
        invite.addWidget(label(tr("请将身份证放在读卡区"), "CardPrompt"))
        invite.addWidget(label(tr("读卡后，本机会根据您的情况逐项核对：哪些政策可以享受，"
                                  "还需要补充什么，符合的可以一键申报。")))
        self.guide_button = KioskButton(tr("查看办事指南"), role="primary")
        self.guide_button.clicked.connect(lambda: self.nav.show_screen("guide"))
        browse = QHBoxLayout()
        browse.setSpacing(20)
        browse.addWidget(label(tr("不方便读卡？也可以先看看各项政策的申请条件、所需材料和"
                                  "办理地点。")), 1)
        browse.addWidget(self.guide_button, 0, Qt.AlignmentFlag.AlignVCenter)
        invite.addLayout(browse)
        station = services.config.station
        invite.addWidget(label(tr("{name}　地址：{address}\n办公时间：{hours}").format(
            name=station.name, address=station.address, hours=station.hours), "Hint"))
        invite.addStretch(1)
        self.content.addWidget(self.invite)
        # -- results -------------------------------------------------------------------
        self.status = label("")
        self.note = label("", "Hint")
        self.questions_button = KioskButton(tr("补充信息（回答几个问题）"), role="primary")
        self.questions_button.clicked.connect(lambda: self.nav.show_screen("questionnaire"))
        # Landscape has width to spare and little height: the button goes beside the summary.
        landscape = services.config.display.orientation == "landscape"
        self.summary = QWidget()
        top = QBoxLayout(QBoxLayout.Direction.LeftToRight if landscape
                         else QBoxLayout.Direction.TopToBottom, self.summary)
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(20)
        texts = QVBoxLayout()
        texts.setSpacing(12)
        texts.addWidget(self.status)
        texts.addWidget(self.note)
        top.addLayout(texts, 1)
        if landscape:
            top.addWidget(self.questions_button, 0, Qt.AlignmentFlag.AlignVCenter)
        else:
            top.addLayout(button_row(self.questions_button))
        self._scroll = ScrollColumn()
        self.content.addWidget(self.summary)
        self.content.addWidget(self._scroll, 1)
        self._show_results_area(False)

    # -- navigation ----------------------------------------------------------------------
    def on_enter(self, **kwargs: Any) -> None:
        self._generation += 1
        op = self._visit.start(self._services, self._ops)
        if op is None:
            self.title_label.setText(tr(TITLE_ANONYMOUS))
            self._clear_results()
            self.invite.show()
            self._show_results_area(False)
            return
        self.title_label.setText(tr(TITLE_IDENTIFIED))
        self.invite.hide()
        self._show_results_area(True)
        if self._visit.check is None:
            self._clear_results()
            self._set_status(tr("正在为您逐项核对，请稍候…"))
        else:  # what the other screens learnt meanwhile (answers, applications), at once
            self._show_check(self._visit.check)
        self.loading = True
        op.success(guarded(self._services, self._visit, lambda: self._generation,
                           self._on_fresh)).failure(self._failed)

    def _show_results_area(self, visible: bool) -> None:
        self.summary.setVisible(visible)
        self._scroll.setVisible(visible)
        self.questions_button.setVisible(visible and self._visit.check is not None
                                         and self._visit.check.question is not None)

    def _on_fresh(self, check: PolicyCheck) -> None:
        self.loading = False
        self._show_check(check)

    def _failed(self, exc: BaseException) -> None:
        self.loading = False
        log.error("policy check failed", exc_info=exc)
        if self._services.session.resident is None:
            return
        self._set_status(tr("暂时无法为您核对政策，请稍后再试，或咨询服务站工作人员。"),
                         "ErrorText")

    # -- results -------------------------------------------------------------------------
    def _show_check(self, check: PolicyCheck) -> None:
        self._clear_results()
        groups = {status: [d for d in check.decisions if d.status is status]
                  for status in GROUP_ORDER}
        resident = check.resident
        counts = tr("，").join(tr("{group} {n} 项").format(group=tr(GROUP_TITLE[s]),
                                                           n=len(groups[s]))
                              for s in GROUP_ORDER)
        self._set_status(tr("{name}，为您核对了 {n} 项政策：{counts}。").format(
            name=resident.name_masked, n=len(check.decisions), counts=counts))
        note = [tr("判断日期 {y}年{m}月{d}日，规则版本 {version}。").format(
                    y=check.on.year, m=check.on.month, d=check.on.day, version=check.rule_pack),
                tr(DISCLAIMER)]
        if check.declared:
            note.insert(0, tr("已根据您的 {n} 个回答更新结果（仅用于本次核对，退出后清除）。")
                        .format(n=len(check.declared)))
        self.note.setText(sentences(*note))
        self.questions_button.setVisible(check.question is not None)
        for status in GROUP_ORDER:
            if not groups[status]:
                continue
            self._scroll.add(label(tr("{group}（{n} 项）").format(
                group=tr(GROUP_TITLE[status]), n=len(groups[status])), "Heading"))
            if status is Status.NEEDS_INFO and check.question is None:
                self._scroll.add(label(
                    tr("这些政策还需要核实的信息无法在本机回答，请咨询服务站工作人员。"), "Hint"))
            for decision in groups[status]:
                card = PolicyCard(decision, on_why=self._open_reasons, on_apply=self._open_apply,
                                  open_number=check.open_numbers.get(decision.policy))
                self._scroll.add(card)
                self.cards[decision.policy] = card

    def _open_reasons(self, policy_id: str) -> None:
        self.nav.show_screen("policy_detail", policy=policy_id)

    def _open_apply(self, policy_id: str) -> None:
        self.nav.show_screen("apply", policy=policy_id)

    def _clear_results(self) -> None:
        self.cards.clear()
        self._scroll.clear()
        self._set_status("")
        self.note.setText("")

    def _set_status(self, text: str, role: str = "Body") -> None:
        show_text(self.status, text, role)

    def screenshot_states(self) -> Iterator[str]:
        """The results for the demo resident, then the foot of the list."""
        session = self._services.session
        if session.resident is None:
            return
        session.add_facts({k: v for k, v in SCREENSHOT_FACTS.items() if k not in session.facts},
                          "central")
        self.on_enter()
        yield "results"
        bar = self._scroll.verticalScrollBar()
        bar.setValue(bar.maximum())
        yield "results_end"
        bar.setValue(0)

    def clear_personal(self) -> None:
        self._generation += 1
        self.loading = False
        self._visit.clear()
        self._clear_results()
        self.questions_button.hide()


def policy_screens(nav: Navigator, services: Services, ops: KioskOps, receipts: ReceiptFlow
                   ) -> list[Screen]:
    """The four screens of the policy journey, sharing one :class:`PolicyVisit`."""
    visit = PolicyVisit()
    return [PoliciesScreen(nav, services, ops, visit),
            PolicyDetailScreen(nav, services, ops, visit),
            QuestionnaireScreen(nav, services, ops, visit),
            ApplyScreen(nav, services, ops, visit, receipts)]
