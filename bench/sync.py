"""Sync throughput: push 10,000 queued records to a local central server, against a bare
HTTP client posting the same batches in the same run; then pull a 100,000-job snapshot into
a fresh kiosk (jobs applied through the real catalogue, search indexes included).

The server runs in its own process (`kiosk-central serve`, SQLite, synchronous=FULL) on
127.0.0.1; the kiosk side runs here. Prints detail, then one JSON line:
{records, push_s, bare_push_s, ratio, pull_jobs, pull_s}. Targets: push_s ≤ 10,
ratio (bare/push) ≥ 0.7, pull_s ≤ 30.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import select  # noqa: E402

from central import auth, streams  # noqa: E402
from central.db import Store  # noqa: E402
from kiosk.config import SyncConfig  # noqa: E402
from kiosk.jobs.generator import generate  # noqa: E402
from kiosk.store.engine import Database  # noqa: E402
from kiosk.store.models import OutboxRecord  # noqa: E402
from kiosk.store.outbox import enqueue  # noqa: E402
from kiosk.sync.client import SyncClient  # noqa: E402
from kiosk.sync.credentials import key_path, load_key  # noqa: E402
from kiosk.sync.engine import SyncEngine  # noqa: E402
from kiosk.sync.enroll import enroll_kiosk  # noqa: E402

RECORDS = int(os.environ.get("BENCH_SYNC_RECORDS", "10000"))
JOBS = int(os.environ.get("BENCH_SYNC_JOBS", "100000"))
REPS = int(os.environ.get("BENCH_SYNC_REPS", "3"))


def start_server(db_url: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "central.cli", "serve", "--db", db_url,
                             "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("kiosk-central listening on "):
        raise SystemExit(f"server did not start: {line!r}")
    return proc, line.split()[-1]


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def application_body(n: int) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "number": f"SQ-YLQ01-261126-{n:05d}",
            "policy_id": "difficulty-recognition", "policy_name": "就业困难人员认定",
            "resident": {"id_masked": "120111********0000", "name": "测试居民",
                         "phone": "13800000000"},
            "decision": {"status": "eligible", "likely": False, "rule_pack": "2026.1",
                         "reasons": [{"condition": "age", "result": True,
                                      "text": "女性年满40周岁"}] * 3}}


def kiosk(home: Path, store: Store, url: str, streams_: tuple[str, ...]) -> tuple[
        Database, SyncEngine]:
    db = Database(home / "data" / "kiosk.sqlite3").open()
    enroll_kiosk(db, home / "data", url, auth.issue_enroll_code(store, "XQ-YLQ-01"),
                 "XQ-YLQ-01")
    engine = SyncEngine(db, SyncConfig(interval_s=3600), home / "data", streams=streams_,
                        timeout=httpx.Timeout(120.0))
    return db, engine


def fill(db: Database, count: int) -> list[dict[str, Any]]:
    with db.write() as s:
        for n in range(count):
            enqueue(s, "application", application_body(n))
    with db.read() as s:
        rows = s.scalars(select(OutboxRecord).where(OutboxRecord.state == "pending")
                         .order_by(OutboxRecord.local_seq)).all()
        return [{"id": r.id, "kind": r.kind, "schema": r.schema_ver, "local_seq": r.local_seq,
                 "created_local": r.created_local.isoformat(), "sha256": r.sha256,
                 "body": r.body} for r in rows]


def bare_push(client: SyncClient, records: list[dict[str, Any]]) -> float:
    """The floor: the same batches over the same protocol with no queue bookkeeping."""
    fresh = [dict(r, id=str(uuid.uuid4())) for r in records]
    started = time.perf_counter()
    for i in range(0, len(fresh), 100):
        reply = client.push(str(uuid.uuid4()), fresh[i:i + 100])
        assert all(r["status"] == "accepted" for r in reply["results"])
    return time.perf_counter() - started


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    db_url = f"sqlite:///{tmp / 'central.sqlite3'}"
    store = Store(db_url).open()
    server, url = start_server(db_url)
    try:
        db, engine = kiosk(tmp / "kiosk", store, url, ())
        client = SyncClient(url, engine.status().kiosk_id or "",
                            load_key(key_path(tmp / "kiosk" / "data")),
                            timeout=httpx.Timeout(120.0))
        warm = fill(db, 300)  # warm-up: connections, tokens, server code paths
        engine.run_once()
        bare_push(client, warm)
        push_times, bare_times = [], []
        for rep in range(REPS):
            records = fill(db, RECORDS)
            started = time.perf_counter()
            status = engine.run_once()
            push_times.append(time.perf_counter() - started)
            assert status.pending == 0 and status.last_error is None, status.to_dict()
            bare_times.append(bare_push(client, records))
            print(f"rep {rep + 1}: push {push_times[-1]:.2f} s, bare {bare_times[-1]:.2f} s "
                  f"for {RECORDS} records")
        engine.stop()
        client.close()
        db.close()

        started = time.perf_counter()
        jobs = generate(JOBS)
        streams.publish(store, "jobs", jobs)
        print(f"published {JOBS} jobs on the server in {time.perf_counter() - started:.1f} s")
        db2, puller = kiosk(tmp / "fresh-kiosk", store, url, ("jobs",))
        load, server_cpu, own_cpu = os.getloadavg()[0], cpu_s(server.pid), time.process_time()
        started = time.perf_counter()
        status = puller.run_once()
        pull_s = time.perf_counter() - started
        print(f"pull CPU: kiosk {time.process_time() - own_cpu:.1f} s, server "
              f"{cpu_s(server.pid) - server_cpu:.1f} s on {os.cpu_count()} cores; load average "
              f"{load:.1f} before, {os.getloadavg()[0]:.1f} after (other work slows it)")
        puller.stop()
        assert status.last_error is None, status.to_dict()
        from kiosk.jobs.catalogue import live_count

        with db2.read() as s:
            applied = live_count(s)
        db2.close()
        print(f"pulled a {JOBS}-job snapshot into a fresh kiosk in {pull_s:.1f} s "
              f"({applied} live jobs)")
    finally:
        server.terminate()
        server.wait(10)
        store.close()
    push_s = statistics.median(push_times)
    bare_s = statistics.median(bare_times)
    print(json.dumps({"records": RECORDS, "push_s": round(push_s, 3),
                      "bare_push_s": round(bare_s, 3), "ratio": round(bare_s / push_s, 3),
                      "pull_jobs": JOBS, "pull_s": round(pull_s, 3)}))


if __name__ == "__main__":
    main()
