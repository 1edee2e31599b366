"""Numbers and tokens for what residents submit.

The printed number is for people (short, says what and when); the token goes into the QR
URL and is random, so a receipt's QR code reveals nothing and cannot be guessed from the
next resident's number.
"""

from __future__ import annotations

import secrets
from datetime import datetime

PREFIXES = {
    "application": "SQ",  # 申请
    "job_signup": "BM",  # 报名
    "seeker_registration": "DJ",  # 登记
    "callback_request": "HJ",  # 呼叫
    "event_registration": "HD",  # 活动
    "course_signup": "PX",  # 培训
    "mentor_request": "DS",  # 导师
}


def new_number(kind: str, station_code: str, now: datetime | None = None) -> str:
    """``SQ-YLQ01-261126-4F7K``: kind, station, date and a random suffix (no counter to
    collide between kiosks that were offline together)."""
    now = now or datetime.now()
    station = "".join(c for c in station_code.upper() if c.isalnum())[-5:] or "XQ"
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L to misread on paper
    suffix = "".join(secrets.choice(alphabet) for _ in range(5))
    return f"{PREFIXES.get(kind, 'XX')}-{station}-{now:%y%m%d}-{suffix}"


def new_token() -> str:
    """Opaque URL-safe token for a receipt's QR code."""
    return secrets.token_urlsafe(12)
