"""Pick one of many options by tapping, never more than six chips at a time.

Older residents find a wall of chips hard to read; past six they stop reading and ask for
help. So long option lists are shown a page at a time: five options and a 更多 chip that
turns the page (on the last page it reads 从头看). The chosen option stays chosen
while the resident leafs through the pages.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget

from kiosk.i18n import N_, tr
from ui.widgets.buttons import KioskButton
from ui.widgets.discard import discard
from ui.widgets.flow import FlowLayout

MAX_VISIBLE = 6
MORE_TEXT = N_("更多")  # Chinese: shown through tr()
FIRST_TEXT = N_("从头看")
GAP = 16  # between chips (the finger-target gap)
CHIP_PADDING = 62  # a chip's width beyond its text: kiosk.qss padding 0 28px, border 3px


class PagedChips(QWidget):
    """Exclusive chips in pages; ``changed`` carries the chosen value ("" for none)."""

    changed = Signal(str)

    def __init__(self, options: Sequence[tuple[str, str]], *, allow_none: bool = True,
                 per_page: int = MAX_VISIBLE, one_row: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = FlowLayout(self, spacing=GAP)
        self._allow_none = allow_none
        self._one_row = one_row  # pages hold what fits in one row (at most per_page)
        self._per_page = per_page
        self._row_width = 0
        self._value = ""
        self.chips: dict[str, KioskButton] = {}
        self.more = KioskButton(tr(MORE_TEXT), role="chip")
        self.more.clicked.connect(self.next_page)
        self.more.setParent(self)  # laid out only when there are pages to turn
        self.more.hide()
        self._pages: list[list[str]] = []
        self.page = 0
        self.set_options(options, per_page=per_page)

    def set_options(self, options: Sequence[tuple[str, str]], *,
                    per_page: int = MAX_VISIBLE) -> None:
        """Replace the options (the value is kept if it is still one of them)."""
        for chip in self.chips.values():
            discard(chip)
        self.chips = {}
        for value, text in options:
            chip = KioskButton(text, role="chip")
            chip.setCheckable(True)
            chip.clicked.connect(lambda _=False, v=value: self._tapped(v))
            chip.setParent(self)
            chip.hide()
            self.chips[value] = chip
        self._per_page = per_page
        self._values = [v for v, _ in options]
        if self._value not in self.chips:
            self._value = ""
        self._sync_checks()
        self._paginate()

    def _paginate(self) -> None:
        """Split the options into pages: ``per_page`` at most, a place kept for 更多 when
        there is more than one page, and (``one_row``) no more than fit side by side."""
        values, per_page = self._values, self._per_page
        width = self._row_width if self._one_row else 0
        if len(values) <= per_page and (not width or self._fits(values, width, more=False)):
            self._pages = [values]
        else:
            self._pages = []
            page: list[str] = []
            for value in values:
                if page and (len(page) >= per_page - 1
                             or (width and not self._fits([*page, value], width, more=True))):
                    self._pages.append(page)
                    page = []
                page.append(value)
            if page:
                self._pages.append(page)
        self.show_page(self._page_of(self._value))

    def _fits(self, values: Sequence[str], width: int, *, more: bool) -> bool:
        gap = GAP
        chips = [self.chips[v].sizeHint().width() for v in values]
        if more:
            chips.append(max(self.more.sizeHint().width(),
                             self.more.fontMetrics().horizontalAdvance(tr(FIRST_TEXT))
                             + CHIP_PADDING))
        return sum(chips) + gap * (len(chips) - 1) <= width

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._one_row and event.size().width() != self._row_width:
            self._row_width = event.size().width()
            self._paginate()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if self._one_row and event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            QTimer.singleShot(0, self, self._paginate)  # the chips' new size is known then

    # -- value ---------------------------------------------------------------------------
    def value(self) -> str:
        return self._value

    def set_value(self, value: str | None) -> None:
        """Choose ``value`` without emitting (the caller already knows); shows its page."""
        self._value = value if value and value in self.chips else ""
        self._sync_checks()
        if self._value:
            self.show_page(self._page_of(self._value))

    def text_of(self, value: str) -> str:
        chip = self.chips.get(value)
        return chip.text() if chip is not None else ""

    def _tapped(self, value: str) -> None:
        if value == self._value and self._allow_none:
            self._value = ""
        else:
            self._value = value
        self._sync_checks()
        self.changed.emit(self._value)

    def _sync_checks(self) -> None:
        for value, chip in self.chips.items():
            chip.setChecked(value == self._value)

    # -- pages ---------------------------------------------------------------------------
    @property
    def page_count(self) -> int:
        return len(self._pages)

    def visible_values(self) -> list[str]:
        return list(self._pages[self.page]) if self._pages else []

    def next_page(self) -> None:
        self.show_page((self.page + 1) % max(1, self.page_count))

    def show_page(self, page: int) -> None:
        """Lay out only this page's chips (hidden items would still take FlowLayout gaps)."""
        self.page = page if 0 <= page < self.page_count else 0
        while self._layout.count():
            self._layout.takeAt(0)
        for chip in self.chips.values():
            chip.hide()
        for value in self.visible_values():
            self._layout.addWidget(self.chips[value])
            self.chips[value].show()
        if self.page_count > 1:
            self.more.setText(tr(FIRST_TEXT if self.page == self.page_count - 1 else MORE_TEXT))
            self._layout.addWidget(self.more)
            self.more.show()
        else:
            self.more.hide()
        self._layout.invalidate()
        self.updateGeometry()

    def _page_of(self, value: str) -> int:
        for i, page in enumerate(self._pages):
            if value in page:
                return i
        return 0
