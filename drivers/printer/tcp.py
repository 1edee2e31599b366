"""ESC/POS on a network printer's raw port (TCP 9100, "JetDirect")."""

from __future__ import annotations

import socket

from drivers.printer.base import Capabilities, PrinterNotFoundError, PrinterOfflineError
from drivers.printer.escpos import EscPosPrinter


class TcpPrinter(EscPosPrinter):
    def __init__(self, host: str, port: int = 9100, *, status_timeout: float = 0.5,
                 connect_timeout: float = 3.0, write_timeout: float = 15.0,
                 partial_cut: bool = False) -> None:
        super().__init__(status_timeout=status_timeout, partial_cut=partial_cut)
        self.host = host
        self.port = port
        self.connect_timeout = connect_timeout
        self.write_timeout = write_timeout
        self._sock: socket.socket | None = None

    def capabilities(self) -> Capabilities:
        return Capabilities(f"escpos-tcp {self.host}:{self.port}", raster=True, pdf=False,
                            two_way_status=True, cutter=True)

    def open(self) -> None:
        if self._sock is not None:
            return
        if not self.host:
            raise PrinterNotFoundError("no printer host configured (printer.host)")
        try:
            self._sock = socket.create_connection((self.host, self.port),
                                                  timeout=self.connect_timeout)
        except OSError as exc:  # refused, unreachable, unknown name, timeout
            raise PrinterNotFoundError(f"{self.host}:{self.port}: cannot connect ({exc})") \
                from exc
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _conn(self) -> socket.socket:
        if self._sock is None:
            raise PrinterOfflineError(f"{self.host}:{self.port}: not connected")
        return self._sock

    def _raw(self, data: bytes) -> None:
        sock = self._conn()
        sock.settimeout(self.write_timeout)
        try:
            sock.sendall(data)
        except OSError as exc:
            raise PrinterOfflineError(f"{self.host}:{self.port}: send failed ({exc})") from exc

    def _read_byte(self, timeout: float) -> int | None:
        sock = self._conn()
        sock.settimeout(timeout)
        try:
            b = sock.recv(1)
        except TimeoutError:
            return None
        except OSError as exc:
            raise PrinterOfflineError(f"{self.host}:{self.port}: {exc}") from exc
        if not b:
            raise PrinterOfflineError(f"{self.host}:{self.port}: printer closed the connection")
        return b[0]

    def _discard_input(self) -> None:
        sock = self._conn()
        sock.setblocking(False)
        try:
            while sock.recv(256):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        except OSError as exc:
            raise PrinterOfflineError(f"{self.host}:{self.port}: {exc}") from exc
        finally:
            sock.setblocking(True)
