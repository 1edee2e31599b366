"""What the sync worker keeps besides the outbox: pull checkpoints and cached catalogue
entities (policy packs, announcements, station settings; for jobs only their versions, the
jobs themselves live in the jobs catalogue tables)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.store.models.base import Base, utcnow


class PullCheckpoint(Base):
    """Where one stream's pull stands. ``cursor`` is saved in the same transaction as the page
    it follows, so a kill between the two can only make a page arrive twice (harmless:
    versions decide), never be skipped."""

    __tablename__ = "pull_checkpoint"
    stream: Mapped[str] = mapped_column(String(40), primary_key=True)
    cursor: Mapped[str] = mapped_column(String(40), default="")
    snapshot_done: Mapped[bool] = mapped_column(Boolean, default=False)
    snapshot_after: Mapped[str] = mapped_column(String(100), default="")
    snapshot_cursor: Mapped[str] = mapped_column(String(40), default="")
    pulled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class SyncEntity(Base):
    """The local copy of one entity of one stream, and its version (which decides whether a
    pulled change is newer). ``data`` is None for jobs, which the jobs catalogue stores, and
    for deleted entities, whose version is kept so that an older change cannot revive them."""

    __tablename__ = "sync_entity"
    stream: Mapped[str] = mapped_column(String(40), primary_key=True)
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)
