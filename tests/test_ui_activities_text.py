"""The words the activities screens use for days, times, money and seats, and the attract
loop's title fitting (pure functions; the fitting needs a font, so a QApplication)."""

from __future__ import annotations

from datetime import date, datetime

from pytestqt.qtbot import QtBot

from ui.widgets.activity_text import (
    date_range,
    day_text,
    investment_text,
    seats_text,
    short_day,
    shorten,
    time_range,
    yuan,
)

TODAY = date(2026, 11, 26)  # a Thursday


def test_days_and_times_read_the_way_people_say_them() -> None:
    assert day_text(TODAY, TODAY) == "今天 11月26日 星期四"
    assert day_text(date(2026, 11, 27), TODAY) == "明天 11月27日 星期五"
    assert day_text(date(2026, 11, 30)) == "11月30日 星期一"
    assert short_day(TODAY, TODAY) == "今天" and short_day(date(2026, 12, 1), TODAY) == "12月1日"
    start, end = datetime(2026, 11, 28, 9, 0), datetime(2026, 11, 28, 16, 30)
    assert time_range(start, end, TODAY) == "11月28日 星期六 9:00—16:30"
    assert "至" in time_range(start, datetime(2026, 12, 9, 17, 0), TODAY)
    assert date_range(date(2026, 12, 2), date(2026, 12, 11)) == "2026年12月2日至12月11日"
    assert date_range(date(2026, 12, 30), date(2027, 1, 5)) == "2026年12月30日至2027年1月5日"


def test_money_seats_and_shortening() -> None:
    assert yuan(5000) == "5000元" and yuan(15000) == "1.5万元" and yuan(100000) == "10万元"
    assert investment_text(5000, 20000) == "5000—2万元"
    assert investment_text(0, 0) == "几乎不需要投入"
    assert seats_text(0, 30) == "名额已满，可以加入候补名单"
    assert seats_text(5, 30) == "还剩 5 个名额（共 30 个）"
    assert shorten("一二三四五六", 4) == "一二三…" and shorten("一二", 4) == "一二"


def test_attract_titles_are_cut_to_two_lines(qtbot: QtBot) -> None:
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtWidgets import QLabel

    from ui.widgets.attract_loop import elide_lines

    probe = QLabel()
    qtbot.addWidget(probe)
    metrics = probe.fontMetrics()
    text = "提醒：谨防冒充人社部门的诈骗电话和短信，本机不会向您收取任何费用" * 3
    width = metrics.horizontalAdvance("国") * 10
    cut = elide_lines(text, metrics, width, 2)
    assert cut.endswith("…") and text.startswith(cut[:-1])
    height = metrics.boundingRect(QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap),
                                  cut).height()
    assert round(height / metrics.lineSpacing()) == 2
    assert elide_lines("短标题", metrics, width, 2) == "短标题"
