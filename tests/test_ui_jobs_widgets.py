"""The 找工作 widgets on their own: the Xiqing map, paged chips, the worker-fed job list."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from itertools import combinations
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from kiosk.jobs.search import JobQuery, JobSummary
from kiosk.jobs.towns import load_towns
from ui.ops import KioskOps
from ui.qt_app import apply_theme, get_application, load_font
from ui.widgets.job_chips import MAX_VISIBLE, MORE_TEXT, PagedChips
from ui.widgets.job_filters import near_town, town_from_address
from ui.widgets.job_list import JobListView, WorkerJobListModel
from ui.widgets.job_phone import PhoneEntry, grouped
from ui.widgets.xiqing_map import XiqingMap

TODAY = date(2026, 11, 26)
TOWNS = [t.code for t in load_towns()]


@pytest.fixture
def themed(qtbot: QtBot) -> Iterator[Any]:
    """The kiosk's font and style sheet, normal size; reset after the test."""
    app = get_application()
    load_font(app)
    apply_theme(app, False)
    yield app
    apply_theme(app, False)


# -- the map ------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [(984, 1150), (1824, 600), (1824, 540)],
                         ids=["portrait", "landscape", "landscape-short"])
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "large-text"])
def test_map_labels_never_overlap_and_each_finds_its_town(
        qtbot: QtBot, themed: Any, size: tuple[int, int], elder: bool) -> None:
    apply_theme(themed, elder)
    widget = XiqingMap({code: 100 + i for i, code in enumerate(TOWNS)})
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    boxes = {code: widget.label_rect(code) for code in TOWNS}
    for a, b in combinations(TOWNS, 2):
        assert not boxes[a].intersects(boxes[b]), (a, b)
    for code, box in boxes.items():
        assert widget.rect().toRectF().contains(box), code
        assert widget.town_at(box.center()) == code


def test_a_map_too_small_for_its_labels_still_works(qtbot: QtBot, themed: Any) -> None:
    """Smaller than any kiosk screen gives it: labels may overlap, nothing else breaks."""
    apply_theme(themed, True)
    widget = XiqingMap({code: 5 for code in TOWNS})
    qtbot.addWidget(widget)
    widget.resize(700, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.grab()  # paints
    for code in TOWNS:
        assert widget.rect().toRectF().contains(widget.label_rect(code))
        assert widget.town_at(widget.label_rect(code).center()) in TOWNS


def test_map_tap_emits_the_town_and_writes_every_number(qtbot: QtBot, themed: Any) -> None:
    counts = {code: 10 * i for i, code in enumerate(TOWNS)}
    widget = XiqingMap(counts, unit="人")  # the admin screen's use: seekers per town
    qtbot.addWidget(widget)
    widget.resize(984, 1150)
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.label_lines("jingwu") == ["精武镇", f"{counts['jingwu']}人"]
    assert all(f"{n}人" in widget.accessibleName() for n in counts.values())
    widget.set_selected("dasi")
    assert widget.label_lines("dasi")[0] == "✓ 大寺镇"  # chosen is not told by colour alone
    with qtbot.waitSignal(widget.town_tapped, timeout=1000) as tapped:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton,
                         pos=widget.label_rect("xinkou").center().toPoint())
    assert tapped.args == ["xinkou"]
    with qtbot.assertNotEmitted(widget.town_tapped):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(2, 2))  # a corner
    widget.set_counts(None)
    assert widget.label_lines("jingwu") == ["精武镇"]


def test_towns_from_card_addresses() -> None:
    assert town_from_address("天津市西青区杨柳青镇柳口路8号") == "yangliuqing"
    assert town_from_address("天津市西青区西营门街道华苑路1号") == "xiyingmen"
    assert town_from_address("天津市南开区复康路") is None
    assert near_town("天津市南开区复康路", "杨柳青镇") == "yangliuqing"  # the station's
    assert near_town("天津市西青区精武镇学府路8号", "杨柳青镇") == "jingwu"
    assert near_town(None, "") is None


# -- chips and the phone pad --------------------------------------------------------------

def test_paged_chips_show_at_most_six_and_keep_the_choice(qtbot: QtBot, themed: Any) -> None:
    options = [(f"v{i}", f"选项{i}") for i in range(12)]
    chips = PagedChips(options)
    qtbot.addWidget(chips)
    chips.show()
    seen: list[str] = []
    for _ in range(chips.page_count):
        visible = [c for c in chips.findChildren(type(chips.more)) if c.isVisible()]
        assert len(visible) <= MAX_VISIBLE
        seen += chips.visible_values()
        chips.next_page()
    assert seen == [v for v, _ in options] and chips.page == 0  # 更多 comes round again
    with qtbot.waitSignal(chips.changed) as changed:
        chips.chips["v2"].click()
    assert changed.args == ["v2"] and chips.value() == "v2"
    chips.next_page()
    assert chips.value() == "v2" and chips.more.text() == MORE_TEXT
    chips.set_value("v11")
    assert "v11" in chips.visible_values() and chips.chips["v11"].isChecked()
    with qtbot.waitSignal(chips.changed) as changed:
        chips.chips["v11"].click()  # tapped again: none
    assert changed.args == [""]
    small = PagedChips(options[:6])
    qtbot.addWidget(small)
    assert small.page_count == 1 and not small.more.isVisibleTo(small)


def test_phone_entry_takes_only_a_mobile_number(qtbot: QtBot, themed: Any) -> None:
    entry = PhoneEntry()
    qtbot.addWidget(entry)
    entry.type_number("1280013800")
    with qtbot.assertNotEmitted(entry.submitted):
        entry.press(entry.confirm_key)
    assert "11位" in entry.message.text() and entry.message.objectName() == "ErrorText"
    entry.press("删除")
    entry.type_number("99999")  # more than 11 digits are not taken
    assert entry.number == "12800138099" and entry.display.text() == "128 0013 8099"
    for _ in range(11):
        entry.press("删除")
    entry.type_number("13800138000")
    with qtbot.waitSignal(entry.submitted) as got:
        entry.press(entry.confirm_key)
    assert got.args == ["13800138000"] and grouped("138") == "138"
    entry.set_columns(6)
    assert entry.columns == 6


# -- the worker-fed list ------------------------------------------------------------------

def summary(i: int) -> JobSummary:
    return JobSummary(id=f"j{i}", title=f"岗位{i}", employer_name="天津华盛物业服务有限公司",
                      industry="business", job_type="parttime", town="jingwu",
                      salary_min=3000, salary_max=4000, education_min="none",
                      posted_on=TODAY - timedelta(days=i % 40), expires_on=TODAY, headcount=1)


class Feed:
    """Stands in for CatalogueFeed: 500 jobs; notes which thread read each page."""

    def __init__(self, total: int = 500, fail_at: int | None = None) -> None:
        self.total = total
        self.fail_at = fail_at
        self.threads: list[str] = []
        self.today = TODAY
        self.query = JobQuery()

    def fetch(self, offset: int, limit: int) -> Sequence[JobSummary]:
        self.threads.append(threading.current_thread().name)
        if self.fail_at is not None and offset >= self.fail_at:
            raise OSError("disk went away")
        return [summary(i) for i in range(offset, min(offset + limit, self.total))]

    def count(self) -> int:
        return self.total


def test_more_pages_are_read_on_the_worker_not_the_gui_thread(qtbot: QtBot,
                                                             themed: Any) -> None:
    ops = KioskOps()
    try:
        model = WorkerJobListModel(ops, page_size=20, today=TODAY)
        feed = Feed()
        model.show_result(feed, feed.fetch(0, 20), feed.total)  # (the search op's own page)
        feed.threads.clear()
        view = JobListView()
        qtbot.addWidget(view)
        view.resize(600, 800)
        view.setModel(model)
        view.show()
        qtbot.waitExposed(view)
        bar = view.verticalScrollBar()
        for pages in (2, 3):
            bar.setValue(bar.maximum())
            rows = 20 * pages
            qtbot.waitUntil(lambda: model.rowCount() == rows, timeout=3000)  # noqa: B023
        assert feed.threads and all(name.startswith("kiosk-op") for name in feed.threads)
        assert [getattr(model.job_at(i), "id", None) for i in range(60)] == \
            [f"j{i}" for i in range(60)]
        assert model.data(model.index(0, 0), model.PostedRole) == "今天"
        # a page that cannot be read stops the list quietly, once
        broken = Feed(fail_at=20)
        model.show_result(broken, broken.fetch(0, 20), broken.total)
        with qtbot.waitSignal(model.fetch_failed, timeout=3000):
            bar.setValue(bar.maximum())
            QApplication.processEvents()
        assert model.rowCount() == 20 and not model.canFetchMore()
    finally:
        ops.shutdown()


def test_a_page_for_an_old_search_is_dropped(qtbot: QtBot, themed: Any) -> None:
    ops = KioskOps()
    try:
        model = WorkerJobListModel(ops, page_size=20, today=TODAY)
        old = Feed()
        model.show_result(old, old.fetch(0, 20), old.total)
        model.fetchMore()  # asks the worker for page 2 of the old search ...
        new = Feed(total=5)
        model.show_result(new, new.fetch(0, 20), new.total)  # ... which is replaced meanwhile
        ops.shutdown()  # the old page has been read; its delivery is queued
        QApplication.processEvents()
        assert model.rowCount() == 5 and model.total() == 5
    finally:
        ops.shutdown()


def test_rows_grow_with_large_text(qtbot: QtBot, themed: Any) -> None:
    view = JobListView()
    qtbot.addWidget(view)
    view.show()
    delegate = view.itemDelegate()
    normal = delegate.sizeHint(QStyleOptionViewItem(), QModelIndex()).height()
    apply_theme(themed, True)  # 长辈模式: the probes' style sheet changes, the rows follow
    QApplication.processEvents()
    large = delegate.sizeHint(QStyleOptionViewItem(), QModelIndex()).height()
    assert large >= normal * 1.2
