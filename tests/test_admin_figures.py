"""数据统计 on the real window: the charts show the counts, and 导出到U盘 writes the CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from test_admin_support import admin_screen, tap

from kiosk.ratings import store_rating
from kiosk.store.models import Application, SeekerRegistration, UsageEvent
from ui.launch import KioskUi


@pytest.fixture
def usb_roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    roots = tmp_path / "media"
    roots.mkdir()
    monkeypatch.setenv("KIOSK_EXPORT_ROOTS", str(roots))
    return roots


def test_figures_charts_and_csv_export(usb_roots: Path, make_services: Any, qtbot: QtBot,
                                       tmp_path: Path) -> None:
    from ui.launch import build_ui

    services = make_services()
    with services.db.write() as s:
        for _ in range(4):
            s.add(UsageEvent(kind="visit"))
        s.add(Application(number="A1", token="a1", resident_key="k", name_masked="李*兰",
                          id_masked="x", policy_id="p", policy_name="灵活就业社保补贴",
                          decision="{}", rule_pack="v1"))
        s.add(SeekerRegistration(number="R1", token="r1", resident_key="k", name_masked="李*兰",
                                 town="zhongbei", preferences="{}", phone="13800000000"))
    store_rating(services.db, 3)
    store_rating(services.db, 2)
    ui: KioskUi = build_ui(services)
    try:
        window = ui.window
        window.show()
        window.enter_admin()
        tap(qtbot, admin_screen(window).page_buttons["admin_figures"])
        screen: Any = window.current
        qtbot.waitUntil(lambda: screen.figures is not None, timeout=5000)
        rows = dict(screen.totals.rows)
        assert rows["到访人次"] == 4 and rows["政策申请"] == 1 and rows["其中想创业"] == 0
        assert dict(screen.satisfaction.rows) == {"满意": 1, "一般": 1, "不满意": 0}
        assert "满意率 50%" in screen.satisfaction_text.text()
        assert screen.policies.rows == [("灵活就业社保补贴", 1.0)]
        assert len(screen.trend.rows) == 24  # today, by hour
        assert screen.seeker_map.label_lines("zhongbei") == ["中北镇", "1人"]
        assert screen.seeker_map.label_lines("dasi") == ["大寺镇", "0人"]
        assert "共 1 人登记" in screen.seeker_map_text.text()
        qtbot.waitUntil(  # laid out at its full height: nothing squeezed
            lambda: screen.totals.height() >= len(screen.totals.rows) * 28, timeout=2000)

        tap(qtbot, screen.period.chips["month"])
        qtbot.waitUntil(lambda: screen.figures is not None and screen.figures.period == "month",
                        timeout=5000)
        assert screen.trend.line and "本月" in screen.range_label.text()

        tap(qtbot, screen.export_button)  # nothing is mounted under the roots
        qtbot.waitUntil(lambda: "没有找到U盘" in screen.export_status.text(), timeout=5000)
        drive = tmp_path / "U盘"
        drive.mkdir()
        screen.export_to(drive)  # what tapping the drive's chip does
        qtbot.waitUntil(lambda: "已导出" in screen.export_status.text(), timeout=5000)
        files = list(drive.glob("*.csv"))
        assert len(files) == 1
        table = list(csv.reader(io.StringIO(files[0].read_text(encoding="utf-8-sig"))))
        assert table[0] == ["站点", services.config.station.name]
        by_label = {r[0]: r[1:] for r in table[2:]}
        assert by_label["到访人次"][0] == "4"  # today (the week and month include it)
        assert by_label["政策申请：灵活就业社保补贴"][0] == "1"

        screen.export_to(tmp_path / "pulled-out")
        qtbot.waitUntil(lambda: "没有导出成功" in screen.export_status.text(), timeout=5000)
    finally:
        ui.close()
        ui.window.deleteLater()


def test_charts_grow_with_the_text_size(qtbot: QtBot) -> None:
    """长辈模式 enlarges the theme's text: the charts' height follows, so nothing is clipped."""
    from ui.qt_app import apply_theme, get_application
    from ui.widgets.charts import BarChart, TrendChart

    app = get_application()
    apply_theme(app, False)
    bars, trend = BarChart(), TrendChart(line=True)
    for chart in (bars, trend):
        qtbot.addWidget(chart)
    bars.set_data([("到访人次", 12), ("政策申请", 0)])
    trend.set_data([(f"11/{d}", d % 7) for d in range(1, 31)])
    small = (bars.sizeHint().height(), trend.sizeHint().height())
    try:
        apply_theme(app, True)
        app.processEvents()
        for chart in (bars, trend):
            chart.resize(900, chart.sizeHint().height())
            assert not chart.grab().isNull()  # paints, labels and all
        assert bars.sizeHint().height() > small[0] and trend.sizeHint().height() > small[1]
    finally:
        apply_theme(app, False)
