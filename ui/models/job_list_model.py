"""A job list that stays smooth with any catalogue size: rows are fetched a page at a time.

The model holds only the pages the view has scrolled to (plain JobSummary values, never
widgets); the view asks for more through canFetchMore/fetchMore when it reaches the end.
Data comes from two callables so the model knows nothing of SQL: ``fetch(offset, limit)``
(for the kiosk, :class:`kiosk.jobs.search.CatalogueFeed`) and ``count()``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from kiosk.jobs.search import JobSummary
from kiosk.jobs.vocab import posted_text

log = logging.getLogger(__name__)

Fetch = Callable[[int, int], Sequence[JobSummary]]
Count = Callable[[], int]
_Index = QModelIndex | QPersistentModelIndex


class JobListModel(QAbstractListModel):
    TitleRole = Qt.ItemDataRole.UserRole + 1
    EmployerRole = Qt.ItemDataRole.UserRole + 2
    SalaryRole = Qt.ItemDataRole.UserRole + 3
    TownRole = Qt.ItemDataRole.UserRole + 4
    TypeRole = Qt.ItemDataRole.UserRole + 5
    PostedRole = Qt.ItemDataRole.UserRole + 6
    IndustryRole = Qt.ItemDataRole.UserRole + 7
    JobIdRole = Qt.ItemDataRole.UserRole + 8
    JobRole = Qt.ItemDataRole.UserRole + 9  # the JobSummary itself

    total_changed = Signal(int)  # 共N个岗位, after every set_query
    fetch_failed = Signal(str)  # a page could not be read; the list stops growing

    _ROLE_NAMES: ClassVar[dict[int, bytes]] = {
        TitleRole: b"title", EmployerRole: b"employer", SalaryRole: b"salary", TownRole: b"town",
        TypeRole: b"jobType", PostedRole: b"posted", IndustryRole: b"industry",
        JobIdRole: b"jobId", JobRole: b"job"}

    def __init__(self, fetch: Fetch | None = None, count: Count | None = None, *,
                 page_size: int = 50, today: date | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.page_size = page_size
        self._today = today
        self._rows: list[JobSummary] = []
        self._fetch: Fetch | None = None
        self._count: Count | None = None
        self._total: int | None = None
        self._exhausted = True
        if fetch is not None:
            self.set_query(fetch, count)

    # -- the query -----------------------------------------------------------------------
    def set_query(self, fetch: Fetch | None, count: Count | None = None) -> None:
        """Show a new result: drop every row, read the first page at once (so the list never
        flashes empty) and announce the total."""
        self.beginResetModel()
        self._rows = []
        self._fetch, self._count = fetch, count
        self._total = None
        self._exhausted = fetch is None
        self.endResetModel()
        if fetch is not None:
            self._fetch_page()
        self.total_changed.emit(self.total())

    def clear(self) -> None:
        """Forget the result (the resident left; nothing of their search stays on screen)."""
        self.set_query(None, None)

    def total(self) -> int:
        """All matches, not just the rows loaded so far."""
        if self._total is None:
            if self._count is None or self._fetch is None:
                return len(self._rows)
            try:
                self._total = int(self._count())
            except Exception as exc:  # a broken count must not break the list itself
                log.exception("job count failed")
                self.fetch_failed.emit(str(exc))
                return len(self._rows)
        return self._total

    def job_at(self, row: int) -> JobSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # -- lazy paging ---------------------------------------------------------------------
    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:
        if not parent.isValid():
            self._fetch_page()

    def _fetch_page(self) -> None:
        if self._fetch is None or self._exhausted:
            return
        try:
            page = list(self._fetch(len(self._rows), self.page_size))
        except Exception as exc:  # keep what is shown; say so once; stop asking
            log.exception("job page fetch failed")
            self._exhausted = True
            self.fetch_failed.emit(str(exc))
            return
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
        if len(page) < self.page_size or (self._total is not None
                                          and len(self._rows) >= self._total):
            self._exhausted = True

    # -- QAbstractListModel --------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def roleNames(self) -> dict[int, QByteArray]:
        return {role: QByteArray(name) for role, name in self._ROLE_NAMES.items()}

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        job = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, self.TitleRole):
            return job.title
        if role == self.EmployerRole:
            return job.employer_name
        if role == self.SalaryRole:
            return job.salary_text
        if role == self.TownRole:
            return job.town_label
        if role == self.TypeRole:
            return job.job_type_label
        if role == self.PostedRole:
            return posted_text(job.posted_on, self._today or date.today())
        if role == self.IndustryRole:
            return job.industry_label
        if role == self.JobIdRole:
            return job.id
        if role == self.JobRole:
            return job
        return None
