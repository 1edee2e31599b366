"""Composition root of the core: builds config-driven services and hands them to a front end.

Nothing here imports Qt. The UI (ui/launch.py), the self-test and the CLI all start from
:func:`build_services`, so the kiosk is wired one way only.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.admin_auth import AdminAuth
from kiosk.clock import today
from kiosk.config import KioskConfig
from kiosk.documents.model import Station
from kiosk.eligibility.store import PackStore
from kiosk.identity import resident_key
from kiosk.paths import KioskDirs, resource
from kiosk.printing import PrintService
from kiosk.session import Resident, ResidentSession
from kiosk.store.engine import Database
from kiosk.store.models import KeyValue, UsageEvent

log = logging.getLogger(__name__)

_SECRET_KEY = "station.secret"


@dataclass
class Services:
    """Everything a front end needs, created once per process."""

    config: KioskConfig
    dirs: KioskDirs
    db: Database
    session: ResidentSession
    admin: AdminAuth
    station_secret: bytes
    policies: PackStore
    printing: PrintService
    devices: list[Any] = field(default_factory=list)  # started device objects, stopped on close
    sync: Any = None  # kiosk.sync.SyncEngine once kiosk.background.start_sync has run
    # The TOML file the settings screen writes: the one `--config` named, else the default.
    config_file: Path | None = None

    @property
    def settings_file(self) -> Path:
        return self.config_file or self.dirs.config_file

    @property
    def station(self) -> Station:
        """The station as printed at the foot of every document."""
        s = self.config.station
        return Station(name=s.name, address=s.address, hours=s.hours)

    def render_document(self, doc: Any) -> bytes:
        """A receipt or guide as PDF bytes, at the configured paper width (worker thread)."""
        from kiosk.documents.receipts import render

        printer = self.config.printer
        return render(doc, width=printer.width, qr_base_url=self.config.receipts.qr_base_url,
                      dots=printer.dots if printer.width != "a4" else None)

    def receipt_url(self, token: str) -> str:
        """What a receipt's QR code opens (shown on screen when printing fails)."""
        return self.config.receipts.qr_base_url + token

    def resident_from_card(self, card: Any) -> Resident:
        """Turn a driver's card record into the core's Resident (with its pseudonym key)."""
        gender = {"男": "male", "女": "female"}.get(getattr(card, "gender", ""))
        return Resident(
            id_number=card.id_number,
            name=getattr(card, "display_name", "") or card.name,
            card_type=card.card_type,
            gender=gender,
            birth_date=card.birth_date,
            card_address=getattr(card, "address", "") or "",
            valid_to=card.valid_to,
            key=resident_key(card.id_number, self.station_secret),
        )

    def count(self, kind: str, detail: str = "") -> None:
        """Anonymous usage counter for the station figures (never personal data)."""
        with self.db.write() as s:
            s.add(UsageEvent(kind=kind, detail=detail))

    def close(self) -> None:
        for device in reversed(self.devices):
            try:
                device.stop()
            except Exception:  # closing must go on for the other devices
                log.exception("stopping %s failed", device)
        self.devices.clear()
        self.sync = None
        self.db.close()


def _station_secret(db: Database) -> bytes:
    """A random per-kiosk secret for resident pseudonyms; created on first start."""
    with db.write() as s:
        row = s.get(KeyValue, _SECRET_KEY)
        if row is None:
            row = KeyValue(key=_SECRET_KEY, value=secrets.token_hex(32))
            s.add(row)
        return bytes.fromhex(row.value)


def database_path(config: KioskConfig, dirs: KioskDirs) -> Any:
    """The demo kiosk keeps its own database so a demo never mixes with real records."""
    return dirs.data / "demo" / "kiosk-demo.sqlite3" if config.demo else dirs.database


def build_services(config: KioskConfig, dirs: KioskDirs,
                   session: ResidentSession | None = None) -> Services:
    """Open storage (migrating it) and create the Qt-free services. Devices start later.

    ``session`` lets a front end that is already on screen (the window paints before storage
    is open) hand over the session object its home screen watches.
    """
    dirs.ensure()
    db = Database(database_path(config, dirs)).open()
    services = Services(
        config=config,
        dirs=dirs,
        db=db,
        session=session if session is not None else ResidentSession(),
        admin=AdminAuth(db, config.admin),
        station_secret=_station_secret(db),
        policies=PackStore.open(resource("policies")),
        printing=PrintService(config.printer, db, dirs),
    )
    if config.demo:
        from kiosk.jobs.demo import ensure_demo_catalogue

        # About 1.3 s on the very first demo start, a single count query afterwards.
        ensure_demo_catalogue(db, today=today())
        from kiosk.activities.demo import ensure_demo_activities

        # Events, courses, mentors... take their featured jobs from the catalogue above.
        ensure_demo_activities(db, today())  # ~60 ms once a week; one key-value read otherwise
    return services
