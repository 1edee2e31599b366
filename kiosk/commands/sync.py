"""`kiosk enroll` and `kiosk sync now|status|requeue`: the technician's and staff's handles on
background sync. Each prints one line naming the cause when it fails, never a traceback."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kiosk.commands.common import add_config_args, load


def register(sub: Any) -> None:
    enroll: argparse.ArgumentParser = sub.add_parser(
        "enroll", help="enroll this kiosk with the central server (one-time code)")
    add_config_args(enroll)
    enroll.add_argument("--server", required=True, help="server URL, e.g. https://lexy.example")
    enroll.add_argument("--code", required=True, help="one-time code from `kiosk-central "
                        "enroll-code`")
    enroll.add_argument("--station", help="station code (default: station.code in the config)")
    enroll.set_defaults(func=run_enroll)

    sync: argparse.ArgumentParser = sub.add_parser("sync", help="background sync with the "
                                                   "central server")
    sync_sub = sync.add_subparsers(dest="sync_command", metavar="ACTION")
    now = sync_sub.add_parser("now", help="push and pull once, now")
    add_config_args(now)
    now.set_defaults(func=run_now)
    status = sync_sub.add_parser("status", help="what is waiting, last push/pull, last error")
    add_config_args(status)
    status.add_argument("--json", action="store_true", help="one JSON object")
    status.set_defaults(func=run_status)
    requeue = sync_sub.add_parser("requeue", help="send rejected/conflict records again")
    add_config_args(requeue)
    requeue.add_argument("ids", nargs="+", help="outbox record ids (see `sync status`)")
    requeue.set_defaults(func=run_requeue)

    def usage(_args: argparse.Namespace) -> int:
        sync.print_help()
        return 2

    sync.set_defaults(func=usage)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _open(args: argparse.Namespace) -> Any:
    """(config, database, sync data dir) or None after a one-line message."""
    loaded = load(args)
    if loaded is None:
        return None
    config, dirs = loaded
    from kiosk.app import database_path
    from kiosk.store.engine import Database, StorageError

    path = database_path(config, dirs)
    try:
        db = Database(path).open()
    except StorageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    return config, db, path.parent


def run_enroll(args: argparse.Namespace) -> int:
    opened = _open(args)
    if opened is None:
        return 2
    config, db, data_dir = opened
    from kiosk.sync import SyncError, enroll_kiosk

    try:
        enrollment = enroll_kiosk(db, data_dir, args.server, args.code,
                                  args.station or config.station.code,
                                  ca_file=config.sync.ca_file)
    except SyncError as exc:
        return _fail(f"enrollment failed ({exc.kind}): {exc.detail}")
    except OSError as exc:
        return _fail(f"cannot keep the station key: {exc}")
    finally:
        db.close()
    print(f"enrolled as kiosk {enrollment.kiosk_id} of station {enrollment.station} "
          f"at {enrollment.server_url}")
    return 0


def run_now(args: argparse.Namespace) -> int:
    opened = _open(args)
    if opened is None:
        return 2
    config, db, data_dir = opened
    from kiosk.sync import SyncEngine, SyncLockedError

    engine = SyncEngine(db, config.sync, data_dir)
    try:
        status = engine.run_once()
    except SyncLockedError:
        return _fail("the kiosk's own sync worker is running; it syncs by itself "
                     "(use 同步 in the staff panel to hurry it)")
    finally:
        engine.stop()
        db.close()
    if not status.enrolled:
        return _fail("this kiosk is not enrolled (kiosk enroll --server URL --code CODE)")
    _print_status(status.to_dict())
    return 0 if status.last_error is None else 1


def run_status(args: argparse.Namespace) -> int:
    opened = _open(args)
    if opened is None:
        return 2
    _config, db, _data_dir = opened
    from kiosk.sync import read_status

    try:
        status = read_status(db).to_dict()
    finally:
        db.close()
    if args.json:
        print(json.dumps(status, ensure_ascii=False, sort_keys=True))
    else:
        _print_status(status)
    return 0


def run_requeue(args: argparse.Namespace) -> int:
    opened = _open(args)
    if opened is None:
        return 2
    config, db, data_dir = opened
    from kiosk.sync import SyncEngine

    try:
        count = SyncEngine(db, config.sync, data_dir).requeue(args.ids)
    finally:
        db.close()
    print(f"{count} record(s) queued again")
    return 0 if count else 1


def _print_status(status: dict[str, Any]) -> None:
    if not status["enrolled"]:
        print("not enrolled: the kiosk works offline and keeps everything")
    else:
        print(f"kiosk {status['kiosk_id']} → {status['server_url']}")
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(status["pending_by_kind"].items()))
    age = status["oldest_pending_age_s"]
    print(f"pending: {status['pending']}" + (f" ({kinds})" if kinds else "") +
          (f", oldest {age / 60:.0f} min" if age is not None else ""))
    print(f"rejected: {status['rejected']}, conflict: {status['conflict']}")
    print(f"last push: {status['last_push_at'] or '-'}, last pull: {status['last_pull_at'] or '-'}")
    if status["clock_offset_s"] is not None:
        print(f"clock offset: {status['clock_offset_s']:+.1f} s")
    if status["last_error"]:
        print(f"last error: {status['last_error']} — {status['last_error_text']} "
              f"({status['last_error_detail'] or ''})")
    for warning in status["warnings"]:
        print(f"warning: {warning}")
