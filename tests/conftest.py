"""Test configuration shared by the whole suite.

Qt must run offscreen and never see a developer's own display or settings, so the platform
is set before anything imports Qt; every test gets its own KIOSK_HOME so data, config and logs
never leak between tests or into the machine's real folders.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_QUICK_BACKEND", "software")
os.environ.pop("DISPLAY", None)
os.environ.pop("WAYLAND_DISPLAY", None)

import pytest


@pytest.fixture(autouse=True)
def kiosk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An isolated KIOSK_HOME (data/, config/, log/) for every test."""
    home = tmp_path / "kiosk-home"
    monkeypatch.setenv("KIOSK_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _chinese_again() -> Iterator[None]:
    """The residents' language is process-wide (kiosk.i18n): every test starts and ends in
    Chinese, whatever it switched to."""
    from kiosk.i18n import set_language

    set_language("zh")
    yield
    set_language("zh")


@pytest.fixture(autouse=True)
def _windows_deleted() -> Iterator[None]:
    """Windows a test closed (deleteLater) are deleted when it ends, not whenever an event
    loop next runs: otherwise the next test's style sheet re-polishes them all, slowly, and
    queued work of the old window meets the new one's."""
    yield
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is not None:
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def _no_leaked_threads() -> Iterator[None]:
    """Fail a test that leaves a thread running: leaked device or sync threads make later
    tests flaky and hide shutdown bugs that would hang a kiosk at exit."""
    before = set(threading.enumerate())
    yield
    deadline = threading.Event()
    leaked: list[threading.Thread] = []
    for _ in range(50):  # give threads that were told to stop up to ~5 s to finish
        leaked = [t for t in threading.enumerate()
                  if t not in before and t.is_alive() and not _ignorable(t)]
        if not leaked:
            break
        deadline.wait(0.1)
    if leaked:
        names = ", ".join(t.name for t in leaked)
        pytest.fail(f"test left threads running: {names}")


def _ignorable(thread: threading.Thread) -> bool:
    # Threads owned by libraries for the whole process, not by the code under test.
    return thread.name.startswith(("QDBus", "asyncio_", "ThreadPoolExecutor-")) or \
        thread.name in {"pydevd.Writer", "pydevd.Reader"}


@pytest.fixture(scope="session")
def demo_templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Demo databases made once per session (per date), copied for each test that wants one."""
    return tmp_path_factory.mktemp("demo-templates")


def _copy_demo_template(templates: Path, target: Path) -> None:
    """A fresh demo database costs about a second (2,000 jobs indexed, a month of events);
    a copy of one made earlier in the session costs milliseconds and holds the same data."""
    from kiosk.activities.demo import ensure_demo_activities
    from kiosk.clock import today
    from kiosk.jobs.demo import ensure_demo_catalogue
    from kiosk.store.engine import Database

    template = templates / f"demo-{today().isoformat()}.sqlite3"
    if not template.exists():
        building = template.with_suffix(".building")
        db = Database(building).open()
        try:
            ensure_demo_catalogue(db, today=today())
            ensure_demo_activities(db, today())
        finally:
            db.close()
        building.rename(template)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)


@pytest.fixture
def make_services(kiosk_home: Path, demo_templates: Path) -> Iterator[object]:
    """Build the core services from TOML text (reader off unless asked); closed at the end."""
    from kiosk.app import build_services, database_path
    from kiosk.config import parse_config
    from kiosk.paths import kiosk_dirs

    made: list[object] = []

    def factory(toml: str = "", *, demo: bool = True, reader: str = "none") -> object:
        text = toml if "[reader]" in toml else f'[reader]\nkind = "{reader}"\n' + toml
        config = parse_config(text)
        config.demo = demo
        dirs = kiosk_dirs()
        if demo and not database_path(config, dirs).exists():
            _copy_demo_template(demo_templates, database_path(config, dirs))
        services = build_services(config, dirs)
        made.append(services)
        return services

    yield factory
    for services in reversed(made):
        services.close()  # type: ignore[attr-defined]


@pytest.fixture
def kiosk_ui(qtbot: object, make_services: object) -> Iterator[object]:
    """The real kiosk window on demo services, offscreen, at the configured size."""
    from ui.launch import build_ui

    services = make_services()  # type: ignore[operator]
    ui = build_ui(services)
    ui.window.show()
    yield ui
    ui.close()
    ui.window.deleteLater()


# -- the UI tests' window (helpers in tests/ui_support.py) --------------------------------

pytest.register_assert_rewrite("ui_support")  # its taps assert, as the tests' own asserts do


@pytest.fixture
def ui_demo_db() -> Path | None:
    """The demo database ``make_ui`` copies in before the services open it; None leaves it to
    make_services (the session's template for today()). A module whose screens need data made
    for its own fixed day overrides this with a module-scoped fixture that returns
    ``ui_support.build_demo_db(...)``: made once per module, copied per test."""
    return None


@pytest.fixture
def make_ui(qtbot: object, make_services: object, tmp_path: Path, kiosk_home: Path,
            ui_demo_db: Path | None) -> Iterator[object]:
    """Build the real kiosk window from extra TOML, shown offscreen: demo services, the PDF
    printer into tmp_path/printed unless the TOML names a printer; closed at the end."""
    from ui_support import ui_factory

    yield from ui_factory(make_services, tmp_path / "printed",  # type: ignore[arg-type]
                          demo_db=ui_demo_db, kiosk_home=kiosk_home)
