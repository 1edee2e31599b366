"""Logs never hold a full ID number or phone number, whatever the call site passes."""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.logging_setup import mask_text, setup_logging


def test_mask_text() -> None:
    text = "card 11010519491231002X phone 13812345678 permit ABC123456789012 ok"
    masked = mask_text(text)
    assert "11010519491231002X" not in masked
    assert "110105********002X" in masked
    assert "138****5678" in masked
    assert "ABC123456789012" not in masked


def test_log_file_is_masked(tmp_path: Path) -> None:
    path = setup_logging(tmp_path)
    log = logging.getLogger("test.privacy")
    log.info("read card %s for %s", "120111197403150318", {"phone": "13912345678"})
    try:
        raise ValueError("bad number 120111197403150318")
    except ValueError:
        log.exception("failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    content = path.read_text(encoding="utf-8")
    assert "120111197403150318" not in content
    assert "13912345678" not in content
    assert "120111********0318" in content
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk", False):
            root.removeHandler(handler)
            handler.close()
