"""Reading what the sync worker pulled: announcements, station settings, policy packs.

Jobs are read through kiosk.jobs; these other streams are small and cached as JSON.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.store.models import SyncEntity


def entities(session: Session, stream: str) -> list[dict[str, Any]]:
    """Every live entity of ``stream``, by id."""
    rows = session.scalars(select(SyncEntity).where(
        SyncEntity.stream == stream, SyncEntity.deleted.is_(False),
        SyncEntity.data.is_not(None)).order_by(SyncEntity.id))
    return [json.loads(r.data) for r in rows if r.data is not None]


def entity(session: Session, stream: str, entity_id: str) -> dict[str, Any] | None:
    row = session.get(SyncEntity, (stream, entity_id))
    if row is None or row.deleted or row.data is None:
        return None
    data: dict[str, Any] = json.loads(row.data)
    return data


POLICY_PACK_ID = "rule-pack"


def policy_pack_files(session: Session, pack_id: str = POLICY_PACK_ID) -> dict[str, str] | None:
    """The newest validated rule pack the server published, as {file name: text} for
    ``kiosk.eligibility.PackStore.replace``; None until one has arrived."""
    pack = entity(session, "policy_packs", pack_id)
    if pack is None or not isinstance(pack.get("files"), dict):
        return None
    return {str(k): str(v) for k, v in pack["files"].items()}
