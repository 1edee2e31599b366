"""`kiosk-central ...`: run the reference server and administer it.

Every command takes ``--db URL`` (default: $KIOSK_CENTRAL_DB, else ./central.sqlite3);
``postgresql://...`` URLs use psycopg 3. Errors are one line on stderr naming the cause.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from central.db import DEFAULT_URL

# ``kiosk-central WORD import FILE`` for each activities stream (central.activities).
ACTIVITY_COMMANDS = {"events": "events", "live": "live_sessions", "courses": "courses",
                     "projects": "projects", "mentors": "mentors",
                     "announcements": "announcements"}


def _fail(message: str, code: int = 1) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def _store(args: argparse.Namespace) -> Any:
    from central.db import Store

    return Store(args.db).open()


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"{path}: cannot be read ({exc.strerror})") from exc
    except ValueError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from exc


def _records(data: Any, key: str, path: Path) -> list[dict[str, Any]]:
    """A list of records, or ``{key: [...]}`` as the kiosk's own file formats write it."""
    if isinstance(data, dict) and isinstance(data.get(key), list):
        data = data[key]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ValueError(f"{path}: expected a list of objects (or {{\"{key}\": [...]}})")
    return data


def cmd_serve(args: argparse.Namespace) -> int:
    from central.app import ServerSettings
    from central.server import serve_forever

    store = _store(args)
    settings = ServerSettings(token_ttl_s=args.token_ttl)
    serve_forever(store, args.host, args.port, tls_cert=args.tls_cert, tls_key=args.tls_key,
                  settings=settings,
                  announce=lambda url: print(f"kiosk-central listening on {url}", flush=True))
    return 0


def cmd_enroll_code(args: argparse.Namespace) -> int:
    from central.auth import issue_enroll_code

    code = issue_enroll_code(_store(args), args.station, ttl_s=args.ttl)
    print(code)
    print(f"valid {args.ttl / 60:.0f} minutes, once, for station {args.station}: "
          f"kiosk enroll --server URL --code {code}", file=sys.stderr)
    return 0


def cmd_jobs_import(args: argparse.Namespace) -> int:
    from central.streams import publish

    result = publish(_store(args), "jobs", _records(_read_json(args.file), "jobs", args.file))
    print(f"jobs: {result.changed} published, {result.unchanged} unchanged")
    return 0


def cmd_activities_import(args: argparse.Namespace) -> int:
    """``kiosk-central events|live|courses|projects|mentors|announcements import FILE``."""
    from central.activities import ImportRefusedError, import_stream

    records = _records(_read_json(args.file), args.stream, args.file)
    try:
        result = import_stream(_store(args), args.stream, records)
    except ImportRefusedError as exc:
        return _fail(f"{args.file}: nothing imported: {exc}")
    print(f"{args.stream}: {result.changed} published, {result.unchanged} unchanged")
    return 0


def cmd_course_places(args: argparse.Namespace) -> int:
    """``kiosk-central courses places``: seats, places taken (of them at kiosks), and any
    course over its seats, marked 超员."""
    from central.activities import course_places

    courses = course_places(_store(args))
    for places in courses:
        c = places.course
        over = f"  超员 {places.over}" if places.over else ""
        print(f"{c.id}  {c.starts_on}  {c.title}  {c.seats_taken}/{c.seats} taken "
              f"({places.kiosk_places} at kiosks){over}")
    if not courses:
        print("no courses published")
    return 0


def cmd_activities_demo(args: argparse.Namespace) -> int:
    from central.activities import demo_files, import_stream

    today = args.today or date.today()
    written = demo_files(args.out, today)
    for stream, path in written.items():
        line = f"{stream}: wrote {path}"
        if args.publish:
            records = _records(_read_json(path), stream, path)
            result = import_stream(_store(args), stream, records)
            line += f", {result.changed} published, {result.unchanged} unchanged"
        print(line)
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def cmd_residents_import(args: argparse.Namespace) -> int:
    from central.facts import import_facts

    data = _read_json(args.file)
    people = _records(data, "residents", args.file)
    as_of = args.as_of or (data.get("as_of") if isinstance(data, dict) else None) or \
        date.today().isoformat()
    print(f"residents: {import_facts(_store(args), people, str(as_of))} imported")
    return 0


def cmd_policies_publish(args: argparse.Namespace) -> int:
    from central.policies import PackRefusedError, publish_pack

    try:
        version, changed = publish_pack(_store(args), args.dir, args.id)
    except PackRefusedError as exc:
        return _fail(f"pack refused: {exc}")
    print(f"policy pack {args.id}: version {version}" + ("" if changed else " (unchanged)"))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from central.streams import publish

    result = publish(_store(args), args.stream,
                     _records(_read_json(args.file), args.stream, args.file))
    print(f"{args.stream}: {result.changed} published, {result.unchanged} unchanged")
    return 0


def cmd_retract(args: argparse.Namespace) -> int:
    from central.streams import retract

    result = retract(_store(args), args.stream, args.ids)
    print(f"{args.stream}: {result.changed} deleted")
    return 0 if result.changed else 1


def cmd_kiosks(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from central.models import Kiosk

    with _store(args).read() as s:
        kiosks = s.scalars(select(Kiosk).order_by(Kiosk.station, Kiosk.enrolled_at)).all()
    if args.json:
        print(json.dumps([{"id": k.id, "station": k.station,
                           "enrolled_at": k.enrolled_at.isoformat(),
                           "last_seen_at": k.last_seen_at.isoformat() if k.last_seen_at
                           else None, "revoked": k.revoked_at is not None,
                           "health": json.loads(k.health or "{}")} for k in kiosks],
                         ensure_ascii=False))
        return 0
    for k in kiosks:
        health = json.loads(k.health or "{}")
        seen = k.last_seen_at.strftime("%Y-%m-%d %H:%M") if k.last_seen_at else "never"
        state = "REVOKED" if k.revoked_at else "ok"
        print(f"{k.id}  {k.station:<12} {state:<7} last seen {seen}  "
              f"pending {health.get('pending', '-')}  rejected {health.get('rejected', '-')}  "
              f"clock {health.get('clock_offset_s') or 0:+.0f}s")
    if not kiosks:
        print("no kiosks enrolled")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from central.auth import revoke

    if not revoke(_store(args), args.kiosk_id):
        return _fail(f"no active kiosk {args.kiosk_id}")
    print(f"kiosk {args.kiosk_id} revoked; everything it sent is kept")
    return 0


def cmd_set_status(args: argparse.Namespace) -> int:
    from central.applications import set_status

    if not set_status(_store(args), args.id, args.status, args.text):
        return _fail(f"no application {args.id}")
    print(f"application {args.id}: {args.status}")
    return 0


def cmd_compact(args: argparse.Namespace) -> int:
    from central.streams import compact, latest_seq

    store = _store(args)
    keep_after = max(0, latest_seq(store, args.stream) - args.keep)
    print(f"{args.stream}: {compact(store, args.stream, keep_after)} changes dropped")
    return 0


def build_parser() -> argparse.ArgumentParser:
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", help="database URL (sqlite:///file or postgresql://...)")
    parser = argparse.ArgumentParser(prog="kiosk-central",
                                     description="乐业西青 reference central server")
    parser.add_argument("--db", dest="db_main", help="database URL (also after the command)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, func: Any, help_text: str, parent: Any = sub) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(name, help=help_text, parents=[db])
        p.set_defaults(func=func)
        return p

    serve = add("serve", cmd_serve, "run the server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    serve.add_argument("--tls-cert", default="", help="PEM certificate (HTTPS)")
    serve.add_argument("--tls-key", default="", help="PEM private key")
    serve.add_argument("--token-ttl", type=float, default=900.0, help="token lifetime, s")
    code = add("enroll-code", cmd_enroll_code, "issue a one-time enrollment code")
    code.add_argument("--station", required=True, help="station code, e.g. XQ-YLQ-01")
    code.add_argument("--ttl", type=float, default=600.0, help="validity in seconds")
    jobs = sub.add_parser("jobs", help="jobs catalogue").add_subparsers(dest="sub",
                                                                        metavar="ACTION")
    add("import", cmd_jobs_import, "publish jobs from a JSON file (docs/data-formats.md)",
        jobs).add_argument("file", type=Path)
    for word, stream in ACTIVITY_COMMANDS.items():
        group = sub.add_parser(word, help=f"activities: the {stream} stream") \
            .add_subparsers(dest="sub", metavar="ACTION")
        act = add("import", cmd_activities_import,
                  f"check and publish {stream} from a JSON file (docs/activities.md)", group)
        act.add_argument("file", type=Path)
        act.set_defaults(stream=stream)
        if stream == "courses":
            add("places", cmd_course_places,
                "seats and places taken per course; 超员 marks one over its seats", group)
    activities = sub.add_parser("activities", help="events, courses, ... together") \
        .add_subparsers(dest="sub", metavar="ACTION")
    dem = add("demo", cmd_activities_demo, "write the demo month as import files", activities)
    dem.add_argument("--out", type=Path, default=Path("activities-demo"),
                     help="folder for the files (default ./activities-demo)")
    dem.add_argument("--today", type=_day, default=None,
                     help="first day of the month, YYYY-MM-DD (default: today)")
    dem.add_argument("--publish", action="store_true", help="also publish them to --db")
    residents = sub.add_parser("residents", help="resident facts (pilots, demos)") \
        .add_subparsers(dest="sub", metavar="ACTION")
    imp = add("import", cmd_residents_import, "load facts JSON", residents)
    imp.add_argument("file", type=Path)
    imp.add_argument("--as-of", help="date the facts are true on (YYYY-MM-DD)")
    policies = sub.add_parser("policies", help="rule packs").add_subparsers(dest="sub",
                                                                            metavar="ACTION")
    pub = add("publish", cmd_policies_publish, "check a pack folder and publish it", policies)
    pub.add_argument("dir", type=Path)
    pub.add_argument("--id", default="rule-pack", help="pack id (default rule-pack)")
    gen = add("publish", cmd_publish, "publish records of any stream from a JSON file")
    gen.add_argument("stream", help="announcements, station_settings, ...")
    gen.add_argument("file", type=Path)
    ret = add("retract", cmd_retract, "delete entities of a stream")
    ret.add_argument("stream")
    ret.add_argument("ids", nargs="+")
    kiosks = add("kiosks", cmd_kiosks, "list kiosks with last seen and health")
    kiosks.add_argument("--json", action="store_true")
    add("revoke", cmd_revoke, "revoke a kiosk (its data stays)").add_argument("kiosk_id")
    apps = sub.add_parser("applications", help="application statuses") \
        .add_subparsers(dest="sub", metavar="ACTION")
    st = add("set-status", cmd_set_status, "set where an application stands", apps)
    st.add_argument("id")
    st.add_argument("status", help="received, reviewing, approved, rejected, paid, ...")
    st.add_argument("--text", default="", help="what the resident is told (Chinese)")
    comp = add("compact", cmd_compact, "drop old changes of a stream (old cursors get 410)")
    comp.add_argument("stream")
    comp.add_argument("--keep", type=int, default=10000, help="changes to keep")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    args.db = getattr(args, "db", None) or args.db_main or \
        os.environ.get("KIOSK_CENTRAL_DB") or DEFAULT_URL
    try:
        return int(func(args) or 0)
    except ValueError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a CLI error is one line, never a traceback
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError | OSError):
            return _fail(f"database {args.db}: {str(exc).splitlines()[0]}")
        raise


if __name__ == "__main__":
    sys.exit(main())
