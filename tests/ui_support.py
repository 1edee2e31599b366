"""Helpers the UI tests share: the window on demo data, a finger, what is on screen, the
records written, the printed PDF and the 适老化 audit walk.

One implementation for every test module, so a fix (a wait, a scroll, a masking check) lands
everywhere at once. Where modules really differ (their fixed day, whether their demo database
needs the activities month, how their finger was written), that is a parameter, never a copy.
Qt is imported here at module level: only UI tests import this module, after tests/conftest.py
has put Qt offscreen.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar, overload

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QScrollArea, QScroller, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.activities.demo import ensure_demo_activities
from kiosk.identity import check_character
from kiosk.jobs.demo import ensure_demo_catalogue
from kiosk.session import Resident
from kiosk.store.engine import Database
from kiosk.store.models import OutboxRecord
from ui.audit import audit
from ui.launch import KioskUi, build_ui
from ui.qt_app import apply_theme
from ui.screens.base import Screen

S = TypeVar("S", bound=Screen)
Ungrab = Literal["offscreen", "always", "never"]

DEMO_DB = Path("data") / "demo" / "kiosk-demo.sqlite3"  # under KIOSK_HOME: kiosk.app.database_path


# -- the resident ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Card:
    """The attributes of a driver's card record that the window reads, as the reader thread
    hands it over: a test identifies someone by the same path as a real card."""

    id_number: str
    name: str
    gender: str
    birth_date: date | None
    address: str
    card_type: str = "resident"
    valid_to: date | None = None
    expired: bool = False

    def is_expired(self, on: date) -> bool:
        return self.expired


# 李秀兰 of 精武镇: whom the jobs and activities tests identify by card (离我近 starts there).
ID17 = "12011119740315031"
ID_NUMBER = ID17 + check_character(ID17)
CARD = Card(id_number=ID_NUMBER, name="李秀兰", gender="女", birth_date=date(1974, 3, 15),
            address="天津市西青区精武镇学府路8号")


def read_card(ui: KioskUi, qtbot: QtBot, card: Card, *, timeout_ms: int = 2000) -> None:
    """The card on the reader: through the bridge as the reader thread would, then wait
    until the session knows the resident (the signal is queued)."""
    ui.bridge.on_card_read(card)
    qtbot.waitUntil(lambda: ui.window.services.session.identified, timeout=timeout_ms)


def identify(ui: KioskUi, resident: Resident, central: dict[str, Any] | None = None) -> None:
    """Identify without a card read and greet on home, at once (no wait); ``central`` adds
    what the 人社 lookup would say, so a test decides which policies apply."""
    session = ui.window.services.session
    session.identify(resident)
    if central is not None:
        session.add_facts(central, "central")
    ui.window.home_screen.show_resident(resident)


# -- the day and the demo database -----------------------------------------------------------

def fixed_today(day: date | str) -> Any:
    """An autouse fixture that puts the kiosk's clock (KIOSK_TODAY) on ``day``: the module's
    demo data was made for that day, so 'later', 'expired' and 'this week' never depend on
    when the suite runs. Use as ``_fixed_today = fixed_today(TODAY)`` at module level."""

    @pytest.fixture(autouse=True)
    def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("KIOSK_TODAY", str(day))  # str(date) is its isoformat

    return _fixed_today


def build_demo_db(folder: Path, today: date, *, activities: bool) -> Path:
    """A demo database made for ``today`` (about 1.5 s: 2,000 jobs indexed), meant to be made
    once per module and copied for each test; the activities month only where the module's
    screens show it."""
    path = folder / DEMO_DB.name
    db = Database(path).open()
    try:
        ensure_demo_catalogue(db, today=today)
        if activities:
            ensure_demo_activities(db, today)
    finally:
        db.close()
    return path


def install_demo_db(template: Path, kiosk_home: Path) -> None:
    """Copy a module's demo database to where the demo kiosk opens it, so make_services uses
    it instead of the session's template (made for whatever today() was)."""
    target = kiosk_home / DEMO_DB
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)


# -- the window ------------------------------------------------------------------------------

def pdf_printer(folder: Path, width: str | None = None) -> str:
    """TOML for the PDF-folder printer: every receipt becomes a real PDF a test reads back."""
    paper = f'width = "{width}"\n' if width is not None else ""
    return f'[printer]\nbackend = "pdf"\n{paper}pdf_dir = "{folder}"\n'


def ui_factory(make_services: Callable[..., Any], printed: Path, *,
               demo_db: Path | None = None, kiosk_home: Path | None = None
               ) -> Iterator[Callable[..., KioskUi]]:
    """Body of the ``make_ui`` fixture (tests/conftest.py): the real window on services built
    from extra TOML, with the PDF printer into ``printed`` unless the TOML names a printer,
    on a copy of ``demo_db`` when given; every window closed at the end."""
    made: list[KioskUi] = []

    def factory(toml: str = "") -> KioskUi:
        if demo_db is not None:
            assert kiosk_home is not None, "the demo database is copied into KIOSK_HOME"
            install_demo_db(demo_db, kiosk_home)
        if "[printer]" not in toml:
            toml += "\n" + pdf_printer(printed)
        ui = build_ui(make_services(toml))
        ui.window.show()
        made.append(ui)
        return ui

    yield factory
    for ui in made:
        ui.close()
        ui.window.deleteLater()


@overload
def screen_of(ui: KioskUi, which: str) -> Any: ...
@overload
def screen_of(ui: KioskUi, which: type[S]) -> S: ...
def screen_of(ui: KioskUi, which: str | type[S]) -> Any:
    """A screen by name (untyped, for duck-typed checks) or by class (checked and typed)."""
    if isinstance(which, str):
        return ui.window.screens[which]
    screen = ui.window.screens[which.name]
    assert isinstance(screen, which)
    return screen


def showing(ui: KioskUi, screen: str | QWidget) -> bool:
    """The window shows ``screen`` (a name or the screen): a bool, so an assert on it does not
    narrow the screen's type for the lines after."""
    target = ui.window.screens[screen] if isinstance(screen, str) else screen
    return bool(ui.window.current is target)


def settled(qtbot: QtBot, screen: Any, *, timeout_ms: int = 5000) -> None:
    """The screen's worker load is done and what it added is laid out (widgets added meanwhile
    show at the next loop turn)."""
    qtbot.waitUntil(lambda: not screen.loading, timeout=timeout_ms)
    QApplication.processEvents()


def wait_receipt(qtbot: QtBot, ui: KioskUi, *, timeout_ms: int = 15_000) -> Any:
    """The receipt overlay once printing has finished (its OK shows then): the overlay."""
    overlay = ui.window.receipts.overlay
    qtbot.waitUntil(lambda: overlay.isVisible() and overlay.ok.isVisible(), timeout=timeout_ms)
    return overlay


# -- the finger ------------------------------------------------------------------------------

def _scroll_area(widget: QWidget) -> QScrollArea | None:
    area = widget.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    return area


def _on_screen(widget: QWidget) -> bool:
    return widget.screen().geometry().contains(widget.mapToGlobal(widget.rect().center()))


def tap(qtbot: QtBot, widget: QWidget, pos: QPoint | None = None, *, timeout_ms: int = 2000,
        check_enabled: bool = True, settle: bool = True, ungrab: Ungrab = "offscreen") -> None:
    """A finger on the widget: scrolled into view first, as the resident would, and never
    taken for a double tap.

    The keywords keep each module's finger as its tests were written and passed (a module
    binds them once with functools.partial): how long to wait for the widget to show,
    whether a disabled widget fails the test, whether pending events run first, and when
    the scroll area's touch gesture is removed. The offscreen test screen is 800×800,
    smaller than the kiosk window, and QScroller replays a delayed press only where a
    screen is: without the gesture the tap reaches the widget directly ("offscreen" removes
    it only when the widget lies beyond the screen, "always" whenever it is in a scroll area).
    """
    qtbot.waitUntil(widget.isVisible, timeout=timeout_ms)  # new widgets show at the next turn
    if settle:
        QApplication.processEvents()  # and are laid out after that: tap where they really are
    if check_enabled:
        assert widget.isEnabled(), widget
    area = _scroll_area(widget)
    if area is not None:
        area.ensureWidgetVisible(widget, 0, 0)
        if ungrab == "always" or (ungrab == "offscreen" and not _on_screen(widget)):
            QScroller.ungrabGesture(area.viewport())
    widget._last_click = 0.0  # type: ignore[attr-defined]  # not a double tap
    if pos is None:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)


# -- what is on screen -----------------------------------------------------------------------

def texts(widget: QWidget, *, visible_only: bool = True) -> str:
    """The labels' texts on ``widget``, one a line: what a person can read there now, or with
    ``visible_only=False`` every label not itself hidden (also those on a page of the screen
    that is not showing at the moment)."""
    return "\n".join(w.text() for w in widget.findChildren(QLabel)
                     if (w.isVisibleTo(widget) if visible_only else not w.isHidden())
                     and w.text())


def visible_texts(widget: QWidget) -> list[str]:
    """Every label and button text a person can see on ``widget``: the words checked for
    translation and masking, buttons included."""
    found = [w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget)]
    found += [w.text() for w in widget.findChildren(QAbstractButton) if w.isVisibleTo(widget)]
    return [t for t in found if t]


# -- what was stored and printed -------------------------------------------------------------

def rows(ui: KioskUi, model: Any) -> list[Any]:
    """Every row of a table in the kiosk's database (the real SQLite file)."""
    with ui.window.services.db.read() as s:
        return list(s.scalars(select(model)))


def outbox(ui: KioskUi, kind: str) -> list[OutboxRecord]:
    """The outbox records of one kind: what would be sent to the central server."""
    with ui.window.services.db.read() as s:
        return list(s.scalars(select(OutboxRecord).where(OutboxRecord.kind == kind)))


def pdf_text(path: Path, *, squeeze: bool = True) -> str:
    """The text of a printed PDF; squeezed (no line breaks or spaces) so a check does not
    depend on where the printer wrapped a line; ``squeeze=False`` to check English words."""
    doc = pdfium.PdfDocument(str(path))
    try:
        text = "".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()
    return text.replace("\r", "").replace("\n", "").replace(" ", "") if squeeze else text


# -- the 适老化 audit ------------------------------------------------------------------------

@contextmanager
def audited_window(services: Any, *, elder: bool) -> Iterator[KioskUi]:
    """The real window on ``services``, shown in normal or large text; closed and the normal
    text put back afterwards, also when the walk fails, so the next test starts as usual."""
    ui = build_ui(services)
    try:
        apply_theme(ui.app, elder)
        ui.window.show()
        yield ui
    finally:
        try:
            ui.close()
            ui.window.deleteLater()
        finally:
            apply_theme(ui.app, False)


@dataclass
class AuditLog:
    """The states a walk stopped in and what the audit (nothing clipped, too small or too
    faint) found in each, gathered over a test's walks so one failure lists them all."""

    seen: list[str] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)

    def walk(self, ui: KioskUi, states: Iterable[str], *, elder: bool) -> None:
        """Audit the window at each state ``states`` stops in, once pending events ran."""
        for name in states:
            QApplication.processEvents()
            self.seen.append(name)
            found = [str(f) for f in audit(ui.window)]
            if found:
                self.problems[f"{name}{' (large text)' if elder else ''}"] = found

    def report(self) -> str:
        return "\n".join(f"[{n}] {f}" for n, fs in self.problems.items() for f in fs)
