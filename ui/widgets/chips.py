"""Tap-to-choose chips: most residents pick instead of typing."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractButton, QButtonGroup, QWidget

from ui.widgets.buttons import KioskButton
from ui.widgets.flow import FlowLayout


def set_quietly(chip: QAbstractButton, on: bool) -> None:
    """Check or uncheck a chip without its ``toggled``: the group reports the change once."""
    chip.blockSignals(True)
    chip.setChecked(on)
    chip.blockSignals(False)


def check_only(chips: Mapping[str, QAbstractButton], wanted: Collection[str]) -> None:
    """Exactly the chips of ``wanted`` checked, quietly (a pick-one tap, or a preset)."""
    for value, chip in chips.items():
        set_quietly(chip, value in wanted)


class ChipGroup(QWidget):
    """Checkable chips in wrapping rows; ``exclusive`` for pick-one."""

    changed = Signal()

    def __init__(self, options: Iterable[tuple[str, str]], *, exclusive: bool = False,
                 allow_none: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = FlowLayout(self)
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)
        self._exclusive = exclusive
        self._allow_none = allow_none
        self.chips: dict[str, KioskButton] = {}
        for value, text in options:
            chip = KioskButton(text, role="chip")
            chip.setCheckable(True)
            self._group.addButton(chip)
            self._layout.addWidget(chip)
            self.chips[value] = chip
            chip.toggled.connect(lambda on, v=value: self._on_toggled(v, on))

    def _on_toggled(self, value: str, on: bool) -> None:
        if self._exclusive and on:
            check_only(self.chips, {value})
        if self._exclusive and not on and not self._allow_none:
            set_quietly(self.chips[value], True)
            return
        self.changed.emit()

    def selected(self) -> list[str]:
        return [v for v, chip in self.chips.items() if chip.isChecked()]

    def value(self) -> str | None:
        chosen = self.selected()
        return chosen[0] if chosen else None

    def set_selected(self, values: Iterable[str]) -> None:
        check_only(self.chips, set(values))
        self.changed.emit()

    def clear(self) -> None:
        self.set_selected([])
