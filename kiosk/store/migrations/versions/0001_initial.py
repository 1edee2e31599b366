"""First schema: settings, audit log, usage events, outbox.

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "kv",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.String(40), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_table(
        "usage_event",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_usage_event_kind_at", "usage_event", ["kind", "at"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("schema_ver", sa.Integer, nullable=False),
        sa.Column("local_seq", sa.Integer, nullable=False, unique=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_local", TZ, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("batch_id", sa.String(36)),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_http", sa.Integer),
        sa.Column("last_error", sa.Text),
        sa.Column("receipt", sa.String(100)),
        sa.Column("updated_at", TZ, nullable=False),
        sa.CheckConstraint(
            "state IN ('pending','inflight','acked','rejected','conflict')", name="state"
        ),
    )
    op.create_index("ix_outbox_state_seq", "outbox", ["state", "local_seq"])


def downgrade() -> None:
    for table in ("outbox", "usage_event", "audit_log", "kv"):
        op.drop_table(table)
