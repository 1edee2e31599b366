"""Jobs catalogue: employers, jobs and their two FTS5 search indexes.

Revision ID: 0003_jobs_catalogue
Revises: 0002_resident_records

``job_fts`` (trigram tokenizer, external content on ``job``) is kept current by triggers, so
any writer of ``job`` keeps it right. ``job_grams`` holds the 1–2 character grams that trigram
matching cannot serve; it is contentless (the grams would otherwise be stored twice) and is
maintained by kiosk.jobs.catalogue, which every catalogue write goes through.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_jobs_catalogue"
down_revision = "0002_resident_records"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
FTS_COLUMNS = "title, employer_name, skills, description, title_initials"
CARD = ["expires_on", "industry", "job_type", "salary_max"]


def _cols(prefix: str) -> str:
    return ", ".join(f"{prefix}.{c.strip()}" for c in FTS_COLUMNS.split(","))


def upgrade() -> None:
    op.create_table(
        "employer",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("industry", sa.String(30), nullable=False),
        sa.Column("town", sa.String(30), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("intro", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "job",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(40), nullable=False, unique=True),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("title_initials", sa.String(100), nullable=False),
        sa.Column("employer_id", sa.String(40), nullable=False, index=True),
        sa.Column("employer_name", sa.String(100), nullable=False),
        sa.Column("industry", sa.String(30), nullable=False),
        sa.Column("job_type", sa.String(20), nullable=False),
        sa.Column("town", sa.String(30), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("salary_min", sa.Integer),
        sa.Column("salary_max", sa.Integer),
        sa.Column("education_min", sa.String(20), nullable=False),
        sa.Column("age_min", sa.Integer),
        sa.Column("age_max", sa.Integer),
        sa.Column("headcount", sa.Integer),
        sa.Column("skills", sa.Text, nullable=False),
        sa.Column("benefits", sa.Text, nullable=False),
        sa.Column("work_hours", sa.String(100), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("posted_on", sa.Date, nullable=False),
        sa.Column("expires_on", sa.Date, nullable=False),
        sa.Column("contact_name", sa.String(40), nullable=False),
        sa.Column("contact_phone", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sqlite_autoincrement=True,
    )
    # Covering indexes over live rows: searches filter and sort on these narrow entries and
    # read the wide row only for the page shown (kiosk.jobs.search).
    live = sa.text("deleted = 0")
    op.create_index("ix_job_live", "job", ["seq", "posted_on", "town", *CARD], sqlite_where=live)
    op.create_index("ix_job_live_posted", "job", ["posted_on", "seq", "town", *CARD],
                    sqlite_where=live)
    op.create_index("ix_job_live_town", "job", ["town", "posted_on", "seq", *CARD],
                    sqlite_where=live)
    op.create_index("ix_job_live_salary", "job",
                    ["salary_max", "posted_on", "seq", "town", *CARD[:-1]], sqlite_where=live)

    op.execute(
        f"CREATE VIRTUAL TABLE job_fts USING fts5({FTS_COLUMNS}, content='job', "
        "content_rowid='seq', tokenize='trigram', columnsize=0)"
    )
    op.execute(
        "CREATE VIRTUAL TABLE job_grams USING fts5(grams, content='', detail=none, "
        "columnsize=0, tokenize='unicode61')"
    )
    op.execute(
        "CREATE TRIGGER job_fts_ai AFTER INSERT ON job BEGIN "
        f"INSERT INTO job_fts(rowid, {FTS_COLUMNS}) VALUES (new.seq, {_cols('new')}); END"
    )
    op.execute(
        "CREATE TRIGGER job_fts_ad AFTER DELETE ON job BEGIN "
        f"INSERT INTO job_fts(job_fts, rowid, {FTS_COLUMNS}) "
        f"VALUES ('delete', old.seq, {_cols('old')}); END"
    )
    op.execute(
        f"CREATE TRIGGER job_fts_au AFTER UPDATE OF {FTS_COLUMNS} ON job BEGIN "
        f"INSERT INTO job_fts(job_fts, rowid, {FTS_COLUMNS}) "
        f"VALUES ('delete', old.seq, {_cols('old')}); "
        f"INSERT INTO job_fts(rowid, {FTS_COLUMNS}) VALUES (new.seq, {_cols('new')}); END"
    )


def downgrade() -> None:
    for trigger in ("job_fts_au", "job_fts_ad", "job_fts_ai"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS job_grams")
    op.execute("DROP TABLE IF EXISTS job_fts")
    op.drop_table("job")
    op.drop_table("employer")
