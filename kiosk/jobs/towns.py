"""Xiqing's towns and streets: names, codes and the schematic map shipped with the kiosk.

The coordinates in ``resources/demo/xiqing_towns.json`` are approximate and the outlines are a
schematic (Voronoi cells of the centres), enough to sort jobs by distance between town centres
and to draw a map without a map server; they are not administrative boundaries.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kiosk.paths import resource


@dataclass(frozen=True)
class Town:
    code: str  # stable key, e.g. "yangliuqing"
    name: str  # 杨柳青镇 (streets without 道: 西营门街)
    full_name: str  # 西营门街道
    kind: str  # town | street
    nbs_code: str | None  # 9-digit NBS code where confirmed (reference §5), else None
    lat: float
    lon: float
    outline: tuple[tuple[float, float], ...]  # schematic polygon of (lon, lat)


def load_towns(path: Path | None = None) -> tuple[Town, ...]:
    """All towns and streets in the shipped order (the file's order)."""
    return _load(str(path)) if path else _shipped()


@cache
def _shipped() -> tuple[Town, ...]:
    return _load(str(resource("demo", "xiqing_towns.json")))


@cache
def _load(path: str) -> tuple[Town, ...]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return tuple(
        Town(code=t["code"], name=t["name"], full_name=t["full_name"], kind=t["kind"],
             nbs_code=t.get("nbs_code"), lat=float(t["centroid"]["lat"]),
             lon=float(t["centroid"]["lon"]),
             outline=tuple((float(x), float(y)) for x, y in t.get("outline", [])))
        for t in data["towns"]
    )


@cache
def towns_by_code() -> dict[str, Town]:
    """Code → Town for the shipped map (cached: read-only data, looked up per record)."""
    return {t.code: t for t in _shipped()}


def town_label(code: str) -> str:
    town = towns_by_code().get(code)
    return town.name if town else code


def resolve_town(value: str) -> str | None:
    """A town code from a code, a Chinese name (杨柳青镇 / 西营门街道 / 杨柳青) or an NBS code."""
    v = value.strip()
    if v in towns_by_code():
        return v
    for t in _shipped():
        if v in (t.code, t.name, t.full_name, t.nbs_code) or (
                len(v) >= 2 and t.name.startswith(v)):
            return t.code
    return None


def distance_km(a: str, b: str) -> float:
    """Great-circle distance between two towns' centres (0 for the same town)."""
    towns = towns_by_code()
    ta, tb = towns[a], towns[b]
    if a == b:
        return 0.0
    p1, p2 = math.radians(ta.lat), math.radians(tb.lat)
    dp, dl = p2 - p1, math.radians(tb.lon - ta.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
