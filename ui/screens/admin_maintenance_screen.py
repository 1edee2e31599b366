"""设备维护: test the card reader, print a test page, 补打, the sync queue, logs, restart.

One tab per device or job, so each step shows a handful of big buttons. Everything that
touches a device, the disk or the network runs on the worker thread. A card read while
admin mode is open is shown here, masked, as the reader test; it never starts a session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.config import KioskConfig
from kiosk.figures import REMOVABLE_ROOTS, removable_mounts
from kiosk.identity import mask_id, mask_name
from kiosk.printing import PrintJobInfo, PrintResult, PrintService
from kiosk.station_status import (
    KIND_LABELS,
    QueueItem,
    QueueSnapshot,
    SyncEngineLike,
    export_logs,
    problem_records,
    queue_snapshot,
    requeue,
    sync_now,
    tail_log,
)
from kiosk.store.engine import Database
from ui.ops import KioskOps
from ui.screens.admin_widgets import AdminPage, button_row, card
from ui.screens.base import Navigator, label
from ui.widgets.buttons import KioskButton
from ui.widgets.chips import ChipGroup
from ui.widgets.discard import clear_layout
from ui.widgets.flow import FlowLayout
from ui.widgets.scroll import touch_scroll_area

TABS = (("reader", "读卡器"), ("printer", "打印"), ("sync", "同步"), ("logs", "日志"),
        ("app", "程序"))
DOC_KINDS = {"test": "测试页", "application": "政策申请回执", "guide": "办事指南",
             "job_signup": "报名回执", "seeker_registration": "求职登记回执",
             "callback_request": "呼叫回执"}
JOB_STATES = {"printed": "已打印", "failed": "未打印", "queued": "排队中"}
CARD_TYPES = {"resident": "居民身份证", "hk_macau_taiwan_permit": "港澳台居住证",
              "foreign_permanent_resident": "外国人永久居留身份证"}
#: the exit code `kiosk run` ends with for 重启: a supervisor (systemd Restart=on-failure)
#: starts the kiosk again; 退出到桌面 exits with 0 and stays down (docs/admin.md)
RESTART_EXIT_CODE = 75


class AdminMaintenanceScreen(AdminPage):
    name = "admin_maintenance"
    title = "设备维护"

    def __init__(self, nav: Navigator, *, config: KioskConfig, db: Database,
                 printing: PrintService, ops: KioskOps, data_dir: Path, log_file: Path,
                 engine: Callable[[], SyncEngineLike | None] = lambda: None,
                 demo_cards: Callable[[], Sequence[tuple[str, Callable[[], None]]]] = list,
                 test_page: Callable[[], PrintResult] | None = None,
                 restart: Callable[[], None] | None = None,
                 exit_to_desktop: Callable[[], None] | None = None,
                 export_roots: Sequence[Path] = REMOVABLE_ROOTS,
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, ops, parent)
        self._config = config
        self._db = db
        self._printing = printing
        self._data_dir = data_dir
        self._log_file = log_file
        self._engine = engine
        self._demo_cards = demo_cards
        self._test_page = test_page or printing.test_page
        self._restart = restart
        self._exit = exit_to_desktop
        self._export_roots = tuple(export_roots)
        self.problems: list[QueueItem] = []
        self.tabs = ChipGroup(TABS, exclusive=True, allow_none=False)
        self.tabs.changed.connect(self._tab_changed)
        self.content.addWidget(self.tabs)
        self.pages = QStackedWidget()
        self.content.addWidget(self.pages, 1)
        self._pages: dict[str, int] = {}
        self._build_reader()
        self._build_printer()
        self._build_sync()
        self._build_logs()
        self._build_app()
        self.tabs.set_selected(["reader"])

    def _page(self, key: str) -> QVBoxLayout:
        inner = QWidget()
        box = QVBoxLayout(inner)
        box.setContentsMargins(0, 0, 16, 0)
        box.setSpacing(20)
        self._pages[key] = self.pages.addWidget(touch_scroll_area(inner))
        return box

    def on_enter(self, **kwargs: Any) -> None:
        self.tabs.set_selected([kwargs.get("tab", "reader")])

    @property
    def tab(self) -> str:
        return self.tabs.value() or "reader"

    def _tab_changed(self) -> None:
        tab = self.tab
        self.pages.setCurrentIndex(self._pages[tab])
        {"reader": self.show_demo_cards, "printer": self.load_jobs, "sync": self.load_sync,
         "logs": self.load_log, "app": self._hide_confirm}[tab]()

    # -- card reader -----------------------------------------------------------------------
    def _build_reader(self) -> None:
        box = self._page("reader")
        self.reader_result = label("还没有读到证件。", "Body")
        box.addWidget(card(label("测试读卡", "Heading"),
                           label("请把一张身份证平放在读卡区。读到后这里显示（已遮蔽），"
                                 "不会开始办理。", "Hint"), self.reader_result))
        self._demo_box = QVBoxLayout()
        self._demo_box.setSpacing(16)
        self.demo_card = card(label("模拟读卡器：放一张演示身份证", "Heading"), self._demo_box)
        box.addWidget(self.demo_card)
        box.addStretch(1)

    def show_demo_cards(self) -> None:
        clear_layout(self._demo_box)
        cards = list(self._demo_cards())
        self.demo_card.setVisible(bool(cards))
        for title, place in cards:
            button = KioskButton(title)
            button.clicked.connect(lambda _=False, p=place: self._place(p))
            self._demo_box.addWidget(button)

    def _place(self, place: Callable[[], None]) -> None:
        self.reader_result.setText("已放上演示卡，正在读…")
        place()

    def show_card(self, card_read: Any) -> None:
        """A card read in admin mode: proof the reader works, shown masked."""
        kind = CARD_TYPES.get(getattr(card_read, "card_type", ""), "证件")
        self.reader_result.setObjectName("OkText")
        self.reader_result.style().unpolish(self.reader_result)
        self.reader_result.style().polish(self.reader_result)
        self.reader_result.setText(
            f"● 读卡正常（{datetime.now():%H:%M:%S}）：{mask_name(card_read.name)} · "
            f"{mask_id(card_read.id_number)} · {kind}")

    # -- printer ---------------------------------------------------------------------------
    def _build_printer(self) -> None:
        box = self._page("printer")
        self.test_button = KioskButton("打印测试页", role="primary")
        self.test_button.clicked.connect(self.print_test_page)
        self.print_result = label("", "Body")
        box.addWidget(card(label("打印测试页", "Heading"),
                           label("检查字体、纸宽、二维码和切纸。", "Hint"), self.print_result,
                           button_row(self.test_button)))
        self.jobs_summary = label("", "Hint")
        self._jobs = QVBoxLayout()
        self._jobs.setSpacing(16)
        box.addWidget(card(label("补打回执", "Heading"), self.jobs_summary, self._jobs))
        box.addStretch(1)

    def print_test_page(self) -> None:
        self.print_result.setText("正在打印…")
        self.test_button.setEnabled(False)
        self.run(self._test_page, self._printed, self._print_failed)

    def _printed(self, result: PrintResult) -> None:
        self.test_button.setEnabled(True)
        self.print_result.setText(
            "● 已打印，请检查出纸。" if result.ok else
            f"✖ 没有打印：{result.resident_message}\n（{result.staff_message}）")
        self.load_jobs()

    def _print_failed(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        self.print_result.setText(f"✖ 没有打印：{exc}")

    def load_jobs(self) -> None:
        self.jobs_summary.setText("正在读取打印记录…")
        printing = self._printing
        self.run(lambda: printing.recent_jobs(12), self._show_jobs)

    def _show_jobs(self, jobs: list[PrintJobInfo]) -> None:
        clear_layout(self._jobs)
        self.jobs_summary.setText("最近打印的文件（最新的在上）：" if jobs else "还没有打印记录。")
        for job in jobs:
            when = job.created_at.astimezone() if job.created_at.tzinfo else job.created_at
            text = (f"{when:%m-%d %H:%M} · {DOC_KINDS.get(job.doc_kind, job.doc_kind)} · "
                    f"{job.ref_number or '—'} · {JOB_STATES.get(job.state, job.state)}"
                    + (" · 补打" if job.reprint_of else ""))
            button = KioskButton("补打")
            button.clicked.connect(lambda _=False, j=job.id: self.reprint(j))
            row = button_row(label(text, "Body"))
            row.setStretch(0, 1)
            row.addWidget(button)
            self._jobs.addLayout(row)

    def reprint(self, job_id: str) -> None:
        self.print_result.setText("正在补打…")
        printing = self._printing
        self.run(lambda: printing.reprint(job_id), self._printed, self._print_failed)

    # -- sync ------------------------------------------------------------------------------
    def _build_sync(self) -> None:
        box = self._page("sync")
        self.sync_text = label("", "Body")
        self.sync_result = label("", "Hint")
        self.sync_button = KioskButton("立即同步", role="primary")
        self.sync_button.clicked.connect(self.sync)
        box.addWidget(card(label("同步状态", "Heading"), self.sync_text, self.sync_result,
                           button_row(self.sync_button)))
        self.problems_text = label("", "Body")
        self._problems = QVBoxLayout()
        self._problems.setSpacing(12)
        self.requeue_button = KioskButton("重新排队")
        self.requeue_button.setEnabled(False)
        self.requeue_button.clicked.connect(self.requeue_all)
        box.addWidget(card(label("被退回的记录", "Heading"), self.problems_text, self._problems,
                           button_row(self.requeue_button)))
        box.addStretch(1)

    def load_sync(self) -> None:
        db, config, engine = self._db, self._config, self._engine()
        self.sync_text.setText("正在读取…")
        self.run(lambda: (queue_snapshot(db, config, engine), problem_records(db)),
                 self._show_sync)

    def _show_sync(self, result: tuple[QueueSnapshot, list[QueueItem]]) -> None:
        queue, problems = result
        lines = ["已登记到中心服务器" if queue.enrolled else "未登记到中心服务器（单机运行）"]
        if queue.pending:
            kinds = "，".join(f"{KIND_LABELS.get(k, k)} {n}"
                             for k, n in sorted(queue.pending_by_kind.items()))
            lines.append(f"待发送 {queue.pending} 条（{kinds}）")
        else:
            lines.append("没有待发送的记录")
        if queue.oldest_pending_age_s is not None:
            lines.append(f"最早一条已等 {queue.oldest_pending_age_s / 3600:.1f} 小时")
        if queue.last_push_at:
            lines.append(f"上次发送：{queue.last_push_at}")
        if queue.last_pull_at:
            lines.append(f"上次下载：{queue.last_pull_at}")
        if queue.last_error_text:
            lines.append(f"上次出错：{queue.last_error_text}")
        self.sync_text.setText("\n".join(lines))
        self.problems = problems
        clear_layout(self._problems)
        self.problems_text.setText(
            f"共 {len(problems)} 条被中心服务器退回。修好原因后（如升级程序）可重新排队。"
            if problems else "没有被退回的记录。")
        for item in problems:
            when = item.created_at.astimezone()
            self._problems.addWidget(label(
                f"{when:%m-%d %H:%M} · {KIND_LABELS.get(item.kind, item.kind)} · "
                f"{'退回' if item.state == 'rejected' else '冲突'} · {item.last_error or '—'}",
                "Hint"))
        self.requeue_button.setText(f"重新排队（{len(problems)} 条）")
        self.requeue_button.setEnabled(bool(problems))

    def sync(self) -> None:
        db, config, data_dir, engine = self._db, self._config, self._data_dir, self._engine()
        self.sync_result.setText("正在同步…")
        self.sync_button.setEnabled(False)

        def done(text: str) -> None:
            self.sync_button.setEnabled(True)
            self.sync_result.setText(text)
            self.load_sync()

        def failed(exc: BaseException) -> None:
            self.sync_button.setEnabled(True)
            self.sync_result.setText(f"同步没有完成：{exc}")

        self.run(lambda: sync_now(db, config, data_dir, engine), done, failed)

    def requeue_all(self) -> None:
        ids = [p.id for p in self.problems]
        db, engine = self._db, self._engine()
        def done(n: int) -> None:
            self.sync_result.setText(f"已重新排队 {n} 条，会自动发送。")
            self.load_sync()

        self.run(lambda: requeue(db, ids, engine), done)

    # -- logs ------------------------------------------------------------------------------
    def _build_logs(self) -> None:
        box = self._page("logs")
        self.log_text = label("", "Hint")
        refresh = KioskButton("刷新")
        refresh.clicked.connect(self.load_log)
        self.log_export = KioskButton("导出日志到U盘")
        self.log_export.clicked.connect(self.find_drives)
        self.log_status = label("日志里的身份证号和手机号在写入时已遮蔽。", "Hint")
        drives = QWidget()
        self._drives = FlowLayout(drives)
        box.addWidget(card(label("最近的日志", "Heading"), self.log_text,
                           button_row(refresh)))
        box.addWidget(card(label("导出日志", "Heading"), self.log_status, drives,
                           button_row(self.log_export)))
        box.addStretch(1)

    def load_log(self) -> None:
        path = self._log_file
        self.run(lambda: tail_log(path, 30), lambda lines: self.log_text.setText(
            "\n".join(lines) if lines else f"还没有日志（{path}）"))

    def find_drives(self) -> None:
        roots = self._export_roots
        self.log_status.setText("正在查找U盘…")
        self.run(lambda: removable_mounts(roots), self._offer_drives)

    def _offer_drives(self, drives: list[Path]) -> None:
        clear_layout(self._drives)
        if not drives:
            self.log_status.setText("没有找到U盘。请插入U盘，等几秒后再点「导出日志到U盘」。")
        elif len(drives) == 1:
            self.export_logs_to(drives[0])
        else:
            self.log_status.setText("找到多个U盘，请选择：")
            for drive in drives:
                button = KioskButton(drive.name, role="chip")
                button.clicked.connect(lambda _=False, d=drive: self.export_logs_to(d))
                self._drives.addWidget(button)

    def export_logs_to(self, folder: Path) -> None:
        clear_layout(self._drives)
        log_dir, code = self._log_file.parent, self._config.station.code
        self.run(lambda: export_logs(log_dir, folder, code),
                 lambda path: self.log_status.setText(f"已导出到U盘 {folder.name}：{path.name}"),
                 lambda exc: self.log_status.setText(f"没有导出成功：{exc}"))

    # -- the program -----------------------------------------------------------------------
    def _build_app(self) -> None:
        box = self._page("app")
        self.restart_button = KioskButton("重启程序", role="primary")
        self.exit_button = KioskButton("退出到桌面", role="danger")
        self.restart_button.clicked.connect(lambda: self._ask("restart"))
        self.exit_button.clicked.connect(lambda: self._ask("exit"))
        self.confirm_text = label("", "ErrorText")
        self.confirm_button = KioskButton("确认")
        self.cancel_button = KioskButton("取消")
        self.cancel_button.clicked.connect(self._hide_confirm)
        self.confirm_button.clicked.connect(self._confirmed)
        self._asked = ""
        box.addWidget(card(label("重启或退出", "Heading"),
                           label("重启：程序关闭后自动重新打开（设置改动随之生效）。\n"
                                 "退出到桌面：程序关闭，需要技术人员重新打开。", "Hint"),
                           button_row(self.restart_button, self.exit_button),
                           self.confirm_text, button_row(self.cancel_button,
                                                         self.confirm_button)))
        box.addStretch(1)
        self._hide_confirm()

    def _ask(self, what: str) -> None:
        self._asked = what
        self.confirm_text.setText("确定要重启程序吗？大约需要十几秒。" if what == "restart" else
                                  "确定要退出到桌面吗？居民将无法使用本机，直到重新打开程序。")
        self.confirm_button.setText("确认重启" if what == "restart" else "确认退出")
        for w in (self.confirm_text, self.confirm_button, self.cancel_button):
            w.show()

    def _hide_confirm(self) -> None:
        self._asked = ""
        for w in (self.confirm_text, self.confirm_button, self.cancel_button):
            w.hide()

    def _confirmed(self) -> None:
        action = self._restart if self._asked == "restart" else self._exit
        self._hide_confirm()
        if action is not None:
            action()

    def screenshot_states(self) -> Iterator[str]:
        for tab in ("printer", "sync", "logs", "app"):
            self.tabs.set_selected([tab])
            if tab == "app":
                self._ask("restart")
            yield tab
        self.tabs.set_selected(["reader"])
