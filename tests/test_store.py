"""Storage: pragmas, migrations that upgrade a field database in place, the outbox."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, text

from kiosk.store.engine import Database, current_revision, head_revision, make_engine, migrate
from kiosk.store.models import KeyValue, OutboxRecord
from kiosk.store.outbox import enqueue


def test_pragmas(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.db").open()
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.close()


def test_upgrade_from_first_schema_keeps_data(tmp_path: Path) -> None:
    """A kiosk in the field on the first schema upgrades without losing anything."""
    path = tmp_path / "field.db"
    engine = make_engine(path)
    migrate(engine, "0001_initial")
    assert current_revision(engine) == "0001_initial"
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO kv(key, value, updated_at) VALUES ('station.secret', 'ab', "
                "'2026-01-01')")
    raw.execute(
        "INSERT INTO outbox(id, kind, schema_ver, local_seq, body, sha256, created_local, state,"
        " attempts, updated_at) VALUES ('r1', 'callback_request', 1, 1, '{}', 'x', "
        "'2026-01-01', 'pending', 0, '2026-01-01')")
    raw.commit()
    raw.close()
    engine.dispose()

    db = Database(path).open()
    assert current_revision(db.engine) == head_revision()
    with db.read() as s:
        assert s.get(KeyValue, "station.secret").value == "ab"  # type: ignore[union-attr]
        assert s.get(OutboxRecord, "r1").state == "pending"  # type: ignore[union-attr]
    ok, detail = db.integrity_ok()
    assert ok, detail
    db.close()


def test_outbox_is_written_with_the_business_row_or_not_at_all(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.db").open()
    with pytest.raises(RuntimeError), db.write() as s:
        s.add(KeyValue(key="x", value="1"))
        enqueue(s, "test", {"n": 1})
        raise RuntimeError("crash before commit")
    with db.read() as s:
        assert s.get(KeyValue, "x") is None
        assert s.scalars(select(OutboxRecord)).all() == []
    with db.write() as s:
        enqueue(s, "test", {"n": 1})
        enqueue(s, "test", {"n": 2})
    with db.read() as s:
        rows = s.scalars(select(OutboxRecord).order_by(OutboxRecord.local_seq)).all()
    assert [r.local_seq for r in rows] == [1, 2]
    assert all(r.state == "pending" and len(r.sha256) == 64 for r in rows)
    db.close()


def test_unusable_database_is_a_storage_error(tmp_path: Path) -> None:
    from kiosk.store.engine import StorageError

    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match=r"garbage\.db"):
        Database(path).open()


def test_head_revision_matches_alembic() -> None:
    """The start-up shortcut reads the head without Alembic; it must agree with Alembic."""
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    from kiosk.store.engine import alembic_config

    script = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://")))
    assert head_revision() == script.get_current_head()


def test_start_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    Database(tmp_path / "k.db").open().close()
    code = ("import sys; from pathlib import Path; from kiosk.store.engine import Database; "
            f"Database(Path({str(tmp_path / 'k.db')!r})).open(); "
            "print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"
