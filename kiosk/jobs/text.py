"""Turning job text into what the two search indexes hold, and queries into FTS5 syntax.

Two indexes because SQLite's trigram tokenizer only matches 3+ characters: short Chinese
words (保洁, 司机, 普工 — most of the quick-search chips) go to a side index of 1- and
2-character grams instead (see :mod:`kiosk.jobs.search` for why not LIKE).
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD_RUN = re.compile(r"[^\W_]+")  # letters, digits and CJK characters; no punctuation/space


@lru_cache(maxsize=8192)
def title_initials(title: str) -> str:
    """``保洁员`` → ``bjy``; Latin letters and digits are kept (``CNC编程员`` → ``cncbcy``).

    Cached because catalogues repeat titles many times over.
    """
    from pypinyin import Style, lazy_pinyin  # heavy dictionaries: load on first use only

    parts = lazy_pinyin(title, style=Style.FIRST_LETTER, errors="default")
    return "".join(ch for ch in "".join(parts).lower() if ch.isascii() and ch.isalnum())


def short_grams(*texts: str, unigrams: bool = True) -> set[str]:
    """Every distinct 2-character gram (and, with ``unigrams``, 1-character gram) inside runs
    of word characters — what the short-query index stores, so a query of one or two
    characters matches by plain token equality (the index keeps no positions)."""
    grams: set[str] = set()
    for run in _WORD_RUN.findall("\n".join(texts).lower()):
        if unigrams:
            grams.update(run)
        grams.update(map(str.__add__, run, run[1:]))
    return grams


def split_terms(text: str) -> list[str]:
    """The words of a query (whitespace or common punctuation separates them)."""
    return [t for t in re.split(r"[\s,，、;；/]+", text.strip()) if t]


def short_term(term: str) -> str:
    """A 1–2 character query word as the short-gram index spells it ('' if nothing is left)."""
    return "".join(_WORD_RUN.findall(term.lower()))


def fts_string(term: str) -> str:
    """``term`` as an FTS5 string literal: everything inside is literal text, no operators."""
    return '"' + term.replace('"', '""') + '"'
