"""The step indicator every multi-step flow shows: where am I, how much is left."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from kiosk.i18n import tr


class StepIndicator(QLabel):
    """``steps``: the step names as shown (the caller translates them)."""

    def __init__(self, steps: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Hint")
        self.setWordWrap(True)
        self._steps = steps
        self.set_step(0)

    def set_step(self, index: int) -> None:
        self.index = index
        names = " → ".join(tr("【{step}】").format(step=s) if i == index else s
                           for i, s in enumerate(self._steps))
        self.setText(tr("第 {n} 步，共 {total} 步：{steps}").format(
            n=index + 1, total=len(self._steps), steps=names))
