"""请将身份证放在读卡区: the page a screen shows while it needs the resident's ID card."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.i18n import N_, tr
from ui.screens.base import label

CARD_PROMPT = N_("请将身份证放在读卡区")


def card_prompt_page(*texts: QWidget, centred: bool = False) -> QWidget:
    """The prompt in large type, then ``texts`` (what the card is for, what happens once it
    is read). ``centred``: a step of a flow, where the prompt is all the page asks; an
    invitation on a screen that needs the card keeps it flush with the words under it."""
    page = QWidget()
    box = QVBoxLayout(page)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(24)
    box.addWidget(label(tr(CARD_PROMPT), "CardPrompt",
                        align=Qt.AlignmentFlag.AlignCenter if centred else None))
    for text in texts:
        box.addWidget(text)
    box.addStretch(1)
    return page
