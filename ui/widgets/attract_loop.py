"""The home screen's attract loop: one big card cycling through what is on today.

A passer-by sees today's job fair or live-stream hiring and the district's notices without
touching anything; one tap opens the item. An urgent notice takes the loop: it comes first
and then every other turn for as long as it is urgent (until it expires or is withdrawn), so
it is never more than one turn away while today's events still get their turns. The items
come from ``ActivityCatalogue.attract_items`` on the worker, fetched when the home screen
shows (at most once a minute) and every few minutes while it stays on screen.

The card is its own widget below the welcome, so it never covers the card prompt. It stops
turning while the home screen is hidden and while a resident is identified: a person
choosing a tile should not have the screen change under their finger.

The items' titles are content (Chinese, as published); their subtitles are made by the core in
the resident's language when fetched, and the tag line is translated when shown. After a
language switch the composition root sets the source again, which fetches afresh.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QHideEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.i18n import N_, tr
from ui.theme.tokens import PRIMARY, TILE_COLOURS
from ui.widgets.buttons import KioskButton

log = logging.getLogger(__name__)

INTERVAL_MS = 6000
REFRESH_MS = 5 * 60_000  # while home stays on screen: live sessions start and end
MIN_REFRESH_S = 60.0  # returning home more often than this reuses what was fetched
TITLE_LINES = 2
URGENT_COLOUR = TILE_COLOURS[4]  # dark red, white text ≥ 7:1
COLOURS = {"announcement": TILE_COLOURS[3], "event": PRIMARY, "live": TILE_COLOURS[1]}
TAGS = {"announcement": N_("通知公告"), "event": N_("今日活动"), "live": N_("直播带岗")}
URGENT_TAG = N_("紧急通知")


def schedule(items: Sequence[Any]) -> list[int]:
    """The order the loop shows ``items`` in (indexes): urgent ones first, and then before
    every other item, so an urgent notice is never more than one turn away."""
    urgent = [i for i, item in enumerate(items) if item.urgent]
    others = [i for i, item in enumerate(items) if not item.urgent]
    if not urgent or not others:
        return urgent + others
    order: list[int] = []
    for n, index in enumerate(others):
        order.append(urgent[n % len(urgent)])
        order.append(index)
    return order


def elide_lines(text: str, metrics: QFontMetrics, width: int, lines: int) -> str:
    """``text`` cut (with …) so that it wraps into at most ``lines`` lines of ``width``."""
    flags = int(Qt.TextFlag.TextWordWrap)
    spacing = max(1, metrics.lineSpacing())

    def fits(candidate: str) -> bool:  # a line's box is a pixel or two over the spacing
        height = metrics.boundingRect(QRect(0, 0, width, 100_000), flags, candidate).height()
        return round(height / spacing) <= lines

    if width <= 0 or fits(text):
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        mid = (low + high + 1) // 2
        if fits(text[:mid] + "…"):
            low = mid
        else:
            high = mid - 1
    return text[:low] + "…"


class AttractLoop(KioskButton):
    """``set_source(ops, load)`` then it runs by itself; a tap calls the opener given to
    :meth:`set_opener` (and emits ``item_chosen(target, target_id)``). Hidden while there is
    nothing to show."""

    item_chosen = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent=parent)
        self.setObjectName("Tile")  # the home tiles' look: white text on a dark fill
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.items: list[Any] = []
        self.order: list[int] = []
        self.position = 0
        self.paused = False
        self._ops: Any = None
        self._load: Callable[[datetime], list[Any]] | None = None
        self._opener: Callable[[str, str], None] | None = None
        self._fetched_at = -MIN_REFRESH_S
        self._fetching = False
        self._again = False  # forced while a fetch was under way: fetch once more after it
        self.tag = QLabel()
        self.tag.setObjectName("TileSub")
        self.title = QLabel()
        self.title.setObjectName("TileTitle")
        self.title.setWordWrap(True)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("TileSub")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 20)
        layout.setSpacing(6)
        for widget in (self.tag, self.title, self.subtitle):
            widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(widget)
        self._full_title = ""
        self._full_subtitle = ""
        self._full_tag = ""
        self._colour = ""
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.advance)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(lambda: self.refresh(force=True))
        self.clicked.connect(self._tapped)
        self.hide()

    # -- data ------------------------------------------------------------------------------
    def set_source(self, ops: Any, load: Callable[[datetime], list[Any]]) -> None:
        """Where the items come from (``load(now)`` runs on the worker); fetches at once."""
        self._ops = ops
        self._load = load
        self.refresh(force=True)

    def refresh(self, *, force: bool = False) -> None:
        if self._load is None or self._ops is None:
            return
        if self._fetching:
            self._again = self._again or force
            return
        if not force and time.monotonic() - self._fetched_at < MIN_REFRESH_S:
            return
        self._fetching = True
        load = self._load

        def done(items: list[Any]) -> None:
            self._fetching = False
            self._fetched_at = time.monotonic()
            self.set_items(items)
            self._fetch_again()

        def failed(exc: BaseException) -> None:
            self._fetching = False
            log.warning("attract loop items unavailable: %s", exc)
            self._fetch_again()

        try:
            self._ops.run(lambda: load(datetime.now())).success(done).failure(failed)
        except RuntimeError:  # the workers are shut down: the kiosk is closing
            self._fetching = False

    def _fetch_again(self) -> None:
        """The source (or the language its subtitles are in) changed while fetching."""
        if self._again:
            self._again = False
            self.refresh(force=True)

    def set_items(self, items: Sequence[Any]) -> None:
        """Show ``items`` from the start of the schedule (urgent first)."""
        current = self.current()
        self.items = list(items)
        self.order = schedule(self.items)
        self.position = 0
        if current is not None and not (self.items and self.items[self.order[0]].urgent):
            # a refresh keeps the card on screen where it was, unless something urgent came
            for n, index in enumerate(self.order):
                if self.items[index] == current:
                    self.position = n
                    break
        self.setVisible(bool(self.items))
        self._render()
        self._update_timer()

    def current(self) -> Any | None:
        if not self.order:
            return None
        return self.items[self.order[self.position % len(self.order)]]

    # -- turning ---------------------------------------------------------------------------
    def advance(self) -> None:
        if len(self.order) > 1:
            self.position = (self.position + 1) % len(self.order)
            self._render()

    def set_paused(self, paused: bool) -> None:
        """Identified resident: stand still (on the urgent notice, if there is one)."""
        self.paused = paused
        if paused and self.order:
            self.position = 0
            self._render()
        self._update_timer()

    def _update_timer(self) -> None:
        running = self.isVisible() and not self.paused and len(self.order) > 1
        if running and not self._timer.isActive():
            self._timer.start()
        elif not running:
            self._timer.stop()
        if self._load is not None and self.isVisibleTo(self.window()) and \
                not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_texts()
        self._update_timer()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._timer.stop()
        self._refresh_timer.stop()

    # -- showing ---------------------------------------------------------------------------
    def _render(self) -> None:
        item = self.current()
        if item is None:
            self._full_tag = ""
            self._full_title = self._full_subtitle = ""
            self._fit_texts()
            return
        colour = URGENT_COLOUR if item.urgent else COLOURS.get(item.kind, PRIMARY)
        if colour != self._colour:
            self._colour = colour
            self.setStyleSheet(f"#Tile {{ background: {colour}; }}")
        tag = URGENT_TAG if item.urgent else TAGS.get(item.kind, "")
        tag = tr(tag) if tag else ""  # tr("") would be the catalogue's header
        self._full_tag = tr("{tag} · 点一下查看").format(tag=tag)
        self._full_title = item.title
        self._full_subtitle = item.subtitle
        self.setAccessibleName(tr("{tag}：{title}").format(tag=tag, title=item.title))
        self._fit_texts()

    def _fit_texts(self) -> None:
        """Two lines of title and one of subtitle at most, so the card keeps its height
        whichever item it shows (the tiles below must not jump every six seconds)."""
        layout = self.layout()
        if layout is None:
            return
        for widget in (self.tag, self.title, self.subtitle):
            widget.ensurePolished()  # the theme's font, not the default one
        margins = layout.contentsMargins()
        width = self.width() - margins.left() - margins.right()
        self.title.setText(elide_lines(self._full_title, self.title.fontMetrics(), width,
                                       TITLE_LINES))
        for line, text in ((self.tag, self._full_tag), (self.subtitle, self._full_subtitle)):
            line.setText(line.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight,
                                                       max(0, width)))
        # Each line's height fixed from its font, so the layout cannot squeeze the title.
        sample = "\n".join("国" * TITLE_LINES)
        title = self.title.fontMetrics().boundingRect(
            QRect(0, 0, max(1, width), 100_000), int(Qt.TextFlag.TextWordWrap), sample).height()
        self.title.setFixedHeight(title + 2)
        lines = 0
        for line in (self.tag, self.subtitle):
            line.setFixedHeight(line.fontMetrics().height() + 2)
            lines += line.fontMetrics().height() + 2
        height = (margins.top() + margins.bottom() + 2 * layout.spacing() + title + 2
                  + lines)
        if self.height() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_texts()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            QTimer.singleShot(0, self, self._fit_texts)  # 长辈模式: the fonts grew

    def set_opener(self, opener: Callable[[str, str], None]) -> None:
        """What a tap does with (target screen, item id); set again (not added) when the
        screens are rebuilt, e.g. after the language changed."""
        self._opener = opener

    def _tapped(self) -> None:
        item = self.current()
        if item is None:
            return
        if self._opener is not None:
            self._opener(item.target, item.target_id)
        self.item_chosen.emit(item.target, item.target_id)


class EntryTile(KioskButton):
    """A tile whose lines never wrap, as wide as its longest line: the way into the
    activities hub beside the attract loop where a full-width button has no room (landscape:
    the six tiles take the whole height of their column)."""

    def __init__(self, lines: Sequence[tuple[str, str]], colour: str = PRIMARY,
                 parent: QWidget | None = None) -> None:
        super().__init__("", parent=parent)
        self.setObjectName("Tile")
        self.setStyleSheet(f"#Tile {{ background: {colour}; }}")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.labels: list[QLabel] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 16, 28, 16)
        layout.setSpacing(4)
        layout.addStretch(1)
        for text, role in lines:  # (text, theme role): Heading for the name, TileSub after
            line = QLabel(text)
            line.setObjectName(role)
            line.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(line)
            self.labels.append(line)
        layout.addStretch(1)
        self.setAccessibleName("".join(t for t, _ in lines))
        self._fit()

    def set_lines(self, lines: Sequence[tuple[str, str]]) -> None:
        """New texts for the same lines (the resident switched language)."""
        for line, (text, _role) in zip(self.labels, lines, strict=True):
            line.setText(text)
        self.setAccessibleName("".join(t for t, _ in lines))
        self._fit()

    def _fit(self) -> None:
        for line in self.labels:
            line.ensurePolished()
        widest = max(line.fontMetrics().horizontalAdvance(line.text()) for line in self.labels)
        self.setFixedWidth(widest + 28 * 2 + 8)
        self.setMinimumHeight(sum(line.sizeHint().height() for line in self.labels)
                              + 16 * 2 + 4 * len(self.labels))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            QTimer.singleShot(0, self, self._fit)  # 长辈模式: the lines grew
