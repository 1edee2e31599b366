"""Turning job text into what the two search indexes hold, and queries into FTS5 syntax.

Two indexes because SQLite's trigram tokenizer only matches 3+ characters: short Chinese
words (保洁, 司机, 普工 — most of the quick-search chips) go to a side index of 1- and
2-character grams instead (see :mod:`kiosk.jobs.search` for why not LIKE).

Both indexes also hold *tags*: three private-use characters naming a job's industry, town, job
type and expiry day, so that a filtered search is one FTS5 query (doclists intersected inside
the index) instead of a lookup of every match in the job table. A tag is exactly one trigram,
and residents cannot type private-use characters, so tags never meet query words. Tag values
are small numbers: ``job_tag.id`` for codes, the day number for dates. The SQL side of the same
encoding is in migration 0006 (``job_search`` view); tests hold the two to each other.

Index rowids are ``seq`` keys (:func:`seq_key`): the posting day in the high bits, then an
insertion counter, then the salary. Descending, they sort like the "newest" order (the counter
is unique, so the salary bits never decide it); FTS5 walks rowids in either direction, so the
newest page of a search is read straight off the index, "posted within N days" is a rowid
range, and the salary sort and salary floor need nothing but the rowids (``SALARY_MASK``).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

_WORD_RUN = re.compile(r"[^\W_]+")  # letters, digits and CJK characters; no punctuation/space
_PAIR = re.compile(r"(?=([^\W_]{2}))")  # each overlapping pair of word characters
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")

TAG_INDUSTRY, TAG_TOWN, TAG_JOB_TYPE, TAG_EXPIRES = 1, 2, 3, 4
TAG_KINDS = {"industry": TAG_INDUSTRY, "town": TAG_TOWN, "job_type": TAG_JOB_TYPE}
TAG_MARK = 0xE000  # + kind: the tag's first character
TAG_DIGIT = 0xE100  # + 12 bits: its second and third characters
TAG_VALUES = 1 << 24  # what two 12-bit digits can name
JULIAN_OFFSET = 1721424  # date.toordinal() + this = SQLite's CAST(julianday(d) AS INTEGER)
# seq = day << DAY_SHIFT | n << SALARY_BITS | salary code; 17 + 26 + 20 bits fit SQLite's int64
SALARY_BITS = 20  # salary_max + 1 (validated ≤ 1,000,000), 0 for 面议 (no salary)
SALARY_MASK = (1 << SALARY_BITS) - 1
N_BITS = 26  # the insertion counter: 67 million jobs
N_MASK = (1 << N_BITS) - 1
DAY_SHIFT = N_BITS + SALARY_BITS
DAY_EPOCH = 2415020  # day number of 1900-01-01; days since then fill 17 bits (to 2258)
DAY_MAX = (1 << 17) - 1


def search_tag(kind: int, value: int) -> str:
    """The three-character tag for ``value`` (0 ≤ value < 2**24) of ``kind``."""
    if not 0 <= value < TAG_VALUES:
        raise ValueError(f"tag value out of range: {value}")
    return chr(TAG_MARK + kind) + chr(TAG_DIGIT + (value >> 12)) + chr(TAG_DIGIT + (value & 4095))


def day_number(day: date) -> int:
    """The day as SQLite's ``CAST(julianday(day) AS INTEGER)`` gives it."""
    return day.toordinal() + JULIAN_OFFSET


def expires_tag(day: date) -> str:
    return search_tag(TAG_EXPIRES, day_number(day))


def _day_bits(day: date) -> int:
    return min(DAY_MAX, max(0, day_number(day) - DAY_EPOCH))


def salary_code(salary_max: int | None) -> int:
    """What a seq's low bits hold: ordered like ``salary_max`` with 面议 (None) lowest."""
    return 0 if salary_max is None else salary_max + 1


def seq_key(posted_on: date, n: int, salary_max: int | None) -> int:
    """A job's ``seq``: descending order is newest first, then most recently inserted first
    (the order of ``posted_on DESC, seq DESC`` with plain insertion numbers)."""
    if not 0 < n <= N_MASK:
        raise ValueError(f"insertion number out of range: {n}")
    return (_day_bits(posted_on) << DAY_SHIFT) | (n << SALARY_BITS) | salary_code(salary_max)


def insertion_number(seq: int) -> int:
    return (seq >> SALARY_BITS) & N_MASK


def day_floor_key(day: date) -> int:
    """The smallest ``seq`` of a job posted on ``day`` (for "posted since day" ranges)."""
    return _day_bits(day) << DAY_SHIFT


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


def pair_grams(text: str) -> list[str]:
    """The 2-character grams of ``text`` as ``short_grams(text, unigrams=False)`` finds them,
    repeats included: one regex pass (a third faster; 100,000 descriptions per snapshot), for
    an index that ignores repeats (``job_grams`` keeps no positions or counts)."""
    return _PAIR.findall(text.lower())


def split_terms(text: str) -> list[str]:
    """The words of a query (whitespace or common punctuation separates them). Private-use
    characters are dropped: they spell index tags, not words a resident can type."""
    text = _PRIVATE_USE.sub("", text)
    return [t for t in re.split(r"[\s,，、;；/]+", text.strip()) if t]


def short_term(term: str) -> str:
    """A 1–2 character query word as the short-gram index spells it ('' if nothing is left)."""
    return "".join(_WORD_RUN.findall(term.lower()))


def fts_string(term: str) -> str:
    """``term`` as an FTS5 string literal: everything inside is literal text, no operators."""
    return '"' + term.replace('"', '""') + '"'
