"""Sync worker tables: pull checkpoints and cached catalogue entities.

Revision ID: 0004_sync
Revises: 0003_jobs_catalogue
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_sync"
down_revision = "0003_jobs_catalogue"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "pull_checkpoint",
        sa.Column("stream", sa.String(40), primary_key=True),
        sa.Column("cursor", sa.String(40), nullable=False),
        sa.Column("snapshot_done", sa.Boolean, nullable=False),
        sa.Column("snapshot_after", sa.String(100), nullable=False),
        sa.Column("snapshot_cursor", sa.String(40), nullable=False),
        sa.Column("pulled_at", TZ),
    )
    op.create_table(
        "sync_entity",
        sa.Column("stream", sa.String(40), primary_key=True),
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("data", sa.Text),
        sa.Column("updated_at", TZ, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sync_entity")
    op.drop_table("pull_checkpoint")
