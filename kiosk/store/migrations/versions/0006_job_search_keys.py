"""Jobs search: newest-first index keys, filter tags in both indexes, only live jobs indexed.

Revision ID: 0006_job_search_keys
Revises: 0005_activities

Why (issue #4, bench/search.py): a keyword search used to look every match up in the job table
to filter, count and sort it, which cost twice the FTS5 query itself. Now the indexes answer
alone:

* ``job.seq`` becomes ``days since 1900 << 46 | n << 20 | salary_max + 1`` (n: an insertion
  counter kept in ``job_counter``; kiosk.jobs.text.seq_key), so the index rowid order *is* the
  "newest" order and a page is read off the index backwards, "posted within N days" is a
  rowid range, and the salary sort and floor read the salary from the rowid.
* ``job_fts`` reads its content from the ``job_search`` view, which adds one-trigram tags for
  industry, town, job type and expiry day (kiosk.jobs.text encodes the same tags in Python) and
  leaves hidden (``deleted``) jobs out. Filters become tags ANDed in the MATCH; jobs expired
  since the last purge are excluded by NOT-ing their expiry-day tags.
* ``job_tag`` numbers the codes (kept for ever, so a tag never changes meaning).
* ``job_fts_bulk``: while it holds a row, inserting a job does not index it; the catalogue's
  bulk path then feeds ``job_fts`` one statement per page (a trigger per row made FTS5 flush a
  segment per row, which was most of the time of a 100,000-job snapshot).
* ``ix_job_live_expires`` finds the jobs that expired since the last purge.
* Both FTS5 tables buffer 16 MiB of terms before writing a segment: a 5000-job sync page
  becomes one segment instead of five, and the index is built in about half the time.

``job_grams`` is rebuilt with the new rowids and tags by kiosk.jobs.catalogue, with the ascii
tokenizer (its documents are lowercase grams and spaces: the same tokens, cheaper to split).
"""

from __future__ import annotations

from alembic import op
from sqlalchemy.orm import Session

revision = "0006_job_search_keys"
down_revision = "0005_activities"
branch_labels = None
depends_on = None

TEXT_COLUMNS = ["title", "employer_name", "skills", "description", "title_initials"]
TAG_COLUMNS = ["tag_industry", "tag_town", "tag_job_type", "tag_expires"]
FTS_COLUMNS = ", ".join(TEXT_COLUMNS + TAG_COLUMNS)
OLD_FTS_COLUMNS = ", ".join(TEXT_COLUMNS)
# columns whose change moves a job in job_fts (the au trigger fires on these)
INDEXED = ["seq", *TEXT_COLUMNS, "industry", "town", "job_type", "expires_on", "deleted"]
MARK, DIGIT = 0xE000, 0xE100  # kiosk.jobs.text.TAG_MARK / TAG_DIGIT
KINDS = {"industry": 1, "town": 2, "job_type": 3}  # kiosk.jobs.text.TAG_KINDS
EXPIRES = 4
SEQ_DAY_SQL = "max(0, min(131071, CAST(julianday(posted_on) AS INTEGER) - 2415020))"
HASH_BYTES = 16 * 1024 * 1024  # FTS5 pending-terms memory before a flush (default 1 MiB)


def _tag(kind: int, value_sql: str) -> str:
    return (f"char({MARK + kind}, {DIGIT} + (({value_sql}) >> 12), "
            f"{DIGIT} + (({value_sql}) & 4095))")


def _row_values(a: str) -> str:
    """The job_fts column values of the job row ``a`` (``j``, ``old``), tags included."""
    tags = [f"coalesce((SELECT {_tag(k, 't.id')} FROM job_tag t WHERE t.kind = '{c}' "
            f"AND t.code = {a}.{c}), '')" for c, k in KINDS.items()]
    tags.append(_tag(EXPIRES, f"CAST(julianday({a}.expires_on) AS INTEGER)"))
    return ", ".join([f"{a}.{c}" for c in TEXT_COLUMNS] + tags)


def _ensure_tags(a: str) -> str:
    return ("INSERT OR IGNORE INTO job_tag(kind, code) VALUES "
            + ", ".join(f"('{c}', {a}.{c})" for c in KINDS) + ";")


INSERT_NEW = (f"INSERT INTO job_fts(rowid, {FTS_COLUMNS}) "
              f"SELECT seq, {FTS_COLUMNS} FROM job_search WHERE seq = new.seq;")


def upgrade() -> None:
    for trigger in ("job_fts_au", "job_fts_ad", "job_fts_ai"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS job_fts")
    op.execute("DROP TABLE IF EXISTS job_grams")

    op.execute("CREATE TABLE job_tag (id INTEGER PRIMARY KEY, kind VARCHAR(20) NOT NULL, "
               "code VARCHAR(40) NOT NULL, UNIQUE (kind, code))")
    op.execute("CREATE TABLE job_counter (id INTEGER PRIMARY KEY CHECK (id = 1), "
               "n INTEGER NOT NULL)")
    op.execute("INSERT INTO job_counter(id, n) SELECT 1, coalesce(max(seq), 0) FROM job")
    op.execute("CREATE TABLE job_fts_bulk (id INTEGER PRIMARY KEY)")
    for kind in KINDS:
        op.execute(f"INSERT OR IGNORE INTO job_tag(kind, code) "
                   f"SELECT DISTINCT '{kind}', {kind} FROM job ORDER BY 2")
    # existing seqs (far below 2**26) become the counter part, in the same order
    op.execute(f"UPDATE job SET seq = ({SEQ_DAY_SQL} << 46) | (seq << 20) "
               "| coalesce(salary_max + 1, 0)")
    op.execute("CREATE INDEX ix_job_live_expires ON job (expires_on) WHERE deleted = 0")
    names = ", ".join(["seq", *TEXT_COLUMNS, *TAG_COLUMNS])
    op.execute(f"CREATE VIEW job_search({names}) AS SELECT j.seq, {_row_values('j')} "
               "FROM job j WHERE j.deleted = 0")
    op.execute(f"CREATE VIRTUAL TABLE job_fts USING fts5({FTS_COLUMNS}, content='job_search', "
               "content_rowid='seq', tokenize='trigram', columnsize=0)")
    # the documents are lowercase tokens and spaces already (kiosk.jobs.text.short_grams):
    # the ascii tokenizer splits them alike at 40% less cost than unicode61
    op.execute("CREATE VIRTUAL TABLE job_grams USING fts5(grams, content='', detail=none, "
               "columnsize=0, tokenize='ascii')")
    for table in ("job_fts", "job_grams"):
        op.execute(f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', {HASH_BYTES})")
    op.execute(
        "CREATE TRIGGER job_fts_ai AFTER INSERT ON job "
        "WHEN new.deleted = 0 AND NOT EXISTS (SELECT 1 FROM job_fts_bulk) BEGIN "
        f"{_ensure_tags('new')} {INSERT_NEW} END")
    op.execute(
        "CREATE TRIGGER job_fts_ad AFTER DELETE ON job WHEN old.deleted = 0 BEGIN "
        f"INSERT INTO job_fts(job_fts, rowid, {FTS_COLUMNS}) "
        f"VALUES ('delete', old.seq, {_row_values('old')}); END")
    op.execute(
        f"CREATE TRIGGER job_fts_au AFTER UPDATE OF {', '.join(INDEXED)} ON job BEGIN "
        f"INSERT INTO job_fts(job_fts, rowid, {FTS_COLUMNS}) "
        f"SELECT 'delete', old.seq, {_row_values('old')} WHERE old.deleted = 0; "
        f"{_ensure_tags('new')} {INSERT_NEW} END")
    op.execute("INSERT INTO job_fts(job_fts) VALUES ('rebuild')")

    from kiosk.jobs.catalogue import rebuild_gram_index

    with Session(bind=op.get_bind()) as session:
        rebuild_gram_index(session)
        session.flush()


def downgrade() -> None:
    for trigger in ("job_fts_au", "job_fts_ad", "job_fts_ai"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS job_fts")
    op.execute("DROP TABLE IF EXISTS job_grams")
    op.execute("DROP VIEW IF EXISTS job_search")
    op.execute("DROP INDEX IF EXISTS ix_job_live_expires")
    op.execute("UPDATE job SET seq = (seq >> 20) & 67108863")
    for table in ("job_fts_bulk", "job_counter", "job_tag"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
    op.execute(
        f"CREATE VIRTUAL TABLE job_fts USING fts5({OLD_FTS_COLUMNS}, content='job', "
        "content_rowid='seq', tokenize='trigram', columnsize=0)")
    op.execute("CREATE VIRTUAL TABLE job_grams USING fts5(grams, content='', detail=none, "
               "columnsize=0, tokenize='unicode61')")
    old = ", ".join(f"old.{c}" for c in TEXT_COLUMNS)
    new = ", ".join(f"new.{c}" for c in TEXT_COLUMNS)
    op.execute("CREATE TRIGGER job_fts_ai AFTER INSERT ON job BEGIN "
               f"INSERT INTO job_fts(rowid, {OLD_FTS_COLUMNS}) VALUES (new.seq, {new}); END")
    op.execute("CREATE TRIGGER job_fts_ad AFTER DELETE ON job BEGIN "
               f"INSERT INTO job_fts(job_fts, rowid, {OLD_FTS_COLUMNS}) "
               f"VALUES ('delete', old.seq, {old}); END")
    op.execute(f"CREATE TRIGGER job_fts_au AFTER UPDATE OF {OLD_FTS_COLUMNS} ON job BEGIN "
               f"INSERT INTO job_fts(job_fts, rowid, {OLD_FTS_COLUMNS}) "
               f"VALUES ('delete', old.seq, {old}); "
               f"INSERT INTO job_fts(rowid, {OLD_FTS_COLUMNS}) VALUES (new.seq, {new}); END")
    op.execute("INSERT INTO job_fts(job_fts) VALUES ('rebuild')")
    from kiosk.jobs.text import short_grams  # the 0003 gram documents, without tags

    conn = op.get_bind()
    rows = conn.exec_driver_sql(
        "SELECT seq, title, employer_name, skills, description, title_initials FROM job"
    ).all()
    for seq, title, employer, skills, description, initials in rows:
        grams = short_grams(title, employer, skills, initials) | short_grams(
            description, unigrams=False)
        conn.exec_driver_sql("INSERT INTO job_grams(rowid, grams) VALUES (?, ?)",
                             (seq, " ".join(sorted(grams))))
