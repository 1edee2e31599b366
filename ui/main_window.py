"""The kiosk window: header, a stack of screens, the nav bar, overlays and idle handling.

It only navigates and reacts to session events; what a screen does lives in the screen, and
what an action means lives in the core. Screens are added by the composition root
(ui/launch.py), so this class does not know the list of services.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from kiosk import i18n
from kiosk.clock import today
from kiosk.config import KioskConfig
from kiosk.i18n import N_, tr
from kiosk.session import ResidentSession
from ui.idle import IdleWatcher
from ui.ops import KioskOps
from ui.screens.base import Screen
from ui.screens.home_screen import HomeScreen
from ui.widgets.buttons import KioskButton
from ui.widgets.overlay import CountdownOverlay, MessageOverlay

if TYPE_CHECKING:  # the window paints before storage (and SQLAlchemy) is loaded
    from kiosk.app import Services
    from ui.receipt_flow import ReceiptFlow

log = logging.getLogger(__name__)

WEEKDAYS = (N_("星期一"), N_("星期二"), N_("星期三"), N_("星期四"), N_("星期五"), N_("星期六"),
            N_("星期日"))
ADMIN_TAPS = 5
ADMIN_TAP_WINDOW_S = 3.0


class _TapCounter(QObject):
    """Five taps on the station name within three seconds open the PIN pad."""

    triggered = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._taps: list[float] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonPress:
            now = time.monotonic()
            self._taps = [t for t in self._taps if now - t <= ADMIN_TAP_WINDOW_S] + [now]
            if len(self._taps) >= ADMIN_TAPS:
                self._taps.clear()
                self.triggered.emit()
        return False


class Header(QWidget):
    def __init__(self, station: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(40, 20, 40, 20)
        row.setSpacing(24)
        self.station = QLabel(station)
        self.station.setObjectName("StationName")
        self.station.setWordWrap(True)
        self.clock = QLabel()
        self.clock.setObjectName("Clock")
        self.net = QLabel(tr("单机运行"))
        self.net.setObjectName("NetState")
        row.addWidget(self.station, 1)
        right = QVBoxLayout()
        right.setSpacing(8)
        right.addWidget(self.clock, 0, Qt.AlignmentFlag.AlignRight)
        right.addWidget(self.net, 0, Qt.AlignmentFlag.AlignRight)
        row.addLayout(right)
        self.tap_counter = _TapCounter(self)
        self.station.installEventFilter(self.tap_counter)
        self.update_clock()

    def update_clock(self) -> None:
        now = datetime.now()
        self.clock.setText(tr("{y}年{m}月{d}日 {weekday} {hm}").format(
            y=now.year, m=f"{now:%m}", d=f"{now:%d}", weekday=tr(WEEKDAYS[now.weekday()]),
            hm=f"{now:%H:%M}"))


class NavBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NavBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(32, 16, 32, 16)
        row.setSpacing(20)
        # five buttons (返回 首页 长辈模式 朗读 退出) must fit 1080 px in large text: the
        # theme's 28 px side padding would need 1154 px, so the nav bar's buttons pad less
        self.setStyleSheet("QPushButton { padding: 0 12px; }")
        self.back = KioskButton("", role="nav")
        self.home = KioskButton("", role="nav")
        self.elder = KioskButton("", role="nav")
        self.elder.setCheckable(True)
        self.speak = KioskButton("", role="nav")  # shown by ui.speech.VoiceGuide
        self.speak.hide()
        # On home only: English ⇄ 中文, each written in its own language so a resident who
        # cannot read the current one still finds theirs.
        self.language = KioskButton("", role="nav")
        self.exit = KioskButton("", role="danger")
        self.exit.setProperty("role", "danger")
        self.retranslate()
        row.addWidget(self.back)
        row.addWidget(self.home)
        row.addStretch(1)
        row.addWidget(self.elder)
        row.addWidget(self.speak)
        row.addWidget(self.language)
        row.addWidget(self.exit)

    def retranslate(self) -> None:
        self.back.setText(tr("返回"))
        self.home.setText(tr("首页"))
        self.elder.setText(tr("长辈模式"))
        self.speak.setText(tr("朗读"))
        self.exit.setText(tr("退出"))
        self.language.setText("中文" if i18n.language() == "en" else "English")


class KioskWindow(QWidget):
    """The one window. ``allow_close`` is only set by admin exit, tests and shutdown.

    It is built in two stages so the home screen paints first: the constructor needs only
    the config and the session; :meth:`attach` hands over the core services once storage is
    open, and the composition root then adds the other screens. A tile tapped in between is
    remembered and opened as soon as its screen exists.
    """

    session_wiped = Signal()
    admin_entered = Signal()
    admin_left = Signal()
    elder_mode_changed = Signal(bool)
    resident_left = Signal()  # 退出 tapped: the person is still here (satisfaction tap)
    admin_card_read = Signal(object)  # a card read in admin mode: the reader test
    # The residents' language changed: the composition root builds their screens again.
    language_changed = Signal(str)

    services: Services  # set by attach()
    receipts: ReceiptFlow  # set by attach()

    def __init__(self, config: KioskConfig, session: ResidentSession, ops: KioskOps,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.config = config
        self.session = session
        self.ops = ops
        self.ready = False  # services attached and screens added
        self._retired: list[Screen] = []  # screens replaced after a language switch
        self._waiting_for: tuple[str, dict[str, Any]] | None = None
        self._sync_status: Any = None  # the last one, to show it again in another language
        self._reader_fault = False
        self.allow_close = False
        self.in_admin = False
        self.speech_available = False  # set by ui.speech.VoiceGuide when an engine speaks
        self._visiting = False  # a visit is counted once, from leaving home or a card read
        self.interruptions = 0  # unhandled UI exceptions since start (shown to staff)
        self.setObjectName("KioskWindow")
        self.setWindowTitle("乐业西青自助服务")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.header = Header(config.station.name)
        self.banner = QLabel(tr("设备维护中，部分服务暂停，请联系工作人员"))
        self.banner.setObjectName("MaintenanceBanner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.stack = QStackedWidget()
        self.nav = NavBar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.nav)
        self.screens: dict[str, Screen] = {}
        self.history: list[str] = []
        self.home_screen = HomeScreen(self, landscape=config.display.orientation == "landscape")
        self.add_screen(self.home_screen)
        self.countdown = CountdownOverlay(self)
        self.message_box = MessageOverlay(self)
        # Kept as attributes so settings (and tests) can change them without a restart.
        self.idle_ms = config.session.idle_timeout_s * 1000
        self.admin_idle_ms = config.session.admin_idle_timeout_s * 1000
        self.idle = IdleWatcher(self.idle_ms, self)
        self.idle.timed_out.connect(self._on_idle)
        self.countdown.expired.connect(self._on_countdown_expired)
        self.countdown.continued.connect(self.idle.poke)
        self.nav.back.clicked.connect(self.back)
        self.nav.home.clicked.connect(self.home)
        self.nav.exit.clicked.connect(self._on_exit_tapped)
        self.nav.elder.toggled.connect(self.elder_mode_changed)
        self.nav.language.clicked.connect(self._toggle_language)
        self.header.tap_counter.triggered.connect(self.open_pin_pad)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(15_000)
        self._clock_timer.timeout.connect(self.header.update_clock)
        self._clock_timer.start()
        self._show(self.home_screen.name)

    def attach(self, services: Services) -> None:
        """Take over the core services (storage is open); screens are added after this."""
        from ui.receipt_flow import ReceiptFlow

        if services.session is not self.session:
            raise ValueError("the services must carry the session the window was built with")
        self.services = services
        self.receipts = ReceiptFlow(services, self.ops, self)

    def mark_ready(self) -> None:
        """All screens are in: open the one a resident asked for while they were built."""
        self.ready = True
        waiting, self._waiting_for = self._waiting_for, None
        if waiting is not None and self.current is self.home_screen:
            self.show_screen(waiting[0], **waiting[1])

    # -- screens -------------------------------------------------------------------------
    def add_screen(self, screen: Screen) -> Screen:
        self.screens[screen.name] = screen
        self.stack.addWidget(screen)
        return screen

    @property
    def current(self) -> Screen:
        widget = self.stack.currentWidget()
        assert isinstance(widget, Screen)
        return widget

    def _show(self, name: str, **kwargs: Any) -> None:
        screen = self.screens[name]
        self.stack.setCurrentWidget(screen)
        screen.on_enter(**kwargs)
        is_home = name == self.home_screen.name
        self.nav.back.setVisible(screen.navigable and not is_home)
        self.nav.home.setVisible(not is_home)
        self.nav.exit.setVisible(self.session.identified and not self.in_admin)
        self.nav.elder.setVisible(not self.in_admin)
        self.nav.speak.setVisible(self.speech_available and not self.in_admin)
        self.nav.language.setVisible(is_home and not self.in_admin)
        self._count_visit(is_home)
        self._update_idle()

    def _count_visit(self, is_home: bool) -> None:
        """One visit per person: counted when they leave home or put a card on, ended when
        the kiosk is back home with nobody identified."""
        if self.in_admin:
            return
        if is_home and not self.session.identified:
            self._visiting = False
        elif not self._visiting and self.ready:
            self._visiting = True
            self.ops.run(lambda: self.services.count("visit"))

    def show_screen(self, name: str, **kwargs: Any) -> None:
        if name not in self.screens:
            if not self.ready:  # tapped in the first second after start: open it when built
                self._waiting_for = (name, kwargs)
                return
            log.error("no screen named %s", name)
            return
        screen = self.screens[name]
        if screen.needs_identity and not self.session.identified:
            self.message(tr("请先放身份证"), tr("此项服务需要核对身份。请将身份证放在读卡区，"
                                          "读卡成功后再点一次。"))
            return
        self.history.append(self.current.name)
        self._show(name, **kwargs)

    def back(self) -> None:
        target = self.history.pop() if self.history else self.home_screen.name
        if self.in_admin and target not in self._admin_screens():
            target = "admin"
        self._show(target)

    def home(self) -> None:
        if self.in_admin:
            self.leave_admin("home")
            return
        self.history.clear()
        self._show(self.home_screen.name)

    def message(self, title: str, text: str, ok: str | None = None) -> None:
        self.message_box.show_message(title, text, ok)

    # -- session -------------------------------------------------------------------------
    def on_card(self, card: Any) -> None:
        """A card was read (delivered on the GUI thread by the bridge)."""
        if self.in_admin:
            self.admin_card_read.emit(card)
            return
        if card.is_expired(today()):
            self.end_session()
            self.message(tr("证件已过期"), tr("您的证件已超过有效期，本机无法办理。\n"
                                        "请联系工作人员，或持有效证件再来。"))
            return
        if self.session.identified:
            self._wipe()  # a different person: forget the previous one first
        resident = self.services.resident_from_card(card)
        self.session.identify(resident)
        self.home_screen.show_resident(resident)
        self.history.clear()
        self._show(self.home_screen.name)
        self.ops.run(lambda: self.services.count("identified"))
        self._fetch_central_facts(resident)

    def _fetch_central_facts(self, resident: Any) -> None:
        """Ask the district for this resident's facts (人社 records), briefly: without an
        answer within the configured timeout the kiosk goes on with card and declared facts."""
        sync = self.services.sync
        if sync is None:
            return
        session = self.session

        def arrived(facts: dict[str, Any] | None) -> None:
            if facts and session.resident is resident:  # still the same person at the kiosk
                session.add_facts({k: v for k, v in facts.items() if k != "as_of"}, "central")

        self.ops.run(lambda: sync.lookup_facts(resident.id_number), network=True).success(
            arrived).failure(lambda exc: log.info("resident facts unavailable: %s", exc))

    def on_sync_status(self, status: Any) -> None:
        """The header's network/sync state (delivered on the GUI thread by the bridge)."""
        self._sync_status = status
        if not status.enrolled:
            text = tr("单机运行")
        elif status.revoked:
            text = tr("已停用，请联系管理员")
        elif status.last_error == "offline":
            text = tr("网络未连接")
        elif status.last_error:
            text = tr("同步异常")
        elif status.pending:
            text = tr("待上传 {n} 条").format(n=status.pending)
        else:
            text = tr("已联网")
        self.header.net.setText(text)

    def on_reader_fault(self, cause: str) -> None:
        log.warning("card reader fault: %s", cause)
        self._reader_fault = True
        self.home_screen.show_reader_problem(tr("读卡器暂时无法使用，请联系工作人员帮您办理"))

    def on_reader_recovered(self) -> None:
        self._reader_fault = False
        self.home_screen.show_reader_problem(None)

    def on_card_error(self, cause: str) -> None:
        log.warning("card could not be read: %s", cause)
        self.message(tr("没有读到证件"), tr("请把身份证平放在读卡区，不要移动，稍等一两秒。"))

    def end_session(self) -> None:
        """退出: forget the resident and go home."""
        self._wipe()
        self.history.clear()
        self._show(self.home_screen.name)

    def _on_exit_tapped(self) -> None:
        self.end_session()
        self.resident_left.emit()

    def _wipe(self) -> None:
        self.countdown.cancel()
        self.message_box.hide()
        if self.ready:
            self.receipts.clear_personal()
        self.session.end()
        self._waiting_for = None
        if i18n.language() != i18n.SOURCE:
            self.set_language(i18n.SOURCE)  # the next person starts in Chinese
        self._visiting = False
        for screen in self.screens.values():
            screen.clear_personal()
        self.session_wiped.emit()

    def _update_idle(self) -> None:
        """Count idle time only when there is something to forget or a place to leave."""
        if self.in_admin:
            self.idle.set_timeout_ms(self.admin_idle_ms)
            self.idle.poke()
        elif self.session.identified or self.current is not self.home_screen:
            self.idle.set_timeout_ms(self.idle_ms)
            self.idle.poke()
        else:
            self.idle.stop()

    def _on_idle(self) -> None:
        if self.in_admin:
            self.leave_admin("idle")
            return
        self.countdown.start(self.config.session.countdown_s)

    def _on_countdown_expired(self) -> None:
        self.end_session()

    # -- language ------------------------------------------------------------------------
    def set_language(self, code: str) -> None:
        """Switch the residents' language; their screens are built again in it.

        Rebuilding beats a retranslate method on every screen: each screen takes its texts
        through tr() when it is built or shown, so a new one is right by construction.
        """
        if code == i18n.language():
            return
        i18n.set_language(code)
        self.header.update_clock()
        self.nav.retranslate()
        self.countdown.retranslate()
        self.message_box.retranslate()
        self.banner.setText(tr("设备维护中，部分服务暂停，请联系工作人员"))
        if self._sync_status is not None:
            self.on_sync_status(self._sync_status)
        else:
            self.header.net.setText(tr("单机运行"))
        self.home_screen.retranslate()
        if self._reader_fault:
            self.home_screen.show_reader_problem(tr("读卡器暂时无法使用，请联系工作人员帮您办理"))
        self.language_changed.emit(code)

    def _toggle_language(self) -> None:
        self.set_language(i18n.SOURCE if i18n.language() == "en" else "en")

    def resident_screen_names(self) -> list[str]:
        """Screens a resident can reach (not home, the PIN pad or staff screens)."""
        staff = self._admin_screens() | {"pin", self.home_screen.name}
        return [n for n in self.screens if n not in staff]

    def retire_screens(self, names: list[str]) -> None:
        """Take screens out to be built again. They stay alive (hidden) until the next switch:
        a background operation started by one may still deliver its result to it."""
        for old in self._retired:
            old.deleteLater()
        self._retired = []
        for name in names:
            screen = self.screens.pop(name)
            screen.retire()
            self.stack.removeWidget(screen)
            screen.hide()
            self._retired.append(screen)
        self.history = [n for n in self.history if n in self.screens]

    # -- admin ---------------------------------------------------------------------------
    def _admin_screens(self) -> set[str]:
        return {n for n, s in self.screens.items() if getattr(s, "admin_only", False)} | {
            "admin"}

    def open_pin_pad(self) -> None:
        if self.in_admin or "pin" not in self.screens:
            return
        self.show_screen("pin")

    def enter_admin(self) -> None:
        self._wipe()
        self.in_admin = True
        self.history.clear()
        self._show("admin")
        self.admin_entered.emit()

    def leave_admin(self, reason: str = "exit") -> None:
        if not self.in_admin:
            return
        self.in_admin = False
        self.ops.run(lambda: self.services.admin.log_exit(reason))
        self.history.clear()
        self._show(self.home_screen.name)
        self.admin_left.emit()

    # -- window --------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.allow_close:
            event.accept()
        else:
            event.ignore()  # a resident cannot close the kiosk (Alt+F4 and the like)
