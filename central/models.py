"""Tables of the central database.

Duplicates are kept out by constraints, never by checks in code: ``received.id`` is the
kiosk-made record id (the idempotency key), and ``entity`` is keyed by (stream, id). Expiry
times are epoch seconds on the server's clock, so the kiosk's clock never matters and the
comparison is a plain number in SQL on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL wants a 64-bit identity.
SEQ = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Kiosk(Base):
    """One enrolled kiosk: its public key, its station and the health it last reported."""

    __tablename__ = "kiosk"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station: Mapped[str] = mapped_column(String(60), index=True)
    pubkey: Mapped[str] = mapped_column(String(64))  # base64 of the raw 32-byte Ed25519 key
    enrolled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                          nullable=True)
    health: Mapped[str] = mapped_column(Text, default="{}")


class EnrollCode(Base):
    """A one-time enrollment code (stored hashed), valid for minutes, used at most once."""

    __tablename__ = "enroll_code"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    station: Mapped[str] = mapped_column(String(60))
    expires_at: Mapped[float] = mapped_column(Float)
    used_by: Mapped[str | None] = mapped_column(String(36), nullable=True)


class Nonce(Base):
    """A challenge handed out by GET /v1/challenge; deleted when a token is issued for it."""

    __tablename__ = "nonce"
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[float] = mapped_column(Float, index=True)


class Token(Base):
    """A short-lived bearer token (stored hashed) issued to one kiosk."""

    __tablename__ = "token"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(36), index=True)
    expires_at: Mapped[float] = mapped_column(Float, index=True)


class Received(Base):
    """Every record a kiosk pushed, exactly once: the primary key is the record id."""

    __tablename__ = "received"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(36), index=True)
    station: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    schema_ver: Mapped[int] = mapped_column(Integer)
    local_seq: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    created_local: Mapped[str] = mapped_column(String(40), default="")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    receipt: Mapped[str] = mapped_column(String(40))


class ApplicationStatus(Base):
    """Where one 一键申报 application stands, as staff at the district set it."""

    __tablename__ = "application_status"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the kiosk's application id
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    station: Mapped[str] = mapped_column(String(60))
    number: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(20), default="received")
    status_text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ChangeLog(Base):
    """Every change to a stream, in commit order per stream (see central.streams)."""

    __tablename__ = "change_log"
    seq: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=True)
    stream: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(100))
    op: Mapped[str] = mapped_column(String(10))  # upsert | delete
    version: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[str | None] = mapped_column(Text, nullable=True)
    __table_args__ = (Index("ix_change_log_stream_seq", "stream", "seq"),)


class Entity(Base):
    """The current state of each entity of each stream, deletions kept as tombstones so that a
    snapshot also tells a returning kiosk what went away."""

    __tablename__ = "entity"
    stream: Mapped[str] = mapped_column(String(40), primary_key=True)
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[str | None] = mapped_column(Text, nullable=True)


class StreamHorizon(Base):
    """The oldest change still kept per stream; a cursor older than this gets 410."""

    __tablename__ = "stream_horizon"
    stream: Mapped[str] = mapped_column(String(40), primary_key=True)
    horizon: Mapped[int] = mapped_column(BigInteger)


class ResidentFact(Base):
    """Facts about one resident from the 人社 records (contracts/resident-facts.md)."""

    __tablename__ = "resident_fact"
    id_number: Mapped[str] = mapped_column(String(18), primary_key=True)
    facts: Mapped[str] = mapped_column(Text)
    as_of: Mapped[str] = mapped_column(String(10))
