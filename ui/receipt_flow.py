"""Ending a resident action with a receipt: render, print, and a plain answer on screen.

The action itself was committed before this runs, so a printer problem never loses it: the
resident is told plainly, offered the receipt's QR code on screen to scan with a phone, and
the failure is counted for the station dashboard.

The overlay lives as long as the window (it is not rebuilt when the resident switches
language), so every text is set through ``tr`` when it is shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from kiosk.app import Services
from kiosk.i18n import N_, tr
from kiosk.printing import PrintResult
from ui.ops import KioskOps
from ui.widgets.buttons import KioskButton
from ui.widgets.overlay import Overlay
from ui.widgets.qr import QrWidget

log = logging.getLogger(__name__)

# kiosk.printing's resident messages (PrintResult.resident_message), for the catalogue: the
# overlay shows them through tr(); tests/test_i18n_policies.py checks they are all here.
PRINTER_MESSAGES = (
    N_("回执已打印，请从出纸口取走。"),
    N_("打印机缺纸，请扫描屏幕上的二维码或联系工作人员"),
    N_("打印机盖未关好，请扫描屏幕上的二维码或联系工作人员"),
    N_("打印机暂时无法使用，请扫描屏幕上的二维码或联系工作人员"),
    N_("本机暂不提供打印，请扫描屏幕上的二维码保存回执"),
    N_("打印机中途缺纸，回执可能不完整，请扫描屏幕上的二维码或联系工作人员"),
    N_("找不到这份回执，请联系工作人员"),
)


class ReceiptOverlay(Overlay):
    closed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("Heading")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.text = QLabel()
        self.text.setObjectName("Body")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self.qr = QrWidget(size_px=360)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.qr)
        row.addStretch(1)
        self.ok = KioskButton(tr("好的"), role="primary")
        self.body.addWidget(self.title)
        self.body.addWidget(self.text)
        self.body.addLayout(row)
        self.body.addWidget(self.ok)
        self.ok.clicked.connect(self._close)

    def show_progress(self) -> None:
        self.title.setText(tr("正在打印回执…"))
        self.text.setText(tr("请稍候"))
        self.ok.setText(tr("好的"))
        self.qr.hide()
        self.ok.hide()
        self.open()

    def show_result(self, title: str, text: str, qr_url: str | None) -> None:
        self.title.setText(title)
        self.text.setText(text)
        self.qr.setVisible(bool(qr_url))
        self.qr.set_data(qr_url or "")
        self.ok.setText(tr("好的"))
        self.ok.show()
        self.open()

    def _close(self) -> None:
        self.hide()
        self.qr.set_data("")
        self.closed.emit()


class ReceiptFlow(QObject):
    """``print(doc, kind=, ref_number=, token=)``: render and print on the worker thread."""

    finished = Signal(object)  # PrintResult, or the exception

    def __init__(self, services: Services, ops: KioskOps, host: QWidget) -> None:
        super().__init__(host)
        self._services = services
        self._ops = ops
        self.overlay = ReceiptOverlay(host)

    def print(self, doc: Any, *, kind: str, ref_number: str, token: str,
              done: Callable[[], None] | None = None, what: str = N_("回执"),
              completes_action: bool = True) -> None:
        """``what`` names the document for the resident (回执, 职位信息, 办事指南: the Chinese
        message id, shown through tr);
        ``completes_action`` is False for information printouts, so a failure does not claim
        that some business was done."""
        services = self._services
        if not completes_action:
            self._print_information(doc, kind=kind, ref_number=ref_number, token=token,
                                    done=done, what=what)
            return
        url = services.receipt_url(token)
        self.overlay.show_progress()

        def work() -> PrintResult:
            pdf = services.render_document(doc)
            return services.printing.print_document(kind, ref_number, pdf)

        def ok(result: PrintResult) -> None:
            if result.ok:
                self.overlay.show_result(tr("请取走您的回执"), tr(
                    "编号 {number}\n回执从下方出纸口送出。也可以用手机扫码保存。"
                ).format(number=ref_number), url)
            else:
                log.warning("receipt %s not printed: %s", ref_number, result.staff_message)
                self._ops.run(lambda: services.count("print_failed", result.staff_message))
                self.overlay.show_result(tr("回执暂时无法打印"), tr(result.resident_message)
                                         + "\n" + tr("您的业务已办理成功，编号 {number}。"
                                                      "请用手机扫描下方二维码保存回执。"
                                                      ).format(number=ref_number), url)
            self.finished.emit(result)
            if done:
                done()

        def failed(exc: BaseException) -> None:
            log.error("receipt %s could not be made", ref_number, exc_info=exc)
            self.overlay.show_result(tr("回执暂时无法打印"), tr(
                "您的业务已办理成功，编号 {number}。\n"
                "请用手机扫描下方二维码保存回执，或联系工作人员补打。").format(number=ref_number),
                url)
            self.finished.emit(exc)
            if done:
                done()

        self._ops.run(work).success(ok).failure(failed)

    def _print_information(self, doc: Any, *, kind: str, ref_number: str, token: str,
                           done: Callable[[], None] | None, what: str) -> None:
        services = self._services
        url = services.receipt_url(token)
        self.overlay.show_progress()
        self.overlay.title.setText(tr("正在打印{what}…").format(what=tr(what)))

        def work() -> PrintResult:
            return services.printing.print_document(kind, ref_number,
                                                    services.render_document(doc))

        def finish(result: PrintResult | BaseException) -> None:
            if isinstance(result, PrintResult) and result.ok:
                self.overlay.show_result(tr("请取走{what}").format(what=tr(what)),
                                         tr("从下方出纸口送出。也可以用手机扫码查看。"), url)
            else:
                message = (tr(result.resident_message) if isinstance(result, PrintResult)
                           else tr("打印机暂时无法使用。"))
                self.overlay.show_result(tr("{what}暂时无法打印").format(what=tr(what)),
                                         message + "\n" + tr("请用手机扫描下方二维码查看。"), url)
            self.finished.emit(result)
            if done:
                done()

        self._ops.run(work).success(finish).failure(finish)

    def clear_personal(self) -> None:
        self.overlay.hide()
        self.overlay.qr.set_data("")
