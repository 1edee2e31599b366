"""The last line of defence before anything reaches paper: no full ID or mobile number.

Documents are meant to receive already-masked strings (kiosk.identity.mask_*); this guard
catches the caller who forgot, because a receipt left on the kiosk tray is public.
"""

from __future__ import annotations

import re

ID_NUMBER = re.compile(r"\d{17}[\dXx]")
# An unmasked mainland mobile number not embedded in a longer digit run: an employer's raw
# phone must never be printed (residents are routed through the station), and a resident's
# own number is printed masked.
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


class PrivacyError(ValueError):
    """A document was asked to print a full ID number or an unmasked mobile number."""


def check_text(text: str) -> str:
    """Return ``text`` unchanged, or raise if it holds something that must never be printed.

    The message does not repeat the offending text, so the error itself can be logged.
    """
    if ID_NUMBER.search(text):
        raise PrivacyError("refusing to print an ID-number-like string (18 characters); "
                           "pass it through kiosk.identity.mask_id first")
    if MOBILE.search(text):
        raise PrivacyError("refusing to print an unmasked mobile number; "
                           "pass it through kiosk.identity.mask_phone first")
    return text
