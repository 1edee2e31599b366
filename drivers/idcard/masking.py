"""Masking for what a card reveals, on the driver side of the layer wall.

The drivers may not import :mod:`kiosk`, yet a card's ``repr`` and its default JSON must
already be masked, because they reach logs and a technician's terminal. The rules are the
ones :mod:`kiosk.identity` documents (its ``mask_id`` / ``mask_name``); a test holds the two
to the same output so they cannot drift apart.
"""

from __future__ import annotations


def mask_id(number: str) -> str:
    """``120111********1234``: the region (first 6) and the last 4 characters stay."""
    n = number.strip()
    if len(n) <= 10:
        return "*" * len(n)
    return n[:6] + "*" * (len(n) - 10) + n[-4:]


def mask_name(name: str) -> str:
    """李*兰 / 王*: the first character, and the last when there are three or more."""
    n = name.strip()
    if len(n) <= 1:
        return n
    if len(n) == 2:
        return n[0] + "*"
    return n[0] + "*" * (len(n) - 2) + n[-1]
