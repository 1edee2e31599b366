"""Names and byte formats both ends of protocol /v1 must agree on (docs/sync-protocol.md).

The central server imports this module too, so the signed token message and the status words
are written once.
"""

from __future__ import annotations

API = "/v1"
STREAMS = ("jobs", "policy_packs", "announcements", "station_settings",
           "events", "live_sessions", "courses", "projects", "mentors")
RECORD_STATUSES = ("accepted", "duplicate", "conflict", "invalid", "deferred")
MAX_BATCH_RECORDS = 100
MAX_BATCH_BYTES = 1024 * 1024
GZIP_OVER_BYTES = 8 * 1024  # request bodies above this are sent gzip-compressed


def token_message(kiosk_id: str, nonce: str) -> bytes:
    """What the kiosk signs to get a token: bound to this kiosk and this single-use nonce."""
    return f"lexy-token-v1\n{kiosk_id}\n{nonce}".encode()
