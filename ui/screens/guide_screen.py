"""办事指南: every policy's conditions, materials and office, for anyone, without a card.

Many residents come to find out before they bring their papers, so this needs no
identification and shows nothing personal. The printed guide is the same content
(kiosk.documents.PolicyGuide), at A4 or the receipt printer's width as configured.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.app import Services, today
from kiosk.documents.model import PolicyGuide
from kiosk.eligibility import Policy, RulePack, evaluate
from kiosk.i18n import N_, tr
from kiosk.records import new_token
from ui.receipt_flow import ReceiptFlow
from ui.screens.base import Navigator, Screen, label, sentences
from ui.widgets.buttons import KioskButton
from ui.widgets.policy_card import GuideCard, add_heading, add_info_block, button_row, card_frame
from ui.widgets.policy_text import MODE_LABEL, condition_lines, guide_entry, shown_amount
from ui.widgets.scroll import ScrollColumn

GUIDE_REF = "GUIDE"
INDENT_PX = 48


def amount_texts(pack: RulePack) -> dict[str, str]:
    """Each policy's 待遇 as it reads for anyone today (figures in force, no personal facts)."""
    return {d.policy: d.amount_text for d in evaluate(pack, {}, {}, today())}


def print_guide(services: Services, receipts: ReceiptFlow, policies: list[Policy]) -> None:
    """Print the guide for ``policies`` through the receipt flow (QR on screen if it fails)."""
    pack = services.policies.current
    amounts = amount_texts(pack)
    station = services.station
    token = new_token()
    doc = PolicyGuide(policies=[guide_entry(p, amounts.get(p.id, ""), station)
                                for p in policies],
                      station=station, printed_at=datetime.now(), token=token)
    receipts.print(doc, kind="guide", ref_number=GUIDE_REF, token=token, what=N_("办事指南"),
                   completes_action=False)


class GuideScreen(Screen):
    name = "guide"
    title = N_("办事指南")

    def __init__(self, nav: Navigator, services: Services, receipts: ReceiptFlow,
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self._services = services
        self._receipts = receipts
        self._digest = ""
        self.cards: dict[str, GuideCard] = {}
        station = services.config.station
        self.intro = label(tr("以下是本服务站可以咨询和办理的就业创业政策。点“查看条件和材料”"
                              "了解申请条件、所需材料和办理地点；带身份证来，还可以为您逐项核对。"))
        self.station = label(tr("{name}\n地址：{address}\n办公时间：{hours}").format(
            name=station.name, address=station.address, hours=station.hours), "Hint")
        self.print_button = KioskButton(tr("打印办事指南"), role="primary")
        self.print_button.clicked.connect(self._print_all)
        self._rows = ScrollColumn()
        self.content.addWidget(self.intro)
        self.content.addWidget(self.station)
        self.content.addLayout(button_row(self.print_button))
        self.content.addWidget(self._rows, 1)

    def on_enter(self, **kwargs: Any) -> None:
        pack = self._services.policies.current
        if pack.digest == self._digest and self.cards:
            return  # the pack in memory is unchanged: keep the list (and its scroll place)
        self._digest = pack.digest
        self.cards.clear()
        self._rows.clear()
        for policy in pack.policies:
            card = GuideCard(policy, on_open=self._open)
            self._rows.add(card)
            self.cards[policy.id] = card
        self._rows.add(label(sentences(
            tr("规则版本 {version}。").format(version=pack.version),
            tr("以上内容仅供参考，具体以人社部门最新规定为准。")), "Hint"))

    def _open(self, policy_id: str) -> None:
        self.nav.show_screen("guide_detail", policy=policy_id)

    def _print_all(self) -> None:
        print_guide(self._services, self._receipts,
                    list(self._services.policies.current.policies))


class GuideDetailScreen(Screen):
    """One policy from the guide: the conditions in plain words, materials, where, when."""

    name = "guide_detail"
    title = N_("办事指南")

    def __init__(self, nav: Navigator, services: Services, receipts: ReceiptFlow,
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self._services = services
        self._receipts = receipts
        self._policy = ""
        self._rows = ScrollColumn(spacing=12)
        self.print_button = KioskButton(tr("打印本项指南"), role="primary")
        self.print_button.clicked.connect(self._print_one)
        self.content.addWidget(self._rows, 1)
        self.content.addLayout(button_row(self.print_button))

    def on_enter(self, **kwargs: Any) -> None:
        """``policy``: the policy id (kept when coming back to this screen)."""
        self._policy = str(kwargs.get("policy") or self._policy)
        self._rows.clear()
        pack = self._services.policies.current
        policy = next((p for p in pack.policies if p.id == self._policy), None)
        self.print_button.setVisible(policy is not None)
        if policy is None:
            self.show_title()
            self._rows.add(label(tr("请从办事指南列表中选择一项政策。")))
            return
        self.title_label.setText(policy.name)
        frame, box = card_frame()
        box.addWidget(label(tr(MODE_LABEL[policy.mode]), "Hint"))
        box.addWidget(label(policy.summary))
        add_heading(box, tr("申请条件"))
        for depth, line in condition_lines(policy, translate=tr):
            item = label(f"— {line}" if depth else f"· {line}")
            item.setIndent(INDENT_PX * depth)
            box.addWidget(item)
        add_info_block(box, amount=shown_amount(amount_texts(pack).get(policy.id, "")),
                       materials=policy.materials, where=policy.where,
                       deadline=policy.deadline_text)
        self._rows.add(frame)
        station = self._services.config.station
        self._rows.add(label(sentences(
            tr("咨询：{name}（{address}，{hours}）。").format(
                name=station.name, address=station.address, hours=station.hours),
            tr("以上内容仅供参考，具体以人社部门最新规定为准。")), "Hint"))

    def screenshot_states(self) -> Iterator[str]:
        """The first policy of the guide."""
        self.on_enter(policy=self._policy or self._services.policies.current.policies[0].id)
        yield "policy"

    def _print_one(self) -> None:
        pack = self._services.policies.current
        chosen = [p for p in pack.policies if p.id == self._policy]
        if chosen:
            print_guide(self._services, self._receipts, chosen)


def guide_screens(nav: Navigator, services: Services, receipts: ReceiptFlow) -> list[Screen]:
    return [GuideScreen(nav, services, receipts), GuideDetailScreen(nav, services, receipts)]
