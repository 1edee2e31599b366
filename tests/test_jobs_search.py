"""Searching the catalogue: every keyword path, filter and sort against a plain-Python oracle."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.jobs.catalogue import upsert_jobs
from kiosk.jobs.generator import generate
from kiosk.jobs.search import (
    CatalogueFeed,
    JobNotFoundError,
    JobQuery,
    JobSummary,
    count,
    get_job,
    popular_chips,
    search,
    search_page,
    summaries_by_id,
    town_counts,
)
from kiosk.jobs.text import short_term, split_terms, title_initials
from kiosk.jobs.towns import distance_km, towns_by_code
from kiosk.store.engine import Database

TODAY = date(2026, 5, 1)


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, list]]:
    records = generate(1200, seed=21, today=TODAY)
    # a few that have expired or were withdrawn: never found
    records[5] = {**records[5], "expires_on": (TODAY - timedelta(days=1)).isoformat()}
    records[6] = {**records[6], "deleted": True}
    db = Database(Path(tmp_path_factory.mktemp("search")) / "k.db").open()
    with db.write() as s:
        upsert_jobs(s, [r for r in records if not r.get("deleted")])
    yield db, records
    db.close()


def oracle(records: list[dict[str, Any]], q: JobQuery) -> list[str]:
    """The meaning of a query, spelled out in Python over the source records."""
    out = []
    for seq, r in enumerate(records):
        if r.get("deleted") or date.fromisoformat(r["expires_on"]) < TODAY:
            continue
        short = [r["title"], r["employer"]["name"], "、".join(r["skills"]),
                 title_initials(r["title"])]
        fields = [*short, r["description"]]
        ok = True
        for term in split_terms(q.text):
            if len(term) >= 3:
                ok &= any(term.lower() in f.lower() for f in fields)
            else:
                t = short_term(term)
                ok &= any(t in f.lower() for f in (short if len(t) == 1 else fields))
        for field in ("industry", "town", "job_type"):
            if getattr(q, field):
                ok &= r[field] == getattr(q, field)
        if q.salary_floor:
            ok &= r["salary_max"] is not None and r["salary_max"] >= q.salary_floor
        if q.posted_within_days is not None:
            ok &= date.fromisoformat(r["posted_on"]) >= TODAY - timedelta(q.posted_within_days)
        if ok:
            out.append((seq, r))

    def newest(item: tuple[int, dict]) -> tuple:
        return (date.fromisoformat(item[1]["posted_on"]), item[0])

    out.sort(key=newest, reverse=True)
    if q.sort == "salary":
        out.sort(key=lambda i: -1 if i[1]["salary_max"] is None else i[1]["salary_max"],
                 reverse=True)
    elif q.sort == "distance":
        out.sort(key=lambda i: (distance_km(q.near_town or "", i[1]["town"]), i[1]["town"]))
    return [r["id"] for _, r in out]


QUERIES = [
    JobQuery(),
    JobQuery(text="保洁"),  # 2 characters: gram index, descriptions included
    JobQuery(text="工"),  # 1 character: titles, employers and skills
    JobQuery(text="bj"),  # pinyin initials of the title (保洁员 → bjy)
    JobQuery(text="bjy"),
    JobQuery(text="装配工"),  # trigram
    JobQuery(text="养老护理员"),
    JobQuery(text="杨柳青"),
    JobQuery(text="保洁 杨柳青"),  # short and long words together
    JobQuery(text="SQL"),
    JobQuery(text="司机", town="dasi"),
    JobQuery(text="客服", industry="new_retail"),
    JobQuery(text="护理", job_type="fulltime", salary_floor=6000),
    JobQuery(industry="manufacturing", sort="salary"),
    JobQuery(town="xinkou"),
    JobQuery(job_type="public_welfare"),
    JobQuery(salary_floor=9000, sort="salary"),
    JobQuery(posted_within_days=3),
    JobQuery(text="员", posted_within_days=7, sort="salary"),
    JobQuery(sort="distance", near_town="xinkou"),
    JobQuery(sort="distance", near_town="jinmenhu", job_type="parttime"),
    JobQuery(text="操作工", sort="distance", near_town="dasi"),
    JobQuery(text="没有这种岗位"),
]


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: f"{q.text}|{q.sort}|{q.town or ''}")
def test_results_count_and_order_match_the_oracle(catalogue: tuple[Database, list],
                                                  q: JobQuery) -> None:
    db, records = catalogue
    expected = oracle(records, q)
    with db.read() as s:
        total = count(s, q, TODAY)
        first = search(s, q, 0, 50, TODAY)
        everything: list[JobSummary] = []
        while True:
            page = search(s, q, len(everything), 97, TODAY)
            everything += page
            if len(page) < 97:
                break
        both = search_page(s, q, 0, 50, TODAY)
    assert total == len(expected)
    assert [j.id for j in everything] == expected
    assert [j.id for j in first] == expected[:50]
    assert both.total == len(expected) and both.items == first


def test_short_words_find_what_trigrams_cannot(catalogue: tuple[Database, list]) -> None:
    db, _ = catalogue
    with db.read() as s:
        cleaners = search(s, JobQuery(text="保洁"), 0, 500, TODAY)
        assert any(j.title == "保洁员" for j in cleaners)
        assert any("保洁" not in j.title for j in cleaners)  # matched in the description
        initials = search(s, JobQuery(text="bj"), 0, 500, TODAY)
        assert {"保洁员", "公共区域保洁员"} <= {j.title for j in initials}
        assert count(s, JobQuery(text="BJ"), TODAY) == len(initials)  # case does not matter
        assert count(s, JobQuery(text='保"洁'), TODAY) == 0  # quotes are text, not syntax
        assert count(s, JobQuery(text="、，"), TODAY) == count(s, JobQuery(), TODAY)


def test_town_counts_cover_every_town(catalogue: tuple[Database, list]) -> None:
    db, records = catalogue
    live = [r for r in records if not r.get("deleted")
            and date.fromisoformat(r["expires_on"]) >= TODAY]
    with db.read() as s:
        counts = town_counts(s, None, TODAY)
        assert counts == {t: Counter(r["town"] for r in live)[t] for t in towns_by_code()}
        cleaners = town_counts(s, JobQuery(text="保洁"), TODAY)
        assert sum(cleaners.values()) == count(s, JobQuery(text="保洁"), TODAY)


def test_detail_shows_everything_but_the_full_contact(catalogue: tuple[Database, list]) -> None:
    db, records = catalogue
    r = records[0]
    with db.read() as s:
        d = get_job(s, r["id"], TODAY)
        assert (d.title, d.employer_name, d.town) == (r["title"], r["employer"]["name"], r["town"])
        assert d.skills == tuple(r["skills"]) and d.benefits == tuple(r["benefits"])
        assert d.description == r["description"]
        assert d.employer_intro == r["employer"]["intro"]
        assert r["contact"]["phone"] not in repr(d)
        assert d.contact_masked == f"{r['contact']['name']} {r['contact']['phone'][:3]}****" \
                                   f"{r['contact']['phone'][-4:]}"
        assert d.salary_text.endswith("元/月") or d.salary_text == "面议"
        assert d.town_label and d.industry_label and d.job_type_label and d.age_text
        for gone in (records[5]["id"], records[6]["id"], "no-such-job"):
            with pytest.raises(JobNotFoundError):
                get_job(s, gone, TODAY)
        found = summaries_by_id(s, [records[0]["id"], records[5]["id"]], TODAY)
        assert list(found) == [records[0]["id"]]


def test_every_popular_chip_finds_jobs(catalogue: tuple[Database, list]) -> None:
    db, _ = catalogue
    chips = popular_chips()
    assert {"保洁", "保安", "司机", "普工", "护理", "兼职", "见习"} <= {c.label for c in chips}
    with db.read() as s:
        for chip in chips:
            assert count(s, chip.query, TODAY) > 0, chip.label


def test_feed_pages_like_search_and_counts_once(catalogue: tuple[Database, list]) -> None:
    db, records = catalogue
    q = JobQuery(text="工", sort="salary")
    feed = CatalogueFeed(db, q, today=TODAY)
    first = feed.fetch(0, 40)
    assert feed._count is not None  # counted in the same pass as the first page
    assert feed.count() == len(oracle(records, q))
    assert [j.id for j in first + feed.fetch(40, 40)] == oracle(records, q)[:80]


def test_bad_queries_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="sort"):
        JobQuery(sort="best")
    with pytest.raises(ValueError, match="near_town"):
        JobQuery(sort="distance")
    with pytest.raises(ValueError, match="near_town"):
        JobQuery(sort="distance", near_town="beijing")
    assert JobQuery(text="a").replace(text="b").text == "b"
