"""The kiosk database: one SQLite file, WAL with synchronous=FULL, migrated at start.

WAL+FULL because a resident's submission must survive a power cut the moment the screen
says "已提交" (WAL+NORMAL can lose the last commits). Migrations run at every start so a
kiosk in the field upgrades in place.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

import re

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")
log = logging.getLogger(__name__)


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
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


_REVISION = re.compile(r'^(down_revision|revision)\s*=\s*["\']?([\w]+|None)["\']?', re.M)


def head_revision() -> str:
    """The newest migration, read from the version files without importing Alembic.

    Alembic costs about a second of imports; a kiosk already at head (every start but the
    first after an update) never needs it. tests/test_store.py holds this to Alembic's answer.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict((k, v) for k, v in _REVISION.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            revisions.add(found["revision"])
            if found.get("down_revision") not in (None, "None"):
                parents.add(found["down_revision"])
    heads = revisions - parents
    if len(heads) != 1:
        raise StorageError(f"migrations must have exactly one head, found {sorted(heads)}")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        except OperationalError:  # a new database: no version table yet
            return None


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (normally head); a no-op when it is current."""
    if revision == "head" and current_revision(engine) == head_revision():
        return
    from alembic import command

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
        #: called (on the committing thread) after a write that queued outbox records, so the
        #: sync worker sends a resident's submission at once instead of at its next timer
        self.outbox_listeners: list[Callable[[], None]] = []

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
        queued = False
        with self.engine.connect() as conn:
            conn.info["write"] = True
            try:
                with Session(bind=conn, expire_on_commit=False) as session:
                    yield session
                    session.commit()
                    queued = session.info.pop("outbox_queued", False)
            finally:
                conn.info["write"] = False
        if queued:
            for listener in list(self.outbox_listeners):
                try:
                    listener()
                except Exception:  # a listener must never undo a committed submission
                    log.exception("outbox listener failed")

    def integrity_ok(self) -> tuple[bool, str]:
        with self.engine.connect() as conn:
            result = conn.execute(text("PRAGMA integrity_check")).scalar()
        return result == "ok", str(result)

    def close(self) -> None:
        self.engine.dispose()
