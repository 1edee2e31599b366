"""Cards and text blocks the policy screens are built from.

A result card shows one decision the way the resident needs it: what the policy gives, how
it is obtained, and the two actions (为什么 / 一键申报). The info block (amount, materials,
where, deadline) is the same on the 为什么 page, the confirmation and the guide.

Cards call plain Python callbacks instead of emitting signals of their own: with PySide6
6.12.0 every Python-side ``Signal.emit`` loses a reference to ``True``, and a few hundred
of them abort the interpreter (reported to the lead; pin PySide6 below 6.12).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kiosk.eligibility import Decision, Policy, Status
from kiosk.i18n import tr
from ui.screens.base import label, set_role
from ui.widgets.buttons import KioskButton
from ui.widgets.policy_text import (
    MODE_LABEL,
    STAFF_NOTE,
    amount_line,
    apply_label,
    can_apply,
    reason_depth,
    reason_text,
    status_line,
    unknown_text,
    where_text,
)

CARD_MARGINS = (28, 24, 28, 24)


def show_text(widget: QLabel, text: str, role: str = "Body") -> None:
    """Set a status line's text and theme role; hidden while there is nothing to say."""
    set_role(widget, role)
    widget.setText(text)
    widget.setVisible(bool(text))


def card_frame() -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("Card")
    box = QVBoxLayout(frame)
    box.setContentsMargins(*CARD_MARGINS)
    box.setSpacing(16)
    return frame, box


def button_row(*buttons: QWidget) -> QHBoxLayout:
    """Buttons to the right, 20 px apart (the finger target gap)."""
    row = QHBoxLayout()
    row.setSpacing(20)
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


def add_heading(box: QVBoxLayout, text: str) -> None:
    box.addSpacing(12)
    box.addWidget(label(text, "Heading"))


def add_info_block(box: QVBoxLayout, *, amount: str, materials: Sequence[str],
                   where: Mapping[str, str] | None, deadline: str) -> None:
    """待遇 / 所需材料 / 到哪里办 / 办理期限, one heading each (the values are the pack's)."""
    add_heading(box, tr("待遇标准"))
    box.addWidget(label(amount))
    if materials:
        add_heading(box, tr("需要准备的材料"))
        for i, item in enumerate(materials, 1):  # one label each: easier to read than a block
            box.addWidget(label(f"{i}. {item}"))
    add_heading(box, tr("到哪里办"))
    box.addWidget(label(where_text(where)))
    if deadline:
        add_heading(box, tr("办理期限"))
        box.addWidget(label(deadline))


class PolicyCard(QFrame):
    """One decision in the results list; calls back with the policy id when tapped.

    Cards of policies the resident can apply for show what they give and both actions in
    full; the others are compact (texts left, 为什么 right) so the list stays short.
    """

    def __init__(self, decision: Decision, *, on_why: Callable[[str], None],
                 on_apply: Callable[[str], None], open_number: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.policy = decision.policy
        full = decision.status is Status.ELIGIBLE or can_apply(decision)
        texts = QVBoxLayout()
        texts.setSpacing(12)
        texts.addWidget(label(decision.name or decision.policy, "Heading"))
        tags = [tr(MODE_LABEL[decision.mode])]
        if decision.status is not Status.INELIGIBLE or decision.likely:
            tags.append(status_line(decision))
        self.tags = label(" · ".join(tags), "Hint")
        texts.addWidget(self.tags)
        if full:
            texts.addWidget(label(decision.summary))
        if decision.status is not Status.INELIGIBLE:
            texts.addWidget(label(tr("待遇：{amount}").format(amount=amount_line(decision))))
        hint = self._hint(decision)
        if hint:
            texts.addWidget(label(hint, "Hint"))
        if open_number:
            texts.addWidget(label(tr("您已提交申请（编号 {number}），正在办理中。").format(
                number=open_number), "OkText"))
        self.why_button = KioskButton(tr("为什么"))
        self.why_button.clicked.connect(lambda: on_why(self.policy))
        self.apply_button: KioskButton | None = None
        if can_apply(decision) and not open_number:
            self.apply_button = KioskButton(apply_label(decision), role="primary")
            self.apply_button.clicked.connect(lambda: on_apply(self.policy))
        box: QBoxLayout = QVBoxLayout(self) if full else QHBoxLayout(self)
        box.setContentsMargins(*CARD_MARGINS)
        box.setSpacing(20)
        box.addLayout(texts, 1)
        if full:
            buttons = [b for b in (self.why_button, self.apply_button) if b is not None]
            box.addLayout(button_row(*buttons))
        else:
            box.addWidget(self.why_button, 0, Qt.AlignmentFlag.AlignVCenter)

    @staticmethod
    def _hint(decision: Decision) -> str:
        if decision.refer_to_staff:
            return tr(STAFF_NOTE)
        if decision.status is Status.INELIGIBLE:
            unmet = [reason_text(r) for r in decision.reasons if r.result is False]
            return unmet[0] if unmet else ""
        if decision.status is Status.NEEDS_INFO:
            unknown = [unknown_text(r) for r in decision.reasons
                       if r.result is None and reason_depth(r.condition) == 0]
            return tr("；").join(unknown[:2])
        return ""


class GuideCard(QFrame):
    """One policy in the 办事指南 list: what it is, and a way to its details."""

    def __init__(self, policy: Policy, *, on_open: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.policy = policy.id
        box = QVBoxLayout(self)
        box.setContentsMargins(*CARD_MARGINS)
        box.setSpacing(12)
        box.addWidget(label(policy.name, "Heading"))
        box.addWidget(label(tr(MODE_LABEL[policy.mode]), "Hint"))
        box.addWidget(label(policy.summary))
        self.open_button = KioskButton(tr("查看条件和材料"))
        self.open_button.clicked.connect(lambda: on_open(self.policy))
        box.addLayout(button_row(self.open_button))
