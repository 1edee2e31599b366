"""Station health for the staff dashboard: one traffic light per device or service.

The person looking at it is a matchmaker, not a technician, so every entry says what is wrong
in plain words and names the one action that fixes it; the technician's cause is kept in
``detail``. It is Qt-free so the dashboard, the maintenance banner rule and the tests all read
the same model, and everything that asks a device or the disk happens in
:func:`check_station`, which the UI runs on its worker thread.

Sync facts come from the sync engine when one runs (``engine.status()``), else from
``kiosk.sync.status.read_status`` (the same counts, read from the database), else straight
from the outbox table, so the dashboard works on a kiosk that has never been enrolled.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import func, select, update

from drivers.printer.base import Paper, PrinterStatus
from kiosk.config import KioskConfig
from kiosk.store.engine import Database
from kiosk.store.models import OutboxRecord

OK, WARN, FAULT, UNKNOWN = "ok", "warn", "fault", "unknown"
STATE_WORDS = {OK: "正常", WARN: "注意", FAULT: "故障", UNKNOWN: "未知"}
#: the shape that goes with each colour, so no state is told by colour alone
STATE_SYMBOLS = {OK: "●", WARN: "▲", FAULT: "✖", UNKNOWN: "?"}

# Thresholds staff are told about in docs/admin.md.
DISK_WARN_BYTES = 1024**3  # amber under 1 GB free
DISK_FAULT_BYTES = 200 * 1024**2  # red under 200 MB: submissions may fail to save
QUEUE_WARN_AGE_S = 24 * 3600  # amber: something waiting more than a day
CLOCK_WARN_S = 5 * 60  # amber: clock off by more than five minutes

#: outbox kinds as staff read them
KIND_LABELS = {"application": "政策申请", "job_signup": "岗位报名",
               "seeker_registration": "求职登记", "callback_request": "呼叫红娘",
               "callback_update": "回电记录", "event_registration": "活动报名",
               "course_signup": "培训报名", "mentor_request": "预约导师",
               "rating": "满意度评价", "audit": "操作记录"}

# The one fixing action of each entry; the UI maps the key to what the button does.
ACTION_TEST_READER = "test_reader"
ACTION_TEST_PRINT = "test_print"
ACTION_SYNC_NOW = "sync_now"
ACTION_RECONNECT = "reconnect"
ACTION_ENROLL = "enroll"
ACTION_QUEUE = "queue"
ACTION_LABELS = {
    ACTION_TEST_READER: "测试读卡",
    ACTION_TEST_PRINT: "打印测试页",
    ACTION_SYNC_NOW: "立即同步",
    ACTION_RECONNECT: "重新连接",
    ACTION_ENROLL: "登记到服务器",
    ACTION_QUEUE: "查看退回记录",
}


@dataclass(frozen=True)
class HealthItem:
    key: str  # reader | printer | network | queue | disk | clock
    title: str
    state: str  # ok | warn | fault | unknown
    cause: str  # plain Chinese for station staff
    action: str = ""  # one of the ACTION_* keys, or "" when staff cannot fix it here
    detail: str = ""  # the technical cause, for technicians

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, "")

    @property
    def symbol(self) -> str:
        return STATE_SYMBOLS[self.state]

    @property
    def state_word(self) -> str:
        return STATE_WORDS[self.state]


@dataclass(frozen=True)
class StationHealth:
    items: tuple[HealthItem, ...]
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def get(self, key: str) -> HealthItem:
        return next(item for item in self.items if item.key == key)

    @property
    def maintenance_reason(self) -> str | None:
        """Why residents should be told the kiosk cannot serve them now, or None.

        The rule (docs/admin.md): the disk is nearly full (a submission might not be saved),
        or the card reader AND the printer are both broken (nothing that needs an ID card can
        be done and nothing can be printed). One broken device alone leaves a way round it:
        browsing without a card, or the receipt's QR code on screen.
        """
        states = {item.key: item.state for item in self.items}
        if states.get("disk") == FAULT:
            return "本机存储空间已满，暂停办理业务，请联系工作人员"
        if states.get("reader") == FAULT and states.get("printer") == FAULT:
            return "读卡器和打印机暂时无法使用，请联系工作人员帮您办理"
        return None

    @property
    def can_serve(self) -> bool:
        return self.maintenance_reason is None


# -- sync facts ------------------------------------------------------------------------------
class SyncEngineLike(Protocol):
    """What the dashboard uses of kiosk.sync.SyncEngine (duck-typed: imported lazily)."""

    def status(self) -> Any: ...
    def nudge(self) -> None: ...
    def requeue(self, ids: Sequence[str]) -> int: ...


@dataclass(frozen=True)
class QueueSnapshot:
    """The sync facts staff see (shared/reference/sync-design.md §6)."""

    enrolled: bool
    pending: int = 0
    pending_by_kind: dict[str, int] = field(default_factory=dict)
    oldest_pending_age_s: float | None = None
    rejected: int = 0
    conflict: int = 0
    last_push_at: str | None = None
    last_pull_at: str | None = None
    last_error: str | None = None  # offline | server | auth | clock | disk | revoked
    last_error_text: str | None = None
    clock_offset_s: float | None = None
    running: bool = False
    source: str = "outbox"  # engine | status | outbox: where the facts came from


@dataclass(frozen=True)
class QueueItem:
    """One rejected or conflicting outbox record (the maintenance screen's list)."""

    id: str
    kind: str
    state: str
    created_at: datetime
    attempts: int
    last_error: str


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def queue_snapshot(db: Database, config: KioskConfig,
                   engine: SyncEngineLike | None = None) -> QueueSnapshot:
    """The sync engine's view when it runs, the database's otherwise (never raises for a
    missing sync layer)."""
    if engine is not None:
        return _from_sync_status(engine.status(), "engine")
    try:
        from kiosk.sync.status import read_status
    except ImportError:
        return _from_outbox(db, config)
    return _from_sync_status(read_status(db), "status")


def _from_sync_status(status: Any, source: str) -> QueueSnapshot:
    by_kind = dict(getattr(status, "pending_by_kind", {}) or {})
    return QueueSnapshot(
        enrolled=bool(status.enrolled), pending=sum(by_kind.values()), pending_by_kind=by_kind,
        oldest_pending_age_s=status.oldest_pending_age_s, rejected=int(status.rejected),
        conflict=int(status.conflict), last_push_at=status.last_push_at,
        last_pull_at=status.last_pull_at, last_error=status.last_error,
        last_error_text=getattr(status, "last_error_text", None) or status.last_error,
        clock_offset_s=status.clock_offset_s, running=bool(getattr(status, "running", False)),
        source=source)


def _from_outbox(db: Database, config: KioskConfig) -> QueueSnapshot:
    """Counts straight from the outbox, for a build without the sync layer."""
    pending: dict[str, int] = {}
    rejected = conflict = 0
    with db.read() as s:
        rows = s.execute(select(OutboxRecord.state, OutboxRecord.kind, func.count())
                         .where(OutboxRecord.state != "acked")
                         .group_by(OutboxRecord.state, OutboxRecord.kind)).all()
        oldest = s.scalar(select(func.min(OutboxRecord.created_local))
                          .where(OutboxRecord.state.in_(("pending", "inflight"))))
    for state, kind, n in rows:
        if state in ("pending", "inflight"):
            pending[kind] = pending.get(kind, 0) + n
        elif state == "rejected":
            rejected += n
        elif state == "conflict":
            conflict += n
    age = None if oldest is None else max(
        0.0, (datetime.now(UTC) - _aware(oldest)).total_seconds())
    return QueueSnapshot(enrolled=bool(config.sync.server_url), pending=sum(pending.values()),
                         pending_by_kind=pending, oldest_pending_age_s=age, rejected=rejected,
                         conflict=conflict, source="outbox")


def problem_records(db: Database, limit: int = 50) -> list[QueueItem]:
    """Rejected and conflicting records, oldest first: what 重新排队 can send again."""
    with db.read() as s:
        rows = s.scalars(select(OutboxRecord)
                         .where(OutboxRecord.state.in_(("rejected", "conflict")))
                         .order_by(OutboxRecord.local_seq).limit(limit))
        return [QueueItem(id=r.id, kind=r.kind, state=r.state,
                          created_at=_aware(r.created_local), attempts=r.attempts,
                          last_error=r.last_error or "") for r in rows]


def requeue(db: Database, ids: Sequence[str], engine: SyncEngineLike | None = None) -> int:
    """Send rejected/conflicting records again; through the engine when it runs, so it wakes."""
    if engine is not None:
        return int(engine.requeue(list(ids)))
    with db.write() as s:
        done = s.execute(update(OutboxRecord).where(
            OutboxRecord.id.in_(list(ids)),
            OutboxRecord.state.in_(("rejected", "conflict"))).values(state="pending"))
        return int(done.rowcount)  # type: ignore[attr-defined]


# -- one entry per device or service ---------------------------------------------------------
@dataclass(frozen=True)
class ReaderState:
    """What the UI knows about the card reader (from its thread or its fault events)."""

    kind: str  # reader.kind: serial | simulated | none
    status: str = "starting"  # starting | ok | fault | stopped
    fault: str | None = None


def reader_health(reader: ReaderState) -> HealthItem:
    title = "读卡器"
    if reader.kind == "none":
        return HealthItem("reader", title, UNKNOWN, "本机没有配置读卡器（reader.kind = none）",
                          detail="reader.kind = none")
    simulated = "（模拟读卡器）" if reader.kind == "simulated" else ""
    if reader.status == "fault":
        fault = reader.fault or ""
        low = fault.lower()
        if "sam" in low:
            cause = "读卡器的安全模块报错，请重新插拔读卡器电源"
        elif any(w in low for w in ("no answer", "timeout", "baud")):
            cause = "读卡器没有回应：请检查连接线和电源，或端口、波特率设置"
        elif any(w in low for w in ("cannot open", "no such", "not found", "permission")):
            cause = "找不到读卡器：请检查 USB 线是否插好"
        else:
            cause = "读卡器暂时不能读卡，请检查连接线和电源"
        return HealthItem("reader", title, FAULT, cause + simulated, ACTION_TEST_READER,
                          detail=fault)
    if reader.status == "stopped":
        return HealthItem("reader", title, FAULT, "读卡程序已停止，请重启本机程序",
                          ACTION_TEST_READER, detail="reader thread stopped")
    if reader.status == "starting":
        return HealthItem("reader", title, UNKNOWN, "正在连接读卡器…" + simulated,
                          ACTION_TEST_READER)
    return HealthItem("reader", title, OK, "读卡器工作正常" + simulated, ACTION_TEST_READER)


def printer_health(backend: str, status: PrinterStatus | None) -> HealthItem:
    title = "打印机和纸"
    if backend == "none":
        return HealthItem("printer", title, UNKNOWN,
                          "本机没有配置打印机，回执以屏幕二维码提供",
                          detail="printer.backend = none")
    if status is None:
        return HealthItem("printer", title, UNKNOWN, "还没有检查打印机", ACTION_TEST_PRINT)
    detail = status.summary()
    if status.paper is Paper.OUT:
        return HealthItem("printer", title, FAULT, "打印机缺纸：请装入新的热敏纸卷",
                          ACTION_TEST_PRINT, detail)
    if status.cover_open:
        return HealthItem("printer", title, FAULT, "打印机盖没有关好：请合上纸仓盖",
                          ACTION_TEST_PRINT, detail)
    if status.online is False:
        return HealthItem("printer", title, FAULT,
                          "打印机没有连接或没有开机：请检查电源和连接线", ACTION_TEST_PRINT,
                          detail)
    if status.paper is Paper.LOW:
        return HealthItem("printer", title, WARN, "纸快用完了，请准备换纸", ACTION_TEST_PRINT,
                          detail)
    if backend == "pdf":
        return HealthItem("printer", title, OK, "回执保存为 PDF 文件（本机不接打印机）",
                          ACTION_TEST_PRINT, detail)
    if not status.known:
        return HealthItem("printer", title, UNKNOWN,
                          "打印机没有报告状态：能打印，但无法确认有纸", ACTION_TEST_PRINT,
                          detail)
    return HealthItem("printer", title, OK, "打印机正常，有纸", ACTION_TEST_PRINT, detail)


def _ago(iso: str | None, now: datetime) -> str:
    if not iso:
        return "还没有成功同步过"
    try:
        then = _aware(datetime.fromisoformat(iso))
    except ValueError:
        return f"上次同步 {iso}"
    minutes = max(0, int((now - then).total_seconds() // 60))
    if minutes < 1:
        return "刚刚同步过"
    if minutes < 60:
        return f"{minutes} 分钟前同步过"
    if minutes < 48 * 60:
        return f"{minutes // 60} 小时前同步过"
    return f"{minutes // 1440} 天前同步过"


def network_health(queue: QueueSnapshot, now: datetime | None = None) -> HealthItem:
    title = "网络和中心服务器"
    now = now or datetime.now(UTC)
    if not queue.enrolled:
        return HealthItem("network", title, WARN,
                          "未登记到中心服务器：本机单机运行，记录只保存在本机", ACTION_ENROLL,
                          detail="not enrolled")
    error = queue.last_error
    detail = queue.last_error_text or ""
    if error in ("revoked", "auth"):
        return HealthItem("network", title, FAULT,
                          "中心服务器不认本机的身份，数据保留在本机，请联系技术人员",
                          ACTION_RECONNECT, detail)
    if error in ("offline", "server"):
        cause = ("连不上中心服务器：请检查网线或无线网络；数据保存在本机，联网后自动发送"
                 if error == "offline" else "中心服务器暂时出错，本机会自动重试")
        return HealthItem("network", title, WARN, cause, ACTION_RECONNECT, detail)
    last = queue.last_push_at or queue.last_pull_at
    return HealthItem("network", title, OK, f"已连接中心服务器，{_ago(last, now)}",
                      ACTION_SYNC_NOW, detail)


def _age_words(seconds: float) -> str:
    hours = int(seconds // 3600)
    return f"{hours // 24} 天" if hours >= 48 else f"{hours} 小时" if hours else "不到 1 小时"


def queue_health(queue: QueueSnapshot) -> HealthItem:
    title = "待发送记录"
    problems = queue.rejected + queue.conflict
    waiting = (f"{queue.pending} 条待发送，最早一条已等 {_age_words(queue.oldest_pending_age_s)}"
               if queue.pending and queue.oldest_pending_age_s is not None else
               f"{queue.pending} 条待发送")
    detail = ", ".join(f"{k}: {n}" for k, n in sorted(queue.pending_by_kind.items()))
    if problems:
        return HealthItem("queue", title, FAULT,
                          f"有 {problems} 条记录被中心服务器退回，需要查看并重新排队；{waiting}",
                          ACTION_QUEUE,
                          f"rejected {queue.rejected}, conflict {queue.conflict}; {detail}")
    if queue.oldest_pending_age_s is not None and queue.oldest_pending_age_s > QUEUE_WARN_AGE_S:
        return HealthItem("queue", title, WARN, f"有记录超过 24 小时没有发出：{waiting}",
                          ACTION_SYNC_NOW if queue.enrolled else ACTION_ENROLL, detail)
    if queue.pending:
        return HealthItem("queue", title, OK, waiting,
                          ACTION_SYNC_NOW if queue.enrolled else "", detail)
    return HealthItem("queue", title, OK, "全部记录都已发送", "", detail)


def _size_words(n: int) -> str:
    return f"{n / 1024**3:.1f} GB" if n >= 1024**3 else f"{n // 1024**2} MB"


def disk_health(free_bytes: int | None, path: Path | None = None) -> HealthItem:
    title = "存储空间"
    where = str(path) if path else ""
    if free_bytes is None:
        return HealthItem("disk", title, UNKNOWN, "无法读取剩余空间", detail=where)
    free = _size_words(free_bytes)
    detail = f"{free_bytes} bytes free on {where}".strip()
    if free_bytes < DISK_FAULT_BYTES:
        return HealthItem("disk", title, FAULT,
                          f"存储几乎已满（剩 {free}）：新的办理可能保存不了，请马上联系技术人员",
                          detail=detail)
    if free_bytes < DISK_WARN_BYTES:
        return HealthItem("disk", title, WARN, f"存储空间不多了（剩 {free}），请联系技术人员清理",
                          detail=detail)
    return HealthItem("disk", title, OK, f"剩余 {free}", detail=detail)


def clock_health(queue: QueueSnapshot) -> HealthItem:
    title = "时钟"
    offset = queue.clock_offset_s
    if offset is None:
        return HealthItem("clock", title, UNKNOWN,
                          "还没有和中心服务器对过时间" if queue.enrolled else
                          "未登记到中心服务器，无法核对时间", detail="offset unknown")
    detail = f"offset {offset:+.1f} s (kiosk minus server)"
    if abs(offset) > CLOCK_WARN_S:
        ahead = "快" if offset > 0 else "慢"
        minutes = f"{abs(offset) / 60:.0f}"
        return HealthItem("clock", title, WARN,
                          f"本机时间比服务器{ahead} {minutes} 分钟，请联系技术人员校准",
                          ACTION_SYNC_NOW, detail)
    return HealthItem("clock", title, OK, "本机时间准确", detail=detail)


DiskUsage = Callable[[Path], Any]


def free_bytes(path: Path, disk_usage: DiskUsage = shutil.disk_usage) -> int | None:
    try:
        return int(disk_usage(path).free)
    except OSError:
        return None


def check_station(config: KioskConfig, db: Database, data_dir: Path, reader: ReaderState, *,
                  check_printer: Callable[[], PrinterStatus] | None = None,
                  engine: SyncEngineLike | None = None,
                  disk_usage: DiskUsage = shutil.disk_usage,
                  now: datetime | None = None) -> StationHealth:
    """Ask every device and service now (blocking: run it on a worker thread).

    ``check_printer`` is normally ``PrintService.check``; None skips the printer (shown as
    not yet checked).
    """
    printer_status = None
    if check_printer is not None and config.printer.backend != "none":
        printer_status = check_printer()
    queue = queue_snapshot(db, config, engine)
    return StationHealth(items=(
        reader_health(reader),
        printer_health(config.printer.backend, printer_status),
        network_health(queue, now),
        queue_health(queue),
        disk_health(free_bytes(data_dir, disk_usage), data_dir),
        clock_health(queue),
    ), checked_at=now or datetime.now(UTC))


# -- staff actions ---------------------------------------------------------------------------
def sync_now(db: Database, config: KioskConfig, data_dir: Path,
             engine: SyncEngineLike | None = None) -> str:
    """立即同步 / 重新连接: wake the running sync worker, or run one cycle here when none
    runs (blocking: worker thread). Returns what happened, in plain words."""
    if engine is not None:
        engine.nudge()
        return "已通知同步程序马上同步，稍后刷新查看结果"
    try:
        from kiosk.sync import SyncEngine, SyncLockedError
    except ImportError:
        return "本机程序不含同步功能"
    if not queue_snapshot(db, config).enrolled:
        return "未登记到中心服务器，不能同步：请先在「站点设置」里登记"
    worker = SyncEngine(db, config.sync, data_dir)
    try:
        status = worker.run_once()
    except SyncLockedError:
        return "同步程序正在运行，会自动完成"
    finally:
        worker.stop()
    if status.last_error:
        return f"同步没有完成：{status.last_error_text or status.last_error}"
    return "同步完成"


def tail_log(log_file: Path, lines: int = 40) -> list[str]:
    """The last ``lines`` lines of the kiosk log, masked once more in case an old file was
    written before masking existed (they are masked when written)."""
    from collections import deque

    from kiosk.logging_setup import mask_text

    try:
        with open(log_file, encoding="utf-8", errors="replace") as f:
            last = deque(f, maxlen=lines)
    except FileNotFoundError:
        return []
    return [mask_text(line.rstrip("\n")) for line in last]


def export_logs(log_dir: Path, folder: Path, station_code: str,
                now: datetime | None = None) -> Path:
    """Copy kiosk.log and its rotations into ``folder/kiosk-logs-<station>-<time>/``."""
    stamp = (now or datetime.now(UTC)).astimezone().strftime("%Y%m%d-%H%M")
    target = folder / f"kiosk-logs-{station_code}-{stamp}"
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(log_dir.glob("kiosk.log*")):
        shutil.copy2(path, target / path.name)
    return target
