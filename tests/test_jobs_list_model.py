"""JobListModel: pages are fetched only as the view scrolls; a new query resets the list."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QListView
from pytestqt.qtbot import QtBot

from kiosk.jobs.catalogue import upsert_jobs
from kiosk.jobs.generator import generate
from kiosk.jobs.search import CatalogueFeed, JobQuery, JobSummary, search
from kiosk.store.engine import Database
from ui.models.job_list_model import JobListModel

TODAY = date(2026, 5, 1)


def summary(i: int) -> JobSummary:
    return JobSummary(id=f"j{i}", title=f"岗位{i}", employer_name="天津华盛物业服务有限公司",
                      industry="business", job_type="parttime", town="jingwu",
                      salary_min=3000, salary_max=4000, education_min="none",
                      posted_on=TODAY - timedelta(days=i % 40), expires_on=TODAY, headcount=1)


class Source:
    """100,000 jobs that exist only as they are asked for; records every request."""

    def __init__(self, total: int = 100_000) -> None:
        self.total = total
        self.calls: list[tuple[int, int]] = []
        self.counted = 0

    def fetch(self, offset: int, limit: int) -> Sequence[JobSummary]:
        self.calls.append((offset, limit))
        return [summary(i) for i in range(offset, min(offset + limit, self.total))]

    def count(self) -> int:
        self.counted += 1
        return self.total


def test_only_the_first_page_is_read_until_the_view_scrolls(qtbot: QtBot) -> None:
    source = Source()
    model = JobListModel(page_size=50, today=TODAY)
    with qtbot.waitSignal(model.total_changed) as total:
        model.set_query(source.fetch, source.count)
    assert total.args == [100_000]
    assert model.rowCount() == 50 and source.calls == [(0, 50)]
    view = QListView()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.setModel(model)
    view.show()
    qtbot.waitExposed(view)
    assert model.rowCount() == 50  # one page more than fills the screen: nothing more read
    bar = view.verticalScrollBar()
    for _ in range(3):  # the resident flicks to the end three times
        rows = model.rowCount()
        qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=2000)  # laid out
        bar.setValue(bar.maximum())
        qtbot.waitUntil(lambda n=rows: model.rowCount() > n, timeout=2000)  # type: ignore[misc]
    assert model.rowCount() == 200
    assert source.calls == [(0, 50), (50, 50), (100, 50), (150, 50)]
    assert source.counted == 1
    assert model.total() == 100_000


def test_roles_show_what_a_job_card_needs(qtbot: QtBot) -> None:
    model = JobListModel(Source(120).fetch, today=TODAY)
    index = model.index(1, 0)
    assert model.data(index) == "岗位1"
    assert model.data(index, JobListModel.EmployerRole) == "天津华盛物业服务有限公司"
    assert model.data(index, JobListModel.SalaryRole) == "3000-4000元/月"
    assert model.data(index, JobListModel.TownRole) == "精武镇"
    assert model.data(index, JobListModel.TypeRole) == "兼职"
    assert model.data(index, JobListModel.PostedRole) == "昨天"
    assert model.data(model.index(0, 0), JobListModel.PostedRole) == "今天"
    assert model.data(index, JobListModel.IndustryRole) == "商务服务"
    assert model.data(index, JobListModel.JobIdRole) == "j1"
    assert model.data(index, JobListModel.JobRole) == summary(1)
    assert model.data(model.index(999, 0)) is None
    assert b"salary" in [v.data() for v in model.roleNames().values()]
    assert model.total() == 50  # no count given: what has been loaded


def test_a_new_query_resets_and_the_end_is_the_end(qtbot: QtBot) -> None:
    model = JobListModel(Source().fetch, Source().count, today=TODAY)
    small = Source(70)
    with qtbot.waitSignal(model.modelReset):
        model.set_query(small.fetch, small.count)
    assert model.rowCount() == 50 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 70 and not model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert small.calls == [(0, 50), (50, 50)]
    model.clear()
    assert model.rowCount() == 0 and model.total() == 0
    assert not model.canFetchMore(QModelIndex())


def test_a_failing_fetch_keeps_the_rows_and_says_so(qtbot: QtBot) -> None:
    source = Source()

    def flaky(offset: int, limit: int) -> Sequence[JobSummary]:
        if offset:
            raise OSError("disk I/O error")
        return source.fetch(offset, limit)

    model = JobListModel(flaky, source.count, today=TODAY)
    with qtbot.waitSignal(model.fetch_failed) as failed:
        model.fetchMore(QModelIndex())
    assert "disk I/O error" in failed.args[0]
    assert model.rowCount() == 50 and not model.canFetchMore(QModelIndex())


def test_pages_from_the_real_catalogue(qtbot: QtBot, tmp_path: Path) -> None:
    db = Database(tmp_path / "k.db").open()
    try:
        with db.write() as s:
            upsert_jobs(s, generate(400, seed=8, today=TODAY))
        query = JobQuery(text="工", sort="salary")
        model = JobListModel(page_size=25, today=TODAY)
        model.set_query(*_feed(db, query))
        while model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
        with db.read() as s:
            expected = search(s, query, 0, 1000, TODAY)
        assert [model.data(model.index(r, 0), JobListModel.JobRole)
                for r in range(model.rowCount())] == expected
        assert model.total() == len(expected) > 25
        assert model.data(model.index(0, 0), Qt.ItemDataRole.DisplayRole) == expected[0].title
    finally:
        db.close()


def _feed(db: Database, query: JobQuery) -> tuple:
    feed = CatalogueFeed(db, query, today=TODAY)
    return feed.fetch, feed.count
