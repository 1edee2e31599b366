"""The jobs catalogue: employers and their jobs, pulled from the district (or demo data).

A job keeps a copy of its employer's name so a list page needs no join and a pulled job is
usable before (or without) its employer's record; there is deliberately no foreign key, since
sync pages may bring a job before its employer. ``seq`` is the rowid the search indexes are
keyed by; since migration 0006 it is not a counter but ``kiosk.jobs.text.seq_key`` (posting
day, an insertion number, salary), so index order is "newest" order and a salary floor or sort
reads the key alone. Only kiosk.jobs.catalogue may write ``job`` rows. Two FTS5 tables live
beside these: ``job_fts`` (trigram, content from the ``job_search`` view with filter tags,
kept by triggers or fed a page at a time by the bulk path) and ``job_grams`` (1–2 character
grams, contentless, maintained in Python).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.store.models.base import Base, utcnow


class Employer(Base):
    """An employer as the district publishes it; the contact is for the matchmaker."""

    __tablename__ = "employer"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    industry: Mapped[str] = mapped_column(String(30), default="")
    town: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    intro: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=0)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)


# Filter/sort columns carried by the covering indexes (order matters only for readability).
_CARD = ("expires_on", "industry", "job_type", "salary_max")


class Job(Base):
    """One vacancy. Hidden from every query once ``expires_on`` is past or ``deleted`` is set."""

    __tablename__ = "job"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    title_initials: Mapped[str] = mapped_column(String(100), default="")  # 保洁员 → bjy
    employer_id: Mapped[str] = mapped_column(String(40), default="", index=True)
    employer_name: Mapped[str] = mapped_column(String(100))
    industry: Mapped[str] = mapped_column(String(30))
    job_type: Mapped[str] = mapped_column(String(20))
    town: Mapped[str] = mapped_column(String(30))
    address: Mapped[str] = mapped_column(String(200), default="")
    salary_min: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 元/月
    salary_max: Mapped[int | None] = mapped_column(Integer, nullable=True)
    education_min: Mapped[str] = mapped_column(String(20), default="none")
    age_min: Mapped[int | None] = mapped_column(Integer, nullable=True)
    age_max: Mapped[int | None] = mapped_column(Integer, nullable=True)
    headcount: Mapped[int | None] = mapped_column(Integer, nullable=True)
    skills: Mapped[str] = mapped_column(Text, default="")  # 、-separated
    benefits: Mapped[str] = mapped_column(Text, default="")  # 、-separated
    work_hours: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    posted_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    contact_name: Mapped[str] = mapped_column(String(40), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    version: Mapped[int] = mapped_column(Integer, default=0)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)
    __table_args__ = (
        # Narrow copies of the columns every list query filters and sorts on, for live rows
        # only: a search touches these small entries for each match and reads the wide row
        # (with its description) only for the page it shows. See kiosk.jobs.search.
        Index("ix_job_live", "seq", "posted_on", "town", *_CARD,
              sqlite_where=text("deleted = 0")),
        Index("ix_job_live_posted", "posted_on", "seq", "town", *_CARD,
              sqlite_where=text("deleted = 0")),
        Index("ix_job_live_town", "town", "posted_on", "seq", *_CARD,
              sqlite_where=text("deleted = 0")),
        Index("ix_job_live_salary", "salary_max", "posted_on", "seq", "town", *_CARD[:-1],
              sqlite_where=text("deleted = 0")),
        {"sqlite_autoincrement": True},
    )
