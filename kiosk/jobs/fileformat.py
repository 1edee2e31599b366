"""Reading and writing catalogue files (the JSON format of docs/data-formats.md)."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.jobs.catalogue import CatalogueFormatError
from kiosk.jobs.generator import FORMAT


@dataclass
class CatalogueFile:
    jobs: list[dict[str, Any]]
    employers: list[dict[str, Any]] = field(default_factory=list)


def read_catalogue(path: Path) -> CatalogueFile:
    """Parse a catalogue file; raises OSError (unreadable) or CatalogueFormatError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise CatalogueFormatError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise CatalogueFormatError(f"{path}: not JSON (line {exc.lineno}: {exc.msg})") from None
    if isinstance(data, list):
        return CatalogueFile(jobs=data)
    if not isinstance(data, dict):
        raise CatalogueFormatError(f"{path}: expected an object with \"jobs\" or a list of jobs")
    if data.get("format", FORMAT) != FORMAT:
        raise CatalogueFormatError(f"{path}: format is {data.get('format')!r}, not {FORMAT!r}")
    jobs, employers = data.get("jobs", []), data.get("employers", [])
    if not isinstance(jobs, list) or not isinstance(employers, list):
        raise CatalogueFormatError(f"{path}: \"jobs\" and \"employers\" must be lists")
    return CatalogueFile(jobs=jobs, employers=employers)


def write_catalogue(path: Path, catalogue: dict[str, Any]) -> None:
    """Write atomically (temp file + rename) so an interrupted run leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(catalogue, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
