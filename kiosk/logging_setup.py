"""Logging to rotating files, with personal data masked in every record.

The mask runs as a filter on the handlers, not at call sites, so a careless
``log.info("card %s", card)`` still cannot write a full ID number or phone number to disk.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_FOREIGN_15 = re.compile(r"(?<![0-9A-Za-z])([A-Z]{3})(\d{12})(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    """Mask 18-character ID numbers, 15-character foreigner card numbers and mobile numbers."""
    text = _ID.sub(lambda m: m.group(1) + "********" + m.group(3)[-4:].rjust(4, "*"), text)
    text = _FOREIGN_15.sub(lambda m: m.group(1) + "********" + m.group(2)[-4:], text)
    return _PHONE.sub(lambda m: m.group(1) + "****" + m.group(3), text)


class PiiMaskFilter(logging.Filter):
    """Rewrites each record's message (with its arguments applied) through :func:`mask_text`."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string should still be logged, masked
            message = str(record.msg)
        record.msg = mask_text(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        return True


def setup_logging(log_dir: Path, *, level: int = logging.INFO, console: bool = False) -> Path:
    """Rotating ``kiosk.log`` (5 × 2 MB) in ``log_dir``; returns the file path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "kiosk.log"
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk", False):
            root.removeHandler(handler)
            handler.close()
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5,
                                             encoding="utf-8")
    ]
    if console:
        handlers.append(logging.StreamHandler())
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    for handler in handlers:
        handler.setFormatter(fmt)
        handler.addFilter(PiiMaskFilter())
        handler._kiosk = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    return path
