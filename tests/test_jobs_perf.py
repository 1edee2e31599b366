"""The fast paths of the jobs catalogue give the same answers as the plain ones (issues #4, #7).

Writing: a bulk page (rows staged, the trigram index fed one statement per page) builds the
same catalogue as row-by-row triggers; a page applied twice changes nothing; a bad record
refuses its page at the catalogue and only itself at sync; a process killed mid-import leaves
both indexes consistent. Reading: the index-only plans (filter tags, expiry-day tags, rowid
order, the town walk) answer like the join plans they replace.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select, text

import kiosk.jobs.search as search_mod
from central import streams
from central.db import Store
from central.server import ServerThread
from central.testing import enrolled_kiosk, running_central, sync_engine
from kiosk.jobs.catalogue import (
    JOB,
    CatalogueFormatError,
    gram_document,
    live_count,
    prepare_jobs,
    row_tags,
    tag_ids,
    upsert_jobs,
    validate_job_record,
)
from kiosk.jobs.generator import generate
from kiosk.jobs.search import JobQuery, count, search, search_page
from kiosk.jobs.text import (
    TAG_KINDS,
    fts_string,
    insertion_number,
    pair_grams,
    search_tag,
    seq_key,
    short_grams,
    split_terms,
)
from kiosk.store.engine import Database, make_engine, migrate
from kiosk.sync.pull import Puller

TODAY = date(2026, 5, 1)
ROOT = Path(__file__).resolve().parent.parent

QUERIES = [
    JobQuery(),
    JobQuery(text="保洁"),
    JobQuery(text="工"),
    JobQuery(text="bj"),
    JobQuery(text="装配工"),
    JobQuery(text="养老护理员", job_type="fulltime"),
    JobQuery(text="保洁 杨柳青"),
    JobQuery(text="司机", town="dasi"),
    JobQuery(text="客服", industry="new_retail", posted_within_days=20),
    JobQuery(text="护理", job_type="fulltime", salary_floor=6000),
    JobQuery(text="工", sort="salary"),
    JobQuery(text="工", sort="salary", salary_floor=5000, town="xinkou"),
    JobQuery(text="员", posted_within_days=7, sort="salary"),
    JobQuery(text="工", sort="distance", near_town="xinkou"),
    JobQuery(text="操作工", sort="distance", near_town="dasi", salary_floor=4000),
    JobQuery(text="保洁", town="no-such-town"),
    JobQuery(industry="manufacturing", sort="salary"),
    JobQuery(sort="distance", near_town="jinmenhu", job_type="parttime"),
]


def catalogue(n: int, seed: int, expired_every: int = 0) -> list[dict[str, Any]]:
    """Generated jobs, every ``expired_every``-th one expired on one of several past days."""
    records = generate(n, seed=seed, today=TODAY)
    if expired_every:
        for i in range(0, n, expired_every):
            posted = TODAY - timedelta(days=60)
            records[i] = {**records[i], "posted_on": posted.isoformat(),
                          "expires_on": (TODAY - timedelta(days=1 + i % 5)).isoformat()}
    return records


def open_db(path: Path) -> Database:
    return Database(path).open()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_db(tmp_path / "k.db")
    yield database
    database.close()


def answers(db: Database, queries: list[JobQuery] = QUERIES, today: date = TODAY
            ) -> list[tuple[int, list[str], list[str]]]:
    """For each query: the total, the first page and a later page (ids)."""
    out = []
    with db.read() as s:
        for q in queries:
            first = search_page(s, q, 0, 40, today)
            later = search(s, q, 75, 30, today)
            assert count(s, q, today) == first.total
            out.append((first.total, [j.id for j in first.items], [j.id for j in later]))
    return out


def table_rows(db: Database) -> list[tuple[Any, ...]]:
    with db.read() as s:
        return [tuple(r) for r in s.execute(select(JOB).order_by(JOB.c.seq)).all()]


def index_digest(db: Database) -> str:
    """A fingerprint of both FTS5 indexes' stored segments."""
    h = hashlib.sha256()
    with db.read() as s:
        for table in ("job_fts_data", "job_grams_data", "job_fts_idx", "job_grams_idx"):
            for row in s.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2")):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def check_indexes(db: Database) -> None:
    """Both indexes hold exactly the live jobs: job_fts against its content view, job_grams
    by its tags (each live job is found under its industry tag, nothing else is)."""
    with db.read() as s:
        s.execute(text("INSERT INTO job_fts(job_fts, rank) VALUES ('integrity-check', 1)"))
        s.execute(text("INSERT INTO job_grams(job_grams, rank) VALUES ('integrity-check', 0)"))
        ids = tag_ids(s)
        for (kind, code), i in ids.items():
            if kind != "industry":
                continue
            want = set(s.execute(text("SELECT seq FROM job WHERE deleted = 0 AND industry = :c"),
                                 {"c": code}).scalars())
            tag = fts_string(search_tag(TAG_KINDS[kind], i))
            for table in ("job_fts", "job_grams"):
                got = set(s.execute(text(f"SELECT rowid FROM {table} WHERE {table} MATCH :t"),
                                    {"t": tag}).scalars())
                assert got == want, (table, code)


# -- writing ------------------------------------------------------------------------------

def test_bulk_and_row_by_row_imports_build_the_same_catalogue(tmp_path: Path) -> None:
    records = catalogue(2000, seed=5, expired_every=97)
    bulk, rows = open_db(tmp_path / "bulk.db"), open_db(tmp_path / "rows.db")
    try:
        for database, mode in ((bulk, True), (rows, False)):
            for start in range(0, len(records), 500):
                with database.write() as s:
                    assert upsert_jobs(s, records[start:start + 500], bulk=mode) == 500
        # same rows (seq keys and stored values), same answers, both indexes whole
        strip = [[v for k, v in zip(JOB.c.keys(), r, strict=True) if k != "updated_at"]
                 for r in table_rows(bulk)]
        assert strip == [[v for k, v in zip(JOB.c.keys(), r, strict=True) if k != "updated_at"]
                         for r in table_rows(rows)]
        assert answers(bulk) == answers(rows)
        for database in (bulk, rows):  # stored as the ORM stores it (naive UTC text)
            with database.read() as s:
                assert {len(t) for t in s.execute(
                    text("SELECT DISTINCT updated_at FROM job")).scalars()} == {26}
        check_indexes(bulk)
        check_indexes(rows)
        with bulk.read() as s, rows.read() as t:  # the gram documents are the same
            for gram in ("保洁", "工", "bj", "司机", "护理", "天津", "ab", "a"):
                q = {"g": fts_string(gram)}
                sql = text("SELECT rowid FROM job_grams WHERE job_grams MATCH :g ORDER BY 1")
                assert s.execute(sql, q).all() == t.execute(sql, q).all()
    finally:
        bulk.close()
        rows.close()


def test_a_page_applied_twice_changes_nothing(db: Database) -> None:
    records = catalogue(600, seed=6)
    with db.write() as s:
        assert upsert_jobs(s, records) == 600
    before = (table_rows(db), index_digest(db), answers(db))
    with db.write() as s:
        assert upsert_jobs(s, records) == 0
        assert upsert_jobs(s, prepare_jobs(records)) == 0
    assert (table_rows(db), index_digest(db), answers(db)) == before


def test_a_newer_version_moves_the_job_in_both_indexes(db: Database) -> None:
    records = catalogue(300, seed=7)
    with db.write() as s:
        upsert_jobs(s, records)
    moved = {**records[10], "version": records[10]["version"] + 1, "title": "夜班保洁主管",
             "posted_on": TODAY.isoformat(), "town": "xinkou", "industry": "business"}
    hidden = {"id": records[11]["id"], "version": records[11]["version"] + 1, "deleted": True}
    with db.write() as s:
        seq_before = s.execute(select(JOB.c.seq).where(JOB.c.id == moved["id"])).scalar_one()
        assert upsert_jobs(s, [moved, hidden]) == 2
        seq_after = s.execute(select(JOB.c.seq).where(JOB.c.id == moved["id"])).scalar_one()
    # a new day and salary, the same insertion number
    assert seq_after == seq_key(TODAY, insertion_number(seq_before), moved["salary_max"])
    check_indexes(db)
    with db.read() as s:
        newest = search(s, JobQuery(text="保洁主管", town="xinkou"), 0, 10, TODAY)
        assert [j.id for j in newest] == [moved["id"]]
        assert search(s, JobQuery(text="保洁", town="xinkou"), 0, 1, TODAY)[0].id == moved["id"]
        assert records[11]["id"] not in {j.id for j in search(
            s, JobQuery(text=records[11]["title"]), 0, 500, TODAY)}


def test_a_bad_record_refuses_the_whole_bulk_page_at_the_catalogue(db: Database) -> None:
    records = catalogue(200, seed=8)
    records[150] = {**records[150], "salary_min": 9000, "salary_max": 10}
    with pytest.raises(CatalogueFormatError) as err, db.write() as s:
        upsert_jobs(s, records)
    assert records[150]["id"] in str(err.value)
    with db.read() as s:
        assert live_count(s, TODAY) == 0
        assert s.execute(text("SELECT count(*) FROM job_fts_bulk")).scalar_one() == 0
    check_indexes(db)


@pytest.fixture
def central(tmp_path: Path) -> Iterator[tuple[Store, ServerThread]]:
    with running_central(tmp_path) as pair:
        yield pair


def test_sync_refuses_only_the_bad_record_of_a_bulk_snapshot_page(
        central: tuple[Store, ServerThread], kiosk_home: Path) -> None:
    store, server = central
    jobs = generate(330)
    jobs[123] = dict(jobs[123], age_min=70, age_max=20)
    streams.publish(store, "jobs", jobs)
    db, _ = enrolled_kiosk(store, server.url, kiosk_home)
    engine = sync_engine(db, kiosk_home)
    try:
        client = engine._ensure_client()
        assert client is not None
        result = Puller(db, client, streams=["jobs"], snapshot_limit=100).pull_all()
        assert len(result.refused) == 1 and jobs[123]["id"] in result.refused[0]
        with db.read() as s:
            assert live_count(s) == 329
            assert {len(t) for t in s.execute(text(  # the ORM's naive UTC text
                "SELECT DISTINCT updated_at FROM sync_entity")).scalars()} == {26}
        check_indexes(db)
    finally:
        engine.stop()
        db.close()


KILLED_IMPORT = textwrap.dedent("""
    import sys
    from datetime import date
    from pathlib import Path
    from kiosk.jobs.catalogue import upsert_jobs
    from kiosk.jobs.generator import generate
    from kiosk.store.engine import Database

    db = Database(Path(sys.argv[1])).open()
    records = generate(4000, seed=9, today=date(2026, 5, 1))
    for start in range(0, len(records), 400):
        with db.write() as s:
            upsert_jobs(s, records[start:start + 400])
        print(start + 400, flush=True)
""")


def test_an_import_killed_mid_page_leaves_whole_pages_and_consistent_indexes(
        tmp_path: Path) -> None:
    rng = random.Random(4)
    for attempt in range(2):
        path = tmp_path / f"killed{attempt}.db"
        open_db(path).close()  # migrate first, so the child only imports
        child = subprocess.Popen([sys.executable, "-c", KILLED_IMPORT, str(path)],
                                 cwd=ROOT, stdout=subprocess.PIPE, text=True,
                                 env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert child.stdout is not None
        pages = rng.randint(1, 4)
        for _ in range(pages):  # wait for whole pages, then kill inside the next one
            assert child.stdout.readline().strip()
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        database = open_db(path)
        try:
            with database.read() as s:
                stored = s.execute(text("SELECT count(*) FROM job")).scalar_one()
                assert stored % 400 == 0 and stored >= pages * 400
                assert s.execute(text("SELECT count(*) FROM job_fts_bulk")).scalar_one() == 0
            check_indexes(database)
            with database.write() as s:  # and the import can go on where it stopped
                upsert_jobs(s, generate(4000, seed=9, today=TODAY))
            with database.read() as s:
                assert live_count(s, TODAY) == 4000
            check_indexes(database)
        finally:
            database.close()


# -- what the indexes hold ----------------------------------------------------------------

def test_sql_and_python_spell_the_same_tags_and_gram_documents(db: Database) -> None:
    records = catalogue(400, seed=10, expired_every=50)
    with db.write() as s:
        upsert_jobs(s, records)
    with db.read() as s:
        ids = tag_ids(s)
        for row in s.execute(text(
                "SELECT v.seq, v.tag_industry, v.tag_town, v.tag_job_type, v.tag_expires, "
                "j.industry, j.town, j.job_type, j.expires_on, j.posted_on, j.salary_max "
                "FROM job_search v JOIN job j ON j.seq = v.seq")):
            job = {"industry": row[5], "town": row[6], "job_type": row[7],
                   "expires_on": date.fromisoformat(row[8])}
            assert list(row[1:5]) == row_tags(job, ids)
            assert row[0] == seq_key(date.fromisoformat(row[9]), insertion_number(row[0]),
                                     row[10])
    assert len({search_tag(k, v) for k in range(1, 5) for v in (0, 1, 4095, 4096, 2461161)}) == 20
    for record in records[:50]:  # repeats and order aside, the same grams as short_grams
        valid = validate_job_record(record)
        doc = set(gram_document({**valid, "seq": 1}, ids).split()[:-4])
        assert doc == short_grams(valid["title"], valid["employer_name"], valid["skills"],
                                  valid["title_initials"]) | short_grams(valid["description"],
                                                                         unigrams=False)
        assert set(pair_grams(valid["description"])) == short_grams(valid["description"],
                                                                    unigrams=False)
    assert split_terms("保\ue001洁 司机") == ["保洁", "司机"]  # tags cannot be typed


def test_index_plans_answer_like_the_join_plans(db: Database,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    records = catalogue(1500, seed=11, expired_every=13)
    with db.write() as s:
        upsert_jobs(s, records)
    fast = answers(db)
    monkeypatch.setattr(search_mod, "DENSE_MATCHES", 10**9)  # no town walk
    assert answers(db) == fast
    monkeypatch.setattr(search_mod, "DENSE_MATCHES", 0)  # always the town walk
    assert answers(db) == fast
    monkeypatch.setattr(search_mod, "EXPIRED_DAYS_MAX", 0)  # expiry on ix_job_live
    assert answers(db) == fast
    later = TODAY + timedelta(days=9)  # more jobs expired since: still hidden
    monkeypatch.setattr(search_mod, "EXPIRED_DAYS_MAX", 120)
    walked = answers(db, today=later)
    monkeypatch.setattr(search_mod, "EXPIRED_DAYS_MAX", 0)
    assert answers(db, today=later) == walked
    with db.read() as s:
        live = [r for r in records if date.fromisoformat(r["expires_on"]) >= later]
        assert count(s, JobQuery(text="工"), later) == sum(
            1 for r in live if "工" in r["title"] + r["employer"]["name"]
            + "、".join(r["skills"]))


def test_upgrade_from_0005_keeps_every_answer(tmp_path: Path) -> None:
    records = catalogue(800, seed=12, expired_every=41)
    old_path = tmp_path / "old.db"
    engine = make_engine(old_path)
    migrate(engine, "0005_activities")
    with engine.begin() as conn:  # what the 0003 catalogue wrote: triggers fill job_fts
        for record in records:
            row = validate_job_record(record)
            row.pop("_employer", None)
            key = conn.execute(insert(JOB).values(**row, updated_at=TODAY)).inserted_primary_key
            assert key is not None
            grams = short_grams(row["title"], row["employer_name"], row["skills"],
                                row["title_initials"]) | short_grams(row["description"],
                                                                     unigrams=False)
            conn.execute(text("INSERT INTO job_grams(rowid, grams) VALUES (:s, :g)"),
                         {"s": key[0], "g": " ".join(sorted(grams))})
    engine.dispose()
    upgraded, fresh = open_db(old_path), open_db(tmp_path / "fresh.db")
    try:
        with fresh.write() as s:
            upsert_jobs(s, records)
        assert answers(upgraded) == answers(fresh)
        check_indexes(upgraded)
        with upgraded.write() as s:  # new jobs number on from the old ones
            upsert_jobs(s, generate(5, seed=99, today=TODAY))
            ns = [insertion_number(seq) for seq in s.execute(select(JOB.c.seq)).scalars()]
        assert sorted(ns) == list(range(1, 806))
        check_indexes(upgraded)
    finally:
        upgraded.close()
        fresh.close()
