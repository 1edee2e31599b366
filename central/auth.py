"""Station authentication: one-time enrollment codes, Ed25519 challenges, short tokens.

Codes, nonces and tokens are single-use or short-lived, consumed atomically by one
``DELETE``/``UPDATE ... WHERE`` whose row count decides, so two requests racing with the same
code or nonce cannot both win. Only hashes of codes and tokens are stored. Every expiry is on
the server's clock: a kiosk whose clock is a year out still gets and uses tokens.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import delete, select, update

from central.db import Store
from central.errors import ApiError
from central.models import EnrollCode, Kiosk, Nonce, Token
from kiosk.sync.protocol import token_message

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # read off a screen and typed by a technician


@dataclass(frozen=True)
class Caller:
    """The kiosk a request was authenticated as."""

    kiosk_id: str
    station: str


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _normalise_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def issue_enroll_code(store: Store, station: str, *, ttl_s: float = 600,
                      now: float | None = None) -> str:
    """A new one-time code for ``station``, like ``K7QM-3XPA``, valid ``ttl_s`` seconds."""
    if not station.strip():
        raise ValueError("station must not be empty")
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    now = time.time() if now is None else now
    with store.write() as s:
        s.execute(delete(EnrollCode).where(EnrollCode.expires_at < now - 86400))
        s.add(EnrollCode(code_hash=_sha(raw), station=station.strip(), expires_at=now + ttl_s))
    return f"{raw[:4]}-{raw[4:]}"


def _public_key(pubkey_b64: str) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(pubkey_b64, validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError) as exc:
        raise ApiError(400, "bad_request", "pubkey is not a base64 Ed25519 public key") from exc


def enroll(store: Store, code: str, pubkey_b64: str, station: str,
           *, now: float | None = None) -> Caller:
    """Spend ``code`` and register the kiosk's public key; returns the new kiosk's identity."""
    _public_key(pubkey_b64)
    now = time.time() if now is None else now
    kiosk_id = str(uuid.uuid4())
    with store.write() as s:
        row = s.execute(select(EnrollCode.station).where(
            EnrollCode.code_hash == _sha(_normalise_code(code)))).first()
        if row is None:
            raise ApiError(403, "bad_code", "enrollment code unknown")
        if station and station != row.station:
            raise ApiError(409, "station_mismatch",
                           f"code is for station {row.station}, kiosk says {station}")
        spent = s.execute(update(EnrollCode).where(
            EnrollCode.code_hash == _sha(_normalise_code(code)), EnrollCode.used_by.is_(None),
            EnrollCode.expires_at > now).values(used_by=kiosk_id))
        if spent.rowcount != 1:  # type: ignore[attr-defined]
            raise ApiError(403, "bad_code", "enrollment code expired or already used")
        s.add(Kiosk(id=kiosk_id, station=row.station, pubkey=pubkey_b64, health="{}"))
    return Caller(kiosk_id, row.station)


def new_challenge(store: Store, *, ttl_s: float = 120, now: float | None = None) -> str:
    now = time.time() if now is None else now
    nonce = secrets.token_urlsafe(24)
    with store.write(durable=False) as s:
        s.execute(delete(Nonce).where(Nonce.expires_at < now))
        s.add(Nonce(nonce=nonce, expires_at=now + ttl_s))
    return nonce


def issue_token(store: Store, kiosk_id: str, nonce: str, signature_b64: str,
                *, ttl_s: float = 900, now: float | None = None) -> str:
    """Check the signed nonce and hand out a bearer token; the nonce is spent either way."""
    now = time.time() if now is None else now
    with store.write(durable=False) as s:
        spent = s.execute(delete(Nonce).where(Nonce.nonce == nonce, Nonce.expires_at >= now))
        nonce_ok = spent.rowcount == 1  # type: ignore[attr-defined]
    if not nonce_ok:
        raise ApiError(401, "bad_nonce", "challenge unknown, used or expired")
    with store.read() as s:
        kiosk = s.get(Kiosk, kiosk_id)
    if kiosk is None:
        raise ApiError(401, "unknown_kiosk", "kiosk id not enrolled here")
    try:
        sig = base64.b64decode(signature_b64, validate=True)
        _public_key(kiosk.pubkey).verify(sig, token_message(kiosk_id, nonce))
    except (binascii.Error, InvalidSignature) as exc:
        raise ApiError(401, "bad_signature", "signature does not match the enrolled key") from exc
    if kiosk.revoked_at is not None:
        raise ApiError(403, "revoked", "this kiosk was revoked; its data is kept")
    token = secrets.token_urlsafe(32)
    with store.write(durable=False) as s:
        s.execute(delete(Token).where(Token.expires_at < now))
        s.add(Token(token_hash=_sha(token), kiosk_id=kiosk_id, expires_at=now + ttl_s))
    return token


def authenticate(store: Store, authorization: str | None, *, now: float | None = None) -> Caller:
    """The caller behind ``Authorization: Bearer ...``, or 401 (refresh) / 403 (revoked)."""
    if not authorization or not authorization.startswith("Bearer "):
        raise ApiError(401, "unauthorized", "bearer token missing",
                       {"WWW-Authenticate": "Bearer"})
    now = time.time() if now is None else now
    with store.read() as s:
        row = s.execute(
            select(Token.expires_at, Kiosk.id, Kiosk.station, Kiosk.revoked_at)
            .join(Kiosk, Kiosk.id == Token.kiosk_id)
            .where(Token.token_hash == _sha(authorization[7:].strip()))).first()
    if row is None or row.expires_at < now:
        raise ApiError(401, "unauthorized", "token unknown or expired",
                       {"WWW-Authenticate": "Bearer"})
    if row.revoked_at is not None:
        raise ApiError(403, "revoked", "this kiosk was revoked; its data is kept")
    return Caller(row.id, row.station)


def revoke(store: Store, kiosk_id: str) -> bool:
    """Revoke a kiosk: its tokens stop working at once; everything it sent stays."""
    with store.write() as s:
        done = s.execute(update(Kiosk).where(Kiosk.id == kiosk_id, Kiosk.revoked_at.is_(None))
                         .values(revoked_at=datetime.now(UTC)))
        s.execute(delete(Token).where(Token.kiosk_id == kiosk_id))
        return bool(done.rowcount)  # type: ignore[attr-defined]


def record_heartbeat(store: Store, caller: Caller, health: dict[str, Any]) -> None:
    with store.write(durable=False) as s:
        s.execute(update(Kiosk).where(Kiosk.id == caller.kiosk_id).values(
            last_seen_at=datetime.now(UTC),
            health=json.dumps(health, ensure_ascii=False, sort_keys=True)))


def expire_tokens(store: Store, kiosk_id: str | None = None) -> None:
    """End tokens now (tests of expiry mid-batch; an admin's "log every kiosk out")."""
    with store.write() as s:
        stmt = update(Token).values(expires_at=0.0)
        if kiosk_id:
            stmt = stmt.where(Token.kiosk_id == kiosk_id)
        s.execute(stmt)
