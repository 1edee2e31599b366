"""Resident submissions (applications, sign-ups, registrations, callbacks), ratings, print journal.

Revision ID: 0002_resident_records
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_resident_records"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _submitted() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("number", sa.String(32), nullable=False, unique=True),
        sa.Column("token", sa.String(32), nullable=False, unique=True),
        sa.Column("created_at", TZ, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "application",
        *_submitted(),
        sa.Column("resident_key", sa.String(32), nullable=False, index=True),
        sa.Column("name_masked", sa.String(40), nullable=False),
        sa.Column("id_masked", sa.String(24), nullable=False),
        sa.Column("policy_id", sa.String(60), nullable=False),
        sa.Column("policy_name", sa.String(100), nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("rule_pack", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_text", sa.Text, nullable=False),
        sa.Column("status_updated_at", TZ),
    )
    op.create_table(
        "job_signup",
        *_submitted(),
        sa.Column("resident_key", sa.String(32), nullable=False, index=True),
        sa.Column("job_id", sa.String(40), nullable=False),
        sa.Column("job_title", sa.String(100), nullable=False),
        sa.Column("employer_name", sa.String(100), nullable=False),
        sa.Column("consent", sa.Boolean, nullable=False),
        sa.UniqueConstraint("resident_key", "job_id", name="uq_job_signup_once"),
    )
    op.create_table(
        "seeker_registration",
        *_submitted(),
        sa.Column("resident_key", sa.String(32), nullable=False, index=True),
        sa.Column("name_masked", sa.String(40), nullable=False),
        sa.Column("town", sa.String(40), nullable=False),
        sa.Column("preferences", sa.Text, nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
    )
    op.create_table(
        "callback_request",
        *_submitted(),
        sa.Column("resident_key", sa.String(32), index=True),
        sa.Column("name_masked", sa.String(40), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("preferred_time", sa.String(40), nullable=False),
        sa.Column("topic", sa.String(100), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("handled_at", TZ),
    )
    op.create_table(
        "rating",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
    )
    op.create_table(
        "print_job",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("doc_kind", sa.String(30), nullable=False),
        sa.Column("ref_number", sa.String(40), nullable=False),
        sa.Column("pdf_path", sa.Text, nullable=False),
        sa.Column("printer", sa.String(40), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("printed_at", TZ),
        sa.Column("reprint_of", sa.String(36), sa.ForeignKey("print_job.id")),
    )


def downgrade() -> None:
    for table in ("print_job", "rating", "callback_request", "seeker_registration",
                  "job_signup", "application"):
        op.drop_table(table)
