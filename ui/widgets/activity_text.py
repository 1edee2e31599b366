"""The words the activities screens use for dates, times, money and seats.

Kept apart from the widgets (and free of Qt) so a list card, a detail page and the attract
loop say a date the same way: residents read 11月28日 星期五 上午9:00, not ISO dates. Every
function answers in the resident's language at the moment it is called (kiosk.i18n): the
months and the day-month order come from the jobs' :func:`kiosk.jobs.vocab.date_text`, so a
date reads the same on every screen (28 Nov in English).
"""

from __future__ import annotations

from datetime import date, datetime

from kiosk.i18n import N_, SOURCE, language, tr
from kiosk.jobs.vocab import date_text

WEEKDAYS = (N_("星期一"), N_("星期二"), N_("星期三"), N_("星期四"), N_("星期五"), N_("星期六"),
            N_("星期日"))

#: 创业项目库 investment filter: (most the resident can put in, in 元, or "" for any; label,
#: Chinese, shown through tr)
INVESTMENT_CHOICES: tuple[tuple[str, str], ...] = (
    ("", N_("不限")), ("10000", N_("1万元以内")), ("50000", N_("5万元以内")),
    ("100000", N_("10万元以内")), ("200000", N_("20万元以内")))


def vocab(word: str) -> str:
    """A vocabulary word from the data (an event's kind, a project's risk) in the resident's
    language; a word the catalogue does not know (or none) stays as it is."""
    return tr(word) if word else ""


def weekday(d: date) -> str:
    return tr(WEEKDAYS[d.weekday()])


def day_text(d: date, today: date | None = None) -> str:
    """11月28日 星期五, with 今天 / 明天 in front when it is."""
    text = tr("{date} {weekday}").format(date=date_text(d, year=False), weekday=weekday(d))
    if today is not None:
        if d == today:
            return tr("今天 {date}").format(date=text)
        if (d - today).days == 1:
            return tr("明天 {date}").format(date=text)
    return text


def short_day(d: date, today: date | None = None) -> str:
    """A day chip's words: 今天 / 明天 / 11月28日 (short enough for half a column in
    长辈模式; the list's headings give the weekday)."""
    if today is not None and d == today:
        return tr("今天")
    if today is not None and (d - today).days == 1:
        return tr("明天")
    return date_text(d, year=False)


def clock(t: datetime) -> str:
    return f"{t.hour}:{t.minute:02d}"


def time_range(start: datetime, end: datetime, today: date | None = None) -> str:
    """今天 9:00—11:30; over several days, both ends with their dates."""
    if start.date() == end.date():
        return f"{day_text(start.date(), today)} {clock(start)}—{clock(end)}"
    return tr("{start} 至 {end}").format(start=f"{day_text(start.date(), today)} {clock(start)}",
                                         end=f"{day_text(end.date(), today)} {clock(end)}")


def date_range(start: date, end: date) -> str:
    """2026年12月2日至12月11日: the year once when both ends share it."""
    if start == end:
        return date_text(start)
    if start.year == end.year:
        return tr("{year}年{start}至{end}").format(year=start.year,
                                                  start=date_text(start, year=False),
                                                  end=date_text(end, year=False))
    return tr("{start}至{end}").format(start=date_text(start), end=date_text(end))


def full_date(d: date) -> str:
    return date_text(d)


def yuan(amount: int) -> str:
    """5000 → 5000元, 15000 → 1.5万元: how people say sums of this size in Chinese; English
    counts in thousands (¥15,000)."""
    if language() != SOURCE:
        return tr("{amount}元").format(amount=f"{amount:,}")
    if amount >= 10_000:
        return f"{amount / 10_000:g}万元"
    return f"{amount}元"


def investment_text(low: int, high: int) -> str:
    if low <= 0 and high <= 0:
        return tr("几乎不需要投入")
    if low == high or high <= 0:
        return tr("约{amount}").format(amount=yuan(low))
    return f"{yuan(low).removesuffix('元')}—{yuan(high)}"


def seats_text(left: int, seats: int) -> str:
    if left <= 0:
        return tr("名额已满，可以加入候补名单")
    return tr("还剩 {left} 个名额（共 {seats} 个）").format(left=left, seats=seats)


def shorten(text: str, limit: int) -> str:
    """One line of a long text for a list card (the detail page shows it all)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
