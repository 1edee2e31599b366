"""Central server under a station fleet: 500 simulated kiosks enroll, then for a fixed time
send heartbeats (every 30 s, time compressed 5×), push small batches and pull a stream,
all over loopback against `kiosk-central serve` in its own process.

Runs on SQLite, and on PostgreSQL too when KIOSK_TEST_PG_URL is set (a fresh database).
Prints per-endpoint detail, then one JSON line: {kiosks, db, requests, p50_ms, p99_ms,
errors} for SQLite, with the same figures under "postgresql" when that ran.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from central import auth, streams  # noqa: E402
from central.db import Store  # noqa: E402
from kiosk.sync.credentials import public_key_b64  # noqa: E402
from kiosk.sync.protocol import token_message  # noqa: E402

KIOSKS = int(os.environ.get("BENCH_LOAD_KIOSKS", "500"))
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
COMPRESSION = float(os.environ.get("BENCH_LOAD_COMPRESSION", "5"))  # 30 s beats every 6 s
HEARTBEAT_S = 30.0 / COMPRESSION
PUSH_EVERY_S = 120.0 / COMPRESSION  # a submission batch every couple of minutes per kiosk
PULL_EVERY_S = 60.0 / COMPRESSION


class Stats:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)

    async def call(self, name: str, request: Any) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response: httpx.Response = await request
        except httpx.HTTPError:
            self.errors[name] += 1
            return None
        self.latency[name].append((time.perf_counter() - started) * 1000)
        if response.status_code >= 300:
            self.errors[name] += 1
        return response


class Kiosk:
    def __init__(self, code: str) -> None:
        self.code = code
        self.key = Ed25519PrivateKey.generate()
        self.kiosk_id = ""
        self.headers: dict[str, str] = {}
        self.seq = 0
        self.cursor = ""

    def enroll(self, store: Store) -> None:
        """Enrolled and holding a token, straight in the database: the load measured is the
        fleet's steady state, not 500 enrollments (tests/test_central_api.py covers those)."""
        self.kiosk_id = auth.enroll(store, self.code, public_key_b64(self.key), "").kiosk_id
        nonce = auth.new_challenge(store)
        signature = base64.b64encode(self.key.sign(token_message(self.kiosk_id, nonce)))
        token = auth.issue_token(store, self.kiosk_id, nonce, signature.decode())
        self.headers = {"Authorization": f"Bearer {token}"}

    def batch(self) -> dict[str, Any]:
        records = []
        for _ in range(random.randint(1, 5)):
            self.seq += 1
            body = json.dumps({"kind": "job_signup", "job": f"J{self.seq}", "consent": True})
            records.append({"id": str(uuid.uuid4()), "kind": "job_signup", "schema": 1,
                            "local_seq": self.seq,
                            "sha256": hashlib.sha256(body.encode()).hexdigest(), "body": body})
        return {"kiosk_id": self.kiosk_id, "batch_id": str(uuid.uuid4()), "records": records}

    async def run(self, http: httpx.AsyncClient, stats: Stats, until: float) -> None:
        loop = asyncio.get_running_loop()
        next_beat = loop.time() + random.uniform(0, HEARTBEAT_S)
        next_push = loop.time() + random.uniform(0, PUSH_EVERY_S)
        next_pull = loop.time() + random.uniform(0, PULL_EVERY_S)
        while True:
            due = min(next_beat, next_push, next_pull)
            if due >= until:
                return
            await asyncio.sleep(max(0.0, due - loop.time()))
            if due == next_beat:
                await stats.call("heartbeat", http.post(
                    "/v1/heartbeat", headers=self.headers,
                    json={"pending": random.randint(0, 3), "app_ver": "bench"}))
                next_beat += HEARTBEAT_S
            elif due == next_push:
                await stats.call("push", http.post("/v1/push", headers=self.headers,
                                                        json=self.batch()))
                next_push += PUSH_EVERY_S
            else:
                reply = await stats.call("pull", http.get(
                    "/v1/pull", headers=self.headers,
                    params={"stream": "announcements", "cursor": self.cursor}))
                if reply is not None and reply.status_code == 200:
                    self.cursor = reply.json()["next_cursor"]
                next_pull += PULL_EVERY_S


async def load(url: str, kiosks: list[Kiosk]) -> Stats:
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as http:
        stats = Stats()
        until = asyncio.get_running_loop().time() + SECONDS
        await asyncio.gather(*(k.run(http, stats, until) for k in kiosks))
    return stats


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def run(db_url: str, label: str) -> dict[str, Any]:
    store = Store(db_url).open()
    streams.publish(store, "announcements",
                    [{"id": f"a{i}", "version": 1, "title": "通知"} for i in range(20)])
    kiosks = [Kiosk(auth.issue_enroll_code(store, f"XQ-{i % 40:02d}")) for i in range(KIOSKS)]
    for kiosk in kiosks:
        kiosk.enroll(store)
    proc = subprocess.Popen([sys.executable, "-m", "central.cli", "serve", "--db", db_url,
                             "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("kiosk-central listening on "):
            raise SystemExit(f"server did not start: {line!r}")
        started = time.perf_counter()
        stats = asyncio.run(load(line.split()[-1], kiosks))
        elapsed = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(10)
        store.close()
    everything = [v for values in stats.latency.values() for v in values]
    for name, values in sorted(stats.latency.items()):
        print(f"{label:>10} {name:<10} n={len(values):6d} p50 {pct(values, 0.5):7.1f} ms  "
              f"p99 {pct(values, 0.99):7.1f} ms  errors {stats.errors[name]}")
    print(f"{label:>10} total {len(everything)} requests in {elapsed:.1f} s, "
          f"{len(everything) / SECONDS:.0f}/s offered; mean {statistics.fmean(everything):.1f} ms")
    return {"kiosks": KIOSKS, "db": label, "requests": len(everything),
            "p50_ms": round(pct(everything, 0.5), 2), "p99_ms": round(pct(everything, 0.99), 2),
            "errors": sum(stats.errors.values())}


@contextmanager
def pg_database() -> Iterator[str | None]:
    base = os.environ.get("KIOSK_TEST_PG_URL", "")
    if not base:
        yield None
        return
    from central.testing import fresh_pg_database

    with fresh_pg_database(base) as url:
        yield url


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    result = run(f"sqlite:///{folder / 'central.sqlite3'}", "sqlite")
    with pg_database() as pg_url:
        if pg_url:
            result["postgresql"] = run(pg_url, "postgresql")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
