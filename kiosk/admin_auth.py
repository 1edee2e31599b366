"""Staff PIN for admin mode: salted scrypt hash, lockout after repeated wrong tries.

The hash and the lockout state live in the database (``kv``), so a restart neither forgets a
changed PIN nor clears a lockout; the config file can seed the hash for a fleet roll-out.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.config import AdminConfig
from kiosk.store.engine import Database
from kiosk.store.models import AuditEntry, KeyValue

FACTORY_PIN = "123456"
_N, _R, _P = 2**14, 8, 1
_KEY_HASH = "admin.pin_hash"
_KEY_LOCK = "admin.lockout"


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash`` (base64), the format stored in kv and in the config."""
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(pin.encode(), salt=base64.b64decode(salt_b64), n=int(n), r=int(r),
                            p=int(p), dklen=32)
    return hmac.compare_digest(digest, base64.b64decode(digest_b64))


def valid_pin_format(pin: str) -> bool:
    return pin.isdigit() and 6 <= len(pin) <= 8


@dataclass(frozen=True)
class PinResult:
    ok: bool
    locked_for_s: int = 0  # > 0 while the pad is locked
    tries_left: int = 0


class AdminAuth:
    """Checks PINs; ``clock`` is injectable so tests can pass the lockout without waiting."""

    def __init__(self, db: Database, config: AdminConfig,
                 clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self._config = config
        self._clock = clock

    def _get(self, key: str) -> str | None:
        with self._db.read() as s:
            row = s.get(KeyValue, key)
            return row.value if row else None

    def _lock_state(self) -> tuple[int, float]:
        raw = self._get(_KEY_LOCK)
        if not raw:
            return 0, 0.0
        data = json.loads(raw)
        return int(data.get("fails", 0)), float(data.get("until", 0.0))

    def _save_lock_state(self, fails: int, until: float) -> None:
        with self._db.write() as s:
            s.merge(KeyValue(key=_KEY_LOCK, value=json.dumps({"fails": fails, "until": until})))

    def stored_hash(self) -> str:
        return self._get(_KEY_HASH) or self._config.pin_hash

    def uses_factory_pin(self) -> bool:
        return not self.stored_hash()

    def locked_for(self) -> int:
        _, until = self._lock_state()
        return max(0, round(until - self._clock()))

    def check(self, pin: str) -> PinResult:
        """One try at the pad. Five wrong tries lock it for ``lockout_s``."""
        fails, until = self._lock_state()
        now = self._clock()
        if until > now:
            return PinResult(ok=False, locked_for_s=max(1, round(until - now)))
        stored = self.stored_hash()
        ok = verify_pin(pin, stored) if stored else hmac.compare_digest(pin, FACTORY_PIN)
        if ok:
            self._save_lock_state(0, 0.0)
            self._audit("admin_login", {})
            return PinResult(ok=True, tries_left=self._config.max_tries)
        fails = 0 if until and until <= now else fails  # a lockout that ran out starts afresh
        fails += 1
        if fails >= self._config.max_tries:
            until = now + self._config.lockout_s
            self._save_lock_state(0, until)
            self._audit("admin_lockout", {"seconds": self._config.lockout_s})
            return PinResult(ok=False, locked_for_s=self._config.lockout_s)
        self._save_lock_state(fails, 0.0)
        return PinResult(ok=False, tries_left=self._config.max_tries - fails)

    def set_pin(self, new_pin: str, actor: str = "admin") -> None:
        if not valid_pin_format(new_pin):
            raise ValueError("PIN 须为 6 至 8 位数字")
        with self._db.write() as s:
            s.merge(KeyValue(key=_KEY_HASH, value=hash_pin(new_pin)))
            s.add(AuditEntry(actor=actor, action="admin_pin_changed", detail="{}"))

    def _audit(self, action: str, detail: dict[str, object]) -> None:
        with self._db.write() as s:
            s.add(AuditEntry(actor="admin", action=action, detail=json.dumps(detail)))

    def log_exit(self, reason: str) -> None:
        self._audit("admin_logout", {"reason": reason})
