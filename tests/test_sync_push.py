"""Pushing the outbox to the real central server over loopback, with faults injected.

Invariant throughout: every record committed at the kiosk ends on the server exactly once,
and the kiosk knows it (acked).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from central import auth, facts
from central.app import ServerSettings
from central.db import Store
from central.faults import Faults
from central.ingest import SchemaRange
from central.server import ServerThread
from central.testing import (
    FaultProxy,
    assert_exactly_once,
    drained,
    enrolled_kiosk,
    queue,
    running_central,
    server_ids,
    sync_engine,
    wait_for,
)
from kiosk.store.engine import Database
from kiosk.store.models import OutboxRecord
from kiosk.sync.credentials import save_enrollment
from kiosk.sync.status import read_status

YEAR = 365 * 86400.0


@pytest.fixture
def central(tmp_path: Path) -> Iterator[tuple[Store, ServerThread]]:
    with running_central(tmp_path) as pair:
        yield pair


@pytest.fixture
def kiosk(central: tuple[Store, ServerThread], kiosk_home: Path) -> Iterator[Database]:
    store, server = central
    db, _ = enrolled_kiosk(store, server.url, kiosk_home)
    yield db
    db.close()


def states(db: Database) -> dict[str, str]:
    with db.read() as s:
        return dict(s.execute(select(OutboxRecord.id, OutboxRecord.state)).all())


def test_push_sends_every_record_once_in_order_and_keeps_receipts(
        central: tuple[Store, ServerThread], kiosk: Database, kiosk_home: Path) -> None:
    store, _ = central
    ids = queue(kiosk, 250)
    engine = sync_engine(kiosk, kiosk_home)
    status = engine.run_once()
    engine.stop()
    assert status.pending == 0 and status.last_error is None and status.last_push_at
    assert assert_exactly_once(kiosk, store) == 250
    with kiosk.read() as s:
        receipts = s.scalars(select(OutboxRecord.receipt)).all()
        attempts = set(s.scalars(select(OutboxRecord.attempts)))
    assert all(r and r.startswith("C") for r in receipts)
    assert attempts == {1}
    from central.models import Received

    with store.read() as s:  # the server got them in local_seq order
        seqs = [r for r in s.scalars(select(Received.local_seq).order_by(Received.received_at,
                                                                        Received.local_seq))]
    assert seqs == sorted(seqs) and len(ids) == 250


def test_worker_thread_wakes_on_nudge(central: tuple[Store, ServerThread], kiosk: Database,
                                      kiosk_home: Path) -> None:
    store, _ = central
    engine = sync_engine(kiosk, kiosk_home).start()  # interval 3600 s: only a nudge wakes it
    try:
        wait_for(engine, drained)
        queue(kiosk, 3)
        started = time.monotonic()
        status = wait_for(engine, drained)  # wait_for nudges, as the UI does after a commit
        assert time.monotonic() - started < 5
        assert status.running
    finally:
        engine.stop()
    assert assert_exactly_once(kiosk, store) == 3


def test_server_commits_but_reply_is_lost_then_retry_is_duplicate(
        central: tuple[Store, ServerThread], kiosk: Database, kiosk_home: Path) -> None:
    store, server = central
    with FaultProxy(server.port) as proxy:
        _point_at(kiosk, proxy.url)
        proxy.rules.drop_push_replies = 2
        queue(kiosk, 120)
        engine = sync_engine(kiosk, kiosk_home).start()
        try:
            wait_for(engine, drained)
        finally:
            engine.stop()
        assert proxy.cuts == 2
    assert assert_exactly_once(kiosk, store) == 120
    with kiosk.read() as s:
        assert max(s.scalars(select(OutboxRecord.attempts))) >= 2  # they were sent again


def test_connection_cut_mid_body_commits_nothing_and_retries(
        central: tuple[Store, ServerThread], kiosk: Database, kiosk_home: Path) -> None:
    store, server = central
    with FaultProxy(server.port) as proxy:
        _point_at(kiosk, proxy.url)
        proxy.rules.cut_push_bodies = 3
        queue(kiosk, 60)
        engine = sync_engine(kiosk, kiosk_home).start()
        try:
            wait_for(engine, drained)
        finally:
            engine.stop()
        assert proxy.cuts == 3
    assert assert_exactly_once(kiosk, store) == 60


@pytest.mark.parametrize(("status", "retry_after"), [(503, 0.15), (429, 0.15), (500, None)])
def test_error_storm_drains_and_honours_retry_after(
        tmp_path: Path, kiosk_home: Path, status: int, retry_after: float | None) -> None:
    faults = Faults(status_every=2, status=status, retry_after=retry_after)
    with running_central(tmp_path, faults=faults) as (store, server):
        db, _ = enrolled_kiosk(store, server.url, kiosk_home)
        queue(db, 300)
        engine = sync_engine(db, kiosk_home, batch_size=50).start()
        try:
            wait_for(engine, drained, timeout=30)
        finally:
            engine.stop()
        assert assert_exactly_once(db, store) == 300
        db.close()
    hits = [i for i, (_, code) in enumerate(faults.seen) if code]
    assert len(hits) >= 3
    if retry_after is not None:
        for i in hits:
            if i + 1 < len(faults.seen):
                waited = faults.seen[i + 1][0] - faults.seen[i][0]
                assert waited >= retry_after * 0.9, f"retried after {waited:.3f} s"


def test_413_halves_the_batch(tmp_path: Path, kiosk_home: Path) -> None:
    with running_central(tmp_path, settings=ServerSettings(max_batch_records=10)) as (
            store, server):
        db, _ = enrolled_kiosk(store, server.url, kiosk_home)
        queue(db, 45)
        engine = sync_engine(db, kiosk_home)
        status = engine.run_once()
        assert engine._pusher is not None and engine._pusher.batch_size <= 10
        engine.stop()
        assert status.pending == 0
        assert assert_exactly_once(db, store) == 45
        db.close()


def test_400_is_bisected_to_the_one_bad_record(central: tuple[Store, ServerThread],
                                                 kiosk: Database, kiosk_home: Path) -> None:
    store, _ = central
    ids = queue(kiosk, 40)
    with kiosk.write() as s:  # a legacy record whose id the protocol no longer allows
        s.execute(update(OutboxRecord).where(OutboxRecord.id == ids[17])
                  .values(id="bad id with spaces"))
    engine = sync_engine(kiosk, kiosk_home)
    status = engine.run_once()
    assert status.rejected == 1 and status.pending == 0
    with kiosk.read() as s:
        bad = s.get(OutboxRecord, "bad id with spaces")
        assert bad is not None and bad.state == "rejected" and bad.last_http == 400
    assert len(server_ids(store)) == 39
    # staff requeue it: it is tried again (and, still bad, rejected again; never dropped)
    assert engine.requeue(["bad id with spaces"]) == 1
    assert engine.run_once().rejected == 1
    engine.stop()


def test_same_id_different_body_is_a_conflict_and_does_not_block(
        central: tuple[Store, ServerThread], kiosk: Database, kiosk_home: Path) -> None:
    store, _ = central
    first = queue(kiosk, 5)
    engine = sync_engine(kiosk, kiosk_home)
    engine.run_once()
    body = '{"changed":true}'
    with kiosk.write() as s:  # e.g. a restored old disk whose record was edited
        s.execute(update(OutboxRecord).where(OutboxRecord.id == first[2]).values(
            body=body, sha256=hashlib.sha256(body.encode()).hexdigest(), state="pending"))
    queue(kiosk, 5)
    status = engine.run_once()
    engine.stop()
    assert status.conflict == 1 and status.pending == 0
    assert states(kiosk)[first[2]] == "conflict"
    assert len(server_ids(store)) == 10


def test_body_not_matching_its_hash_is_rejected_others_go(
        central: tuple[Store, ServerThread], kiosk: Database, kiosk_home: Path) -> None:
    ids = queue(kiosk, 6)
    with kiosk.write() as s:
        s.execute(update(OutboxRecord).where(OutboxRecord.id == ids[0]).values(body='{"x":2}'))
    engine = sync_engine(kiosk, kiosk_home)
    status = engine.run_once()
    engine.stop()
    assert status.rejected == 1 and status.pending == 0
    assert len(server_ids(central[0])) == 5


def test_newer_schema_is_deferred_until_the_server_learns_it(
        tmp_path: Path, kiosk_home: Path) -> None:
    with running_central(tmp_path) as (store, server):
        db, _ = enrolled_kiosk(store, server.url, kiosk_home)
        ids = queue(db, 4)
        with db.write() as s:
            s.execute(update(OutboxRecord).where(OutboxRecord.id == ids[1]).values(schema_ver=2))
        engine = sync_engine(db, kiosk_home)
        status = engine.run_once()
        assert status.pending == 1 and states(db)[ids[1]] == "pending"
        engine.stop()
    # the server is updated (same database) and now takes schema 2
    settings = ServerSettings(schemas=SchemaRange(1, 2))
    with ServerThread(store.open(), settings=settings, port=server.port) as _:
        engine = sync_engine(db, kiosk_home)
        assert engine.run_once().pending == 0
        engine.stop()
        assert assert_exactly_once(db, store) == 4
    db.close()
    store.close()


def test_token_expiry_mid_push_refreshes_without_spending_a_retry(
        central: tuple[Store, ServerThread], kiosk: Database, kiosk_home: Path) -> None:
    store, _ = central
    queue(kiosk, 200)
    expired: list[str] = []

    def trace(event: str) -> None:
        if event == "acked" and not expired:
            auth.expire_tokens(store)
            expired.append(event)

    engine = sync_engine(kiosk, kiosk_home, batch_size=50, trace=trace)
    status = engine.run_once()
    engine.stop()
    assert expired and status.last_error is None and status.pending == 0
    with kiosk.read() as s:
        assert set(s.scalars(select(OutboxRecord.attempts))) == {1}
    assert assert_exactly_once(kiosk, store) == 200


def test_revoked_kiosk_stops_and_keeps_its_data(central: tuple[Store, ServerThread],
                                                kiosk: Database, kiosk_home: Path) -> None:
    store, _ = central
    queue(kiosk, 3)
    engine = sync_engine(kiosk, kiosk_home)
    engine.run_once()
    with kiosk.read() as s:
        from kiosk.sync.credentials import load_enrollment

        enrollment = load_enrollment(s)
    assert enrollment is not None and auth.revoke(store, enrollment.kiosk_id)
    queue(kiosk, 4)
    status = engine.run_once()
    assert status.revoked and status.last_error == "revoked" and status.pending == 4
    before = len(server_ids(store))
    assert engine.run_once().pending == 4  # stays stopped: nothing more is sent
    engine.stop()
    assert len(server_ids(store)) == before == 3
    persisted = read_status(kiosk)  # what `kiosk sync status` shows after a restart
    assert persisted.revoked and persisted.last_error == "revoked"


@pytest.mark.parametrize("shift", [YEAR, -YEAR])
def test_clock_a_year_out_still_syncs_and_is_reported(
        central: tuple[Store, ServerThread], kiosk: Database, kiosk_home: Path,
        shift: float) -> None:
    store, _ = central
    offset = [shift]
    queue(kiosk, 30)
    engine = sync_engine(kiosk, kiosk_home, wall=lambda: time.time() + offset[0],
                         batch_size=10)
    status = engine.run_once()
    assert status.pending == 0 and status.last_error is None
    assert status.clock_offset_s is not None and abs(status.clock_offset_s + shift) < 60
    assert "clock_off" in status.warnings
    offset[0] = -shift  # the clock jumps the other way; tokens and ordering do not care
    queue(kiosk, 5)
    status = engine.run_once()
    engine.stop()
    assert status.pending == 0 and abs(status.clock_offset_s + -shift) < 60  # type: ignore[operator]
    assert assert_exactly_once(kiosk, store) == 35


def test_clock_jump_during_backoff_does_not_stall_the_retry(
        tmp_path: Path, kiosk_home: Path) -> None:
    faults = Faults(status_every=1, status=500)
    offset = [0.0]
    with running_central(tmp_path, faults=faults) as (store, server):
        db, _ = enrolled_kiosk(store, server.url, kiosk_home)
        queue(db, 10)
        engine = sync_engine(db, kiosk_home, wall=lambda: time.time() + offset[0]).start()
        try:
            wait_for(engine, lambda st: st.last_error == "server")
            offset[0] = -YEAR  # mid-backoff: waits are on the monotonic clock
            faults.status_every = 0
            wait_for(engine, drained)
        finally:
            engine.stop()
        assert assert_exactly_once(db, store) == 10
        db.close()


def test_offline_for_many_tries_loses_nothing(central: tuple[Store, ServerThread],
                                              kiosk: Database, kiosk_home: Path) -> None:
    store, server = central
    dead = ServerThread(store)  # bound, never started: connections are refused... or hang
    dead_port = dead.port
    dead.stop()
    with FaultProxy(dead_port) as proxy:
        _point_at(kiosk, proxy.url)
        queue(kiosk, 20)
        engine = sync_engine(kiosk, kiosk_home).start()
        try:
            for _ in range(5):
                wait_for(engine, lambda st: st.last_error == "offline")
            assert engine.status().pending == 20
            proxy.upstream_port = server.port
            wait_for(engine, drained)
        finally:
            engine.stop()
    assert assert_exactly_once(kiosk, store) == 20


def test_inflight_left_by_a_crash_goes_back_to_pending(central: tuple[Store, ServerThread],
                                                       kiosk: Database,
                                                       kiosk_home: Path) -> None:
    queue(kiosk, 8)
    with kiosk.write() as s:
        s.execute(update(OutboxRecord).values(state="inflight", batch_id="crashed"))
    engine = sync_engine(kiosk, kiosk_home)
    assert engine.run_once().pending == 0
    engine.stop()
    assert assert_exactly_once(kiosk, central[0]) == 8


def test_facts_lookup_answers_within_the_timeout_or_goes_offline(
        central: tuple[Store, ServerThread], kiosk: Database, kiosk_home: Path) -> None:
    store, server = central
    facts.import_facts(store, [{"id_number": "12011119900307002X", "hukou_rural": True,
                                "employment_status": "unemployed"}], as_of="2026-11-01")
    engine = sync_engine(kiosk, kiosk_home)
    got = engine.lookup_facts("12011119900307002X", timeout=5)
    assert got == {"id_number": "12011119900307002X", "hukou_rural": True,
                   "employment_status": "unemployed", "as_of": "2026-11-01"}
    assert engine.lookup_facts("120111198001010016", timeout=5) == {}
    engine.stop()
    with FaultProxy(server.port) as proxy:  # a proxy that forwards nothing: no answer comes
        _point_at(kiosk, proxy.url)
        proxy.upstream_port = _closed_port()
        slow = sync_engine(kiosk, kiosk_home)
        started = time.monotonic()
        assert slow.lookup_facts("12011119900307002X", timeout=0.5) is None
        assert time.monotonic() - started < 3
        slow.stop()


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _point_at(db: Database, url: str) -> None:
    """Send the enrolled kiosk's traffic through ``url`` (a fault proxy)."""
    from kiosk.sync.credentials import load_enrollment

    with db.write() as s:
        enrollment = load_enrollment(s)
        assert enrollment is not None
        save_enrollment(s, type(enrollment)(url, enrollment.kiosk_id, enrollment.station))
