"""呼叫—指派: the station's queue of residents who asked a matchmaker to call them back.

The district's plan promises contact the same day and a two-way job recommendation within
three days (乐业西青 action plan, item 14: "实现当天主动联系、3日内人岗双向推介"), so the queue
marks a request overdue ("超时") when either promise is broken. Every step staff record is
written with its audit entry and its outbox record ("callback_update") in one transaction,
so the district sees exactly what the station sees. Qt-free.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from kiosk.store.engine import Database
from kiosk.store.models import AuditEntry, CallbackRequest
from kiosk.store.outbox import enqueue

# The request's states, in order; a later step never goes back to an earlier one.
STATES = ("new", "called", "reached", "done")
STATE_LABELS = {"new": "等待回电", "called": "已拨打", "reached": "已联系上",
                "done": "已推荐岗位"}
#: what staff tap → the state it records
ACTIONS = {"called": "已拨打", "reached": "已联系上", "done": "已推荐岗位"}
#: notes staff pick instead of typing
COMMON_NOTES = ("无人接听", "号码有误", "约好来站面谈", "已推荐岗位", "暂不需要", "稍后再联系")
RECOMMEND_DAYS = 3
AUDIT_ACTION = "callback_update"
MAX_NOTE = 200


class CallbackError(ValueError):
    """A step that cannot be recorded; the message is plain Chinese for staff."""


@dataclass(frozen=True)
class CallbackItem:
    id: str
    number: str
    name_masked: str
    phone: str  # in full: the admin queue is the one place it is shown
    preferred_time: str
    topic: str
    state: str
    note: str
    created_at: datetime  # aware UTC
    handled_at: datetime | None
    contact_overdue: bool  # not contacted on the day it came in
    recommend_overdue: bool  # no recommendation within three days

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def overdue(self) -> bool:
        return self.contact_overdue or self.recommend_overdue

    @property
    def overdue_text(self) -> str:
        if self.contact_overdue:
            return "超时：当天没有联系"
        if self.recommend_overdue:
            return f"超时：{RECOMMEND_DAYS} 日内没有推荐岗位"
        return ""

    def age_text(self, now: datetime) -> str:
        minutes = max(0, int((now - self.created_at).total_seconds() // 60))
        if minutes < 60:
            return f"{minutes} 分钟前"
        if minutes < 24 * 60:
            return f"{minutes // 60} 小时前"
        return f"{minutes // 1440} 天前"


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def local_day(moment: datetime) -> date:
    """The calendar day at the station (the kiosk's local time zone)."""
    return _aware(moment).astimezone().date()


def contact_overdue(state: str, created_at: datetime, now: datetime) -> bool:
    return state == "new" and local_day(now) > local_day(created_at)


def recommend_overdue(state: str, created_at: datetime, now: datetime) -> bool:
    return state != "done" and (local_day(now) - local_day(created_at)).days > RECOMMEND_DAYS


def _item(row: CallbackRequest, now: datetime) -> CallbackItem:
    created = _aware(row.created_at)
    return CallbackItem(
        id=row.id, number=row.number, name_masked=row.name_masked or "（未留姓名）",
        phone=row.phone, preferred_time=row.preferred_time, topic=row.topic, state=row.state,
        note=row.note, created_at=created,
        handled_at=_aware(row.handled_at) if row.handled_at else None,
        contact_overdue=contact_overdue(row.state, created, now),
        recommend_overdue=recommend_overdue(row.state, created, now))


def list_callbacks(db: Database, *, now: datetime | None = None, done: bool = False,
                   limit: int = 100) -> list[CallbackItem]:
    """Open requests (overdue first, then oldest first), or with ``done`` the finished ones
    (newest first)."""
    now = now or datetime.now(UTC)
    with db.read() as s:
        query = select(CallbackRequest)
        if done:
            query = query.where(CallbackRequest.state == "done").order_by(
                CallbackRequest.created_at.desc())
        else:
            query = query.where(CallbackRequest.state != "done").order_by(
                CallbackRequest.created_at)
        items = [_item(row, now) for row in s.scalars(query.limit(limit))]
    if not done:
        items.sort(key=lambda i: (not i.overdue, i.created_at))
    return items


def count_open(db: Database, *, now: datetime | None = None) -> tuple[int, int]:
    """(open requests, overdue ones) for the dashboard's button."""
    items = list_callbacks(db, now=now, limit=10_000)
    return len(items), sum(1 for i in items if i.overdue)


def mark_callback(db: Database, callback_id: str, action: str, note: str = "", *,
                  actor: str = "admin", now: datetime | None = None) -> CallbackItem:
    """Record one step (已拨打 / 已联系上 / 已推荐岗位) with an optional note.

    The request, an audit entry and the "callback_update" outbox record are written in one
    transaction. A step behind the current state (已拨打 after 已联系上, say another try) is
    kept as a note without moving the state back.
    """
    if action not in ACTIONS:
        raise CallbackError(f"未知的操作：{action}")
    note = " ".join(note.split())[:MAX_NOTE]
    now = now or datetime.now(UTC)
    with db.write() as s:
        row = s.get(CallbackRequest, callback_id)
        if row is None:
            raise CallbackError("找不到这条呼叫记录，可能已被处理")
        if row.state == "done":
            raise CallbackError("这条呼叫已经推荐过岗位，已办结")
        before = row.state
        after = max(before, action, key=lambda st: STATES.index(st) if st in STATES else 0)
        row.state = after
        if row.handled_at is None:
            row.handled_at = now  # the first contact: what "当天联系" is measured by
        stamp = now.astimezone().strftime("%m-%d %H:%M")
        line = f"{stamp} {ACTIONS[action]}" + (f"：{note}" if note else "")
        row.note = f"{row.note}\n{line}".strip()
        change = {"callback_id": row.id, "number": row.number, "action": action,
                  "from": before, "to": after, "note": note, "at": now.isoformat(),
                  "actor": actor}
        s.add(AuditEntry(at=now, actor=actor, action=AUDIT_ACTION,
                         detail=json.dumps(change, ensure_ascii=False)))
        enqueue(s, "callback_update", change)
        return _item(row, now)
