"""GB 11643-1999 citizen identity numbers: the check character.

Kept in the driver package because the card parser validates what it reads; the kiosk core
re-uses it through :mod:`kiosk.identity`.
"""

from __future__ import annotations

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_character(first17: str) -> str:
    """The 18th character for the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("need exactly 17 digits")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def is_valid(number: str) -> bool:
    """True when `number` has 18 characters and a correct check character (x accepted as X)."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    return check_character(number[:17]) == number[17].upper()
