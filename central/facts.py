"""Resident facts (contracts/resident-facts.md) as the 人社 systems would answer them.

The reference server keeps them in one table, loaded by ``kiosk-central residents import``
for pilots and demos; a production deployment answers from the district's own records.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from central.db import Store, insert_for
from central.models import ResidentFact

ID_CHARS = set("0123456789X")


def import_facts(store: Store, people: Iterable[dict[str, Any]], as_of: str) -> int:
    """Insert or replace facts per resident; each dict needs ``id_number``."""
    rows: list[dict[str, str]] = []
    for person in people:
        number = str(person.get("id_number", "")).strip().upper()
        if len(number) != 18 or not set(number) <= ID_CHARS:
            raise ValueError(f"record {len(rows) + 1}: id_number must be 18 characters")
        facts = {k: v for k, v in person.items() if k != "as_of"}
        facts["id_number"] = number
        rows.append({"id_number": number,
                     "facts": json.dumps(facts, ensure_ascii=False, sort_keys=True),
                     "as_of": str(person.get("as_of") or as_of)})
    with store.write() as s:
        stmt = insert_for(store, ResidentFact)
        for start in range(0, len(rows), 500):
            s.execute(stmt.on_conflict_do_update(
                index_elements=["id_number"],
                set_={"facts": stmt.excluded.facts, "as_of": stmt.excluded.as_of}),
                rows[start:start + 500])
    return len(rows)


def lookup(store: Store, id_number: str) -> tuple[dict[str, Any], str] | None:
    with store.read() as s:
        row = s.execute(select(ResidentFact.facts, ResidentFact.as_of).where(
            ResidentFact.id_number == id_number.strip().upper())).first()
    return None if row is None else (json.loads(row.facts), row.as_of)
