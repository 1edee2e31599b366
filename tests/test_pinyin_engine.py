"""The pinyin candidate engine over the kiosk vocabulary (Qt-free)."""

from __future__ import annotations

import statistics
import time

import pytest

from kiosk.input.pinyin import (
    TIER_ABBREVIATED,
    TIER_COMPLETION,
    TIER_EXACT,
    PinyinEngine,
    RecentWords,
    build_engine,
    policy_words,
)


@pytest.fixture(scope="module")
def engine() -> PinyinEngine:
    return build_engine(policy_words(["创业培训（“马兰花”计划）补贴"]))


def texts(engine: PinyinEngine, letters: str, n: int = 5) -> list[str]:
    return [c.text for c in engine.candidates(letters)[:n]]


def test_full_pinyin_finds_the_word_first(engine: PinyinEngine) -> None:
    first = engine.candidates("baojie")[0]
    assert (first.text, first.tier, first.consumed) == ("保洁", TIER_EXACT, 6)


def test_partial_and_initials(engine: PinyinEngine) -> None:
    assert texts(engine, "baoj")[0] == "保洁"
    assert "保洁" in texts(engine, "bj")
    assert "北京" in texts(engine, "bj")
    assert texts(engine, "ylq")[0] == "杨柳青"
    assert texts(engine, "zhgz") == ["找工作"]


def test_ranking_exact_then_abbreviated_then_completions(engine: PinyinEngine) -> None:
    tiers = [c.tier for c in engine.candidates("bj")]
    assert tiers == sorted(tiers)
    assert {TIER_ABBREVIATED, TIER_COMPLETION} <= set(tiers)
    assert texts(engine, "butie")[0] == "补贴"


def test_policy_names_and_towns_are_words(engine: PinyinEngine) -> None:
    assert "马兰花" in texts(engine, "mlh")
    assert "西青" in texts(engine, "xq")


def test_unknown_words_are_typed_syllable_by_syllable(engine: PinyinEngine) -> None:
    first = engine.candidates("zhangsan")[0]
    assert first.text == "张" and first.consumed == 5  # then "san" remains to be picked
    assert "三" in texts(engine, "san", 10)


def test_recent_words_rank_first_and_are_wiped() -> None:
    engine = PinyinEngine([("保洁", ["bao", "jie"], 5.0), ("北京", ["bei", "jing"], 1.0)])
    recent = RecentWords()
    assert engine.candidates("bj", recent=recent.counts())[0].text == "保洁"
    recent.add("北京")
    assert engine.candidates("bj", recent=recent.counts())[0].text == "北京"
    recent.clear()
    assert len(recent) == 0
    assert engine.candidates("bj", recent=recent.counts())[0].text == "保洁"


def test_each_keystroke_is_fast(engine: PinyinEngine) -> None:
    queries = [w[:i] for w in ("baojie", "yangliuqing", "shiyebaoxianjin", "zhaogongzuo", "s")
               for i in range(1, len(w) + 1)]
    for q in queries:  # warm-up
        engine.candidates(q)
    times = []
    for q in queries * 3:
        start = time.perf_counter()
        engine.candidates(q)
        times.append((time.perf_counter() - start) * 1000)
    print(f"per keystroke: median {statistics.median(times):.2f} ms, max {max(times):.2f} ms")
    assert statistics.median(times) < 5.0


def test_nonsense_gives_nothing_and_no_error(engine: PinyinEngine) -> None:
    assert engine.candidates("") == []
    assert engine.candidates("123'") == []
    assert engine.candidates("vvvv") == []
