"""Finding jobs: keyword search, filters, sorts, quick-search chips, details and map counts.

Keywords go through SQLite FTS5. Words of 3+ characters use the ``job_fts`` trigram index
(title, employer, skills, description and the title's pinyin initials). The trigram tokenizer
cannot match 1- or 2-character words, yet most of what residents type or tap is exactly that
(保洁, 司机, 普工, bj), so those go to ``job_grams``, a side index of every 2-character gram
(and the 1-character grams of the short fields). LIKE '%保洁%' was the other choice; over 100,000
jobs it scans every description and took 140–380 ms here against about 1 ms for the gram index.

A keyword search is answered by the index alone (migration 0006): industry, town and job type
are tags ANDed into the MATCH, jobs that expired since the last purge are NOT-ed out by their
expiry-day tags, hidden jobs are not indexed, and the rowid (``seq``) holds the posting day,
the insertion order and the salary, so the count is a doclist intersection, the newest page is
the first rows of a backwards walk, and a salary floor or salary sort reads the rowid's low
bits. A distance sort walks the towns by their tags. Only a distance sort of few matches, and
a kiosk that has not purged expired jobs for months, look matches up in the narrow index of
live rows (``ix_job_live``). Looking every match up there to filter and sort it cost twice the
bare FTS5 query (issue #4); now a filtered search costs less than listing the bare query's
rowids.

Without keywords, lists are range reads of the covering indexes (``ix_job_live_*``). Either way
only the page's rows are read in full: reading the wide rows (with their descriptions) for every
match was the dominant cost once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from kiosk.i18n import N_
from kiosk.identity import mask_phone
from kiosk.jobs.text import (
    SALARY_MASK,
    TAG_EXPIRES,
    TAG_KINDS,
    day_floor_key,
    fts_string,
    salary_code,
    search_tag,
    short_term,
    split_terms,
)
from kiosk.jobs.towns import distance_km, town_label, towns_by_code
from kiosk.jobs.vocab import (
    age_text,
    education_label,
    industry_label,
    job_type_label,
    salary_text,
)
from kiosk.store.engine import Database
from kiosk.store.models.jobs import Employer, Job

SORTS = ("newest", "salary", "distance")
READ_CACHE_KIB = 32 * 1024  # page cache for connections that search (SQLite's default: 2 MiB)
# Jobs expired since the last purge are NOT-ed out of a MATCH by their expiry day; past this
# many distinct days (a kiosk that has not purged for months) the matches are filtered on
# ix_job_live instead: correct, just slower.
EXPIRED_DAYS_MAX = 120


class JobNotFoundError(LookupError):
    """The job is gone (expired, withdrawn or never existed); ``message`` is for residents."""

    message = N_("该岗位已过期或已下架，请看看其他岗位。")  # screens show tr(message)


@dataclass(frozen=True)
class JobQuery:
    """What the resident asked for. Empty fields do not filter."""

    text: str = ""
    industry: str | None = None
    town: str | None = None
    job_type: str | None = None
    salary_floor: int | None = None  # 元/月: jobs whose top of range reaches it (面议 excluded)
    posted_within_days: int | None = None
    sort: str = "newest"  # newest | salary | distance
    near_town: str | None = None  # the resident's town, needed for sort="distance"

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"unknown sort {self.sort!r}; expected one of {', '.join(SORTS)}")
        if self.sort == "distance" and not self.near_town:
            raise ValueError("sort='distance' needs near_town")
        if self.near_town and self.near_town not in towns_by_code():
            raise ValueError(f"unknown near_town {self.near_town!r}")

    def replace(self, **changes: Any) -> JobQuery:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, slots=True)
class JobSummary:
    """One line of a result list: everything a job card shows, nothing personal."""

    id: str
    title: str
    employer_name: str
    industry: str
    job_type: str
    town: str
    salary_min: int | None
    salary_max: int | None
    education_min: str
    posted_on: date
    expires_on: date
    headcount: int | None

    # The labels are for screens: in the resident's language (kiosk.i18n); town names stay
    # Chinese (they are the names on the signs).
    @property
    def industry_label(self) -> str:
        return industry_label(self.industry, translate=True)

    @property
    def job_type_label(self) -> str:
        return job_type_label(self.job_type, translate=True)

    @property
    def town_label(self) -> str:
        return town_label(self.town)

    @property
    def salary_text(self) -> str:
        return salary_text(self.salary_min, self.salary_max, translate=True)

    @property
    def education_label(self) -> str:
        return education_label(self.education_min, translate=True)


@dataclass(frozen=True, slots=True)
class JobDetail(JobSummary):
    """The detail page. The employer's contact is only ever shown masked: the station's
    matchmaker (就业红娘) makes the connection after the resident signs up."""

    address: str
    age_min: int | None
    age_max: int | None
    skills: tuple[str, ...]
    benefits: tuple[str, ...]
    work_hours: str
    description: str
    contact_masked: str
    employer_id: str
    employer_intro: str
    version: int

    @property
    def age_text(self) -> str:
        return age_text(self.age_min, self.age_max, translate=True)


@dataclass(frozen=True)
class Chip:
    """A quick search on the jobs screen (a big button instead of typing)."""

    label: str
    query: JobQuery


def popular_chips() -> tuple[Chip, ...]:
    """The quick searches residents tap most: short words and the special job types."""
    # Labels are Chinese (a word chip searches for its own word); screens show tr(label).
    words = (N_("保洁"), N_("保安"), N_("司机"), N_("普工"), N_("护理"), N_("客服"),
             N_("配送"), N_("电工"), N_("厨师"), N_("会计"))
    return (*(Chip(w, JobQuery(text=w)) for w in words),
            Chip(N_("兼职"), JobQuery(job_type="parttime")),
            Chip(N_("灵活就业"), JobQuery(job_type="flexible")),
            Chip(N_("见习"), JobQuery(job_type="internship")),
            Chip(N_("公益性岗位"), JobQuery(job_type="public_welfare")))


# -- query building -----------------------------------------------------------------------

_COLUMNS = ("id", "title", "employer_name", "industry", "job_type", "town", "salary_min",
            "salary_max", "education_min", "posted_on", "expires_on", "headcount")
SUMMARY_SQL = ", ".join(f"j.{c}" for c in _COLUMNS)  # select list for summary_from_row (alias j)


@dataclass
class _Plan:
    text_source: str | None  # FROM clause joining a keyword match to the narrow index (alias c)
    where: list[str]
    params: dict[str, Any]
    order: str  # ORDER BY with {a} standing for the table alias

    def source(self, index: str) -> str:
        """FROM clause; without keywords, scan the covering ``index`` named by the caller
        (chosen by hand: without ANALYZE data SQLite's guess read whole rows instead)."""
        return self.text_source or f"job c INDEXED BY {index}"

    def sql_where(self) -> str:
        return " AND ".join(self.where)


def _plan(query: JobQuery, today: date) -> _Plan:
    terms = split_terms(query.text)
    long_terms = [t for t in terms if len(t) >= 3]
    short_terms = [s for s in (short_term(t) for t in terms if len(t) < 3) if s]
    params: dict[str, Any] = {"today": today.isoformat()}
    where: list[str] = []
    text_source = None
    if long_terms:
        text_source = "job_fts f CROSS JOIN job c INDEXED BY ix_job_live ON c.seq = f.rowid"
        where.append("f.job_fts MATCH :fts")
        params["fts"] = " AND ".join(fts_string(t) for t in long_terms)
        if short_terms:
            where.append("c.seq IN (SELECT rowid FROM job_grams WHERE job_grams MATCH :grams)")
    elif short_terms:
        text_source = "job_grams g CROSS JOIN job c INDEXED BY ix_job_live ON c.seq = g.rowid"
        where.append("g.job_grams MATCH :grams")
    if short_terms:
        params["grams"] = " AND ".join(fts_string(t) for t in short_terms)
    where += ["c.deleted = 0", "c.expires_on >= :today"]
    for field in ("industry", "town", "job_type"):
        value = getattr(query, field)
        if value:
            where.append(f"c.{field} = :{field}")
            params[field] = value
    if query.salary_floor:
        where.append("c.salary_max >= :salary_floor")
        params["salary_floor"] = query.salary_floor
    if query.posted_within_days is not None:
        where.append("c.posted_on >= :posted_since")
        params["posted_since"] = (today - timedelta(days=query.posted_within_days)).isoformat()
    if query.sort == "salary":
        order = "{a}.salary_max DESC, {a}.posted_on DESC, {a}.seq DESC"
    elif query.sort == "distance":
        cases = " ".join(f"WHEN :near{i} THEN {i}" for i in range(len(towns_by_code())))
        params.update({f"near{i}": code for i, code in enumerate(_towns_nearest(query))})
        order = f"CASE {{a}}.town {cases} ELSE 99 END, {{a}}.posted_on DESC, {{a}}.seq DESC"
    else:
        order = _NEWEST
    return _Plan(text_source, where, params, order)


_NEWEST = "{a}.posted_on DESC, {a}.seq DESC"


def _towns_nearest(query: JobQuery) -> list[str]:
    """Town codes from the resident's own town outwards (by distance between centres)."""
    near = query.near_town or ""
    return sorted(towns_by_code(), key=lambda t: (distance_km(near, t), t))


@dataclass
class _Match:
    """A keyword search as one FTS5 query over ``job_fts`` or ``job_grams`` (alias f), plus
    what the index cannot answer: ``residual`` conditions on ``ix_job_live`` (alias c)."""

    query: JobQuery
    table: str
    words: list[str]  # ANDed in the MATCH: the keywords and the filter tags
    exclude: str  # " NOT (…)" of the expiry days of jobs expired since the last purge
    where: list[str]  # besides the MATCH: the short-word subquery, the "posted since" range
    params: dict[str, Any]
    residual: list[str]
    town_tags: dict[str, str]  # for the distance walk
    empty: bool = False  # a filter value no job has ever had

    def bind(self, *extra_words: str) -> dict[str, Any]:
        match = "(" + " AND ".join([*self.words, *extra_words]) + ")" + self.exclude
        return {**self.params, "match": match}

    def tag_word(self, field: str, tag: str) -> str:
        return f"tag_{field} : {fts_string(tag)}" if self.table == "job_fts" else fts_string(tag)

    def fts(self) -> str:
        return f"{self.table} f WHERE {' AND '.join([f'f.{self.table} MATCH :match', *self.where])}"

    def joined(self) -> str:
        # the partial index needs the literal deleted = 0 to be usable
        return (f"{self.table} f CROSS JOIN job c INDEXED BY ix_job_live ON c.seq = f.rowid "
                f"WHERE {' AND '.join([f'f.{self.table} MATCH :match', *self.where])} "
                f"AND {' AND '.join(['c.deleted = 0', *self.residual])}")

    def count_sql(self) -> str:
        return f"SELECT count(*) FROM {self.joined() if self.residual else self.fts()}"

    def newest_sql(self) -> str:
        """The seqs of a newest-first page: the first rowids of a backwards walk."""
        return (f"SELECT f.rowid FROM {self.joined() if self.residual else self.fts()} "
                "ORDER BY f.rowid DESC LIMIT :limit OFFSET :offset")

    def salary_sql(self, with_count: bool) -> str:
        """By salary: the salary is in the rowid's low bits, so the matches are sorted without
        looking one up (joining ix_job_live for it made this the slowest search, 2.5 ms for
        数控车床). A trigram MATCH is run once into a list that the page and the count share;
        the gram index is cheaper to ask twice than to copy."""
        order = f"ORDER BY (rowid & {SALARY_MASK}) DESC, rowid DESC LIMIT :limit OFFSET :offset"
        src = self.joined() if self.residual else self.fts()
        if self.table == "job_grams" or not with_count:
            count = f", ({self.count_sql()})" if with_count else ""
            inner = f"SELECT f.rowid AS rowid FROM {src} {order}"
            return (f"SELECT {SUMMARY_SQL}{count} FROM job j WHERE j.seq IN ({inner}) "
                    "ORDER BY j.salary_max DESC, j.seq DESC")
        return (f"WITH m AS MATERIALIZED (SELECT f.rowid AS rowid FROM {src}) "
                f"SELECT {SUMMARY_SQL}, (SELECT count(*) FROM m) FROM job j WHERE j.seq IN ("
                f"SELECT rowid FROM m {order}) ORDER BY j.salary_max DESC, j.seq DESC")

    def distance_sql(self, cases: str) -> str:
        """A distance page of few matches: each looked up for its town, then sorted."""
        return (f"SELECT {SUMMARY_SQL} FROM job j WHERE j.seq IN (SELECT c.seq FROM "
                f"{self.joined()} ORDER BY CASE c.town {cases} ELSE 99 END, c.seq DESC "
                f"LIMIT :limit OFFSET :offset) ORDER BY CASE j.town {cases} ELSE 99 END, "
                "j.seq DESC")


DENSE_MATCHES = 1000  # from this many matches a distance page walks the towns instead


def _match(session: Session, query: JobQuery, today: date) -> _Match | None:
    """The keyword plan for ``query``; None when it has no keywords."""
    terms = split_terms(query.text)
    long_terms = [t for t in terms if len(t) >= 3]
    short_terms = [s for s in (short_term(t) for t in terms if len(t) < 3) if s]
    if not long_terms and not short_terms:
        return None
    table = "job_fts" if long_terms else "job_grams"
    m = _Match(query, table, [fts_string(t) for t in (long_terms or short_terms)], "", [], {},
               [], {})
    if long_terms and short_terms:
        m.where.append("f.rowid IN (SELECT rowid FROM job_grams WHERE job_grams MATCH :grams)")
        m.params["grams"] = " AND ".join(fts_string(t) for t in short_terms)
    wanted = {(f, getattr(query, f)) for f in TAG_KINDS if getattr(query, f)}
    ids, expired = _tags_and_expired(session, today)
    if wanted or query.sort == "distance":
        for field, code in sorted(wanted):
            if (field, code) not in ids:
                m.empty = True  # no job was ever indexed with it
                continue
            m.words.append(m.tag_word(field, search_tag(TAG_KINDS[field], ids[(field, code)])))
        m.town_tags = {code: m.tag_word("town", search_tag(TAG_KINDS["town"], i))
                       for (kind, code), i in ids.items() if kind == "town"}
    if query.salary_floor:  # read from the rowid: no lookup (kiosk.jobs.text.seq_key)
        m.where.append(f"(f.rowid & {SALARY_MASK}) >= :salary_code")
        m.params["salary_code"] = salary_code(query.salary_floor)
    if expired is None:
        m.residual.append("c.expires_on >= :today")
        m.params["today"] = today.isoformat()
    elif expired:
        tags = [fts_string(search_tag(TAG_EXPIRES, d)) for d in expired]
        column = "tag_expires : " if table == "job_fts" else ""
        m.exclude = f" NOT {column}(" + " OR ".join(tags) + ")"
    if query.posted_within_days is not None:
        m.where.append("f.rowid >= :since_key")
        m.params["since_key"] = day_floor_key(today - timedelta(days=query.posted_within_days))
    return m


def _tags_and_expired(session: Session, today: date
                      ) -> tuple[dict[tuple[str, str], int], list[int] | None]:
    """In one query: every tag number (``job_tag``), and the day numbers of the expiry dates
    of live jobs that have expired since the last purge (None when there are more than
    EXPIRED_DAYS_MAX of them)."""
    ids: dict[tuple[str, str], int] = {}
    days: list[int] = []
    for kind, code, value in session.execute(text(
            "SELECT kind, code, id FROM job_tag UNION ALL "
            "SELECT '', '', d FROM (SELECT DISTINCT CAST(julianday(expires_on) AS INTEGER) AS d "
            "FROM job INDEXED BY ix_job_live_expires WHERE deleted = 0 AND expires_on < :today "
            "LIMIT :cap)"), {"today": today.isoformat(), "cap": EXPIRED_DAYS_MAX + 1}):
        if kind:
            ids[(kind, code)] = int(value)
        else:
            days.append(int(value))
    return ids, None if len(days) > EXPIRED_DAYS_MAX else days


def _rows(session: Session, inner: str, order_j: str, params: dict[str, Any],
          count: str = "") -> list[Any]:
    """Read in full only the page's rows (``inner`` selects their seqs)."""
    sql = (f"SELECT {SUMMARY_SQL}{f', ({count})' if count else ''} FROM job j "
           f"WHERE j.seq IN ({inner}) ORDER BY {order_j}")
    return list(session.execute(text(sql), params).all())


def _match_page(session: Session, m: _Match, offset: int, limit: int, *, with_count: bool
                ) -> tuple[list[JobSummary], int | None]:
    """One page (and, with ``with_count``, the total: in the same statement, except for a
    distance page, which needs the total first to choose its plan)."""
    if m.empty:
        return [], 0
    offset = max(0, offset)
    params = {**m.bind(), "limit": limit, "offset": offset}
    if m.query.sort in ("newest", "salary"):
        # each row carries the total in its last column when ``with_count``
        if m.query.sort == "newest":
            rows = _rows(session, m.newest_sql(), "j.seq DESC", params,
                         m.count_sql() if with_count else "")
        else:
            rows = list(session.execute(text(m.salary_sql(with_count)), params))
        items = [summary_from_row(r) for r in rows]
        if not with_count:
            return items, None
        if rows:
            return items, int(rows[0][-1])
        return items, _match_count(session, m) if offset > 0 else 0
    total = _match_count(session, m)  # a distance page picks its plan by the number
    if total <= offset:
        items = []
    elif total >= DENSE_MATCHES:
        items = _distance_walk(session, m, offset, limit)
    else:
        nearest = _towns_nearest(m.query)
        cases = " ".join(f"WHEN :near{i} THEN {i}" for i in range(len(nearest)))
        params.update({f"near{i}": code for i, code in enumerate(nearest)})
        items = [summary_from_row(r) for r in session.execute(text(m.distance_sql(cases)),
                                                              params)]
    return items, total if with_count else None


def _distance_walk(session: Session, m: _Match, offset: int, limit: int
                   ) -> list[JobSummary]:
    """Many matches, by distance: the towns from the nearest outwards, each a newest-first
    walk of the index with the town's tag added (sorting every match by a computed distance
    cost 15–30 ms for a one-character word)."""
    out: list[JobSummary] = []
    for town in _towns_nearest(m.query):
        tag = m.town_tags.get(town)
        if tag is None:  # no job was ever indexed there
            continue
        params = m.bind(tag)
        if offset:  # skip whole towns before the requested page
            n = int(session.execute(text(m.count_sql()), params).scalar_one())
            if n <= offset:
                offset -= n
                continue
        out += [summary_from_row(r) for r in _rows(
            session, m.newest_sql(), "j.seq DESC",
            {**params, "limit": limit - len(out), "offset": offset})]
        offset = 0
        if len(out) >= limit:
            break
    return out


def _match_count(session: Session, m: _Match) -> int:
    if m.empty:
        return 0
    return int(session.execute(text(m.count_sql()), m.bind()).scalar_one())


def tune_connection(session: Session) -> None:
    """Give this connection a page cache that holds the search indexes (once per pooled
    connection): with SQLite's 2 MiB default, every search re-read them from the OS."""
    conn = session.connection()
    if not conn.info.get("jobs_tuned"):
        conn.exec_driver_sql(f"PRAGMA cache_size=-{READ_CACHE_KIB}")
        conn.info["jobs_tuned"] = True


def summary_from_row(row: Any) -> JobSummary:
    """A JobSummary from a row that begins with SUMMARY_SQL's columns (raw SQL is used because
    list queries need FTS5 MATCH and INDEXED BY, which the ORM does not express)."""
    return JobSummary(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8],
                      date.fromisoformat(row[9]), date.fromisoformat(row[10]), row[11])


# -- reading ------------------------------------------------------------------------------

def search(session: Session, query: JobQuery, offset: int = 0, limit: int = 50,
           today: date | None = None) -> list[JobSummary]:
    """One page of live jobs matching ``query``, in its sort order."""
    if limit <= 0:
        return []
    today = today or date.today()
    tune_connection(session)
    m = _match(session, query, today)
    if m is not None:
        return _match_page(session, m, offset, limit, with_count=False)[0]
    plan = _plan(query, today)
    offset = max(0, offset)
    if query.sort == "distance" and plan.text_source is None and not query.town:
        return _by_distance(session, query, plan, offset, limit)
    if query.sort == "salary" and not query.town:
        index = "ix_job_live_salary"
    else:
        index = "ix_job_live_town" if query.town else "ix_job_live_posted"
    return _page(session, plan, plan.source(index), plan.order, offset, limit)


def _page(session: Session, plan: _Plan, source: str, order: str, offset: int, limit: int,
          extra_where: str = "", extra: dict[str, Any] | None = None) -> list[JobSummary]:
    """Filter and sort on the narrow index, then read only the page's rows in full."""
    where = plan.sql_where() + extra_where
    sql = (f"SELECT {SUMMARY_SQL} FROM job j WHERE j.seq IN ("
           f"SELECT c.seq FROM {source} WHERE {where} "
           f"ORDER BY {order.format(a='c')} LIMIT :limit OFFSET :offset) "
           f"ORDER BY {order.format(a='j')}")
    params = {**plan.params, **(extra or {}), "limit": limit, "offset": offset}
    return [summary_from_row(r) for r in session.execute(text(sql), params)]


@dataclass(frozen=True)
class SearchPage:
    items: list[JobSummary]
    total: int


def search_page(session: Session, query: JobQuery, offset: int = 0, limit: int = 50,
                today: date | None = None) -> SearchPage:
    """A page and the total in one go: what a list needs when a query changes.

    With keywords, one statement: the page is read off the index and the count is the same
    MATCH counted (a doclist intersection, no row lookups). Without keywords the page is an
    index range read and the count a separate index-only scan.
    """
    today = today or date.today()
    tune_connection(session)
    m = _match(session, query, today)
    if m is None or limit <= 0:
        return SearchPage(search(session, query, offset, limit, today),
                          count(session, query, today))
    items, total = _match_page(session, m, offset, limit, with_count=True)
    return SearchPage(items, total or 0)


def _by_distance(session: Session, query: JobQuery, plan: _Plan, offset: int, limit: int
                 ) -> list[JobSummary]:
    """Browse by distance without keywords: walk the towns from the nearest outwards, each a
    newest-first range of the town index (sorting all live jobs by a computed distance
    took ~350 ms with 100,000 jobs)."""
    out: list[JobSummary] = []
    source = plan.source("ix_job_live_town")
    for town in _towns_nearest(query):
        extra = {"bucket": town}
        if offset:  # skip whole towns before the requested page
            n = int(session.execute(text(
                f"SELECT count(*) FROM {source} WHERE {plan.sql_where()} AND c.town = :bucket"),
                {**plan.params, **extra}).scalar_one())
            if n <= offset:
                offset -= n
                continue
        out += _page(session, plan, source, _NEWEST, offset, limit - len(out),
                     " AND c.town = :bucket", extra)
        offset = 0
        if len(out) >= limit:
            break
    return out


def count(session: Session, query: JobQuery, today: date | None = None) -> int:
    """How many live jobs match ``query`` (for 共N个岗位)."""
    today = today or date.today()
    tune_connection(session)
    m = _match(session, query, today)
    if m is not None:
        return _match_count(session, m)
    plan = _plan(query, today)
    source = plan.source("ix_job_live_town" if query.town else "ix_job_live_posted")
    sql = f"SELECT count(*) FROM {source} WHERE {plan.sql_where()}"
    return int(session.execute(text(sql), plan.params).scalar_one())


def town_counts(session: Session, query: JobQuery | None = None, today: date | None = None
                ) -> dict[str, int]:
    """Live jobs per town code (every town present, zeros included), for the map."""
    plan = _plan(query or JobQuery(), today or date.today())
    tune_connection(session)
    sql = (f"SELECT c.town, count(*) FROM {plan.source('ix_job_live_town')} "
           f"WHERE {plan.sql_where()} GROUP BY c.town")
    counts = dict.fromkeys(towns_by_code(), 0)
    for town, n in session.execute(text(sql), plan.params):
        counts[town] = int(n)
    return counts


def get_job(session: Session, job_id: str, today: date | None = None) -> JobDetail:
    """The detail of one live job; raises :class:`JobNotFoundError` when it is gone."""
    today = today or date.today()
    job = session.execute(select(Job).where(Job.id == job_id, Job.deleted.is_(False),
                                            Job.expires_on >= today)).scalar_one_or_none()
    if job is None:
        raise JobNotFoundError(job_id)
    employer = session.get(Employer, job.employer_id) if job.employer_id else None
    contact = " ".join(p for p in (job.contact_name, mask_phone(job.contact_phone)
                                   if job.contact_phone else "") if p)
    return JobDetail(
        id=job.id, title=job.title, employer_name=job.employer_name, industry=job.industry,
        job_type=job.job_type, town=job.town, salary_min=job.salary_min,
        salary_max=job.salary_max, education_min=job.education_min, posted_on=job.posted_on,
        expires_on=job.expires_on, headcount=job.headcount, address=job.address,
        age_min=job.age_min, age_max=job.age_max, skills=_split(job.skills),
        benefits=_split(job.benefits), work_hours=job.work_hours, description=job.description,
        contact_masked=contact, employer_id=job.employer_id,
        employer_intro=employer.intro if employer and not employer.deleted else "",
        version=job.version,
    )


def _split(value: str) -> tuple[str, ...]:
    return tuple(p for p in value.split("、") if p)


class CatalogueFeed:
    """The ``fetch(offset, limit)`` / ``count()`` pair a job list needs, over one query.

    ``today`` is fixed when the feed is made so that paging through a list stays consistent
    across midnight; the count is computed once.
    """

    def __init__(self, db: Database, query: JobQuery, today: date | None = None) -> None:
        self.db = db
        self.query = query
        self.today = today or date.today()
        self._count: int | None = None

    def fetch(self, offset: int, limit: int) -> list[JobSummary]:
        with self.db.read() as session:
            if self._count is None and offset == 0:  # first page: count in the same pass
                page = search_page(session, self.query, 0, limit, self.today)
                self._count = page.total
                return page.items
            return search(session, self.query, offset, limit, self.today)

    def count(self) -> int:
        if self._count is None:
            with self.db.read() as session:
                self._count = count(session, self.query, self.today)
        return self._count


def summaries_by_id(session: Session, ids: Iterable[str], today: date | None = None
                    ) -> dict[str, JobSummary]:
    """Live jobs by id (for 我的报名 and recommendations); missing ids are left out."""
    id_list = list(ids)
    if not id_list:
        return {}
    today = today or date.today()
    marks = ", ".join(f":i{k}" for k in range(len(id_list)))
    sql = (f"SELECT {SUMMARY_SQL} FROM job j WHERE j.id IN ({marks}) AND j.deleted = 0 "
           "AND j.expires_on >= :today")
    params = {f"i{k}": v for k, v in enumerate(id_list)} | {"today": today.isoformat()}
    return {s.id: s for s in map(summary_from_row, session.execute(text(sql), params))}
