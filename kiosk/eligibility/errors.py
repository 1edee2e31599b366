"""Errors of the eligibility package: a rule pack that cannot be used, and why, where.

A policy officer edits YAML by hand, so every problem names the file and line; the loader
collects all problems of a pack instead of stopping at the first, so one lint run shows
everything to fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["PackError", "Problem"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack: ``file:line: message``."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class PackError(ValueError):
    """A rule pack that failed validation; ``problems`` lists every finding, first one first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        if not self.problems:
            self.problems = [Problem("?", None, "invalid rule pack")]
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def file(self) -> str:
        return self.problems[0].file

    @property
    def line(self) -> int | None:
        return self.problems[0].line

    @property
    def problem(self) -> str:
        return self.problems[0].message
