"""Settings staff may change at the kiosk, and the audit log that travels to the district.

A change is checked by kiosk.config's own rules (the candidate config is written with
``to_toml`` and read back with ``parse_config``, so the error names the key exactly as a bad
config file would), written to the config file, and recorded as an audit entry with an
outbox record ("audit") in the same transaction as the file write. Only then is the live
config changed. The file is rebuilt from what the *file* says plus the change, so run-time
overrides (``--demo``, a screenshot's orientation) never leak into it. Qt-free.

Every audit entry reaches the outbox through :func:`sync_audit_log`, including the ones
kiosk.admin_auth writes (log-in, log-out, lock-out, PIN change): it sends whatever was
logged since the last call, marked by SQLite rowid, so an entry written by another module
or left behind by a failed transaction is sent by the next call instead of being lost.
"""

from __future__ import annotations

import copy
import dataclasses
import hmac
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, literal_column, select
from sqlalchemy.orm import Session

from kiosk.admin_auth import FACTORY_PIN, AdminAuth, valid_pin_format, verify_pin
from kiosk.config import ConfigError, KioskConfig, load_config, parse_config, to_toml
from kiosk.store.engine import Database
from kiosk.store.models import AuditEntry, KeyValue
from kiosk.store.outbox import enqueue

NOW, RESTART = "now", "restart"
AUDIT_MARK_KEY = "audit.outbox_rowid"
#: audit actions that already travel under their own outbox kind
OWN_OUTBOX_KIND = {"callback_update"}


@dataclass(frozen=True)
class Setting:
    key: str  # dotted config key
    label: str
    effect: str  # NOW: applied at once; RESTART: 重启后生效


SETTINGS = (
    Setting("station.name", "站点名称", NOW),
    Setting("station.community", "服务社区", NOW),
    Setting("display.orientation", "屏幕方向", RESTART),
    Setting("session.idle_timeout_s", "无人操作多久后提示退出（秒）", NOW),
    Setting("display.elder_mode_default", "默认长辈模式（大字）", NOW),
    Setting("reader.port", "读卡器端口", RESTART),
    Setting("reader.baud", "读卡器波特率", RESTART),
    Setting("printer.backend", "打印机类型", RESTART),
    Setting("printer.width", "纸宽", NOW),
    Setting("printer.dots", "每行点数", NOW),
    Setting("sync.server_url", "中心服务器地址", RESTART),
)
SETTINGS_BY_KEY = {s.key: s for s in SETTINGS}


class SettingsError(ValueError):
    """A change that was refused; the message says why (and names the key when the config
    rules refused it)."""


@dataclass(frozen=True)
class SettingChange:
    key: str
    old: Any
    new: Any
    effect: str

    @property
    def label(self) -> str:
        return SETTINGS_BY_KEY[self.key].label

    @property
    def changed(self) -> bool:
        return self.old != self.new


#: how values are shown to staff (keys not listed are shown as they are)
VALUE_LABELS: dict[str, dict[Any, str]] = {
    "display.orientation": {"portrait": "竖屏（1080×1920）", "landscape": "横屏（1920×1080）"},
    "display.elder_mode_default": {True: "开", False: "关"},
    "printer.backend": {"pdf": "不接打印机（存 PDF 文件）", "escpos-serial": "热敏打印机（串口）",
                        "escpos-tcp": "热敏打印机（网口）", "escpos-usb": "热敏打印机（USB）",
                        "system": "系统打印机", "none": "不打印"},
    "printer.width": {"80": "80 毫米", "58": "58 毫米", "a4": "A4 纸"},
}
#: common serial ports offered even when none is detected (the reader may be unplugged)
COMMON_PORTS = (("COM3", "COM4", "COM1") if os.name == "nt" else
                ("/dev/ttyUSB0", "/dev/ttyUSB1", "/dev/ttyACM0", "/dev/ttyS0"))


def choices(key: str) -> tuple[Any, ...] | None:
    """The allowed values of ``key`` as kiosk.config declares them (None: free value)."""
    section, name = key.split(".")
    cls = type(getattr(KioskConfig(), section))
    field = next(f for f in dataclasses.fields(cls) if f.name == name)
    if field.type in (bool, "bool"):
        return (True, False)
    found = field.metadata.get("choices")
    return tuple(found) if found is not None else None


def shown(key: str, value: Any) -> str:
    """A value the way staff read it."""
    if value == "" or value is None:
        return "（未设置）"
    return VALUE_LABELS.get(key, {}).get(value, str(value))


def serial_ports() -> list[str]:
    """Serial ports present now (USB adapters first), then the common names."""
    found: list[str] = []
    try:
        from serial.tools import list_ports

        found = sorted((p.device for p in list_ports.comports()),
                       key=lambda d: (not ("USB" in d or "ACM" in d), d))
    except Exception:  # no sysfs, no permission: offer the common names
        found = []
    return list(dict.fromkeys([*found, *COMMON_PORTS]))


def get_value(config: KioskConfig, key: str) -> Any:
    section, name = key.split(".")
    return getattr(getattr(config, section), name)


def _set_value(config: KioskConfig, key: str, value: Any) -> None:
    section, name = key.split(".")
    setattr(getattr(config, section), name, value)


def validate(config: KioskConfig, key: str, value: Any) -> Any:
    """``value`` as the config holds it, or :class:`SettingsError` with the config's message."""
    setting = SETTINGS_BY_KEY.get(key)
    if setting is None:
        raise SettingsError(f"{key}: 不能在本机修改")
    if isinstance(value, str):
        value = value.strip()
    if key == "sync.server_url" and value and not value.startswith(("https://", "http://")):
        raise SettingsError(f"{setting.label}: {key}: must start with https:// or http://, "
                            f"got {value!r}")
    candidate = copy.deepcopy(config)
    _set_value(candidate, key, value)
    try:
        checked = parse_config(to_toml(candidate), source=setting.label)
    except ConfigError as exc:
        raise SettingsError(str(exc)) from None
    return get_value(checked, key)


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def audit(s: Session, action: str, detail: dict[str, Any], *, actor: str = "admin",
          now: datetime | None = None) -> AuditEntry:
    """Add an audit entry and send it (and anything logged before it) to the outbox."""
    entry = AuditEntry(at=now or datetime.now(UTC), actor=actor, action=action,
                       detail=json.dumps(detail, ensure_ascii=False, default=str))
    s.add(entry)
    s.flush()
    sync_audit_log(s)
    return entry


def sync_audit_log(s: Session) -> int:
    """Queue every audit entry logged since the last call as an "audit" outbox record (in
    the caller's transaction); returns how many were queued."""
    mark_row = s.get(KeyValue, AUDIT_MARK_KEY)
    mark = int(mark_row.value) if mark_row and mark_row.value else 0
    rowid: ColumnElement[int] = literal_column("audit_log.rowid")
    rows = s.execute(select(rowid, AuditEntry).where(rowid > mark).order_by(rowid)).all()
    queued = 0
    for number, entry in rows:
        mark = int(number)
        if entry.action in OWN_OUTBOX_KIND:
            continue
        at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC)
        try:
            detail = json.loads(entry.detail or "{}")
        except ValueError:
            detail = {"text": entry.detail}
        enqueue(s, "audit", {"id": entry.id, "at": at.isoformat(), "actor": entry.actor,
                             "action": entry.action, "detail": detail})
        queued += 1
    if rows:
        s.merge(KeyValue(key=AUDIT_MARK_KEY, value=str(mark)))
    return queued


def flush_audit_log(db: Database) -> int:
    """Queue audit entries other modules logged (admin log-in/log-out) in their own
    transaction; safe to call any time."""
    with db.write() as s:
        return sync_audit_log(s)


def change_setting(config: KioskConfig, key: str, value: Any, *, db: Database,
                   config_file: Path, actor: str = "admin") -> SettingChange:
    """Validate, write the config file, audit + outbox, then apply to ``config`` (the live
    one). Raises :class:`SettingsError`; nothing is changed then."""
    new = validate(config, key, value)
    old = get_value(config, key)
    change = SettingChange(key, old, new, SETTINGS_BY_KEY[key].effect)
    if not change.changed:
        return change
    try:
        on_disk = load_config(config_file)
    except ConfigError as exc:
        raise SettingsError(f"配置文件有误，未修改：{exc}") from None
    _set_value(on_disk, key, new)
    previous = config_file.read_text(encoding="utf-8") if config_file.exists() else None
    written = False
    try:
        with db.write() as s:
            audit(s, "setting_changed", {"key": key, "old": old, "new": new}, actor=actor)
            _write_atomic(config_file, to_toml(on_disk))
            written = True
    except OSError as exc:
        raise SettingsError(f"配置文件写不进去（{config_file}: "
                            f"{exc.strerror or exc}），未修改") from None
    except Exception:
        if written:  # the file changed but the audit did not commit: put the file back
            if previous is None:
                config_file.unlink(missing_ok=True)
            else:
                _write_atomic(config_file, previous)
        raise
    _set_value(config, key, new)
    return change


def pin_matches(admin: AdminAuth, pin: str) -> bool:
    """The current PIN, checked without counting as a log-in (staff are already in)."""
    stored = admin.stored_hash()
    return verify_pin(pin, stored) if stored else hmac.compare_digest(pin, FACTORY_PIN)


def change_pin(admin: AdminAuth, db: Database, old: str, new: str, repeat: str, *,
               actor: str = "admin") -> None:
    if not pin_matches(admin, old):
        raise SettingsError("原密码不正确")
    if not valid_pin_format(new):
        raise SettingsError("新密码须为 6 至 8 位数字")
    if new != repeat:
        raise SettingsError("两次输入的新密码不一样，请重新输入")
    if new == old:
        raise SettingsError("新密码不能和原密码一样")
    admin.set_pin(new, actor=actor)  # writes the hash and its audit entry
    flush_audit_log(db)


def enroll(config: KioskConfig, db: Database, data_dir: Path, code: str, *,
           actor: str = "admin", transport: Any = None) -> str:
    """Enroll this kiosk with ``sync.server_url`` using a one-time code; returns the
    kiosk id. Raises :class:`SettingsError` in plain words (the cause for technicians
    follows in brackets)."""
    try:
        from kiosk.sync import SyncError, enroll_kiosk
    except ImportError:
        raise SettingsError("本机程序不含同步功能，暂不能登记") from None
    server = config.sync.server_url
    if not server:
        raise SettingsError("请先设置中心服务器地址，再登记")
    code = "".join(c for c in code.upper() if c.isalnum())
    if len(code) < 4:
        raise SettingsError("登记码太短，请对照中心服务器上的登记码重新输入")
    try:
        enrollment = enroll_kiosk(db, data_dir, server, code, config.station.code,
                                  ca_file=config.sync.ca_file, transport=transport)
    except SyncError as exc:
        words = {"offline": "连不上中心服务器，请检查网络和服务器地址",
                 "auth": "登记码无效或已过期，请向中心要一个新的登记码"}
        raise SettingsError(f"{words.get(exc.kind, '登记没有成功')}（{exc}）") from None
    with db.write() as s:
        audit(s, "kiosk_enrolled", {"server": server, "kiosk_id": enrollment.kiosk_id},
              actor=actor)
    return enrollment.kiosk_id
