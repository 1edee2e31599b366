"""The central database: engine set-up for SQLite (WAL) or PostgreSQL, migrations, sessions.

SQLite allows one writer at a time. Rather than let request threads spin on ``busy_timeout``
(which sleeps in growing steps and makes tail latency jump), the store serialises SQLite
write transactions with one lock, and opens them with BEGIN IMMEDIATE so they never fail
half-way. PostgreSQL needs neither: its constraints and advisory locks do the work.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

MIGRATIONS = Path(__file__).with_name("migrations")
DEFAULT_URL = "sqlite:///central.sqlite3"


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` (as psql prints it) and use the psycopg 3 driver for it."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if not url.startswith("sqlite"):
        # few connections: on a small server, more backends only fight over the same cores
        return create_engine(url, pool_size=8, max_overflow=8, pool_recycle=1800)
    if url not in ("sqlite://", "sqlite:///:memory:"):
        Path(url.split("///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False},
                           pool_size=20, max_overflow=20)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        # FULL: a record the server acknowledged is gone from the kiosk's queue, so the
        # server must not lose it on a power cut either.
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")

    return engine


def migrate(engine: Engine) -> None:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    command.upgrade(cfg, "head")


class Store:
    """Engine plus transactions; :meth:`write` is the only way to change the database."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url)
        self.dialect = self.engine.dialect.name
        self._write_lock: threading.Lock | None = (
            threading.Lock() if self.dialect == "sqlite" else None)

    def open(self) -> Store:
        migrate(self.engine)
        return self

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self, *, durable: bool = True) -> Iterator[Session]:
        """One transaction; commits at the end, rolls back and re-raises on error.

        ``durable=False`` is for state a power cut may lose without harm (heartbeats,
        challenge nonces, tokens): its commit does not wait for the disk, which is most of
        a small write's cost. Received records are always durable before they are answered.
        """
        with self._write_lock or nullcontext(), self.engine.connect() as conn:
            conn.info["write"] = True
            if self.dialect == "sqlite":
                # outside any transaction, straight on the DB-API connection
                raw = conn.connection.dbapi_connection
                assert raw is not None
                raw.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
            try:
                with Session(bind=conn, expire_on_commit=False) as session:
                    if not durable and self.dialect == "postgresql":
                        session.execute(text("SET LOCAL synchronous_commit TO off"))
                    yield session
                    session.commit()
            finally:
                conn.info["write"] = False

    def close(self) -> None:
        self.engine.dispose()


def insert_for(store: Store, table: Any) -> Any:
    """The dialect's INSERT, which has ``on_conflict_do_nothing``/``_do_update``."""
    dialect = postgresql if store.dialect == "postgresql" else sqlite
    return dialect.insert(table)
