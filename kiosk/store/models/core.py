"""Tables of the first schema: settings, audit log, anonymous usage events and the outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.store.models.base import Base, new_id, utcnow

OUTBOX_STATES = ("pending", "inflight", "acked", "rejected", "conflict")


class KeyValue(Base):
    """Small station state that must survive restarts (admin PIN hash, lockout, enrollment)."""

    __tablename__ = "kv"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)


class AuditEntry(Base):
    """Who did what in admin mode and when; synced so the district can see changes."""

    __tablename__ = "audit_log"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(Text, default="{}")


class UsageEvent(Base):
    """Anonymous counters for the daily figures: visits, searches, identifications..."""

    __tablename__ = "usage_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    kind: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index("ix_usage_event_kind_at", "kind", "at"),)


class OutboxRecord(Base):
    """One record waiting for (or answered by) the central server.

    Written in the same transaction as the business row it describes. ``id`` is the
    idempotency key the server deduplicates on; ``local_seq`` gives the sending order, never
    the wall clock.
    """

    __tablename__ = "outbox"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(40))
    schema_ver: Mapped[int] = mapped_column(Integer, default=1)
    local_seq: Mapped[int] = mapped_column(Integer, unique=True)
    body: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    created_local: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    batch_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_http: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    receipt: Mapped[str | None] = mapped_column(String(100), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)
    __table_args__ = (
        CheckConstraint("state IN ('pending','inflight','acked','rejected','conflict')",
                        name="state"),
        Index("ix_outbox_state_seq", "state", "local_seq"),
    )
