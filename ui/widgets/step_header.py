"""The top of a step in a multi-step flow: where am I (the step indicator), the question,
and a hint under it.

The step flows (求职登记, 呼叫就业红娘, the activities' sign-ups) show one above the page; in
landscape the phone step puts a second one, with the screen's title, beside the keypad,
which needs the full 1080 px height.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.screens.base import label
from ui.widgets.steps import StepIndicator


class StepHeader(QWidget):
    """``steps``: the step names as shown (the caller translates them); ``title`` adds the
    screen's title on top (the landscape phone step's own header); ``extra`` widgets go
    under the hint (a note, say)."""

    def __init__(self, steps: list[str], *, title: str = "", extra: Sequence[QWidget] = (),
                 spacing: int = 20, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = label(title, "ScreenTitle") if title else None
        self.steps = StepIndicator(steps)
        self.question = label("", "Heading")
        self.hint = label("", "Hint")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(spacing)
        for widget in (self.title, self.steps, self.question, self.hint, *extra):
            if widget is not None:
                box.addWidget(widget)

    def show_step(self, index: int, question: str, hint: str, *, hint_shown: bool = True
                  ) -> None:
        """Step ``index`` with its question and hint; ``hint_shown`` False gives the height
        to the page instead (the landscape confirmation: what will be sent)."""
        self.steps.set_step(index)
        self.question.setText(question)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint) and hint_shown)


def phone_header(title: str, steps: list[str], step: int, question: str, hint: str,
                 *, spacing: int = 20) -> StepHeader:
    """The phone step's own title and question, for the landscape layout where they sit
    beside the keypad: above it they would leave the keypad too little of 1080 px (all in
    the resident's language)."""
    header = StepHeader(steps, title=title, spacing=spacing)
    header.steps.set_step(step)
    header.question.setText(question)
    header.hint.setText(hint)
    return header
