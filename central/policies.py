"""Publishing a rule pack: only a pack whose every scenario passes reaches the kiosks.

The check is the eligibility engine's own (``kiosk.eligibility.validate_pack``), the same
the kiosk runs again before it swaps packs. The pack travels as its folder's ``*.yaml`` files
in one entity of the ``policy_packs`` stream, whose version goes up by one per change.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import select

from central import streams
from central.db import Store
from central.models import Entity

PACK_ID = "rule-pack"  # kiosk.sync.cache.POLICY_PACK_ID


class PackRefusedError(ValueError):
    """The pack fails to load or a scenario fails; the message lists every problem."""


def read_pack(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        raise PackRefusedError(f"{folder}: not a folder")
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yaml"))}
    if not files:
        raise PackRefusedError(f"{folder}: no *.yaml files")
    return files


def check_pack(files: dict[str, str]) -> str:
    """Load the pack and run its scenarios; returns the pack's own version ("2026.1")."""
    try:
        from kiosk.eligibility import validate_pack
    except ImportError as exc:  # pragma: no cover - the engine ships with this repository
        raise PackRefusedError(f"the eligibility engine is not available to check the pack: {exc}"
                          ) from exc
    try:
        pack = validate_pack(files)
    except ValueError as exc:
        raise PackRefusedError(str(exc)) from exc
    return str(pack.version)


def publish_pack(store: Store, folder: Path, pack_id: str = PACK_ID) -> tuple[int, bool]:
    """Check and publish; returns (stream version, whether anything changed)."""
    files = read_pack(folder)
    pack_version = check_pack(files)
    digest = hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest()
    with store.read() as s:
        current = s.execute(select(Entity.version, Entity.data).where(
            Entity.stream == "policy_packs", Entity.id == pack_id)).first()
    if current is not None and current.data and f'"digest":"{digest}"' in current.data:
        return int(current.version), False
    version = (int(current.version) if current is not None else 0) + 1
    record: dict[str, Any] = {"id": pack_id, "version": version, "pack_version": pack_version,
                              "digest": digest, "files": files}
    streams.publish(store, "policy_packs", [record])
    return version, True
