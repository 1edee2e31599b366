"""Background services of a running kiosk: the sync worker and what follows from it.

Started after the home screen is painted (start-up time is what a resident waits for), and
stopped by :meth:`Services.close`. Qt-free: the UI hands in a status listener (its bridge).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from kiosk import __version__
from kiosk.app import Services

log = logging.getLogger(__name__)


class PackUpdater:
    """Puts a newly pulled policy pack into force; a pack that fails validation is refused
    and the last good one stays (PackStore.replace guarantees that)."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._applied: str | None = None
        self._lock = threading.Lock()

    def __call__(self, _status: Any = None) -> None:
        from kiosk.eligibility import PackError
        from kiosk.sync.cache import policy_pack_files

        with self._services.db.read() as s:
            files = policy_pack_files(s)
        if not files:
            return
        fingerprint = str(hash(tuple(sorted(files.items()))))
        with self._lock:
            if fingerprint == self._applied:
                return
            self._applied = fingerprint
            try:
                self._services.policies.replace(files)
            except PackError as exc:
                log.error("downloaded policy pack refused, keeping %s: %s",
                          self._services.policies.current.version, exc)
                return
        log.info("policy pack %s in force", self._services.policies.current.version)


def start_sync(services: Services, listener: Callable[[Any], None] | None = None) -> Any:
    """Create and start the sync worker; it idles harmlessly until the kiosk is enrolled."""
    from kiosk.sync import SyncEngine, SyncLockedError

    engine = SyncEngine(services.db, services.config.sync, services.dirs.data,
                        app_ver=__version__)
    updater = PackUpdater(services)
    engine.subscribe(updater)
    if listener is not None:
        engine.subscribe(listener)
    try:
        engine.start()
    except SyncLockedError:  # another kiosk process (or `kiosk sync now`) holds the worker
        log.warning("sync worker not started: another process runs it")
        return None
    services.sync = engine
    services.db.outbox_listeners.append(engine.nudge)
    services.devices.append(engine)
    try:
        updater()  # a pack pulled before this start goes into force now
    except Exception:
        log.exception("could not apply the cached policy pack")
    return engine
