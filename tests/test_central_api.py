"""The central server's /v1 API over real HTTP: auth, limits, streams, and the database
constraints that keep records unique, on SQLite and (marker ``postgres``) PostgreSQL."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from central import auth, streams
from central.app import ServerSettings
from central.db import Store
from central.models import ChangeLog, Kiosk, Received
from central.server import ServerThread
from central.testing import (
    assert_exactly_once,
    enrolled_kiosk,
    fresh_pg_database,
    queue,
    running_central,
    sync_engine,
)
from kiosk.sync.credentials import new_key, public_key_b64, sign_b64
from kiosk.sync.protocol import token_message

PG_URL = os.environ.get("KIOSK_TEST_PG_URL", "")
needs_pg = pytest.mark.skipif(not PG_URL, reason="KIOSK_TEST_PG_URL not set "
                              "(scripts/pg-test-server.sh starts one)")


@pytest.fixture
def central(tmp_path: Path) -> Iterator[tuple[Store, ServerThread]]:
    with running_central(tmp_path, settings=ServerSettings(max_batch_records=100,
                                                           max_body_bytes=256 * 1024)) as pair:
        yield pair


@pytest.fixture
def http(central: tuple[Store, ServerThread]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=central[1].url, timeout=10) as client:
        yield client


class Station:
    """A kiosk identity talking raw protocol, to test the server's answers directly."""

    def __init__(self, store: Store, http: httpx.Client, station: str = "XQ-YLQ-01") -> None:
        self.http = http
        self.key = new_key()
        code = auth.issue_enroll_code(store, station)
        reply = http.post("/v1/enroll", json={"code": code, "pubkey": public_key_b64(self.key),
                                              "station": station})
        assert reply.status_code == 200, reply.text
        self.kiosk_id = reply.json()["kiosk_id"]
        self.token = self.new_token()

    def new_token(self) -> str:
        nonce = self.http.get("/v1/challenge").json()["nonce"]
        reply = self.http.post("/v1/token", json={
            "kiosk_id": self.kiosk_id, "nonce": nonce,
            "signature": sign_b64(self.key, token_message(self.kiosk_id, nonce))})
        assert reply.status_code == 200, reply.text
        return str(reply.json()["token"])

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def push(self, records: list[dict[str, Any]]) -> httpx.Response:
        return self.http.post("/v1/push", headers=self.auth, json={
            "kiosk_id": self.kiosk_id, "batch_id": str(uuid.uuid4()), "records": records})


def record(n: int = 0, body: str | None = None, rid: str | None = None) -> dict[str, Any]:
    body = body if body is not None else json.dumps({"n": n})
    return {"id": rid or str(uuid.uuid4()), "kind": "application", "schema": 1, "local_seq": n + 1,
            "sha256": hashlib.sha256(body.encode()).hexdigest(), "body": body}


def test_enrollment_code_is_single_use_short_lived_and_station_bound(
        central: tuple[Store, ServerThread], http: httpx.Client) -> None:
    store, _ = central
    pub = public_key_b64(new_key())
    code = auth.issue_enroll_code(store, "XQ-YLQ-01")
    assert http.post("/v1/enroll", json={"code": code, "pubkey": pub,
                                         "station": "XQ-OTHER"}).status_code == 409
    assert http.post("/v1/enroll", json={"code": code.lower(), "pubkey": pub}).status_code == 200
    again = http.post("/v1/enroll", json={"code": code, "pubkey": pub})
    assert again.status_code == 403 and again.json()["error"] == "bad_code"
    stale = auth.issue_enroll_code(store, "XQ-YLQ-01", ttl_s=-1)
    assert http.post("/v1/enroll", json={"code": stale, "pubkey": pub}).status_code == 403
    fresh = auth.issue_enroll_code(store, "XQ-YLQ-01")
    bad_key = http.post("/v1/enroll", json={"code": fresh, "pubkey": "A" * 44})
    assert bad_key.status_code == 400


def test_tokens_need_the_enrolled_key_and_a_fresh_nonce(
        central: tuple[Store, ServerThread], http: httpx.Client) -> None:
    store, _ = central
    kiosk = Station(store, http)
    nonce = http.get("/v1/challenge").json()["nonce"]
    forged = sign_b64(new_key(), token_message(kiosk.kiosk_id, nonce))
    reply = http.post("/v1/token", json={"kiosk_id": kiosk.kiosk_id, "nonce": nonce,
                                         "signature": forged})
    assert reply.status_code == 401 and reply.json()["error"] == "bad_signature"
    nonce = http.get("/v1/challenge").json()["nonce"]
    good = {"kiosk_id": kiosk.kiosk_id, "nonce": nonce,
            "signature": sign_b64(kiosk.key, token_message(kiosk.kiosk_id, nonce))}
    assert http.post("/v1/token", json=good).status_code == 200
    replay = http.post("/v1/token", json=good)  # a captured token request replayed
    assert replay.status_code == 401 and replay.json()["error"] == "bad_nonce"
    assert http.post("/v1/push", json={"kiosk_id": kiosk.kiosk_id, "batch_id": "b",
                                       "records": []}).status_code == 401
    auth.expire_tokens(store, kiosk.kiosk_id)
    assert kiosk.push([record()]).status_code == 401
    kiosk.token = kiosk.new_token()
    assert kiosk.push([record()]).status_code == 200
    auth.revoke(store, kiosk.kiosk_id)
    nonce = http.get("/v1/challenge").json()["nonce"]
    revoked = http.post("/v1/token", json={
        "kiosk_id": kiosk.kiosk_id, "nonce": nonce,
        "signature": sign_b64(kiosk.key, token_message(kiosk.kiosk_id, nonce))})
    assert revoked.status_code == 403 and revoked.json()["error"] == "revoked"
    with store.read() as s:  # what it sent before is kept
        assert s.scalar(select(func.count()).select_from(Received)) == 1


def test_push_answers_per_record_and_a_replay_changes_nothing(
        central: tuple[Store, ServerThread], http: httpx.Client) -> None:
    store, _ = central
    kiosk = Station(store, http)
    records = [record(i) for i in range(5)]
    records[3] = dict(records[3], sha256="0" * 64)
    records[4] = dict(records[4], body="[1]", sha256=hashlib.sha256(b"[1]").hexdigest())
    first = kiosk.push(records).json()
    assert [r["status"] for r in first["results"]] == [
        "accepted", "accepted", "accepted", "invalid", "invalid"]
    replay = kiosk.push(records).json()
    assert [r["status"] for r in replay["results"]] == [
        "duplicate", "duplicate", "duplicate", "invalid", "invalid"]
    assert [r["receipt"] for r in replay["results"][:3]] == \
        [r["receipt"] for r in first["results"][:3]]
    changed = record(9, body='{"n":"other"}', rid=records[0]["id"])
    assert kiosk.push([changed]).json()["results"][0]["status"] == "conflict"
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Received)) == 3


def test_limits_and_malformed_requests_get_clear_answers(
        central: tuple[Store, ServerThread], http: httpx.Client) -> None:
    store, _ = central
    kiosk = Station(store, http)
    too_many = kiosk.push([record(i) for i in range(101)])
    assert too_many.status_code == 413
    big = record(0, body=json.dumps({"x": "长" * 100_000}))
    assert kiosk.push([big]).status_code == 413
    bad = kiosk.push([dict(record(), id="not an id!")])
    assert bad.status_code == 400 and bad.json()["error"] == "bad_request"
    packed = gzip.compress(json.dumps({"kiosk_id": kiosk.kiosk_id, "batch_id": "b",
                                       "records": [record(i) for i in range(50)]}).encode())
    ok = http.post("/v1/push", content=packed, headers={
        **kiosk.auth, "Content-Encoding": "gzip", "Content-Type": "application/json"})
    assert ok.status_code == 200 and len(ok.json()["results"]) == 50
    bomb = gzip.compress(b'{"records": "' + b"0" * 5_000_000 + b'"}')
    assert http.post("/v1/push", content=bomb, headers={
        **kiosk.auth, "Content-Encoding": "gzip"}).status_code == 413
    assert http.post("/v1/push", content=b"not gzip", headers={
        **kiosk.auth, "Content-Encoding": "gzip"}).status_code == 400
    assert http.get("/v1/pull", params={"stream": "jobs", "cursor": "x"},
                    headers=kiosk.auth).status_code == 400
    assert http.get("/v1/pull", params={"stream": "DROP TABLE"},
                    headers=kiosk.auth).status_code == 400


def test_pull_pages_by_cursor_and_expired_cursors_get_410(
        central: tuple[Store, ServerThread], http: httpx.Client) -> None:
    store, _ = central
    kiosk = Station(store, http)
    streams.publish(store, "announcements",
                    [{"id": f"a{i:02}", "version": 1, "title": "t"} for i in range(25)])
    seen, cursor = [], ""
    while True:
        page = http.get("/v1/pull", params={"stream": "announcements", "cursor": cursor,
                                            "limit": 10}, headers=kiosk.auth).json()
        seen += [c["id"] for c in page["changes"]]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert seen == [f"a{i:02}" for i in range(25)]
    streams.compact(store, "announcements", int(cursor) - 3)
    gone = http.get("/v1/pull", params={"stream": "announcements", "cursor": "5"},
                    headers=kiosk.auth)
    assert gone.status_code == 410 and gone.json()["error"] == "cursor_expired"
    still = http.get("/v1/pull", params={"stream": "announcements", "cursor": cursor},
                     headers=kiosk.auth)
    assert still.status_code == 200 and still.json()["changes"] == []
    snap = http.get("/v1/snapshot", params={"stream": "announcements", "limit": 100},
                    headers=kiosk.auth).json()
    assert len(snap["items"]) == 25 and snap["cursor"] == cursor


def test_snapshot_body_is_the_stored_data_as_the_schema_says(
        central: tuple[Store, ServerThread], http: httpx.Client) -> None:
    """The snapshot is written from the stored JSON text without a parse: what arrives must
    still be exactly the documented reply, Chinese, quotes, tombstones and all."""
    from central.schemas import SnapshotReply

    store, _ = central
    kiosk = Station(store, http)
    streams.publish(store, "announcements", [
        {"id": "公告-1", "version": 2, "title": "双引号\"和\\反斜杠", "tags": ["急", 1.5, None]},
        {"id": "a2", "version": 1, "title": "t"}, {"id": "a3", "version": 1, "title": "x"}])
    streams.retract(store, "announcements", ["a3"])
    pages, after = [], ""
    while True:
        reply = http.get("/v1/snapshot", params={"stream": "announcements", "after": after,
                                                 "limit": 2}, headers=kiosk.auth)
        assert reply.status_code == 200 and reply.headers["content-type"] == "application/json"
        page = reply.json()
        SnapshotReply.model_validate(page)
        expected = streams.snapshot(store, "announcements", after, 2)
        assert {k: v for k, v in page.items() if k != "server_time"} == expected
        pages.append(page)
        after = page["next_after"]
        if not page["has_more"]:
            break
    items = [i for p in pages for i in p["items"]]
    assert [i["id"] for i in items] == ["a2", "a3", "公告-1"]
    assert items[1] == {"id": "a3", "op": "delete", "version": 2, "data": None}
    assert items[2]["data"]["title"] == '双引号"和\\反斜杠'


def test_heartbeat_is_kept_for_the_district(central: tuple[Store, ServerThread],
                                            http: httpx.Client) -> None:
    store, _ = central
    kiosk = Station(store, http)
    reply = http.post("/v1/heartbeat", headers=kiosk.auth, json={
        "pending": 4, "oldest_age_s": 30.5, "rejected": 1, "free_disk_mb": 900.0,
        "clock_offset_s": -2.0, "app_ver": "0.1.0"})
    assert reply.status_code == 200
    with store.read() as s:
        row = s.get(Kiosk, kiosk.kiosk_id)
        assert row is not None and row.last_seen_at is not None
        assert json.loads(row.health)["pending"] == 4


def test_openapi_documents_every_endpoint(http: httpx.Client) -> None:
    paths = set(http.get("/openapi.json").json()["paths"])
    assert {"/v1/enroll", "/v1/challenge", "/v1/token", "/v1/push", "/v1/pull",
            "/v1/snapshot", "/v1/facts", "/v1/applications/status", "/v1/heartbeat",
            "/v1/health"} <= paths


def _race(store: Store, url: str, ids_body: list[dict[str, Any]], kiosks: int) -> list[str]:
    """``kiosks`` stations push the same records at the same moment; returns the answers."""
    with httpx.Client(base_url=url, timeout=30) as http:
        stations = [Station(store, http) for _ in range(kiosks)]
        start = threading.Barrier(kiosks)
        answers: list[str] = []
        lock = threading.Lock()

        def push(station: Station) -> None:
            start.wait()
            reply = station.push(ids_body)
            with lock:
                answers.extend(r["status"] for r in reply.json()["results"])

        threads = [threading.Thread(target=push, args=(k,), name="race") for k in stations]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    return answers


def test_concurrent_pushes_of_the_same_ids_store_one_row_each_sqlite(
        central: tuple[Store, ServerThread]) -> None:
    store, server = central
    records = [record(i) for i in range(60)]
    answers = _race(store, server.url, records, kiosks=4)
    assert answers.count("accepted") == 60 and answers.count("duplicate") == 180
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Received)) == 60


@pytest.mark.postgres
@needs_pg
def test_two_kiosks_push_the_same_ids_at_once_on_postgres(tmp_path: Path) -> None:
    with fresh_pg_database(PG_URL) as url, running_central(tmp_path, url=url) as (store, srv):
        records = [record(i) for i in range(100)]
        for _ in range(5):  # several rounds: the race window is small
            fresh = [dict(r, id=str(uuid.uuid4())) for r in records]
            answers = _race(store, srv.url, fresh, kiosks=2)
            assert sorted(set(answers)) == ["accepted", "duplicate"]
            assert answers.count("accepted") == 100
        with store.read() as s:
            assert s.scalar(select(func.count()).select_from(Received)) == 500


@pytest.mark.postgres
@needs_pg
def test_replacement_kiosks_with_one_outbox_race_on_postgres(
        tmp_path: Path, kiosk_home: Path) -> None:
    """Two enrolled kiosks hold copies of the same outbox (a replacement restored from the
    old disk) and sync at once: every record lands once, both end all-acked."""
    import shutil

    with fresh_pg_database(PG_URL) as url, running_central(tmp_path, url=url) as (store, srv):
        db_a, _ = enrolled_kiosk(store, srv.url, kiosk_home / "a")
        queue(db_a, 300)
        db_a.close()
        shutil.copytree(kiosk_home / "a", kiosk_home / "b")
        db_b, _ = enrolled_kiosk(store, srv.url, kiosk_home / "b")  # re-enrolled copy
        db_a, _ = enrolled_kiosk(store, srv.url, kiosk_home / "a")
        engines = [sync_engine(db_a, kiosk_home / "a", batch_size=20),
                   sync_engine(db_b, kiosk_home / "b", batch_size=20)]
        gate = threading.Barrier(2)
        threads = [threading.Thread(target=lambda e=e: (gate.wait(), e.run_once()),
                                    name="race") for e in engines]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        for e in engines:
            e.stop()
        assert assert_exactly_once(db_a, store) == 300
        assert assert_exactly_once(db_b, store) == 300
        db_a.close()
        db_b.close()


@pytest.mark.postgres
@needs_pg
def test_change_log_commits_in_cursor_order_under_concurrent_publishers(
        tmp_path: Path) -> None:
    """Out-of-order sequence commits would let a pull skip rows; the per-stream advisory lock
    prevents it. Many writers publish while a reader pulls; the reader must see everything."""
    with fresh_pg_database(PG_URL) as url:
        store = Store(url).open()
        stop = threading.Event()
        seen: set[str] = set()
        failures: list[str] = []

        def reader() -> None:
            cursor = ""
            while True:
                final = stop.is_set()
                page = streams.pull(store, "announcements", cursor, 1000)
                seen.update(c["id"] for c in page["changes"])
                cursor = page["next_cursor"]
                if final and not page["has_more"]:
                    return

        def writer(w: int) -> None:
            try:
                for i in range(40):
                    streams.publish(store, "announcements",
                                    [{"id": f"w{w}-{i}", "version": 1, "title": "t"}])
            except Exception as exc:  # surfaced below
                failures.append(repr(exc))

        pull_thread = threading.Thread(target=reader, name="reader")
        writers = [threading.Thread(target=writer, args=(w,), name="writer") for w in range(6)]
        pull_thread.start()
        for t in writers:
            t.start()
        for t in writers:
            t.join(60)
        stop.set()
        pull_thread.join(60)
        with store.read() as s:
            total = s.scalar(select(func.count()).select_from(ChangeLog))
        store.close()
    assert not failures
    assert total == 240 and len(seen) == 240


def test_kiosk_key_signature_format_is_stable() -> None:
    """The signed message is part of the protocol (docs/sync-protocol.md)."""
    assert token_message("k1", "n1") == b"lexy-token-v1\nk1\nn1"
    key = new_key()
    assert len(base64.b64decode(public_key_b64(key))) == 32
