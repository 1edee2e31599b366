"""呼叫—指派: residents waiting for a matchmaker's call, and recording each call.

The phone number is shown in full here and nowhere else: calling it back is the point. A
request not contacted on its day, or without a recommendation after three days, is red with
the word "超时" and a ▲, so it is never told by colour alone. Recording a step takes two taps
and a confirmation that restates it; the note is picked from common ones (typing is optional,
for a technician's keyboard).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from PySide6.QtWidgets import QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from kiosk.callbacks import (
    ACTIONS,
    COMMON_NOTES,
    CallbackError,
    CallbackItem,
    list_callbacks,
    mark_callback,
)
from kiosk.store.engine import Database
from ui.ops import KioskOps
from ui.screens.admin_widgets import AdminPage, button_row, card, scrolling_page
from ui.screens.base import Navigator, label
from ui.widgets.buttons import KioskButton
from ui.widgets.chips import ChipGroup
from ui.widgets.discard import clear_layout
from ui.widgets.scroll import touch_scroll_area
from ui.widgets.steps import StepIndicator


class AdminCallbacksScreen(AdminPage):
    name = "admin_callbacks"
    title = "呼叫—指派"

    def __init__(self, nav: Navigator, db: Database, ops: KioskOps,
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, ops, parent)
        self._db = db
        self.items: list[CallbackItem] = []
        self._chosen: tuple[CallbackItem, str] | None = None
        self.pages = QStackedWidget()
        self.content.addWidget(self.pages, 1)
        # Page 0: the queue.
        queue = QWidget()
        box = QVBoxLayout(queue)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(20)
        box.addWidget(label("规定：当天主动联系，3 日内推荐岗位。", "Hint"))
        self.filter = ChipGroup([("open", "等待处理"), ("done", "已推荐岗位")], exclusive=True,
                                allow_none=False)
        self.filter.set_selected(["open"])
        self.filter.changed.connect(self.reload)
        box.addWidget(self.filter)
        self.summary = label("", "Body")
        box.addWidget(self.summary)
        inner = QWidget()
        self._rows = QVBoxLayout(inner)
        self._rows.setContentsMargins(0, 0, 16, 0)
        self._rows.setSpacing(20)
        box.addWidget(touch_scroll_area(inner), 1)
        self.pages.addWidget(queue)
        # Page 1: the note and the confirmation.
        self.steps = StepIndicator(["选择操作", "备注并确认"])
        self.steps.set_step(1)
        self.step_title = label("", "Heading")
        self.step_who = label("", "Body")
        self.notes = ChipGroup([(n, n) for n in COMMON_NOTES])
        self.notes.changed.connect(self._update_confirmation)
        self.note_text = QLineEdit()
        self.note_text.setPlaceholderText("其他备注（可不填；接上键盘时可输入）")
        self.note_text.setMaxLength(120)
        self.note_text.textChanged.connect(self._update_confirmation)
        self.confirmation = label("", "Body")
        self.step_error = label("", "ErrorText")
        self.cancel_button = KioskButton("取消")
        self.confirm_button = KioskButton("确认记录", role="primary")
        self.cancel_button.clicked.connect(self._back_to_queue)
        self.confirm_button.clicked.connect(self._confirm)
        self.pages.addWidget(scrolling_page(
            [self.steps, self.step_title, self.step_who, label("常用备注（可多选）：", "Hint"),
             self.notes, self.note_text, card(self.confirmation), self.step_error],
            button_row(self.cancel_button, self.confirm_button)))

    # -- the queue -------------------------------------------------------------------------
    def on_enter(self, **kwargs: Any) -> None:
        self._back_to_queue()
        self.reload()

    def reload(self) -> None:
        done = self.filter.value() == "done"
        self.summary.setText("正在读取…")
        db = self._db
        self.run(lambda: list_callbacks(db, done=done), self._show)

    def _show(self, items: list[CallbackItem]) -> None:
        clear_layout(self._rows)
        self.items = items
        now = datetime.now(UTC)
        done = self.filter.value() == "done"
        overdue = sum(1 for i in items if i.overdue)
        if not items:
            self.summary.setText("没有已推荐岗位的记录。" if done else
                                 "没有等待处理的呼叫，辛苦了！")
        else:
            text = f"共 {len(items)} 条"
            self.summary.setText(text + (f"，其中 ▲ {overdue} 条超时" if overdue else ""))
        for item in items:
            self._rows.addWidget(self._item_card(item, now))
        self._rows.addStretch(1)

    def _item_card(self, item: CallbackItem, now: datetime) -> QWidget:
        parts: list[Any] = [
            label(f"{item.name_masked} · {item.topic or '请就业红娘回电'}", "Heading"),
            label(f"电话 {item.phone}" + (f" · 方便时间：{item.preferred_time}"
                                         if item.preferred_time else ""), "Body"),
            label(f"{item.number} · {item.age_text(now)} · 状态：{item.state_label}", "Hint"),
        ]
        if item.overdue:
            parts.append(label(f"▲ {item.overdue_text}", "ErrorText"))
        if item.note:
            parts.append(label(item.note, "Hint"))
        if item.state != "done":
            row = button_row()
            for action, text in ACTIONS.items():
                button = KioskButton(text, role="primary" if action == "done" else "")
                button.clicked.connect(lambda _=False, i=item, a=action: self.choose(i, a))
                row.addWidget(button)
            parts.append(row)
        return card(*parts)

    # -- recording a step ------------------------------------------------------------------
    def choose(self, item: CallbackItem, action: str) -> None:
        self._chosen = (item, action)
        self.step_title.setText(f"记录：{ACTIONS[action]}")
        self.step_who.setText(f"{item.name_masked} · 电话 {item.phone} · {item.number}")
        self.notes.clear()
        self.note_text.clear()
        self.step_error.setText("")
        self._update_confirmation()
        self.pages.setCurrentIndex(1)

    def note(self) -> str:
        picked = self.notes.selected()
        typed = self.note_text.text().strip()
        return "；".join([*picked, typed] if typed else picked)

    def _update_confirmation(self) -> None:
        if self._chosen is None:
            return
        item, action = self._chosen
        note = self.note()
        self.confirmation.setText(f"将记录：{item.name_masked}（{item.number}）"
                                  f"{ACTIONS[action]}\n备注：{note or '无'}\n"
                                  "记录会同步到中心服务器。")

    def _confirm(self) -> None:
        if self._chosen is None:
            return
        item, action = self._chosen
        note = self.note()
        db = self._db
        self.confirm_button.setEnabled(False)
        self.run(lambda: mark_callback(db, item.id, action, note), self._recorded,
                 self._refused)

    def _recorded(self, item: CallbackItem) -> None:
        self.confirm_button.setEnabled(True)
        self._back_to_queue()
        self.reload()

    def _refused(self, exc: BaseException) -> None:
        self.confirm_button.setEnabled(True)
        self.step_error.setText(str(exc) if isinstance(exc, CallbackError)
                                else f"没有记录成功：{exc}")

    def _back_to_queue(self) -> None:
        self._chosen = None
        self.pages.setCurrentIndex(0)

    def clear_personal(self) -> None:
        """Phone numbers leave the screen when admin mode ends."""
        self._back_to_queue()
        clear_layout(self._rows)
        self.items = []
        self.summary.setText("")
        self.step_who.setText("")
        self.confirmation.setText("")

    def screenshot_states(self) -> Iterator[str]:
        """Sub-states for `kiosk screenshots`: the note step of the first request."""
        if self.items:
            self.choose(self.items[0], "called")
            self.notes.set_selected(["无人接听"])
            yield "note"
            self._back_to_queue()
