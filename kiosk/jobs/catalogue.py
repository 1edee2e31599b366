"""Writing the catalogue: validated, version-checked upserts, deletions and expiry purges.

Every write to ``job`` goes through here because the short-gram index (``job_grams``) is
contentless: removing a job's grams needs the text it was indexed with, which only this module
recomputes (the trigram index ``job_fts`` is kept by triggers and needs no help). Used by
``kiosk jobs import`` and by the sync layer to apply pulled pages; call inside one
``db.write()`` so a page is applied whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Table, bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from kiosk.jobs.text import short_grams, title_initials
from kiosk.jobs.towns import resolve_town
from kiosk.jobs.vocab import EDUCATION, INDUSTRIES, JOB_TYPES
from kiosk.store.models.base import utcnow
from kiosk.store.models.jobs import Employer, Job

JOB = cast(Table, Job.__table__)
EMPLOYER = cast(Table, Employer.__table__)
CHUNK = 400  # ids per IN (...) lookup; well under SQLite's variable limit
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
    """What the short-gram index holds for one job, as one space-separated document.

    Single characters are indexed for the short fields only: one character is too unspecific
    to look for in descriptions (every one says 工作时间), so 「工」 finds 普工 and 电工, not
    every job. Two-character words are looked for everywhere, descriptions included.
    """
    grams = short_grams(title, employer_name, skills, initials)
    grams |= short_grams(description, unigrams=False)
    return " ".join(sorted(grams))


# -- validation ---------------------------------------------------------------------------

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
                EMPLOYER.c.id.in_([r["id"] for r in chunk]))).all())
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
_STORED = [JOB.c.id, JOB.c.seq, JOB.c.version, *(JOB.c[f] for f in _GRAM_FIELDS)]


def _grams(row: Mapping[Any, Any]) -> str:
    return grams_for(*(str(row[f]) for f in _GRAM_FIELDS))


def upsert_jobs(session: Session, records: Iterable[Mapping[str, Any]]) -> int:
    """Insert new jobs and update those whose incoming ``version`` is newer; returns how many
    rows changed. Records are validated first, so one bad record stores nothing (raises
    CatalogueFormatError). A record with ``"deleted": true`` hides the job (if newer).
    Employers carried inside job records are upserted too.
    """
    rows = _newest_per_id(validate_job_record(r, f"#{i} ({_rid(r)})")
                          for i, r in enumerate(records))
    employers = _newest_per_id(r.pop("_employer") for r in rows if "_employer" in r)
    if employers:
        _upsert_employer_rows(session, employers)
    now = utcnow()
    changed = 0
    for chunk in _chunks(rows):
        stored = {r.id: r for r in session.execute(
            select(*_STORED).where(JOB.c.id.in_([r["id"] for r in chunk])))}
        new: list[dict[str, Any]] = []
        newer: list[dict[str, Any]] = []
        hidden: list[dict[str, Any]] = []
        for row in chunk:
            old = stored.get(row["id"])
            if old is None:
                if not row["deleted"]:  # nothing to hide; a later page cannot resurrect it
                    new.append({**row, "updated_at": now})
            elif row["version"] > old.version:
                (hidden if row["deleted"] else newer).append(row)
        if new:
            session.execute(insert(JOB), new)
            seqs = dict(session.execute(select(JOB.c.id, JOB.c.seq).where(
                JOB.c.id.in_([r["id"] for r in new]))).all())
            session.execute(text("INSERT INTO job_grams(rowid, grams) VALUES (:s, :g)"),
                            [{"s": seqs[r["id"]], "g": _grams(r)} for r in new])
        for row in newer:
            old = stored[row["id"]]
            if any(getattr(old, f) != row[f] for f in _GRAM_FIELDS):
                _unindex_grams(session, [old._mapping])
                session.execute(text("INSERT INTO job_grams(rowid, grams) VALUES (:s, :g)"),
                                {"s": old.seq, "g": _grams(row)})
            session.execute(update(JOB).where(JOB.c.id == row["id"])
                            .values(**{k: v for k, v in row.items() if k != "id"},
                                    updated_at=now))
        if hidden:
            session.execute(
                update(JOB).where(JOB.c.id == bindparam("b_id"))
                .values(deleted=True, version=bindparam("b_version"), updated_at=now),
                [{"b_id": r["id"], "b_version": r["version"]} for r in hidden])
        changed += len(new) + len(newer) + len(hidden)
    return changed


def _rid(record: Any) -> str:
    return str(record.get("id", "?")) if isinstance(record, Mapping) else "?"


def _unindex_grams(session: Session, rows: Iterable[Mapping[Any, Any]]) -> None:
    """Remove rows from the contentless gram index (needs the exact grams they were given)."""
    params = [{"s": r["seq"], "g": _grams(r)} for r in rows]
    if params:
        session.execute(text("INSERT INTO job_grams(job_grams, rowid, grams) "
                             "VALUES ('delete', :s, :g)"), params)


def delete_jobs(session: Session, ids: Iterable[str]) -> int:
    """Hide jobs at once (withdrawn by the employer); the rows go at the next purge."""
    id_list = list(dict.fromkeys(ids))
    changed = 0
    for chunk in _chunks(id_list):
        result = session.execute(update(JOB).where(JOB.c.id.in_(chunk), JOB.c.deleted.is_(False))
                                 .values(deleted=True, updated_at=utcnow()))
        changed += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return changed


def purge_expired(session: Session, today: date | None = None) -> int:
    """Physically remove expired and deleted jobs (queries already hide them); returns how
    many went. Keeps the database from growing with a district's churn of vacancies."""
    today = today or date.today()
    doomed = session.execute(
        select(*_STORED).where((JOB.c.expires_on < today) | JOB.c.deleted.is_(True))).all()
    for chunk in _chunks(doomed):
        _unindex_grams(session, [r._mapping for r in chunk])
        session.execute(JOB.delete().where(JOB.c.seq.in_([r.seq for r in chunk])))
    return len(doomed)


def rebuild_search_index(session: Session) -> int:
    """Rebuild both search indexes from the ``job`` rows (repair after a crash or a manual
    edit of the table); returns the number of jobs indexed."""
    session.execute(text("INSERT INTO job_fts(job_fts) VALUES ('rebuild')"))
    session.execute(text("INSERT INTO job_grams(job_grams) VALUES ('delete-all')"))
    rows = session.execute(select(*_STORED)).all()
    for chunk in _chunks(rows, 2000):
        session.execute(text("INSERT INTO job_grams(rowid, grams) VALUES (:s, :g)"),
                        [{"s": r.seq, "g": _grams(r._mapping)} for r in chunk])
    return len(rows)


def live_count(session: Session, today: date | None = None) -> int:
    """How many jobs a resident can see today (an index-only count: the partial index needs
    the literal ``deleted = 0``, which the ORM's boolean rendering would not give)."""
    today = today or date.today()
    return int(session.execute(text(
        "SELECT count(*) FROM job INDEXED BY ix_job_live_posted "
        "WHERE deleted = 0 AND expires_on >= :today"), {"today": today.isoformat()}).scalar_one())


def catalogue_version(session: Session) -> tuple[int, datetime | None]:
    """(highest job version, last change time) for the staff panel's "catalogue version"."""
    row = session.execute(select(func.max(JOB.c.version), func.max(JOB.c.updated_at))).one()
    return int(row[0] or 0), row[1]
