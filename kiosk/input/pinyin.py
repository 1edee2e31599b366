"""Pinyin → Chinese candidates over the kiosk's own vocabulary.

A general-purpose input method needs a large dictionary and a language model; a job-search
kiosk does not. Residents type a handful of words (保洁, 杨柳青, 补贴...) and want them after
two or three letters, so the engine indexes the words the kiosk actually knows — job titles,
skills, industries, towns, roads, policy names and a short list of common words — plus every
character that occurs in them, with the reading it has *in those words* (行 is hang in 银行 and
xing in 行政; pypinyin's phrase dictionary knows which).

Typed letters match a word when they split into pieces, one per syllable from the first, each
a prefix of its syllable: ``baojie``, ``baoj``, ``bj`` and ``bjie`` all reach 保洁. Ranking:

1. exact: every syllable typed in full (``baojie`` → 保洁);
2. abbreviated: one piece per syllable, some cut short (``bj`` → 保洁, 北京);
3. completions: the letters cover the first syllables only (``bj`` → 保洁员);

then, within a tier, words the resident picked in this session (:class:`RecentWords`), the
word's weight, shorter words first. When nothing covers all the letters (a name the
vocabulary lacks), the words and characters spelled *exactly* by the longest leading part are
offered, with ``consumed`` telling the keyboard how many letters a pick uses up, so any text
can be built syllable by syllable.

This module is Qt-free. Building the index imports pypinyin (≈0.5 s) and converts a few
thousand words (≈0.3 s), so the UI builds it off the GUI thread; each keystroke is then well
under a millisecond (tests/test_pinyin_engine.py times it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.paths import resource

_LETTERS = re.compile(r"[^a-z]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")

#: weights of the words taken from each vocabulary (words.txt gives its own)
WEIGHT_TITLE = 6.0
WEIGHT_PLACE = 5.0
WEIGHT_INDUSTRY = 4.0
WEIGHT_POLICY = 4.0
WEIGHT_SKILL = 3.0
#: a character's weight is its number of occurrences, scaled so words stay ahead of it
CHAR_WEIGHT_SCALE = 0.05
#: the common characters no domain word holds come last of all
COMMON_CHAR_WEIGHT = 0.01
TIER_EXACT, TIER_ABBREVIATED, TIER_COMPLETION, TIER_PARTIAL = 0, 1, 2, 3


@dataclass(frozen=True)
class Candidate:
    """One choice for the candidate bar. ``consumed`` letters of the input are replaced by
    ``text`` when it is picked (all of them unless the match covers a leading part only)."""

    text: str
    consumed: int
    tier: int


@dataclass(frozen=True)
class _Entry:
    text: str
    syllables: tuple[str, ...]
    weight: float


def normalize(letters: str) -> str:
    """Lower-case a-z only (the keyboard sends nothing else; apostrophes and spaces go)."""
    return _LETTERS.sub("", letters.lower())


def _match_tier(letters: str, syllables: Sequence[str]) -> int | None:
    """The best tier at which ``letters`` spell ``syllables`` (see the module doc), or None."""
    n = len(syllables)
    best: int | None = None

    def walk(i: int, j: int, all_full: bool) -> bool:
        nonlocal best
        if i == len(letters):
            tier = (TIER_EXACT if all_full else TIER_ABBREVIATED) if j == n else TIER_COMPLETION
            if best is None or tier < best:
                best = tier
            return tier == TIER_EXACT
        if j == n:
            return False
        syllable = syllables[j]
        # longest piece first: the exact reading is found before its abbreviations
        for length in range(min(len(syllable), len(letters) - i), 0, -1):
            if letters[i:i + length] == syllable[:length] and walk(
                    i + length, j + 1, all_full and length == len(syllable)):
                return True
        return False

    walk(0, 0, True)
    return best


class PinyinEngine:
    """The candidate index. Immutable once built: one engine serves every resident; what a
    resident picked lives in their session's :class:`RecentWords`, never here."""

    def __init__(self, entries: Iterable[tuple[str, Sequence[str], float]]) -> None:
        merged: dict[tuple[str, tuple[str, ...]], float] = {}
        for text, syllables, weight in entries:
            key = (text, tuple(normalize(s) for s in syllables))
            if not text or not key[1] or not all(key[1]):
                continue
            merged[key] = max(weight, merged.get(key, 0.0))
        # Every piece starts its syllable, so the first two letters typed either continue the
        # first syllable or start the second: each entry is filed under both two-letter keys
        # and a keystroke only looks at the entries its first two letters can reach.
        self._by_initial: dict[str, list[_Entry]] = {}
        self._by_pair: dict[str, list[_Entry]] = {}
        self._by_spelling: dict[str, list[_Entry]] = {}
        for (text, syllables), weight in merged.items():
            entry = _Entry(text, syllables, weight)
            first = syllables[0]
            self._by_initial.setdefault(first[0], []).append(entry)
            pairs = {first[:2]} if len(first) > 1 else set()
            if len(syllables) > 1:
                pairs.add(first[0] + syllables[1][0])
            for pair in pairs:
                self._by_pair.setdefault(pair, []).append(entry)
            self._by_spelling.setdefault("".join(syllables), []).append(entry)
        self.size = len(merged)

    @classmethod
    def build(cls, words: Iterable[tuple[str, float]]) -> PinyinEngine:
        """Index ``(word, weight)`` pairs and every character in them (pypinyin readings)."""
        from pypinyin import lazy_pinyin  # heavy: only where an index is built

        entries: list[tuple[str, Sequence[str], float]] = []
        char_counts: dict[tuple[str, str], int] = {}
        for word, weight in words:
            for run in _CJK_RUN.findall(word):
                syllables = lazy_pinyin(run, errors="ignore")
                if len(syllables) != len(run):
                    continue  # a character pypinyin cannot read: leave the word out
                entries.append((run, syllables, weight))
                if len(run) == 1:
                    continue  # a word of one character keeps its own weight
                for char, syllable in zip(run, syllables, strict=True):
                    char_counts[(char, syllable)] = char_counts.get((char, syllable), 0) + 1
        entries.extend((char, [syllable], count * CHAR_WEIGHT_SCALE)
                       for (char, syllable), count in char_counts.items())
        return cls(entries)

    def candidates(self, letters: str, *, limit: int = 40,
                   recent: Mapping[str, int] | None = None) -> list[Candidate]:
        """The choices for ``letters``, best first (see the module doc for the order)."""
        letters = normalize(letters)
        if not letters:
            return []
        recent = recent or {}
        found: list[tuple[tuple[int, int, float, int, str], Candidate]] = []
        if len(letters) == 1:
            pool: Sequence[_Entry] = self._by_initial.get(letters, ())
        else:
            pool = self._by_pair.get(letters[:2], ())
        for entry in pool:
            tier: int | None
            if len(letters) == 1:  # every entry of the bucket matches: no need to walk
                tier = TIER_COMPLETION if len(entry.syllables) > 1 else (
                    TIER_EXACT if entry.syllables[0] == letters else TIER_ABBREVIATED)
            else:
                tier = _match_tier(letters, entry.syllables)
            if tier is not None:
                key = (tier, -recent.get(entry.text, 0), -entry.weight, len(entry.text),
                       entry.text)
                found.append((key, Candidate(entry.text, len(letters), tier)))
        found.sort(key=lambda pair: pair[0])
        result: list[Candidate] = []
        seen: set[str] = set()
        for _key, candidate in found:
            if candidate.text not in seen:
                seen.add(candidate.text)
                result.append(candidate)
        if len(result) < limit:
            result.extend(self._partial(letters, recent, seen))
        return result[:limit]

    def _partial(self, letters: str, recent: Mapping[str, int],
                 seen: set[str]) -> list[Candidate]:
        """Words and characters spelled exactly by a leading part of ``letters``, longest
        part first: the way to type what the vocabulary does not hold as a whole."""
        out: list[Candidate] = []
        for length in range(len(letters) - 1, 0, -1):
            entries = sorted(self._by_spelling.get(letters[:length], ()), key=lambda e: (
                -recent.get(e.text, 0), -e.weight, len(e.text), e.text))
            for entry in entries:
                if entry.text not in seen:
                    seen.add(entry.text)
                    out.append(Candidate(entry.text, length, TIER_PARTIAL))
        return out


class RecentWords:
    """What this resident picked, ranked first next time — for this session only.

    The keyboard owner clears it when the session ends (退出, idle timeout, a new card), so
    one resident's words are never offered to the next.
    """

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def add(self, word: str) -> None:
        self._counts[word] = self._counts.get(word, 0) + 1

    def counts(self) -> Mapping[str, int]:
        return dict(self._counts)

    def clear(self) -> None:
        self._counts.clear()

    def __len__(self) -> int:
        return len(self._counts)


def read_word_list(path: Path) -> list[tuple[str, float]]:
    """``word weight`` lines (weight optional, default 1); ``#`` starts a comment."""
    words: list[tuple[str, float]] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        try:
            weight = float(parts[1]) if len(parts) > 1 else 1.0
        except ValueError:
            raise ValueError(f"{path}:{number}: weight {parts[1]!r} is not a number") from None
        words.append((parts[0], weight))
    return words


def domain_words(extra: Iterable[tuple[str, float]] = (),
                 word_list: Path | None = None) -> list[tuple[str, float]]:
    """The kiosk's vocabulary: words.txt, the jobs catalogue's titles, skills, industries,
    towns and roads, plus ``extra`` (the policy names of the loaded pack, say)."""
    from kiosk.jobs import generator_data as data
    from kiosk.jobs.towns import load_towns
    from kiosk.jobs.vocab import EDUCATION, INDUSTRIES, JOB_TYPES

    words = read_word_list(word_list or resource("input", "words.txt"))
    for templates in data.TITLES.values():
        for template in templates:
            words.append((template.title, WEIGHT_TITLE))
            words.extend((skill, WEIGHT_SKILL) for skill in template.skills)
    words.extend((label, WEIGHT_INDUSTRY) for label in INDUSTRIES.values())
    words.extend((label, WEIGHT_INDUSTRY) for label in (*JOB_TYPES.values(),
                                                       *EDUCATION.values()))
    for town in load_towns():
        words.extend((name, WEIGHT_PLACE) for name in {town.name, town.full_name})
        short = town.name.removesuffix("镇").removesuffix("街")
        if len(short) >= 2:
            words.append((short, WEIGHT_PLACE))
    for roads, areas in data.TOWN_PLACES.values():
        words.extend((place, WEIGHT_PLACE) for place in (*roads, *areas))
    words.extend(extra)
    return words


def policy_words(names: Iterable[str]) -> list[tuple[str, float]]:
    """Policy names as words: each run of Chinese characters of two or more (创业培训（“马兰花”
    计划）补贴 gives 创业培训, 马兰花, 计划, 补贴)."""
    return [(run, WEIGHT_POLICY) for name in names for run in _CJK_RUN.findall(name)
            if len(run) >= 2]


def common_characters() -> str:
    """The 3755 characters of GB 2312 level 1 (the commonest in everyday text): with them any
    name or street can be typed character by character, even when no word holds it."""
    chars = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # the unassigned end of row 0xD7
    return "".join(chars)


def build_engine(extra: Iterable[tuple[str, float]] = ()) -> PinyinEngine:
    """The kiosk's engine (blocking, ≈1 s the first time in a process: call it off the GUI
    thread): the domain words, then the common characters at the lowest weight."""
    words = domain_words(extra)
    words.extend((char, COMMON_CHAR_WEIGHT) for char in common_characters())
    return PinyinEngine.build(words)
