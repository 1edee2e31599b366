"""Central schema: kiosks and their credentials, received records, streams, resident facts.

Revision ID: 0001_central_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_central_initial"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "kiosk",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("station", sa.String(60), nullable=False, index=True),
        sa.Column("pubkey", sa.String(64), nullable=False),
        sa.Column("enrolled_at", TZ, nullable=False),
        sa.Column("revoked_at", TZ),
        sa.Column("last_seen_at", TZ),
        sa.Column("health", sa.Text, nullable=False),
    )
    op.create_table(
        "enroll_code",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column("station", sa.String(60), nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False),
        sa.Column("used_by", sa.String(36)),
    )
    op.create_table(
        "nonce",
        sa.Column("nonce", sa.String(64), primary_key=True),
        sa.Column("expires_at", sa.Float, nullable=False, index=True),
    )
    op.create_table(
        "token",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("kiosk_id", sa.String(36), nullable=False, index=True),
        sa.Column("expires_at", sa.Float, nullable=False, index=True),
    )
    op.create_table(
        "received",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kiosk_id", sa.String(36), nullable=False, index=True),
        sa.Column("station", sa.String(60), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False, index=True),
        sa.Column("schema_ver", sa.Integer, nullable=False),
        sa.Column("local_seq", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_local", sa.String(40), nullable=False),
        sa.Column("received_at", TZ, nullable=False),
        sa.Column("receipt", sa.String(40), nullable=False),
    )
    op.create_table(
        "application_status",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("record_id", sa.String(36), nullable=False, index=True),
        sa.Column("station", sa.String(60), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_text", sa.Text, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "change_log",
        sa.Column("seq", SEQ, primary_key=True, autoincrement=True),
        sa.Column("stream", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(100), nullable=False),
        sa.Column("op", sa.String(10), nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("data", sa.Text),
    )
    op.create_index("ix_change_log_stream_seq", "change_log", ["stream", "seq"])
    op.create_table(
        "entity",
        sa.Column("stream", sa.String(40), primary_key=True),
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("data", sa.Text),
    )
    op.create_table(
        "stream_horizon",
        sa.Column("stream", sa.String(40), primary_key=True),
        sa.Column("horizon", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "resident_fact",
        sa.Column("id_number", sa.String(18), primary_key=True),
        sa.Column("facts", sa.Text, nullable=False),
        sa.Column("as_of", sa.String(10), nullable=False),
    )


def downgrade() -> None:
    for table in ("resident_fact", "stream_horizon", "entity", "change_log",
                  "application_status", "received", "token", "nonce", "enroll_code", "kiosk"):
        op.drop_table(table)
