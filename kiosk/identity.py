"""Identity numbers and personal data: validation, masking and age.

Masking follows one rule on screens, receipts and logs: a full ID number is never shown or
printed, names keep their first and last character. The ID and name rules live in the driver
package (a card's repr is masked before it reaches the core) and are re-exported here.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date

from drivers.idcard.gb11643 import check_character, is_valid
from drivers.idcard.masking import mask_id, mask_name

__all__ = [
    "age_on",
    "check_character",
    "is_valid",
    "mask_id",
    "mask_name",
    "mask_phone",
    "resident_key",
    "valid_mobile",
]

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def mask_phone(phone: str) -> str:
    """138****5678."""
    p = phone.strip()
    if len(p) < 7:
        return "*" * len(p)
    return p[:3] + "*" * (len(p) - 7) + p[-4:]


def valid_mobile(phone: str) -> bool:
    """A mainland mobile number: 11 digits starting 13-19."""
    return bool(_MOBILE.match(phone.strip()))


def age_on(birth: date, on: date) -> int:
    """Whole years: a person is N from their N-th birthday (29 Feb counts from 1 Mar)."""
    years = on.year - birth.year
    try:
        birthday = birth.replace(year=on.year)
    except ValueError:  # 29 February in a common year
        birthday = date(on.year, 3, 1)
    return years if on >= birthday else years - 1


def resident_key(id_number: str, secret: bytes) -> str:
    """A stable pseudonym for one resident at this kiosk, so records can be found again
    ("我的申请") without indexing the ID number itself."""
    return hmac.new(secret, id_number.strip().upper().encode(), hashlib.sha256).hexdigest()[:32]
