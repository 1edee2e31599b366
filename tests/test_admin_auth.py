"""Admin PIN: salted hash only, five wrong tries lock the pad, the lock survives restarts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.admin_auth import FACTORY_PIN, AdminAuth, hash_pin, verify_pin
from kiosk.config import AdminConfig
from kiosk.store.engine import Database
from kiosk.store.models import AuditEntry, KeyValue


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database(tmp_path / "k.db").open()
    yield database  # type: ignore[misc]
    database.close()


def test_hash_is_salted_scrypt() -> None:
    a, b = hash_pin("135790"), hash_pin("135790")
    assert a != b and a.startswith("scrypt$")
    assert verify_pin("135790", a) and not verify_pin("135791", a)
    assert "135790" not in a


def test_factory_pin_until_changed(db: Database) -> None:
    auth = AdminAuth(db, AdminConfig())
    assert auth.uses_factory_pin()
    assert auth.check(FACTORY_PIN).ok
    auth.set_pin("24681357")
    assert not auth.uses_factory_pin()
    assert not auth.check(FACTORY_PIN).ok
    assert auth.check("24681357").ok
    with db.read() as s:
        stored = s.get(KeyValue, "admin.pin_hash")
        assert stored is not None and "24681357" not in stored.value


def test_five_wrong_tries_lock_for_five_minutes(db: Database) -> None:
    clock = FakeClock()
    auth = AdminAuth(db, AdminConfig(), clock=clock)
    results = [auth.check("000000") for _ in range(5)]
    assert [r.tries_left for r in results[:4]] == [4, 3, 2, 1]
    assert results[4].locked_for_s == 300
    assert auth.check(FACTORY_PIN).locked_for_s > 0  # even the right PIN is refused now
    restarted = AdminAuth(db, AdminConfig(), clock=clock)  # a restart does not unlock
    assert restarted.locked_for() == 300
    clock.now += 301
    assert restarted.check(FACTORY_PIN).ok
    with db.read() as s:
        actions = [e.action for e in s.scalars(select(AuditEntry))]
    assert "admin_lockout" in actions and "admin_login" in actions


def test_config_seeded_hash(db: Database) -> None:
    auth = AdminAuth(db, AdminConfig(pin_hash=hash_pin("97531246")))
    assert not auth.uses_factory_pin()
    assert auth.check("97531246").ok
