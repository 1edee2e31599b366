"""Calendar arithmetic with one explicit rounding rule, shared by ages and month spans.

Rules say "满6个月", "离校2年内", "连续失业1年": counted in whole calendar months. Adding a
month to a day that the target month lacks (31 January + 1 month) rounds *up* to the first
of the next month, the same rule as the birthday of someone born on 29 February (they turn
N on 1 March in common years). One rule for both means an age and a month span can never
disagree about the same day.
"""

from __future__ import annotations

from datetime import date

from kiosk.identity import age_on

__all__ = ["add_months", "age_on", "months_between"]


def add_months(start: date, months: int) -> date:
    """``start`` moved by whole months; a missing day rounds up to the 1st of the next month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    try:
        return date(year, month0 + 1, start.day)
    except ValueError:  # e.g. 31 April, 29 February in a common year
        year, month0 = divmod(index + 1, 12)
        return date(year, month0 + 1, 1)


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (negative when ``end`` is earlier).

    The largest ``n`` with ``add_months(start, n) <= end``: from 15 January, one month is
    complete on 15 February; from 31 January, on 1 March.
    """
    n = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, n) > end:  # once is enough: rounding up lands on end's month or 1st
        n -= 1
    return n
