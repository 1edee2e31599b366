"""Background sync with the central server (protocol /v1, docs/sync-protocol.md), Qt-free.

Build a :class:`SyncEngine` in the composition root, ``start()`` it, ``nudge()`` it after
each submission is committed, ``subscribe()`` for status; ``python -m kiosk.sync`` runs the
same engine headless.
"""

from kiosk.sync.client import SyncError
from kiosk.sync.engine import SyncEngine
from kiosk.sync.enroll import enroll_kiosk
from kiosk.sync.lock import SyncLockedError
from kiosk.sync.status import SyncStatus, read_status

__all__ = ["SyncEngine", "SyncError", "SyncLockedError", "SyncStatus", "enroll_kiosk",
           "read_status"]
