"""站点设置: the settings staff may change, by tapping only.

Each value is picked from chips, typed on the numeric pad or the pinyin panel, or put
together from letter tiles; kiosk.settings checks it with the config's own rules, writes the
config file, and logs it to the audit log that syncs. What can apply at once does (idle
timeout, 长辈模式 default, station name in the header, paper width); the rest says
"重启后生效" and offers 重启. The admin PIN (old + new + repeat) and the enrollment code
have their own pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.admin_auth import AdminAuth
from kiosk.config import KioskConfig
from kiosk.settings import (
    NOW,
    SETTINGS,
    SETTINGS_BY_KEY,
    SettingChange,
    SettingsError,
    change_pin,
    change_setting,
    choices,
    enroll,
    get_value,
    serial_ports,
    shown,
)
from kiosk.station_status import queue_snapshot
from kiosk.store.engine import Database
from ui.ops import KioskOps
from ui.screens.admin_widgets import (
    CODE_KEYS,
    LATIN_KEYS,
    NAME_WORDS,
    URL_SHORTCUTS,
    AdminPage,
    TokenKeyboard,
    button_row,
    card,
    scrolling_page,
    value_label,
)
from ui.screens.base import Navigator, label
from ui.widgets.buttons import KioskButton
from ui.widgets.chips import ChipGroup
from ui.widgets.discard import clear_layout
from ui.widgets.keypad import NumericKeypad
from ui.widgets.scroll import touch_scroll_area
from ui.widgets.steps import StepIndicator

#: quick picks offered beside the numeric pad
NUMBER_PICKS: dict[str, tuple[int, ...]] = {
    "session.idle_timeout_s": (30, 60, 90, 120, 180, 300),
    "printer.dots": (576, 512, 384),
}
WORD_KEYS = ("station.name", "station.community")
PIN_STEPS = ("原密码", "新密码", "再输一次新密码")


def _town_names() -> list[str]:
    """The district's towns and streets, when the jobs data is shipped (word tiles)."""
    try:
        from kiosk.jobs.towns import load_towns
    except ImportError:
        return []
    try:
        return [t.name for t in load_towns()]
    except (OSError, ValueError, KeyError):
        return []


class AdminSettingsScreen(AdminPage):
    name = "admin_settings"
    title = "站点设置"

    def __init__(self, nav: Navigator, *, config: KioskConfig, db: Database, admin: AdminAuth,
                 config_file: Path, data_dir: Path, ops: KioskOps,
                 on_applied: Callable[[SettingChange], None] | None = None,
                 restart: Callable[[], None] | None = None, landscape: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, ops, parent)
        self._landscape = landscape
        self._config = config
        self._db = db
        self._admin = admin
        self._config_file = config_file
        self._data_dir = data_dir
        self._on_applied = on_applied
        self._restart = restart
        self.editing: str | None = None
        self._text = ""
        self.pages = QStackedWidget()
        self.content.addWidget(self.pages, 1)
        self._build_list()
        self._build_editor()
        self._build_pin()
        self._build_enroll()

    # -- the list ------------------------------------------------------------------------
    def _build_list(self) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(20)
        self.result = label("", "OkText")
        self.result.hide()
        self.restart_button = KioskButton("立即重启程序", role="primary")
        self.restart_button.hide()
        self.restart_button.clicked.connect(self._restart_now)
        box.addWidget(label(f"设置保存在 {self._config_file}", "Hint"))
        box.addWidget(self.result)
        box.addLayout(button_row(self.restart_button))
        inner = QWidget()
        rows = QVBoxLayout(inner)
        rows.setContentsMargins(0, 0, 16, 0)
        rows.setSpacing(16)
        self.values: dict[str, Any] = {}
        self.edit_buttons: dict[str, KioskButton] = {}
        for setting in SETTINGS:
            value = label("", "Body")
            self.values[setting.key] = value
            rows.addWidget(self._row(setting.label, value, setting.key,
                                     lambda _=False, k=setting.key: self.edit(k)))
        self.enroll_state = label("", "Body")
        rows.addWidget(self._row("中心服务器登记", self.enroll_state, "enroll", self.open_enroll))
        rows.addWidget(self._row("管理密码", label("6 至 8 位数字", "Body"), "pin",
                                 self.open_pin))
        rows.addStretch(1)
        box.addWidget(touch_scroll_area(inner), 1)
        self.pages.addWidget(page)

    def _row(self, title: str, value: QWidget, key: str, on_edit: Callable[..., None]
             ) -> QWidget:
        text = QVBoxLayout()
        text.setSpacing(4)
        text.addWidget(label(title, "Hint"))
        text.addWidget(value)
        row = QHBoxLayout()
        row.setSpacing(20)
        row.addLayout(text, 1)
        button = KioskButton("修改")
        button.clicked.connect(on_edit)
        self.edit_buttons[key] = button
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        return card(row)

    def on_enter(self, **kwargs: Any) -> None:
        self.pages.setCurrentIndex(0)
        self._refresh_values()
        if kwargs.get("page") == "enroll":
            self.open_enroll()

    def _refresh_values(self) -> None:
        for key, widget in self.values.items():
            widget.setText(shown(key, get_value(self._config, key)))
        db, config = self._db, self._config
        self.run(lambda: queue_snapshot(db, config).enrolled,
                 lambda enrolled: self.enroll_state.setText(
                     "已登记" if enrolled else "未登记（本机单机运行）"))

    def _done(self, change: SettingChange) -> None:
        self.pages.setCurrentIndex(0)
        self._refresh_values()
        if not change.changed:
            self._say(f"{change.label}没有变化。", "OkText")
            return
        if self._on_applied is not None:
            self._on_applied(change)
        text = (f"已保存：{change.label} {shown(change.key, change.old)} → "
                f"{shown(change.key, change.new)}。")
        if change.effect == NOW:
            self._say(text + "已生效。", "OkText")
        else:
            self._say(text + "重启程序后生效。", "Body")
            self.restart_button.setVisible(self._restart is not None)

    def _say(self, text: str, role: str) -> None:
        self.result.setObjectName(role)
        self.result.style().unpolish(self.result)
        self.result.style().polish(self.result)
        self.result.setText(text)
        self.result.show()

    def _restart_now(self) -> None:
        if self._restart is not None:
            self._restart()

    # -- editing one value ---------------------------------------------------------------
    def _build_editor(self) -> None:
        self.editor_title = label("", "Heading")
        self.editor_now = label("", "Hint")
        self.editor_value = value_label()
        self.editor_effect = label("", "Hint")
        self.editor_error = label("", "ErrorText")
        self._editor_area = QVBoxLayout()
        self._editor_area.setSpacing(16)
        self.cancel_button = KioskButton("取消")
        self.save_button = KioskButton("保存", role="primary")
        self.cancel_button.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.save_button.clicked.connect(self.save)
        self.pages.addWidget(scrolling_page(
            [self.editor_title, self.editor_now, self.editor_value, self.editor_effect,
             self._editor_area, self.editor_error],
            button_row(self.cancel_button, self.save_button)))

    def edit(self, key: str) -> None:
        setting = SETTINGS_BY_KEY[key]
        self.editing = key
        current = get_value(self._config, key)
        if key in WORD_KEYS and self._ask_chinese(key, setting.label, str(current)):
            return
        self.editor_title.setText(f"修改：{setting.label}")
        self.editor_now.setText(f"现在：{shown(key, current)}")
        self.editor_effect.setText("保存后立即生效" if setting.effect == NOW else
                                   "保存后需要重启程序才生效")
        self.editor_error.setText("")
        clear_layout(self._editor_area)
        self.chips: ChipGroup | None = None
        self.keyboard: TokenKeyboard | None = None
        self.keypad: NumericKeypad | None = None
        options = choices(key)
        if options is not None:
            self._choice_editor(key, options, current)
        elif key in NUMBER_PICKS:
            self._number_editor(key, current)
        elif key == "reader.port":
            self._port_editor(current)
        else:
            words = key in WORD_KEYS
            tokens = [*NAME_WORDS, *_town_names()] if words else [*LATIN_KEYS]
            self.keyboard = TokenKeyboard(tokens)
            if not words:
                self.keyboard.add_tokens(URL_SHORTCUTS)
            self.keyboard.changed.connect(self._set_text)
            self._editor_area.addWidget(label("点下面的字块拼出名称；「删除」去掉最后一个字。"
                                              if words else "点字母和符号输入地址。", "Hint"))
            self._editor_area.addWidget(self.keyboard)
            self.keyboard.set_text(str(current))
        self._editor_area.addStretch(1)
        self.pages.setCurrentIndex(1)

    def _set_text(self, text: str) -> None:
        self._text = text
        self.editor_value.setText(text or "（空）")

    def _choice_editor(self, key: str, options: tuple[Any, ...], current: Any) -> None:
        self.editor_value.hide()
        values = {str(o): o for o in options}
        self._choice_values = values
        self.chips = ChipGroup([(text, shown(key, o)) for text, o in values.items()],
                               exclusive=True, allow_none=False)
        self.chips.set_selected([str(current)])
        self._editor_area.addWidget(self.chips)

    def _number_editor(self, key: str, current: Any) -> None:
        self.editor_value.show()
        self._set_text(str(current))
        picks = ChipGroup([(str(n), str(n)) for n in NUMBER_PICKS[key]], exclusive=True)
        picks.changed.connect(lambda: self._set_text(picks.value() or self._text))
        self.keypad = NumericKeypad("确定")
        self._fresh = True

        def digit(d: str) -> None:
            self._set_text(d if self._fresh else (self._text + d)[:6])
            self._fresh = False

        self.keypad.digit.connect(digit)
        self.keypad.backspace.connect(lambda: self._set_text(self._text[:-1]))
        self.keypad.confirm.connect(self.save)
        self._editor_area.addWidget(label("常用值，或用数字键输入：", "Hint"))
        self._editor_area.addWidget(picks)
        self._editor_area.addWidget(self.keypad)

    def _port_editor(self, current: Any) -> None:
        self.editor_value.hide()
        self._editor_area.addWidget(label("正在查找串口…", "Hint"))
        self.run(serial_ports, lambda ports: self._offer_ports(ports, str(current)))

    def _offer_ports(self, ports: list[str], current: str) -> None:
        if self.editing != "reader.port":
            return
        clear_layout(self._editor_area)
        options = list(dict.fromkeys([*([current] if current else []), *ports]))
        self._choice_values = {p: p for p in options}
        self.chips = ChipGroup([(p, p) for p in options], exclusive=True, allow_none=False)
        if current:
            self.chips.set_selected([current])
        self._editor_area.addWidget(label("选择串口（USB 读卡器一般是 ttyUSB 或 ttyACM）：",
                                          "Hint"))
        self._editor_area.addWidget(self.chips)
        self._editor_area.addStretch(1)

    def value(self) -> Any:
        """The value being edited, typed as the config wants it."""
        key = self.editing
        if self.chips is not None:
            picked = self.chips.value()
            return None if picked is None else self._choice_values[picked]
        if key in NUMBER_PICKS:
            return int(self._text) if self._text.isdigit() else self._text
        return self._text

    def _ask_chinese(self, key: str, title: str, current: str) -> bool:
        """Names in Chinese go through the window's pinyin panel when it has one (the same
        one residents use); without it the word tiles of the editor page are the fallback."""
        try:
            from ui.widgets.text_entry import ask_text

            request = ask_text(self, f"修改：{title}", current)
        except (ImportError, RuntimeError):
            return False
        request.accepted.connect(lambda text: self._save(
            key, text, lambda message: self._say(message, "ErrorText")))
        return True

    def save(self) -> None:
        key = self.editing
        if key is None:
            return
        value = self.value()
        if value is None:
            self.editor_error.setText("请先选一个")
            return
        self._save(key, value, self.editor_error.setText)

    def _save(self, key: str, value: Any, show_error: Callable[[str], None]) -> None:
        config, db, path = self._config, self._db, self._config_file
        self.save_button.setEnabled(False)

        def ok(change: SettingChange) -> None:
            self.save_button.setEnabled(True)
            self._done(change)

        def refused(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            show_error(f"没有保存：{exc}")

        self.run(lambda: change_setting(config, key, value, db=db, config_file=path), ok,
                 refused)

    # -- admin PIN -----------------------------------------------------------------------
    def _build_pin(self) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(20)
        self._pin = ""
        self._pins: list[str] = []
        self.pin_steps = StepIndicator(list(PIN_STEPS))
        self.pin_prompt = label("", "Heading", align=Qt.AlignmentFlag.AlignCenter)
        self.pin_dots = label("", "PinDots", align=Qt.AlignmentFlag.AlignCenter)
        self.pin_dots.setMinimumHeight(90)
        self.pin_status = label("", "ErrorText", align=Qt.AlignmentFlag.AlignCenter)
        self.pin_pad = NumericKeypad("下一步")
        self.pin_pad.digit.connect(self._pin_digit)
        self.pin_pad.backspace.connect(lambda: self._pin_set(self._pin[:-1]))
        self.pin_pad.confirm.connect(self._pin_next)
        cancel = KioskButton("取消")
        cancel.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        text = QVBoxLayout()
        text.setSpacing(20)
        for w in (self.pin_steps, self.pin_prompt, self.pin_dots, self.pin_status):
            text.addWidget(w)
        if self._landscape:  # beside the pad: a 1080-pixel-high panel has no room below
            text.addStretch(1)
            text.addLayout(button_row(cancel))
            row = QHBoxLayout()
            row.setSpacing(48)
            row.addLayout(text, 1)
            row.addWidget(self.pin_pad, 1)
            box.addLayout(row, 1)
        else:
            box.addLayout(text)
            box.addWidget(self.pin_pad)
            box.addStretch(1)
            box.addLayout(button_row(cancel))
        self.pages.addWidget(page)

    def open_pin(self) -> None:
        self._pins = []
        self.pin_status.setText("")
        self._pin_step()
        self.pages.setCurrentIndex(2)

    def _pin_step(self) -> None:
        step = len(self._pins)
        self.pin_steps.set_step(step)
        self.pin_prompt.setText(f"请输入{PIN_STEPS[step]}")
        self.pin_pad.buttons["下一步"].setText("修改密码" if step == 2 else "下一步")
        self._pin_set("")

    def _pin_set(self, pin: str) -> None:
        self._pin = pin
        self.pin_dots.setText("●" * len(pin) or " ")

    def _pin_digit(self, digit: str) -> None:
        if len(self._pin) < 8:
            self._pin_set(self._pin + digit)

    def _pin_next(self) -> None:
        if not self._pin:
            return
        self._pins.append(self._pin)
        if len(self._pins) < 3:
            self.pin_status.setText("")
            self._pin_step()
            return
        old, new, repeat = self._pins
        admin, db = self._admin, self._db
        self._pins = []
        self._pin_set("")
        self.pin_status.setText("正在修改…")

        def ok(_: object) -> None:
            self.pages.setCurrentIndex(0)
            self._say("管理密码已修改。请记住新密码。", "OkText")

        def refused(exc: BaseException) -> None:
            self.pin_status.setText(str(exc) if isinstance(exc, SettingsError)
                                    else f"没有修改成功：{exc}")
            self._pin_step()

        self.run(lambda: change_pin(admin, db, old, new, repeat), ok, refused)

    # -- enrollment ----------------------------------------------------------------------
    def _build_enroll(self) -> None:
        self.enroll_server = label("", "Body")
        self.enroll_code = value_label()
        self.enroll_status = label("", "ErrorText")
        self.code_keys = TokenKeyboard(CODE_KEYS)
        self.code_keys.max_length = 16
        self.code_keys.changed.connect(
            lambda text: self.enroll_code.setText(text or "（请输入登记码）"))
        self.enroll_button = KioskButton("登记", role="primary")
        self.enroll_button.clicked.connect(self._enroll)
        self.set_server_button = KioskButton("设置中心服务器地址", role="primary")
        self.set_server_button.clicked.connect(lambda: self.edit("sync.server_url"))
        cancel = KioskButton("取消")
        cancel.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.code_hint = label("输入中心服务器管理页上给出的一次性登记码（10 分钟内有效）：",
                               "Hint")
        self.pages.addWidget(scrolling_page(
            [label("登记到中心服务器", "Heading"), self.enroll_server, self.code_hint,
             self.enroll_code, self.code_keys, self.enroll_status],
            button_row(cancel, self.set_server_button, self.enroll_button)))

    def open_enroll(self) -> None:
        server = self._config.sync.server_url
        self.enroll_server.setText(f"服务器：{server}" if server else
                                   "还没有设置中心服务器地址，请先设置地址，再回来登记。")
        for w in (self.code_hint, self.enroll_code, self.code_keys, self.enroll_button):
            w.setVisible(bool(server))
        self.set_server_button.setVisible(not server)
        self.enroll_status.setText("")
        self.code_keys.set_text("")
        self.pages.setCurrentIndex(3)

    def _enroll(self) -> None:
        config, db, data_dir = self._config, self._db, self._data_dir
        code = self.code_keys.text
        self.enroll_status.setText("正在登记…")
        self.enroll_button.setEnabled(False)

        def ok(kiosk_id: str) -> None:
            self.enroll_button.setEnabled(True)
            self.pages.setCurrentIndex(0)
            self._refresh_values()
            self._say(f"已登记到中心服务器（本机编号 {kiosk_id}）。重启程序后开始同步。", "OkText")
            self.restart_button.setVisible(self._restart is not None)

        def refused(exc: BaseException) -> None:
            self.enroll_button.setEnabled(True)
            self.enroll_status.setText(str(exc))

        self.run(lambda: enroll(config, db, data_dir, code), ok, refused)

    def screenshot_states(self) -> Iterator[str]:
        for key in ("session.idle_timeout_s", "sync.server_url", "printer.backend"):
            self.edit(key)
            yield key.replace(".", "_")
        self.open_pin()
        self._pin_set("123")
        yield "pin"
        self.open_enroll()
        yield "enroll"
        self.pages.setCurrentIndex(0)
