"""Enrolling this kiosk with a server: once, with a one-time code from the district's admin."""

from __future__ import annotations

from pathlib import Path

import httpx

from kiosk.store.engine import Database
from kiosk.sync.client import enroll
from kiosk.sync.credentials import Enrollment, key_path, new_key, save_enrollment, save_key


def enroll_kiosk(db: Database, data_dir: Path, server_url: str, code: str, station: str, *,
                 ca_file: str = "", transport: httpx.BaseTransport | None = None
                 ) -> Enrollment:
    """Make a fresh key, spend ``code``, then keep the key (0600) and the enrollment.

    Raises :class:`kiosk.sync.client.SyncError` (the server refused or cannot be reached);
    the previous identity, if any, is untouched then. Queued records are kept either way:
    a replacement kiosk sends the old outbox under its new identity and the server's
    deduplication by record id makes that safe.
    """
    key = new_key()
    kiosk_id, confirmed_station = enroll(server_url, code, station, key, ca_file=ca_file,
                                         transport=transport)
    save_key(key_path(data_dir), key)
    enrollment = Enrollment(server_url.rstrip("/"), kiosk_id, confirmed_station)
    with db.write() as s:
        save_enrollment(s, enrollment)
    return enrollment
