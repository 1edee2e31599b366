"""The job result list: a lazy model fed from the worker thread, and a large-type delegate.

:class:`~ui.models.job_list_model.JobListModel` reads pages through a plain ``fetch``
callable on whatever thread asks, and the view asks on the GUI thread (``fetchMore`` while
scrolling). A database read there would stall the finger mid-swipe, so
:class:`WorkerJobListModel` feeds it from the worker: the first page and the total are read
by the search op itself, every later page is read by ``KioskOps`` when the view nears the end
and handed to the model only once it is there.

The delegate paints each job (never a widget per job, so 100,000 rows cost nothing) with
fonts and colours taken from the theme: hidden probe labels carry the QSS object names
(Heading, Body, Hint, OkText), so 长辈模式 resizes the rows like any label.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from kiosk.jobs.search import JobSummary
from ui.models.job_list_model import JobListModel
from ui.ops import KioskOps
from ui.theme.tokens import CARD, LINE, PAPER, PRIMARY
from ui.widgets.job_ops import start
from ui.widgets.scroll import enable_touch_scroll

log = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex
PAD_X = 28
PAD_Y = 18
LINE_GAP = 6


class PageFeed(Protocol):
    """Where a result's later pages come from (kiosk.jobs.search.CatalogueFeed)."""

    today: date

    def fetch(self, offset: int, limit: int) -> Sequence[JobSummary]: ...


class WorkerJobListModel(JobListModel):
    """A JobListModel whose pages are read on the worker, never on the GUI thread.

    ``show_result`` installs a search whose first page and total are already known; later
    pages are requested from the worker by :meth:`fetchMore` and handed to the base class
    when they arrive (its ``fetch`` only ever serves pages that are already here).
    """

    def __init__(self, ops: KioskOps, *, page_size: int = 50, today: date | None = None,
                 parent: Any = None) -> None:
        super().__init__(page_size=page_size, today=today, parent=parent)
        self._ops = ops
        self._feed: PageFeed | None = None
        self._ready: dict[int, Sequence[JobSummary] | BaseException] = {}
        self._generation = 0
        self.loading_more = False

    def show_result(self, feed: PageFeed, first: Sequence[JobSummary], total: int) -> None:
        self._generation += 1
        self._feed = feed
        self._today = feed.today  # 3天前 counts from the day the search was made for
        self._ready = {0: list(first)}
        self.loading_more = False
        self.set_query(self._serve, lambda: total)

    def clear(self) -> None:
        self._generation += 1
        self._feed = None
        self._ready = {}
        self.loading_more = False
        super().clear()

    def _serve(self, offset: int, limit: int) -> Sequence[JobSummary]:
        page = self._ready.pop(offset, [])
        if isinstance(page, BaseException):
            raise page  # the base class logs it, says so once and stops asking
        return page

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:
        feed = self._feed
        if parent.isValid() or feed is None or self.loading_more or not self.canFetchMore():
            return
        offset, generation, limit = self.rowCount(), self._generation, self.page_size
        self.loading_more = True

        def arrived(page: Sequence[JobSummary] | BaseException) -> None:
            if generation != self._generation:
                return  # a newer search replaced this list meanwhile
            self.loading_more = False
            self._ready[offset] = page
            super(WorkerJobListModel, self).fetchMore(parent)

        start(self._ops, lambda: feed.fetch(offset, limit), arrived, arrived)


class _Probes:
    """Hidden labels styled by the QSS: the delegate's source of sizes and colours."""

    ROLES = ("Heading", "Body", "Hint", "OkText")

    def __init__(self, parent: QWidget) -> None:
        self.labels: dict[str, QLabel] = {}
        for role in self.ROLES:
            probe = QLabel(parent)
            probe.setObjectName(role)
            probe.hide()
            self.labels[role] = probe

    def font(self, role: str, *, bold: bool = False) -> QFont:
        probe = self.labels[role]
        probe.ensurePolished()
        font = QFont(probe.font())
        if bold:
            font.setBold(True)
        return font

    def colour(self, role: str) -> QColor:
        probe = self.labels[role]
        probe.ensurePolished()
        return probe.palette().color(QPalette.ColorRole.WindowText)


class JobItemDelegate(QStyledItemDelegate):
    """Three lines per job: title and when posted; pay, town and type; the employer."""

    def __init__(self, probes: _Probes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._probes = probes

    def _line_heights(self) -> tuple[int, int, int]:
        p = self._probes
        return (QFontMetrics(p.font("Heading", bold=True)).height(),
                QFontMetrics(p.font("Body", bold=True)).height(),
                QFontMetrics(p.font("Hint")).height())

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        h1, h2, h3 = self._line_heights()
        return QSize(400, PAD_Y * 2 + h1 + h2 + h3 + LINE_GAP * 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        job = index.data(JobListModel.JobRole)
        if not isinstance(job, JobSummary):
            return
        p = self._probes
        rect: QRect = option.rect  # type: ignore[attr-defined]
        painter.save()
        pressed = bool(option.state & QStyle.StateFlag.State_Sunken)  # type: ignore[attr-defined]
        painter.fillRect(rect, QColor(PAPER if pressed else CARD))
        painter.setPen(QPen(QColor(LINE), 2))
        painter.drawLine(rect.left() + PAD_X, rect.bottom(), rect.right() - PAD_X, rect.bottom())
        h1, h2, h3 = self._line_heights()
        inner = rect.adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y)
        posted = str(index.data(JobListModel.PostedRole) or "")
        hint_font = p.font("Hint")
        painter.setFont(hint_font)
        posted_w = painter.fontMetrics().horizontalAdvance(posted) + 8
        # line 1: the title (elided if it must be) and, right, how fresh it is
        top = QRect(inner.left(), inner.top(), inner.width(), h1)
        painter.setPen(p.colour("Hint"))
        painter.drawText(top, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         posted)
        painter.setFont(p.font("Heading", bold=True))
        painter.setPen(QColor(PRIMARY))
        title_w = max(0, inner.width() - posted_w - 16)
        painter.drawText(QRect(top.left(), top.top(), title_w, h1),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         painter.fontMetrics().elidedText(job.title, Qt.TextElideMode.ElideRight,
                                                          title_w))
        # line 2: pay first (what residents look for), then where and what kind
        y = top.bottom() + 1 + LINE_GAP
        pay_font = p.font("OkText", bold=True)
        painter.setFont(pay_font)
        painter.setPen(p.colour("OkText"))
        pay = job.salary_text
        pay_w = painter.fontMetrics().horizontalAdvance(pay)
        painter.drawText(QRect(inner.left(), y, pay_w + 4, h2),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, pay)
        painter.setFont(p.font("Body"))
        painter.setPen(p.colour("Body"))
        rest = f"{job.town_label} · {job.job_type_label}"
        rest_x = inner.left() + pay_w + 28
        painter.drawText(QRect(rest_x, y, max(0, inner.right() - rest_x), h2),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         painter.fontMetrics().elidedText(rest, Qt.TextElideMode.ElideRight,
                                                          max(0, inner.right() - rest_x)))
        # line 3: the employer
        y += h2 + LINE_GAP
        painter.setFont(hint_font)
        painter.setPen(p.colour("Hint"))
        painter.drawText(QRect(inner.left(), y, inner.width(), h3),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         painter.fontMetrics().elidedText(job.employer_name,
                                                          Qt.TextElideMode.ElideRight,
                                                          inner.width()))
        painter.restore()


class JobListView(QListView):
    """The result list: finger scrolling, pixel-smooth, rows sized from the theme."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("JobList")
        self._probes = _Probes(self)
        self.setItemDelegate(JobItemDelegate(self._probes, self))
        self.setUniformItemSizes(True)  # one row height: no per-row measuring at 100k rows
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMouseTracking(False)
        enable_touch_scroll(self)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            # 长辈模式: the probes are re-polished in the same pass; measure rows after it
            QTimer.singleShot(0, self, self.scheduleDelayedItemsLayout)

    def row_rect(self, row: int) -> QRect:
        """Where a row is on screen (tests tap it the way a finger would)."""
        model = self.model()
        return self.visualRect(model.index(row, 0)) if model is not None else QRect()
