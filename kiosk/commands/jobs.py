"""`kiosk jobs ...`: build, load and look into the jobs catalogue (demo data and imports)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("jobs", help="jobs catalogue: generate, "
                                                     "import, search, purge")
    jobs_sub = parser.add_subparsers(dest="jobs_command", metavar="ACTION")

    gen = jobs_sub.add_parser("generate", help="write a demo catalogue of Xiqing jobs as JSON")
    gen.add_argument("--count", type=int, default=2000, help="number of jobs (default 2000)")
    gen.add_argument("--seed", type=int, default=None, help="random seed (same seed, same jobs)")
    gen.add_argument("--today", type=_day, default=None,
                     help="date the catalogue is live on, YYYY-MM-DD (default: today)")
    gen.add_argument("--out", type=Path, required=True, help="output file ('-' for stdout)")
    gen.set_defaults(func=_generate)

    imp = jobs_sub.add_parser("import", help="load a catalogue file into the kiosk database")
    imp.add_argument("file", type=Path)
    imp.add_argument("--db", type=Path, default=None, help="database file (default: the kiosk's)")
    imp.set_defaults(func=_import)

    find = jobs_sub.add_parser("search", help="search the catalogue as a resident would")
    find.add_argument("text", nargs="?", default="")
    find.add_argument("--town", default=None)
    find.add_argument("--limit", type=int, default=10)
    find.add_argument("--db", type=Path, default=None)
    find.set_defaults(func=_search)

    purge = jobs_sub.add_parser("purge", help="remove expired and withdrawn jobs")
    purge.add_argument("--db", type=Path, default=None)
    purge.set_defaults(func=_purge)

    def _usage(_args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    parser.set_defaults(func=_usage)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _fail(message: str) -> int:
    print(f"kiosk jobs: {message}", file=sys.stderr)
    return 1


def _open_db(path: Path | None) -> Any:
    from kiosk.paths import kiosk_dirs
    from kiosk.store.engine import Database

    return Database(path or kiosk_dirs().ensure().database).open()


def _generate(args: argparse.Namespace) -> int:
    import json

    from kiosk.jobs.fileformat import write_catalogue
    from kiosk.jobs.generator import DEFAULT_SEED, generate_catalogue

    if args.count < 0:
        return _fail("--count must not be negative")
    seed = DEFAULT_SEED if args.seed is None else args.seed
    catalogue = generate_catalogue(args.count, seed, args.today)
    if str(args.out) == "-":
        json.dump(catalogue, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    try:
        write_catalogue(args.out, catalogue)
    except OSError as exc:
        return _fail(f"cannot write {args.out}: {exc.strerror or exc}")
    print(f"wrote {args.count} jobs (seed {seed}) to {args.out}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from kiosk.jobs.catalogue import CatalogueFormatError, upsert_employers, upsert_jobs
    from kiosk.jobs.fileformat import read_catalogue
    from kiosk.store.engine import StorageError

    try:
        catalogue = read_catalogue(args.file)
    except OSError as exc:
        return _fail(f"cannot read {args.file}: {exc.strerror or exc}")
    except CatalogueFormatError as exc:
        return _fail(f"bad catalogue: {exc}")
    try:
        db = _open_db(args.db)
    except StorageError as exc:
        return _fail(str(exc))
    try:
        with db.write() as s:  # all or nothing: a bad record leaves the catalogue untouched
            employers = upsert_employers(s, catalogue.employers)
            changed = upsert_jobs(s, catalogue.jobs)
    except CatalogueFormatError as exc:
        return _fail(f"bad catalogue (nothing imported): {exc}")
    finally:
        db.close()
    print(f"{len(catalogue.jobs)} jobs read, {changed} added or updated"
          + (f", {employers} employers" if catalogue.employers else "") + f" in {db.path}")
    return 0


def _search(args: argparse.Namespace) -> int:
    from kiosk.jobs.search import JobQuery, count, search
    from kiosk.jobs.towns import resolve_town
    from kiosk.store.engine import StorageError

    town = None
    if args.town:
        town = resolve_town(args.town)
        if town is None:
            return _fail(f"unknown town or street {args.town!r}")
    try:
        db = _open_db(args.db)
    except StorageError as exc:
        return _fail(str(exc))
    try:
        query = JobQuery(text=args.text, town=town)
        with db.read() as s:
            total = count(s, query)
            jobs = search(s, query, 0, args.limit)
    finally:
        db.close()
    print(f"{total} jobs")
    for j in jobs:
        print(f"{j.id}  {j.title}  {j.employer_name}  {j.town_label}  {j.salary_text}  "
              f"{j.job_type_label}  {j.posted_on}")
    return 0


def _purge(args: argparse.Namespace) -> int:
    from kiosk.jobs.catalogue import purge_expired
    from kiosk.store.engine import StorageError

    try:
        db = _open_db(args.db)
    except StorageError as exc:
        return _fail(str(exc))
    try:
        with db.write() as s:
            removed = purge_expired(s)
    finally:
        db.close()
    print(f"removed {removed} expired or withdrawn jobs")
    return 0
