"""Activities: event registrations, course sign-ups (enrolled / waiting list), mentor requests.

Revision ID: 0005_activities
Revises: 0004_sync
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_activities"
down_revision = "0004_sync"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _submitted() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("number", sa.String(32), nullable=False, unique=True),
        sa.Column("token", sa.String(32), nullable=False, unique=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("resident_key", sa.String(32), nullable=False, index=True),
        sa.Column("name_masked", sa.String(40), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "event_registration",
        *_submitted(),
        sa.Column("event_id", sa.String(100), nullable=False),
        sa.Column("event_title", sa.String(100), nullable=False),
        sa.Column("starts_at", sa.DateTime, nullable=False),
        sa.Column("place", sa.String(100), nullable=False),
        sa.UniqueConstraint("resident_key", "event_id", name="uq_event_registration_once"),
    )
    op.create_table(
        "course_signup",
        *_submitted(),
        sa.Column("course_id", sa.String(100), nullable=False, index=True),
        sa.Column("course_title", sa.String(100), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.CheckConstraint("status IN ('enrolled', 'waitlist')", name="status"),
        sa.UniqueConstraint("resident_key", "course_id", name="uq_course_signup_once"),
    )
    op.create_table(
        "mentor_request",
        *_submitted(),
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("mentor_name", sa.String(40), nullable=False),
        sa.Column("topic", sa.String(100), nullable=False),
        sa.Column("preferred_time", sa.String(40), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("mentor_request")
    op.drop_table("course_signup")
    op.drop_table("event_registration")
