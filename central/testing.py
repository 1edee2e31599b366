"""Helpers for the sync fault-injection tests and benchmarks: a loopback TCP proxy that cuts
connections on purpose, and a one-call set-up of an enrolled kiosk. Not used by the server.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from central import auth
from central.app import ServerSettings
from central.db import Store
from central.faults import Faults
from central.models import Received
from central.server import ServerThread
from kiosk.config import SyncConfig
from kiosk.store.engine import Database
from kiosk.store.models import OutboxRecord
from kiosk.store.outbox import enqueue
from kiosk.sync.credentials import Enrollment
from kiosk.sync.engine import SyncEngine
from kiosk.sync.enroll import enroll_kiosk
from kiosk.sync.status import SyncStatus

_LENGTH = re.compile(rb"content-length:\s*(\d+)", re.IGNORECASE)


def enrolled_kiosk(store: Store, url: str, home: Path, station: str = "XQ-YLQ-01"
                   ) -> tuple[Database, Enrollment]:
    """A migrated kiosk database under ``home``/data, enrolled with the server at ``url``."""
    db = Database(home / "data" / "kiosk.sqlite3").open()
    code = auth.issue_enroll_code(store, station)
    return db, enroll_kiosk(db, home / "data", url, code, station)


@contextmanager
def fresh_pg_database(base_url: str) -> Iterator[str]:
    """A new, empty database on the test PostgreSQL server (KIOSK_TEST_PG_URL), dropped
    afterwards, so each test starts clean."""
    import uuid

    import psycopg

    admin = base_url.replace("postgresql+psycopg://", "postgresql://")
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def running_central(folder: Path, *, url: str = "", settings: ServerSettings | None = None,
                    faults: Faults | None = None) -> Iterator[tuple[Store, ServerThread]]:
    """A migrated central database (SQLite in ``folder`` unless ``url``) served on a thread."""
    store = Store(url or f"sqlite:///{folder / 'central.sqlite3'}").open()
    try:
        with ServerThread(store, settings=settings, faults=faults) as server:
            yield store, server
    finally:
        store.close()


def sync_engine(db: Database, home: Path, **kwargs: Any) -> SyncEngine:
    """An engine with test-speed backoff (tens of milliseconds, not minutes)."""
    options: dict[str, Any] = {"backoff_base_s": 0.02, "backoff_cap_s": 0.3}
    options.update(kwargs)
    config = options.pop("config", None) or SyncConfig(interval_s=3600)
    return SyncEngine(db, config, home / "data", **options)


def queue(db: Database, count: int, kind: str = "application") -> list[str]:
    """Commit ``count`` outbox records, as the UI's submissions do; returns their ids."""
    ids = []
    with db.write() as s:
        for i in range(count):
            ids.append(enqueue(s, kind, {"n": i, "note": "测试"}).id)
    return ids


def server_ids(store: Store) -> list[str]:
    with store.read() as s:
        return list(s.scalars(select(Received.id)))


def assert_exactly_once(db: Database, store: Store) -> int:
    """The invariant: every record committed at the kiosk is on the server exactly once, and
    the kiosk knows it (acked). Returns the number of records."""
    with db.read() as s:
        local = dict(s.execute(select(OutboxRecord.id, OutboxRecord.state)).all())
    with store.read() as s:
        rows = s.scalar(select(func.count()).select_from(Received))
        distinct = s.scalar(select(func.count(func.distinct(Received.id))))
    remote = set(server_ids(store))
    assert rows == distinct, "duplicate rows on the server"
    assert remote == set(local), (f"{len(set(local) - remote)} records missing on the server, "
                                  f"{len(remote - set(local))} unknown to the kiosk")
    not_acked = {k: v for k, v in local.items() if v != "acked"}
    assert not not_acked, f"records not acked: {list(not_acked.items())[:5]}"
    return len(local)


def wait_for(engine: SyncEngine, predicate: Callable[[SyncStatus], bool],
             timeout: float = 20.0) -> SyncStatus:
    """Wait (on an Event, never a fixed sleep) until a cycle ends with ``predicate`` true."""
    done = threading.Event()
    seen: list[SyncStatus] = []

    def check(status: SyncStatus) -> None:
        seen.append(status)
        if predicate(status):
            done.set()

    unsubscribe = engine.subscribe(check)
    try:
        engine.nudge()
        if not done.wait(timeout):
            last = seen[-1].to_dict() if seen else engine.status().to_dict()
            raise AssertionError(f"sync did not get there in {timeout} s; last status {last}")
    finally:
        unsubscribe()
    return seen[-1]


def drained(status: SyncStatus) -> bool:
    return status.pending == 0 and status.last_error is None


@dataclass
class ProxyRules:
    cut_push_bodies: int = 0  # next N pushes: forward half the body, then cut the connection
    drop_push_replies: int = 0  # next N pushes: forward all, cut before the reply comes back


class FaultProxy:
    """127.0.0.1 TCP proxy in front of the server; all of its threads are named
    "fault-proxy" and are joined by :meth:`stop`."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.rules = ProxyRules()
        self.cuts = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._sockets: set[socket.socket] = set()
        self._stopping = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._spawn(self._accept)
        return self

    def stop(self) -> None:
        self._stopping.set()
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        except OSError:
            pass
        self._listener.close()
        with self._lock:
            for sock in list(self._sockets):
                self._close(sock)
        for thread in list(self._threads):
            thread.join(5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, name="fault-proxy",  # type: ignore[arg-type]
                                  daemon=True)
        self._threads.append(thread)
        thread.start()

    def _close(self, sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()
        self._sockets.discard(sock)

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), 5)
            except OSError:
                client.close()
                continue
            for sock in (client, upstream):  # relay small writes at once, as a router does
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._sockets.update((client, upstream))
            pair = _Pair(client, upstream)
            self._spawn(self._requests, pair)
            self._spawn(self._replies, pair)

    def _take(self, name: str) -> bool:
        with self._lock:
            left = getattr(self.rules, name)
            if left > 0:
                setattr(self.rules, name, left - 1)
                self.cuts += 1
                return True
            return False

    def _cut(self, pair: _Pair) -> None:
        with self._lock:
            self._close(pair.client)
            self._close(pair.upstream)

    def _requests(self, pair: _Pair) -> None:
        buffer = b""
        try:
            while True:
                chunk = pair.client.recv(65536)
                if not chunk:
                    break
                buffer += chunk
                while True:  # one whole request at a time, so rules see request boundaries
                    head_end = buffer.find(b"\r\n\r\n")
                    if head_end < 0:
                        break
                    head = buffer[:head_end + 4]
                    match = _LENGTH.search(head)
                    total = len(head) + (int(match.group(1)) if match else 0)
                    is_push = head.startswith(b"POST /v1/push")
                    if is_push and self._take("cut_push_bodies"):
                        pair.upstream.sendall(buffer[:len(head) + (total - len(head)) // 2])
                        self._cut(pair)
                        return
                    if len(buffer) < total:
                        break
                    if is_push and self._take("drop_push_replies"):
                        pair.drop_reply.set()
                    pair.upstream.sendall(buffer[:total])
                    buffer = buffer[total:]
        except OSError:
            pass
        self._cut(pair)

    def _replies(self, pair: _Pair) -> None:
        try:
            while True:
                chunk = pair.upstream.recv(65536)
                if not chunk:
                    break
                if pair.drop_reply.is_set():
                    break  # the server has answered (so committed); the kiosk never hears it
                pair.client.sendall(chunk)
        except OSError:
            pass
        self._cut(pair)


@dataclass
class _Pair:
    client: socket.socket
    upstream: socket.socket

    def __post_init__(self) -> None:
        self.drop_reply = threading.Event()
