"""Checks a pulled entity must pass before it replaces the local copy.

A policy pack that fails is refused and the last good one kept: a kiosk deciding
eligibility from a broken pack would mislead residents. The pack is checked by the
eligibility engine itself (``kiosk.eligibility.validate_pack``: it loads the pack and runs
every scenario), looked up lazily so the sync worker does not load the engine until a pack
arrives. The activities streams (events, live sessions, courses, projects, mentors,
announcements) are checked by the same parsers the screens read them with
(``kiosk.activities.formats``): an entity the screens could not show is refused, and the last
good copy stays. The kiosk's composition root may pass its own validators to the sync engine.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

Validator = Callable[[str, Any], None]


def _entity(entity_id: str, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    if str(data.get("id", entity_id)) != entity_id:
        raise ValueError(f"id {data.get('id')!r} does not match the change's id")
    return data


def check_job(entity_id: str, data: Any) -> None:
    job = _entity(entity_id, data)
    if not isinstance(job.get("title", ""), str):
        raise ValueError("title must be text")


def check_policy_pack(entity_id: str, data: Any) -> None:
    """A pack travels as its folder's files: ``{"id", "version", "files": {path: text}}``."""
    pack = _entity(entity_id, data)
    files = pack.get("files")
    if not isinstance(files, dict) or not files or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise ValueError("a policy pack needs its files as {path: text}")
    if any("/" in k or "\\" in k or k.startswith(".") for k in files):
        raise ValueError("policy pack files are plain names inside the pack folder")
    try:
        eligibility = importlib.import_module("kiosk.eligibility")
    except ImportError:
        return
    full_check = getattr(eligibility, "validate_pack", None)
    if full_check is not None:
        full_check(files)  # PackError is a ValueError; its message lists file:line problems


def check_announcement(entity_id: str, data: Any) -> None:
    item = _entity(entity_id, data)
    if not isinstance(item.get("title"), str) or not item["title"].strip():
        raise ValueError("an announcement needs a title")
    _activities_parse("announcements", item)


def _activities_parse(stream: str, data: dict[str, Any]) -> None:
    try:
        formats = importlib.import_module("kiosk.activities.formats")
    except ImportError:
        return
    formats.PARSERS[stream](data)  # ValueError naming the field


def _activity_check(stream: str) -> Validator:
    def check(entity_id: str, data: Any) -> None:
        _activities_parse(stream, _entity(entity_id, data))

    check.__name__ = f"check_{stream}"
    return check


ACTIVITY_STREAMS = ("events", "live_sessions", "courses", "projects", "mentors")


def check_settings(entity_id: str, data: Any) -> None:
    _entity(entity_id, data)


def default_validators() -> dict[str, Validator]:
    return {"jobs": check_job, "policy_packs": check_policy_pack,
            "announcements": check_announcement, "station_settings": check_settings,
            **{stream: _activity_check(stream) for stream in ACTIVITY_STREAMS}}
