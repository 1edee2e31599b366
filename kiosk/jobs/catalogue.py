"""Writing the catalogue: validated, version-checked upserts, deletions and expiry purges.

Every write to ``job`` goes through here because

* the short-gram index (``job_grams``) is contentless: removing a job's grams needs the text
  and tags it was indexed with, which only this module recomputes (the trigram index
  ``job_fts`` reads the ``job_search`` view and is kept by triggers);
* ``seq`` is assigned here: posting day, insertion number and salary packed into one key
  (kiosk.jobs.text.seq_key), so that both indexes list jobs newest first by rowid alone, and
  sort and filter them by salary from the rowid;
* only live jobs are indexed, and each with its filter tags (migration 0006).

Used by ``kiosk jobs import`` and by the sync layer to apply pulled pages; call inside one
``db.write()`` so a page is applied whole or not at all. Pages of new jobs take a bulk path
(issue #7: a 100,000-job snapshot took 65–78 s, mostly here): the rows are staged in a TEMP
table and moved into ``job`` by one INSERT … SELECT with the ``job_fts`` insert trigger
switched off (``job_fts_bulk``), then each index is fed by one statement per page, in rowid
order. A trigger per row made FTS5 write (and later merge) one tiny segment per job, and
FTS5 also starts a new segment whenever a rowid is not above the previous one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any, TypeVar, cast

from sqlalchemy import (
    Column,
    Dialect,
    MetaData,
    Table,
    bindparam,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from kiosk.jobs.text import (
    TAG_KINDS,
    expires_tag,
    insertion_number,
    pair_grams,
    search_tag,
    seq_key,
    short_grams,
    title_initials,
)
from kiosk.jobs.towns import resolve_town
from kiosk.jobs.vocab import EDUCATION, INDUSTRIES, JOB_TYPES
from kiosk.store.models.base import utcnow
from kiosk.store.models.jobs import Employer, Job

JOB = cast(Table, Job.__table__)
EMPLOYER = cast(Table, Employer.__table__)
# New jobs of a bulk page are staged here (same columns and bind types as job), then moved in
# one INSERT … SELECT: with a trigger on job, each single-row INSERT needs its own statement
# journal, which doubled the cost of a row.
STAGE = Table("job_stage", MetaData(), *(Column(c.name, c.type) for c in JOB.columns),
              schema="temp")
CHUNK = 1000  # ids per IN (...) lookup; well under SQLite's variable limit
BULK_MIN = 32  # new jobs in one call from which the index is fed per page, not per row
BULK_ROWS = 5000  # new jobs per bulk statement
T = TypeVar("T")


class CatalogueFormatError(ValueError):
    """A record that cannot be stored; names the record and the field for the technician."""

    def __init__(self, message: str, *, record: str | None = None, field: str | None = None
                 ) -> None:
        where = " ".join(p for p in (f"record {record}" if record else "",
                                     f"field {field!r}" if field else "") if p)
        super().__init__(f"{where}: {message}" if where else message)
        self.record = record
        self.field = field


def grams_for(title: str, employer_name: str, skills: str, description: str,
              initials: str) -> str:
    """The text part of what the short-gram index holds for one job, space-separated.

    Single characters are indexed for the short fields only: one character is too unspecific
    to look for in descriptions (every one says 工作时间), so 「工」 finds 普工 and 电工, not
    every job. Two-character words are looked for everywhere, descriptions included. (The
    index keeps no positions or counts, so order and repeats do not matter.)
    """
    parts = pair_grams(description)
    for field in (title, employer_name, skills, initials):
        parts.extend(_field_grams(field))
    return " ".join(parts)


@lru_cache(maxsize=32768)
def _field_grams(value: str) -> frozenset[str]:
    """Grams of one short field; cached because titles, employers and skills repeat across a
    catalogue (100,000 demo jobs have 93 titles and 12,000 employers)."""
    return frozenset(short_grams(value))


# -- validation ---------------------------------------------------------------------------

def _json_ids(ids: Sequence[str]) -> Any:
    """``IN (…)`` over a JSON array bound as one parameter: SQLAlchemy renders a literal IN
    list with one bind name per value, which cost more than the lookup for 1000 ids."""
    each = func.json_each(json.dumps(list(ids), ensure_ascii=False)).table_valued("value")
    return select(each.c.value).scalar_subquery()


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


class _Reader:
    """Reads typed fields out of one record, raising CatalogueFormatError that names them."""

    def __init__(self, record: Mapping[str, Any], label: str) -> None:
        if not isinstance(record, Mapping):
            raise CatalogueFormatError("a record must be a JSON object", record=label)
        self.r = record
        self.label = label

    def fail(self, field: str, message: str) -> CatalogueFormatError:
        return CatalogueFormatError(message, record=self.label, field=field)

    def text(self, field: str, *, max_len: int, required: bool = False, default: str = "") -> str:
        value = self.r.get(field)
        if value is None:
            if required:
                raise self.fail(field, "is required")
            return default
        if not isinstance(value, str):
            raise self.fail(field, "must be text")
        value = value.strip()
        if required and not value:
            raise self.fail(field, "must not be empty")
        if len(value) > max_len:
            raise self.fail(field, f"is longer than {max_len} characters")
        return value

    def int_or_none(self, field: str, lo: int, hi: int) -> int | None:
        value = self.r.get(field)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(field, "must be a whole number")
        if not lo <= value <= hi:
            raise self.fail(field, f"must be between {lo} and {hi}")
        return value

    def version(self) -> int:
        value = self.r.get("version")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail("version", "must be a whole number ≥ 0")
        return value

    def flag(self, field: str) -> bool:
        value = self.r.get(field, False)
        if not isinstance(value, bool):
            raise self.fail(field, "must be true or false")
        return value

    def day(self, field: str) -> date:
        value = self.r.get(field)
        if not isinstance(value, str):
            raise self.fail(field, "is required as YYYY-MM-DD")
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise self.fail(field, f"is not a date (YYYY-MM-DD): {value!r}") from None

    def code(self, field: str, vocabulary: Mapping[str, str], *, default: str | None = None
             ) -> str:
        """A vocabulary code; the Chinese label is accepted too."""
        value = self.r.get(field, default)
        if isinstance(value, str):
            value = value.strip()
            if value in vocabulary:
                return value
            for code, label in vocabulary.items():
                if value == label:
                    return code
        raise self.fail(field, f"unknown value {value!r}; expected one of "
                               f"{', '.join(vocabulary)}")

    def town(self, field: str) -> str:
        value = self.r.get(field)
        code = resolve_town(value) if isinstance(value, str) else None
        if code is None:
            raise self.fail(field, f"unknown town or street {value!r}")
        return code

    def phrases(self, field: str) -> str:
        value = self.r.get(field, [])
        if isinstance(value, str):
            value = [v for v in value.replace("，", "、").replace(",", "、").split("、")]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(field, "must be a list of text")
        return "、".join(v.strip() for v in value if v.strip())


def validate_employer(record: Mapping[str, Any], label: str = "") -> dict[str, Any]:
    """Column values for one employer record; raises CatalogueFormatError."""
    rd = _Reader(record, label or str(record.get("id", "?")))
    row = {
        "id": rd.text("id", max_len=40, required=True),
        "version": rd.version(),
        "deleted": rd.flag("deleted"),
    }
    if row["deleted"]:
        return row
    row.update(
        name=rd.text("name", max_len=100, required=True),
        industry=rd.code("industry", INDUSTRIES) if record.get("industry") else "",
        town=rd.town("town") if record.get("town") else "",
        address=rd.text("address", max_len=200),
        intro=rd.text("intro", max_len=4000),
    )
    return row


def validate_job_record(record: Mapping[str, Any], label: str = "") -> dict[str, Any]:
    """Column values for one job record (plus ``_employer`` when it carries one).

    Raises CatalogueFormatError naming the record and field, so a bad file or page is
    refused with a cause a technician can fix. A record with ``"deleted": true`` needs only
    ``id`` and ``version``.
    """
    rd = _Reader(record, label or str(record.get("id", "?")))
    row: dict[str, Any] = {
        "id": rd.text("id", max_len=40, required=True),
        "version": rd.version(),
        "deleted": rd.flag("deleted"),
    }
    if row["deleted"]:
        return row
    employer = record.get("employer")
    if employer is not None:
        if not isinstance(employer, Mapping):
            raise rd.fail("employer", "must be an object with id and name")
        emp = validate_employer(employer, f"{rd.label}.employer")
        row["_employer"] = emp
        row["employer_id"], row["employer_name"] = emp["id"], emp.get("name", "")
    else:
        row["employer_id"] = rd.text("employer_id", max_len=40)
        row["employer_name"] = rd.text("employer_name", max_len=100, required=True)
    if not row["employer_name"]:
        raise rd.fail("employer.name", "is required")
    contact = record.get("contact") or {}
    if not isinstance(contact, Mapping):
        raise rd.fail("contact", "must be an object with name and phone")
    title = rd.text("title", max_len=100, required=True)
    row.update(
        title=title,
        title_initials=title_initials(title),
        industry=rd.code("industry", INDUSTRIES),
        job_type=rd.code("job_type", JOB_TYPES),
        town=rd.town("town"),
        address=rd.text("address", max_len=200),
        salary_min=rd.int_or_none("salary_min", 0, 1_000_000),
        salary_max=rd.int_or_none("salary_max", 0, 1_000_000),
        education_min=rd.code("education_min", EDUCATION, default="none"),
        age_min=rd.int_or_none("age_min", 14, 80),
        age_max=rd.int_or_none("age_max", 14, 80),
        headcount=rd.int_or_none("headcount", 1, 100_000),
        skills=rd.phrases("skills"),
        benefits=rd.phrases("benefits"),
        work_hours=rd.text("work_hours", max_len=100),
        description=rd.text("description", max_len=8000),
        posted_on=rd.day("posted_on"),
        expires_on=rd.day("expires_on"),
        contact_name=_Reader(contact, rd.label).text("name", max_len=40),
        contact_phone=_Reader(contact, rd.label).text("phone", max_len=20),
    )
    if row["salary_min"] is not None and row["salary_max"] is not None \
            and row["salary_min"] > row["salary_max"]:
        raise rd.fail("salary_min", "is above salary_max")
    if row["age_min"] is not None and row["age_max"] is not None \
            and row["age_min"] > row["age_max"]:
        raise rd.fail("age_min", "is above age_max")
    if row["expires_on"] < row["posted_on"]:
        raise rd.fail("expires_on", "is before posted_on")
    return row


# -- writing ------------------------------------------------------------------------------

def _newest_per_id(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    newest: dict[str, dict[str, Any]] = {}
    for row in rows:
        seen = newest.get(row["id"])
        if seen is None or row["version"] > seen["version"]:
            newest[row["id"]] = row
    return list(newest.values())


def upsert_employers(session: Session, records: Iterable[Mapping[str, Any]]) -> int:
    """Insert or update employers whose ``version`` is newer than the stored one."""
    rows = _newest_per_id(validate_employer(r, f"#{i}") for i, r in enumerate(records))
    return _upsert_employer_rows(session, rows)


def _upsert_employer_rows(session: Session, rows: list[dict[str, Any]]) -> int:
    changed = 0
    now = utcnow()
    for chunk in _chunks(rows):
        stored = dict(session.execute(
            select(EMPLOYER.c.id, EMPLOYER.c.version).where(
                EMPLOYER.c.id.in_(_json_ids([r["id"] for r in chunk])))).all())
        new, newer = [], []
        for row in chunk:
            if row["id"] not in stored:
                if not row["deleted"]:
                    new.append({**_EMPLOYER_DEFAULTS, **row, "updated_at": now})
            elif row["version"] > stored[row["id"]]:
                newer.append(row)
        if new:
            session.execute(insert(EMPLOYER), new)
        for row in newer:  # rare (real updates), so one statement each is fine
            values = {k: v for k, v in row.items() if k != "id"}
            session.execute(update(EMPLOYER).where(EMPLOYER.c.id == row["id"])
                            .values(**values, updated_at=now))
        changed += len(new) + len(newer)
    return changed


_EMPLOYER_DEFAULTS = {"industry": "", "town": "", "address": "", "intro": "", "name": ""}
_GRAM_FIELDS = ("title", "employer_name", "skills", "description", "title_initials")
_TAG_FIELDS = ("industry", "town", "job_type", "expires_on")
_INDEXED_FIELDS = _GRAM_FIELDS + _TAG_FIELDS
_STORED = [JOB.c.id, JOB.c.seq, JOB.c.version, JOB.c.deleted, JOB.c.posted_on,
           *(JOB.c[f] for f in _INDEXED_FIELDS)]
FTS_COLUMNS = ", ".join((*_GRAM_FIELDS, "tag_industry", "tag_town", "tag_job_type",
                         "tag_expires"))
# a page of gram documents travels as one JSON object {seq: document}: one statement
_INSERT_GRAMS = text("INSERT INTO job_grams(rowid, grams) "
                     "SELECT CAST(key AS INTEGER), value FROM json_each(:docs)")
_DELETE_GRAMS = text("INSERT INTO job_grams(job_grams, rowid, grams) "
                     "SELECT 'delete', CAST(key AS INTEGER), value FROM json_each(:docs)")
_FEED_FTS = text(f"INSERT INTO job_fts(rowid, {FTS_COLUMNS}) SELECT seq, {FTS_COLUMNS} "
                 "FROM job_search WHERE seq IN (SELECT value FROM json_each(:seqs)) "
                 "ORDER BY seq")

TagIds = dict[tuple[str, str], int]


def tag_ids(session: Session) -> TagIds:
    """``(kind, code) → job_tag.id`` for every code ever indexed (a few dozen rows)."""
    return {(k, c): int(i) for k, c, i in session.execute(
        text("SELECT kind, code, id FROM job_tag"))}


def _ensure_tags(session: Session, rows: Iterable[Mapping[str, Any]]) -> TagIds:
    """Number the codes these rows use (in a fixed order, so that a bulk and a row-by-row
    import number them alike) and return every number."""
    pairs = sorted({(k, str(r[k])) for r in rows for k in TAG_KINDS})
    if pairs:
        session.execute(text("INSERT OR IGNORE INTO job_tag(kind, code) VALUES (:k, :c)"),
                        [{"k": k, "c": c} for k, c in pairs])
    return tag_ids(session)


def row_tags(row: Mapping[str, Any], tags: TagIds) -> list[str]:
    """The tags a live job is indexed with (the same strings job_search builds in SQL)."""
    return [*(search_tag(kind, tags[(field, row[field])]) for field, kind in TAG_KINDS.items()),
            expires_tag(row["expires_on"])]


def gram_document(row: Mapping[str, Any], tags: TagIds) -> str:
    """Everything ``job_grams`` holds for one live job: its grams and its tags."""
    grams = row.get("_grams")
    if grams is None:
        grams = grams_for(*(str(row[f]) for f in _GRAM_FIELDS))
    return grams + " " + " ".join(row_tags(row, tags))


def _gram_docs(rows: Sequence[Mapping[str, Any]], tags: TagIds,
               seqs: Sequence[int] | None = None) -> str:
    """The documents in seq order (see _insert_new: FTS5 wants rising rowids); the seqs are
    the rows' own unless given."""
    keyed = zip(seqs, rows, strict=True) if seqs is not None else ((r["seq"], r) for r in rows)
    return json.dumps({seq: gram_document(row, tags)
                       for seq, row in sorted(keyed, key=itemgetter(0))}, ensure_ascii=False)


def _index_grams(session: Session, rows: Sequence[Mapping[str, Any]], tags: TagIds,
                 seqs: Sequence[int] | None = None) -> None:
    if rows:  # one statement for the lot: cheaper than a statement per row
        session.execute(_INSERT_GRAMS, {"docs": _gram_docs(rows, tags, seqs)})


def _unindex_grams(session: Session, rows: Sequence[Mapping[str, Any]], tags: TagIds) -> None:
    """Remove live rows from the contentless gram index (needs exactly what they were given)."""
    if rows:
        session.execute(_DELETE_GRAMS, {"docs": _gram_docs(rows, tags)})


def _take_numbers(session: Session, count: int) -> int:
    """Reserve ``count`` insertion numbers; returns the first."""
    last = session.execute(text("UPDATE job_counter SET n = n + :k WHERE id = 1 RETURNING n"),
                           {"k": count}).scalar_one()
    return int(last) - count + 1


@dataclass(frozen=True)
class PreparedJobs:
    """Job records validated and their gram text computed: the Python half of an upsert,
    which the sync worker does on its prefetch thread while the previous page is written
    (SQLite releases the GIL, so the two overlap)."""

    rows: list[dict[str, Any]]  # newest per id; may carry "_employer" and "_grams"

    def only(self, ids: Collection[str]) -> PreparedJobs:
        """The rows whose id is in ``ids`` (what survived the caller's own checks)."""
        return PreparedJobs([r for r in self.rows if r["id"] in ids])


def prepare_jobs(records: Iterable[Mapping[str, Any]], *, grams: bool = True
                 ) -> PreparedJobs:
    """Validate ``records`` (raises CatalogueFormatError naming the first bad record and
    field) and, with ``grams``, compute what the gram index will hold; touches no database.
    (Without, the grams are computed page by page as the jobs are written: an import file of
    100,000 jobs would otherwise hold 100 MB of them at once.)"""
    rows = _newest_per_id(validate_job_record(r, f"#{i} ({_rid(r)})")
                          for i, r in enumerate(records))
    if grams:
        for row in rows:
            if not row["deleted"]:
                row["_grams"] = grams_for(*(row[f] for f in _GRAM_FIELDS))
    return PreparedJobs(rows)


def upsert_jobs(session: Session, records: Iterable[Mapping[str, Any]] | PreparedJobs, *,
                bulk: bool | None = None) -> int:
    """Insert new jobs and update those whose incoming ``version`` is newer; returns how many
    rows changed. Records are validated first, so one bad record stores nothing (raises
    CatalogueFormatError). A record with ``"deleted": true`` hides the job (if newer).
    Employers carried inside job records are upserted too. ``records`` may be a
    :class:`PreparedJobs` made earlier (possibly on another thread).

    ``bulk`` picks how new jobs reach the trigram index: ``True`` one statement per page,
    ``False`` the row triggers, ``None`` (default) bulk from BULK_MIN new jobs. Both give the
    same index (tests/test_jobs_perf.py holds them to it).
    """
    prepared = records if isinstance(records, PreparedJobs) else \
        prepare_jobs(records, grams=False)
    rows = prepared.rows  # read, never changed: a PreparedJobs can be applied again
    employers = _newest_per_id(dict(r["_employer"]) for r in rows if "_employer" in r)
    if employers:
        _upsert_employer_rows(session, employers)
    if not rows:
        return 0
    tags = _ensure_tags(session, (r for r in rows if not r["deleted"]))
    now = utcnow()
    new: list[dict[str, Any]] = []
    newer: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for chunk in _chunks(rows):
        stored = {r.id: dict(r._mapping) for r in session.execute(
            select(*_STORED).where(JOB.c.id.in_(_json_ids([r["id"] for r in chunk]))))}
        for row in chunk:
            old = stored.get(row["id"])
            if old is None:
                if not row["deleted"]:  # nothing to hide; a later page cannot resurrect it
                    new.append(row)
            elif row["version"] > old["version"]:
                newer.append((old, row))
    # up to BULK_ROWS at once: FTS5 indexes 5000 rows in one statement in half the time it
    # takes for 5 × 1000; more would only hold more memory (a 100,000-job import file)
    for part in _chunks(new, BULK_ROWS):
        _insert_new(session, list(part), tags, now,
                    len(new) >= BULK_MIN if bulk is None else bulk)
    hidden = [(old, row) for old, row in newer if row["deleted"]]
    if hidden:
        _hide(session, hidden, tags, now)
    for old, row in newer:
        if not row["deleted"]:
            _update(session, old, row, tags, now)
    return len(new) + len(newer)


def _insert_new(session: Session, rows: list[dict[str, Any]], tags: TagIds, now: datetime,
                bulk: bool) -> None:
    first = _take_numbers(session, len(rows))
    # FTS5 flushes its pending terms to a new segment whenever a rowid is not above the
    # previous one: fed in seq order, a page makes one segment instead of one per job
    keyed = sorted(((seq_key(row["posted_on"], first + i, row["salary_max"]), row)
                    for i, row in enumerate(rows)), key=itemgetter(0))
    seqs = [seq for seq, _ in keyed]
    rows = [row for _, row in keyed]
    if not bulk:  # the job_fts_ai trigger indexes each row
        session.execute(insert(JOB), [{**_columns(row, now), "seq": seq} for seq, row in keyed])
    else:
        session.execute(text("CREATE TEMP TABLE IF NOT EXISTS job_stage AS "
                             "SELECT * FROM main.job WHERE 0"))
        _stage(session, keyed, now)
        session.execute(text("INSERT INTO job_fts_bulk(id) VALUES (1)"))
        try:
            session.execute(text("INSERT INTO main.job SELECT * FROM temp.job_stage"))
        finally:  # never leave the trigger off, even for a caller that goes on after an error
            session.execute(text("DELETE FROM job_fts_bulk"))
            session.execute(text("DELETE FROM temp.job_stage"))
        session.execute(_FEED_FTS, {"seqs": json.dumps(seqs)})
    _index_grams(session, rows, tags, seqs)


def _columns(row: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """A validated row as job column values (without the "_" keys prepare_jobs adds)."""
    values = {k: v for k, v in row.items() if not k.startswith("_")}
    values["updated_at"] = now
    return values


def _stage(session: Session, keyed: list[tuple[int, dict[str, Any]]], now: datetime) -> None:
    """Write (seq, row) pairs to temp.job_stage with the column types' own bind processing
    but without SQLAlchemy's per-row statement machinery (a third of the Python time of a
    page)."""
    conn = session.connection()
    columns = [c for c in STAGE.columns if c.name not in ("seq", "updated_at")]
    names = [c.name for c in columns]
    procs = [(i + 1, p) for i, c in enumerate(columns)
             if (p := bind_processor(c, conn.dialect)) is not None]
    stamp_proc = bind_processor(STAGE.c.updated_at, conn.dialect)
    stamp = stamp_proc(now) if stamp_proc else now
    pick = itemgetter(*names)
    tuples = []
    for seq, row in keyed:
        values = [seq, *pick(row), stamp]
        for i, proc in procs:
            values[i] = proc(values[i])
        tuples.append(tuple(values))
    conn.exec_driver_sql(f"INSERT INTO temp.job_stage (seq, {', '.join(names)}, updated_at) "
                         f"VALUES ({', '.join('?' * (len(names) + 2))})", tuples)


def bind_processor(column: Column[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """How SQLAlchemy turns a Python value into what it stores for ``column`` (the dialect's
    own type: the generic DateTime has none, SQLite's stores naive ISO text)."""
    return cast("Callable[[Any], Any] | None",
                column.type.dialect_impl(dialect).bind_processor(dialect))


def _hide(session: Session, pairs: list[tuple[dict[str, Any], dict[str, Any]]], tags: TagIds,
          now: datetime) -> None:
    """Withdrawn by a newer version: hidden at once (the trigger takes it out of job_fts)."""
    _unindex_grams(session, [old for old, _ in pairs if not old["deleted"]], tags)
    session.execute(
        update(JOB).where(JOB.c.id == bindparam("b_id"))
        .values(deleted=True, version=bindparam("b_version"), updated_at=now),
        [{"b_id": row["id"], "b_version": row["version"]} for _, row in pairs])


def _update(session: Session, old: dict[str, Any], row: dict[str, Any], tags: TagIds,
            now: datetime) -> None:
    """A newer version of a stored job (rare: real edits), one statement each. A new posting
    day or salary moves the job to a new ``seq`` with the same insertion number."""
    seq = seq_key(row["posted_on"], insertion_number(old["seq"]), row["salary_max"])
    moved = seq != old["seq"] or old["deleted"] or any(
        old[f] != row[f] for f in _INDEXED_FIELDS)
    if moved and not old["deleted"]:
        _unindex_grams(session, [old], tags)
    values = {k: v for k, v in _columns(row, now).items() if k not in ("id", "seq")}
    session.execute(update(JOB).where(JOB.c.id == row["id"]).values(**values, seq=seq))
    if moved:
        _index_grams(session, [row], tags, [seq])


def _rid(record: Any) -> str:
    return str(record.get("id", "?")) if isinstance(record, Mapping) else "?"


def delete_jobs(session: Session, ids: Iterable[str]) -> int:
    """Hide jobs at once (withdrawn by the employer); the rows go at the next purge."""
    id_list = list(dict.fromkeys(ids))
    changed = 0
    tags = tag_ids(session)
    for chunk in _chunks(id_list):
        live = [dict(r._mapping) for r in session.execute(
            select(*_STORED).where(JOB.c.id.in_(chunk), JOB.c.deleted.is_(False)))]
        if not live:
            continue
        _unindex_grams(session, live, tags)
        session.execute(update(JOB).where(JOB.c.seq.in_([r["seq"] for r in live]))
                        .values(deleted=True, updated_at=utcnow()))
        changed += len(live)
    return changed


def purge_expired(session: Session, today: date | None = None) -> int:
    """Physically remove expired and deleted jobs (queries already hide them); returns how
    many went. Keeps the database from growing with a district's churn of vacancies, and
    keeps searches on their fastest path (kiosk.jobs.search excludes jobs expired since the
    last purge by their expiry-day tags, and gives up on that past EXPIRED_DAYS_MAX days)."""
    today = today or date.today()
    doomed = [dict(r._mapping) for r in session.execute(
        select(*_STORED).where((JOB.c.expires_on < today) | JOB.c.deleted.is_(True)))]
    tags = tag_ids(session)
    for chunk in _chunks(doomed):
        _unindex_grams(session, [r for r in chunk if not r["deleted"]], tags)
        session.execute(JOB.delete().where(JOB.c.seq.in_([r["seq"] for r in chunk])))
    return len(doomed)


def rebuild_gram_index(session: Session) -> int:
    """Refill ``job_grams`` from the live ``job`` rows; returns how many were indexed."""
    session.execute(text("INSERT INTO job_grams(job_grams) VALUES ('delete-all')"))
    rows = [dict(r._mapping) for r in session.execute(
        select(*_STORED).where(JOB.c.deleted.is_(False)))]
    tags = _ensure_tags(session, rows)
    for chunk in _chunks(rows, 2000):
        _index_grams(session, chunk, tags)
    return len(rows)


def rebuild_search_index(session: Session) -> int:
    """Rebuild both search indexes from the ``job`` rows (repair after a crash or a manual
    edit of the table); returns the number of jobs indexed."""
    session.execute(text("INSERT OR IGNORE INTO job_tag(kind, code) "
                         + " UNION ".join(f"SELECT DISTINCT '{k}', {k} FROM job"
                                          for k in TAG_KINDS)))
    session.execute(text("INSERT INTO job_fts(job_fts) VALUES ('rebuild')"))
    return rebuild_gram_index(session)


def optimize_search_index(session: Session) -> None:
    """Merge each index into one segment. After a large import this makes a search several
    times faster (a page read off a 100,000-job index: ~0.4 ms before, ~0.1 ms after)."""
    session.execute(text("INSERT INTO job_fts(job_fts) VALUES ('optimize')"))
    session.execute(text("INSERT INTO job_grams(job_grams) VALUES ('optimize')"))


def live_count(session: Session, today: date | None = None) -> int:
    """How many jobs a resident can see today (an index-only count: the partial index needs
    the literal ``deleted = 0``, which the ORM's boolean rendering would not give)."""
    today = today or date.today()
    return int(session.execute(text(
        "SELECT count(*) FROM job INDEXED BY ix_job_live_posted "
        "WHERE deleted = 0 AND expires_on >= :today"), {"today": today.isoformat()}).scalar_one())


def catalogue_version(session: Session) -> tuple[int, datetime | None]:
    """(highest job version, last change time) for the staff panel's "catalogue version")."""
    row = session.execute(select(func.max(JOB.c.version), func.max(JOB.c.updated_at))).one()
    return int(row[0] or 0), row[1]
