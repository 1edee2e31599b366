"""Benchmark: job search and the lazy list model over a 100,000-job catalogue.

Builds the catalogue in a child process (generate + import, timed) so that this process's
memory is that of a running kiosk: it opens the database, runs keyword+filter queries through
JobListModel.set_query (first page + total) and, in the same run and through the same
Database/session stack, the bare FTS5 MATCH of the same words returning every matching rowid —
the work any filtered, sorted result has to do at least. Prints detail, then one JSON line:
{"jobs", "p95_ms", "fts_p95_ms", "ratio", "rss_mb"}. Targets: p95 ≤ 30 ms, ratio ≤ 1.5,
rss ≤ 300 MB.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

JOBS = 100_000
SEED = 20220621
TODAY = date(2026, 5, 1)
REPEATS = 30


def build(path: Path) -> None:
    """Child process: generate and import the catalogue; print the timings as JSON."""
    from kiosk.jobs.catalogue import upsert_jobs
    from kiosk.jobs.generator import generate
    from kiosk.store.engine import Database

    db = Database(path).open()
    t0 = time.perf_counter()
    records = generate(JOBS, SEED, TODAY)
    t1 = time.perf_counter()
    with db.write() as s:
        upsert_jobs(s, records)
    t2 = time.perf_counter()
    db.close()
    print(json.dumps({"generate_s": t1 - t0, "import_s": t2 - t1}))


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        path = Path(tmp) / "jobs.sqlite3"
        print(f"building {JOBS} jobs in {path} ...", flush=True)
        t = time.perf_counter()
        child = subprocess.run([sys.executable, __file__, "--build", str(path)],
                               capture_output=True, text=True, check=False)
        if child.returncode != 0:
            print(child.stderr, file=sys.stderr)
            return 1
        built = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"  generate {built['generate_s']:.1f} s, import {built['import_s']:.1f} s "
              f"(total with start-up {time.perf_counter() - t:.1f} s), "
              f"file {path.stat().st_size / 1e6:.0f} MB")
        return measure(path)


def measure(path: Path) -> int:
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import text

    from kiosk.jobs.search import CatalogueFeed, JobQuery, search
    from kiosk.jobs.text import fts_string, short_term, split_terms
    from kiosk.store.engine import Database
    from ui.models.job_list_model import JobListModel

    def bare_match(q: JobQuery) -> tuple[str, str]:
        """The words of ``q`` as the bare FTS5 query: 3+ character words on the trigram index,
        otherwise the short words on the gram index (the index the kiosk's search uses)."""
        terms = split_terms(q.text)
        long_terms = [t for t in terms if len(t) >= 3]
        if long_terms:
            return "job_fts", " AND ".join(fts_string(t) for t in long_terms)
        shorts = (short_term(t) for t in terms)
        return "job_grams", " AND ".join(fts_string(t) for t in shorts if t)

    app = QApplication.instance() or QApplication([])
    db = Database(path).open()
    queries = [
        JobQuery(text="保洁员", town="yangliuqing"),
        JobQuery(text="装配工", salary_floor=6000),
        JobQuery(text="养老护理", job_type="fulltime"),
        JobQuery(text="司机", industry="logistics_platform"),
        JobQuery(text="客服", posted_within_days=14),
        JobQuery(text="保洁", town="zhongbei"),
        JobQuery(text="bj", job_type="parttime"),
        JobQuery(text="网约配送", salary_floor=7000),
        JobQuery(text="幼儿园", town="jingwu"),
        JobQuery(text="数控车床", industry="manufacturing", sort="salary"),
    ]
    model = JobListModel(page_size=50, today=TODAY)

    def update(q: JobQuery) -> Callable[[], object]:
        def run() -> object:
            feed = CatalogueFeed(db, q, today=TODAY)  # a new query: nothing cached
            model.set_query(feed.fetch, feed.count)
            return model.total()
        return run

    def bare(q: JobQuery) -> Callable[[], object]:
        table, match = bare_match(q)
        sql = text(f"SELECT rowid FROM {table} WHERE {table} MATCH :q")

        def run() -> object:
            with db.read() as s:
                return s.execute(sql, {"q": match}).all()
        return run

    def raw(q: JobQuery) -> Callable[[], object]:
        table, match = bare_match(q)
        conn = db.engine.raw_connection()
        conn.execute(f"PRAGMA cache_size=-{32 * 1024}")
        return lambda: conn.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?",
                                    (match,)).fetchall()

    def search_only(q: JobQuery) -> Callable[[], object]:
        def run() -> object:
            with db.read() as s:
                return search(s, q, 0, 50, TODAY)
        return run

    updates, bares, raws, searches = ({q: f(q) for q in queries}
                                      for f in (update, bare, raw, search_only))
    for q in queries:  # warm-up: page cache, statement caches, Python code paths
        for _ in range(3):
            updates[q]()
            bares[q]()
            raws[q]()
            searches[q]()
    ours: list[float] = []
    fts: list[float] = []
    raw_fts: list[float] = []
    search_ms: list[float] = []
    per_query = []
    for q in queries:
        mine: list[float] = []
        floor: list[float] = []
        floor_raw: list[float] = []
        only: list[float] = []
        for _ in range(REPEATS):  # interleaved so drift on a shared machine hits both alike
            mine.append(timed(updates[q]))
            floor.append(timed(bares[q]))
            floor_raw.append(timed(raws[q]))
            only.append(timed(searches[q]))
        ours += mine
        fts += floor
        raw_fts += floor_raw
        search_ms += only
        per_query.append((q, model.total(), statistics.median(mine), statistics.median(only),
                          statistics.median(floor), statistics.median(floor_raw)))
    print(f"{'query':34s} {'matches':>8s} {'model':>7s} {'search':>7s} {'fts':>7s} "
          f"{'raw fts':>7s}   (medians, ms)")
    for q, total, m, o, f, r in per_query:
        label = " ".join(x for x in (q.text, q.town or "", q.industry or "", q.job_type or "",
                                     f"≥{q.salary_floor}" if q.salary_floor else "",
                                     f"{q.posted_within_days}d" if q.posted_within_days else "",
                                     q.sort) if x)
        print(f"{label:34s} {total:8d} {m:7.2f} {o:7.2f} {f:7.2f} {r:7.2f}")
    # scroll the list the way a resident would, then measure the process
    model.set_query(*(lambda f: (f.fetch, f.count))(CatalogueFeed(db, JobQuery(), TODAY)))
    for _ in range(20):
        model.fetchMore(model.index(-1, 0).parent())
    rows_loaded = model.rowCount()
    memory = rss_mb()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p_ours, p_fts = p95(ours), p95(fts)
    print(f"p95: list-model update (set_query + first page + total) {p_ours:.2f} ms; "
          f"search page only {p95(search_ms):.2f} ms")
    print(f"p95: bare FTS5 MATCH, all rowids, same session stack {p_fts:.2f} ms; "
          f"same on a raw sqlite3 connection {p95(raw_fts):.2f} ms "
          f"(ratio against raw: {p_ours / p95(raw_fts):.2f})")
    print(f"RSS after building the model and loading {rows_loaded} rows: {memory:.0f} MB "
          f"(peak {peak:.0f} MB)")
    db.close()
    del app
    print(json.dumps({"jobs": JOBS, "p95_ms": round(p_ours, 2), "fts_p95_ms": round(p_fts, 2),
                      "ratio": round(p_ours / p_fts, 2), "rss_mb": round(memory, 1)}))
    return 0


def _exit_past_pyside_6_12_0_bug(code: int) -> None:
    """PySide6 6.12.0 on CPython 3.11 drops a reference to ``True`` on every Python-side
    ``Signal.emit()``; after a few hundred emits (this run makes ~1,300) the interpreter aborts
    while finalizing ("bool_dealloc"). Say so and leave without finalizing, so the figures
    already printed stand; other PySide6 versions exit normally."""
    import PySide6

    if PySide6.__version__ == "6.12.0" and sys.version_info < (3, 12):
        print("note: PySide6 6.12.0 Signal.emit refcount bug; exiting without finalization",
              file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--build":
        build(Path(sys.argv[2]))
        sys.exit(0)
    _exit_past_pyside_6_12_0_bug(main())
