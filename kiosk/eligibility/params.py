"""Dated parameters, OpenFisca style: a value holds from its date until the next entry.

``values: {"2025-01-01": {value: 0.75, reference: URL}, "2027-01-01": {value: null}}``: a
``null`` entry ends the value. Asking before the first date or after an end gives
:data:`UNAVAILABLE`, never the last known figure: a rule whose standard has lapsed sends the
resident to staff instead of quietly promising an old amount (openfisca-core #437/#629).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

__all__ = ["UNAVAILABLE", "DatedValue", "Parameter"]


class _Unavailable:
    def __repr__(self) -> str:
        return "UNAVAILABLE"


UNAVAILABLE: Final = _Unavailable()


@dataclass(frozen=True)
class DatedValue:
    start: date
    value: Any  # None ends the previous value
    reference: str = ""


@dataclass(frozen=True)
class Parameter:
    """A named figure with its history; ``value_on(d)`` is the one in force on ``d``."""

    name: str
    description: str
    unit: str
    values: tuple[DatedValue, ...]  # sorted by start
    file: str = ""
    line: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", [v.start for v in self.values])

    def entry_on(self, on: date) -> DatedValue | None:
        """The entry in force on ``on`` (its value may be None = ended), or None before all."""
        index = bisect.bisect_right(self._starts, on) - 1  # type: ignore[attr-defined]
        return self.values[index] if index >= 0 else None

    def value_on(self, on: date) -> Any:
        entry = self.entry_on(on)
        if entry is None or entry.value is None:
            return UNAVAILABLE
        return entry.value

    @property
    def kind(self) -> str:
        """"num", "str" or "bool", from the first non-null value (for the type checker)."""
        for entry in self.values:
            if isinstance(entry.value, bool):
                return "bool"
            if isinstance(entry.value, int | float):
                return "num"
            if isinstance(entry.value, str):
                return "str"
        return "any"
