"""Kiosk settings: one TOML file read into a typed, validated tree of dataclasses.

Every key has a default, so an empty file (or none, in demo mode) is a working kiosk. A bad
file stops start-up with :class:`ConfigError`, whose message names the key and the problem,
because a technician reading a boot screen needs "printer.width: must be one of 80, 58, a4",
not a traceback.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the key and the problem."""


def _choice(*values: str | int) -> dict[str, Any]:
    return {"choices": values}


def _range(lo: float, hi: float) -> dict[str, Any]:
    return {"range": (lo, hi)}


@dataclass
class StationConfig:
    name: str = "西青区杨柳青镇就业红娘服务站"
    community: str = "杨柳青镇"
    code: str = "XQ-YLQ-01"
    town: str = "杨柳青镇"
    address: str = "天津市西青区杨柳青镇光明路12号 社区党群服务中心一楼"
    hours: str = "周一至周五 9:00-12:00, 13:30-17:00"


@dataclass
class DisplayConfig:
    orientation: str = field(default="portrait", metadata=_choice("portrait", "landscape"))
    fullscreen: bool = True
    elder_mode_default: bool = False
    language: str = field(default="zh", metadata=_choice("zh", "en"))
    hide_cursor: bool = True

    @property
    def size(self) -> tuple[int, int]:
        return (1080, 1920) if self.orientation == "portrait" else (1920, 1080)


@dataclass
class SessionConfig:
    idle_timeout_s: int = field(default=60, metadata=_range(15, 900))
    countdown_s: int = field(default=10, metadata=_range(3, 60))
    admin_idle_timeout_s: int = field(default=180, metadata=_range(30, 3600))


@dataclass
class AdminConfig:
    # scrypt hash written by `kiosk admin set-pin`; empty means the factory PIN, which the
    # self-test and the admin dashboard flag until it is changed.
    pin_hash: str = ""
    max_tries: int = field(default=5, metadata=_range(1, 20))
    lockout_s: int = field(default=300, metadata=_range(10, 86400))


@dataclass
class ReaderConfig:
    kind: str = field(default="simulated", metadata=_choice("simulated", "serial", "none"))
    port: str = ""
    baud: int = field(default=115200, metadata=_choice(9600, 19200, 38400, 57600, 115200))
    # 0.1 s: the wait for the next poll adds half the interval on average to card→greeting.
    poll_interval_s: float = field(default=0.1, metadata=_range(0.05, 10))
    demo_cards: str = ""  # JSON file of cards for the simulated reader; empty = bundled demo cards


@dataclass
class PrinterConfig:
    backend: str = field(
        default="pdf",
        metadata=_choice("pdf", "escpos-serial", "escpos-tcp", "escpos-usb", "system", "none"),
    )
    width: str = field(default="80", metadata=_choice("80", "58", "a4"))
    dots: int = field(default=576, metadata=_range(200, 2000))
    port: str = ""  # serial port or USB printer device (/dev/usb/lp0)
    baud: int = field(default=115200, metadata=_range(1200, 921600))
    host: str = ""
    tcp_port: int = field(default=9100, metadata=_range(1, 65535))
    queue: str = ""  # CUPS queue / Windows printer name for the system backend
    pdf_dir: str = ""  # empty = <data>/receipts
    status_timeout_s: float = field(default=0.5, metadata=_range(0.05, 10))


@dataclass
class SyncConfig:
    server_url: str = ""  # empty = not enrolled; the kiosk works offline
    ca_file: str = ""
    interval_s: int = field(default=60, metadata=_range(5, 3600))
    facts_timeout_s: float = field(default=1.5, metadata=_range(0.2, 10))


@dataclass
class ReceiptConfig:
    # Unconfirmed: the district has not named the public address that receipt QR codes open.
    qr_base_url: str = "https://lexy.xiqing.example/t/"


@dataclass
class KioskConfig:
    station: StationConfig = field(default_factory=StationConfig)
    display: DisplayConfig = field(default_factory=DisplayConfig)
    session: SessionConfig = field(default_factory=SessionConfig)
    admin: AdminConfig = field(default_factory=AdminConfig)
    reader: ReaderConfig = field(default_factory=ReaderConfig)
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    sync: SyncConfig = field(default_factory=SyncConfig)
    receipts: ReceiptConfig = field(default_factory=ReceiptConfig)
    demo: bool = False


def _check_value(key: str, f: dataclasses.Field[Any], value: Any) -> Any:
    expected = f.type if not isinstance(f.type, str) else _TYPES[f.type]
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if expected is str and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # width = 80 written without quotes
    if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
        raise ConfigError(f"{key}: expected {_TYPE_NAMES[expected]}, got {value!r}")
    choices = f.metadata.get("choices")
    if choices is not None and value not in choices:
        shown = ", ".join(str(c) for c in choices)
        raise ConfigError(f"{key}: must be one of {shown}, got {value!r}")
    bounds = f.metadata.get("range")
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        raise ConfigError(f"{key}: must be between {bounds[0]} and {bounds[1]}, got {value!r}")
    return value


_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}
_TYPE_NAMES: dict[type, str] = {str: "text", int: "a whole number", float: "a number",
                                bool: "true or false"}


def _build(cls: type[Any], data: dict[str, Any], prefix: str) -> Any:
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ConfigError(f"{prefix}{unknown[0]}: unknown key")
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        f = fields[name]
        key = f"{prefix}{name}"
        hint = hints[name]
        if dataclasses.is_dataclass(hint):
            if not isinstance(value, dict):
                raise ConfigError(f"{key}: expected a [{key}] table")
            kwargs[name] = _build(typing.cast(type, hint), value, f"{key}.")
        else:
            if isinstance(hint, types.UnionType):  # pragma: no cover - no optional keys yet
                raise ConfigError(f"{key}: unsupported type")
            f.type = hint
            kwargs[name] = _check_value(key, f, value)
    return cls(**kwargs)


def parse_config(text: str, *, source: str = "<config>") -> KioskConfig:
    """Parse TOML text into a validated config; errors name ``source`` and the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML ({exc})") from exc
    try:
        return typing.cast(KioskConfig, _build(KioskConfig, data, ""))
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None


def load_config(path: Path | None, *, demo: bool = False) -> KioskConfig:
    """Read ``path`` (a missing default file means all defaults) and apply demo mode."""
    if path is not None and path.exists():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot be read ({exc})") from exc
        config = parse_config(text, source=str(path))
    else:
        config = KioskConfig()
    if demo:
        config.demo = True
    return config


def to_toml(config: KioskConfig) -> str:
    """Write a config back as TOML (settings screen, `kiosk config show`)."""
    lines: list[str] = []
    top = dataclasses.asdict(config)
    for key, value in top.items():
        if not isinstance(value, dict):
            lines.append(f"{key} = {_toml_value(value)}")
    for key, value in top.items():
        if isinstance(value, dict):
            lines.append(f"\n[{key}]")
            lines.extend(f"{k} = {_toml_value(v)}" for k, v in value.items())
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
