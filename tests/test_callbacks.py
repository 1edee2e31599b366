"""呼叫—指派: the queue's overdue rules and each step written with its outbox record."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from kiosk.callbacks import (
    CallbackError,
    count_open,
    list_callbacks,
    local_day,
    mark_callback,
)
from kiosk.store.models import AuditEntry, CallbackRequest, OutboxRecord

NOW = datetime(2024, 5, 15, 6, 0, tzinfo=UTC)  # mid-afternoon in Tianjin, morning in UTC


def _add(db: Any, number: str, created: datetime, state: str = "new") -> str:
    with db.write() as s:
        row = CallbackRequest(number=number, token=f"t{number}", resident_key="k",
                              name_masked="李*兰", phone="13812345678",
                              preferred_time="下午", topic="找保洁工作", state=state,
                              created_at=created)
        s.add(row)
        s.flush()
        return row.id


def test_overdue_rules(make_services: Any) -> None:
    db = make_services().db
    fresh = _add(db, "C1", NOW - timedelta(hours=1))
    yesterday = _add(db, "C2", NOW - timedelta(days=1, hours=1))
    called_4_days = _add(db, "C3", NOW - timedelta(days=4), state="called")
    _add(db, "C4", NOW - timedelta(days=9), state="done")
    items = {i.number: i for i in list_callbacks(db, now=NOW)}
    assert set(items) == {"C1", "C2", "C3"}  # done ones are not in the open queue
    assert not items["C1"].overdue and items["C1"].age_text(NOW) == "1 小时前"
    if local_day(NOW - timedelta(days=1, hours=1)) < local_day(NOW):
        assert items["C2"].contact_overdue and items["C2"].overdue_text.startswith("超时")
    assert items["C3"].recommend_overdue and not items["C3"].contact_overdue
    assert "3 日内" in items["C3"].overdue_text
    assert items["C1"].phone == "13812345678"  # in full, only here
    ordered = [i.id for i in list_callbacks(db, now=NOW)]
    assert ordered[-1] == fresh and set(ordered[:2]) == {yesterday, called_4_days}
    assert [i.number for i in list_callbacks(db, now=NOW, done=True)] == ["C4"]
    assert count_open(db, now=NOW) == (3, 2)


def test_each_step_is_written_with_its_outbox_record(make_services: Any) -> None:
    db = make_services().db
    cid = _add(db, "C1", NOW - timedelta(hours=2))
    item = mark_callback(db, cid, "called", "无人接听", now=NOW)
    assert item.state == "called" and item.handled_at == NOW
    later = NOW + timedelta(hours=1)
    item = mark_callback(db, cid, "reached", "  约好来站面谈 ", now=later)
    assert item.state == "reached" and item.handled_at == NOW  # first contact is kept
    item = mark_callback(db, cid, "called", now=later)  # another try: the state stays
    assert item.state == "reached"
    item = mark_callback(db, cid, "done", "已推荐岗位", now=later + timedelta(days=1))
    assert item.state == "done"
    assert item.note.count("\n") == 3 and "已拨打：无人接听" in item.note
    assert "已联系上：约好来站面谈" in item.note
    with db.read() as s:
        outbox = s.scalars(select(OutboxRecord).where(OutboxRecord.kind == "callback_update")
                           .order_by(OutboxRecord.local_seq)).all()
        audits = s.scalar(select(func.count()).select_from(AuditEntry)
                          .where(AuditEntry.action == "callback_update"))
    assert len(outbox) == 4 and audits == 4
    bodies = [json.loads(o.body) for o in outbox]
    assert [b["to"] for b in bodies] == ["called", "reached", "reached", "done"]
    assert bodies[1]["note"] == "约好来站面谈" and bodies[0]["number"] == "C1"
    assert all("13812345678" not in o.body for o in outbox)
    with pytest.raises(CallbackError, match="已办结"):
        mark_callback(db, cid, "called")


def test_refusals_change_nothing(make_services: Any) -> None:
    db = make_services().db
    cid = _add(db, "C1", NOW)
    with pytest.raises(CallbackError, match="未知的操作"):
        mark_callback(db, cid, "deleted")
    with pytest.raises(CallbackError, match="找不到"):
        mark_callback(db, "no-such-id", "called")
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(OutboxRecord)) == 0
        assert s.get(CallbackRequest, cid).state == "new"  # type: ignore[union-attr]
