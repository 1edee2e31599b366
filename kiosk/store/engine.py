"""The kiosk database: one SQLite file, WAL with synchronous=FULL, migrated at start.

WAL+FULL because a resident's submission must survive a power cut the moment the screen
says "已提交" (WAL+NORMAL can lose the last commits). Migrations run at every start so a
kiosk in the field upgrades in place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")


class StorageError(RuntimeError):
    """The database cannot be used (disk full, corrupt file, unreadable folder)."""


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(path: Path) -> Engine:
    """An engine on ``path`` with the kiosk's pragmas on every connection."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _on_connect)

    # pysqlite's own transaction handling defers BEGIN; emit it ourselves so that a write
    # transaction takes the lock at its start (BEGIN IMMEDIATE) and never fails half-way.
    @event.listens_for(engine, "connect")
    def _no_pysqlite_begin(dbapi_conn: sqlite3.Connection, _r: Any) -> None:
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")

    return engine


def alembic_config(engine: Engine) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://")))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (normally head); a no-op when it is current."""
    command.upgrade(alembic_config(engine), revision)


class Database:
    """The engine plus short sessions; writes go through :meth:`write` so they are serialised.

    SQLite allows one writer; BEGIN IMMEDIATE plus busy_timeout makes concurrent writers
    (the UI's writer thread and the sync worker) wait their turn instead of failing.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine = make_engine(path)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def open(self) -> Database:
        """Migrate to head; raises :class:`StorageError` with the cause when it cannot."""
        try:
            migrate(self.engine)
        except Exception as exc:  # sqlite3/OperationalError/alembic errors all end here
            raise StorageError(f"database {self.path}: {exc}") from exc
        return self

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commits on success, rolls back and re-raises otherwise."""
        with self.engine.connect() as conn:
            conn.info["write"] = True
            try:
                with Session(bind=conn, expire_on_commit=False) as session:
                    yield session
                    session.commit()
            finally:
                conn.info["write"] = False

    def integrity_ok(self) -> tuple[bool, str]:
        with self.engine.connect() as conn:
            result = conn.execute(text("PRAGMA integrity_check")).scalar()
        return result == "ok", str(result)

    def close(self) -> None:
        self.engine.dispose()
