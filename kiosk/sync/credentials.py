"""The kiosk's own identity: an Ed25519 key made on the kiosk at enrollment (file mode 0600 in
the data folder; never shared, never in the build) and the enrollment facts kept in ``kv``.

A new key is made for every enrollment and written only after the server accepted it, so a
failed enrollment leaves the previous identity untouched.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from kiosk.store.models import KeyValue

KEY_NAME = "station.key"


class CredentialError(RuntimeError):
    """The key file is missing, unreadable or not an Ed25519 key."""


def key_path(data_dir: Path) -> Path:
    return data_dir / "sync" / KEY_NAME


def new_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public_key_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def sign_b64(key: Ed25519PrivateKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message)).decode()


def save_key(path: Path, key: Ed25519PrivateKey) -> None:
    """Write the key readable by this user only, replacing any old key atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    tmp = path.with_suffix(".tmp")
    if tmp.exists():
        tmp.unlink()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, pem)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def load_key(path: Path) -> Ed25519PrivateKey:
    try:
        if os.name == "posix" and path.stat().st_mode & 0o077:
            path.chmod(0o600)  # someone loosened it; the key must stay private
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise CredentialError(f"station key {path}: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise CredentialError(f"station key {path}: not an Ed25519 key")
    return key


@dataclass(frozen=True)
class Enrollment:
    server_url: str
    kiosk_id: str
    station: str


def kv_get(session: Session, key: str) -> str | None:
    row = session.get(KeyValue, key)
    return None if row is None else row.value


def kv_set(session: Session, key: str, value: str) -> None:
    row = session.get(KeyValue, key)
    if row is None:
        session.add(KeyValue(key=key, value=value))
    elif row.value != value:
        row.value = value


def load_enrollment(session: Session) -> Enrollment | None:
    url = kv_get(session, "sync.server_url")
    kiosk_id = kv_get(session, "sync.kiosk_id")
    if not url or not kiosk_id:
        return None
    return Enrollment(url, kiosk_id, kv_get(session, "sync.station") or "")


def save_enrollment(session: Session, enrollment: Enrollment) -> None:
    kv_set(session, "sync.server_url", enrollment.server_url)
    kv_set(session, "sync.kiosk_id", enrollment.kiosk_id)
    kv_set(session, "sync.station", enrollment.station)
    kv_set(session, "sync.revoked", "")
