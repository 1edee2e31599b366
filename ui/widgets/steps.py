"""The step indicator every multi-step flow shows: where am I, how much is left."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


class StepIndicator(QLabel):
    def __init__(self, steps: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Hint")
        self.setWordWrap(True)
        self._steps = steps
        self.set_step(0)

    def set_step(self, index: int) -> None:
        self.index = index
        names = " → ".join(f"【{s}】" if i == index else s for i, s in enumerate(self._steps))
        self.setText(f"第 {index + 1} 步，共 {len(self._steps)} 步：{names}")
