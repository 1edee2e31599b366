"""The kiosk's idea of today, in a module light enough for the first frame to import.

Kept apart from kiosk.app (which pulls in SQLAlchemy) so the window can ask for the date
before storage has been opened.
"""

from __future__ import annotations

import os
from datetime import date


def today() -> date:
    """Today, or the date in ``KIOSK_TODAY`` (tests and demos that must see the same data)."""
    fixed = os.environ.get("KIOSK_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()
