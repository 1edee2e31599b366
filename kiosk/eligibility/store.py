"""The pack in use, replaced only by a pack that loads and passes its own scenarios.

The sync layer hands new packs to :meth:`PackStore.replace`; a broken download or a pack
whose tests fail raises :class:`PackError` and the kiosk keeps deciding with the last good
pack, so residents never meet a half-updated rule set.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path

from kiosk.eligibility.errors import PackError
from kiosk.eligibility.pack import RulePack, load_pack, load_pack_files
from kiosk.eligibility.scenarios import run_scenarios

__all__ = ["PackStore", "validate_pack"]


def validate_pack(source: str | Path | Mapping[str, str | bytes]) -> RulePack:
    """Load ``source`` (a folder or {file name: content}) and run its scenarios."""
    pack = load_pack_files(source) if isinstance(source, Mapping) else load_pack(source)
    report = run_scenarios(pack)
    if not report.ok:
        raise PackError(report.problems)
    return pack


class PackStore:
    """Holds the current :class:`RulePack`; swaps are atomic and only to validated packs."""

    def __init__(self, pack: RulePack) -> None:
        self._pack = pack
        self._lock = threading.Lock()
        self._listeners: list[Callable[[RulePack], None]] = []

    @classmethod
    def open(cls, source: str | Path | Mapping[str, str | bytes]) -> PackStore:
        """A store with the pack at ``source`` (validated); :class:`PackError` otherwise."""
        return cls(validate_pack(source))

    @property
    def current(self) -> RulePack:
        return self._pack

    def subscribe(self, listener: Callable[[RulePack], None]) -> None:
        """Called with the new pack after each successful :meth:`replace`."""
        self._listeners.append(listener)

    def replace(self, source: str | Path | Mapping[str, str | bytes]) -> None:
        """Validate ``source`` and make it current; on :class:`PackError` keep the old pack."""
        pack = validate_pack(source)  # raises before anything changes
        with self._lock:
            self._pack = pack
        for listener in list(self._listeners):
            listener(pack)
