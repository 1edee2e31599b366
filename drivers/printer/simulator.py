"""A simulated ESC/POS receipt printer on a pseudo-terminal or a TCP port.

The kiosk's real serial and TCP printer code talks to it exactly as to hardware, so tests,
demos and CI exercise the wire protocol, not a mock. It parses what it receives into
:class:`SimEvent` s (anything it cannot parse becomes an ``unknown`` event, so tests can
assert that the kiosk sends nothing unexpected), assembles raster bands into pages at each
cut, and answers ``DLE EOT n`` from a settable paper/online/cover state — or stays silent,
to exercise the "no answer means unknown" path.
"""

from __future__ import annotations

import os
import select
import socket
import threading
import tty
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from PIL import Image

_ONE_PARAM_ESC = {
    ord("a"): "align", ord("E"): "bold", ord("-"): "underline", ord("!"): "print_mode",
    ord("t"): "code_table", ord("M"): "font", ord("d"): "feed", ord("J"): "feed",
    ord("3"): "line_spacing", ord("G"): "double_strike", ord("R"): "charset",
    ord("{"): "upside_down", ord("r"): "color", ord("c"): "panel",
}
_ONE_PARAM_GS = {ord("!"): "char_size", ord("B"): "reverse", ord("H"): "hri_position",
                 ord("h"): "barcode_height", ord("w"): "barcode_width", ord("f"): "hri_font",
                 ord("a"): "auto_status"}
_TWO_PARAM_GS = {ord("L"): "left_margin", ord("W"): "print_width"}
_CUT_NO_FEED = {0, 1, 48, 49}
_CUT_WITH_FEED = {65, 66, 97, 98, 103, 104}


@dataclass(frozen=True)
class SimEvent:
    """One parsed command: ``kind`` plus details (``info``) and the raw bytes for text,
    raster data and unknown sequences."""

    kind: str
    info: Mapping[str, Any] = field(default_factory=dict)
    data: bytes = b""


@dataclass(frozen=True)
class SimPage:
    """The raster received between two cuts, packed 1-bit rows (1 = black)."""

    width: int
    height: int
    data: bytes

    def to_image(self) -> Image.Image:
        img = Image.frombytes("1", (self.width, self.height), self.data)
        return img.point(lambda v: 0 if v else 255, "1")


class EscPosParser:
    """Incremental ESC/POS parser: :meth:`feed` bytes as they arrive, get complete events.

    A command split across reads waits for the rest; text is emitted when the next
    command (or :meth:`flush`) ends it, so a GB18030 character is never cut in half.
    """

    def __init__(self) -> None:
        self._buf = bytearray()
        self._text = bytearray()

    def flush(self) -> list[SimEvent]:
        if not self._text:
            return []
        raw = bytes(self._text)
        self._text.clear()
        return [SimEvent("text", {"text": raw.decode("gb18030", errors="replace")}, raw)]

    def feed(self, data: bytes) -> list[SimEvent]:
        self._buf += data
        events: list[SimEvent] = []
        i = 0
        buf = self._buf
        n = len(buf)
        while i < n:
            b = buf[i]
            if b >= 0x20 or b == 0x09:
                self._text.append(b)
                i += 1
                continue
            parsed = self._command(buf, i, n)
            if parsed is None:  # incomplete: wait for more bytes
                break
            length, event = parsed
            events.extend(self.flush())
            if event is not None:
                events.append(event)
            i += length
        del self._buf[:i]
        return events

    def _command(self, buf: bytearray, i: int, n: int) -> tuple[int, SimEvent | None] | None:
        b = buf[i]
        if b == 0x0A:
            return 1, SimEvent("feed", {"lines": 1})
        if b == 0x0D:
            return 1, None  # carriage return: nothing to record
        if i + 1 >= n:
            return None if b in (0x1B, 0x1D, 0x1C, 0x10) else (1, _unknown(buf[i:i + 1]))
        c = buf[i + 1]
        if b == 0x1B:  # ESC
            if c == ord("@"):
                return 2, SimEvent("init")
            if c == ord("2"):
                return 2, SimEvent("line_spacing", {"default": True})
            if c in _ONE_PARAM_ESC:
                if i + 2 >= n:
                    return None
                return 3, SimEvent(_ONE_PARAM_ESC[c], {"n": buf[i + 2], "cmd": chr(c)})
            if c == ord("p"):
                return (5, SimEvent("drawer")) if i + 4 < n else None
            return 2, _unknown(buf[i:i + 2])
        if b == 0x1D:  # GS
            return self._gs(buf, i, n, c)
        if b == 0x1C:  # FS
            if c == ord("&"):
                return 2, SimEvent("cjk_on")
            if c == ord("."):
                return 2, SimEvent("cjk_off")
            if c in (ord("!"), ord("C")):
                return (3, SimEvent("cjk_mode", {"n": buf[i + 2]})) if i + 2 < n else None
            return 2, _unknown(buf[i:i + 2])
        if b == 0x10 and c == 0x04:  # DLE EOT n
            return (3, SimEvent("status_query", {"n": buf[i + 2]})) if i + 2 < n else None
        return 1, _unknown(buf[i:i + 1])

    def _gs(self, buf: bytearray, i: int, n: int, c: int) -> tuple[int, SimEvent] | None:
        if c == ord("v"):
            if i + 8 > n:
                return None
            if buf[i + 2] != 0x30:
                return 3, _unknown(buf[i:i + 3])
            m = buf[i + 3]
            xb = buf[i + 4] | buf[i + 5] << 8
            rows = buf[i + 6] | buf[i + 7] << 8
            end = i + 8 + xb * rows
            if end > n:
                return None
            data = bytes(buf[i + 8:end])
            return end - i, SimEvent("raster", {"width_bytes": xb, "width": xb * 8,
                                                "height": rows, "m": m}, data)
        if c == ord("V"):
            if i + 2 >= n:
                return None
            m = buf[i + 2]
            if m in _CUT_NO_FEED:
                return 3, SimEvent("cut", {"partial": m in (1, 49), "feed": 0})
            if m in _CUT_WITH_FEED:
                if i + 3 >= n:
                    return None
                return 4, SimEvent("cut", {"partial": m in (66, 98, 104), "feed": buf[i + 3]})
            return 3, _unknown(buf[i:i + 3])
        if c == ord("("):
            if i + 5 > n:
                return None
            length = buf[i + 3] | buf[i + 4] << 8
            end = i + 5 + length
            if end > n:
                return None
            payload = bytes(buf[i + 5:end])
            if buf[i + 2] == ord("k") and len(payload) >= 2:
                return end - i, SimEvent("qr", {"cn": payload[0], "fn": payload[1]},
                                         payload[2:])
            return end - i, _unknown(bytes(buf[i:end]))
        if c in _ONE_PARAM_GS:
            return (3, SimEvent(_ONE_PARAM_GS[c], {"n": buf[i + 2]})) if i + 2 < n else None
        if c in _TWO_PARAM_GS:
            if i + 3 >= n:
                return None
            return 4, SimEvent(_TWO_PARAM_GS[c], {"n": buf[i + 2] | buf[i + 3] << 8})
        return 2, _unknown(buf[i:i + 2])


def _unknown(raw: bytes | bytearray) -> SimEvent:
    return SimEvent("unknown", {"hex": bytes(raw).hex(" ")}, bytes(raw))


class PrinterSimulator:
    """A fake receipt printer on a pty (``mode="pty"``) or TCP (``mode="tcp"``).

    ``start()`` returns the pty path to open as a serial port, or the chosen TCP port.
    All state is guarded by one lock; waiting is done on a condition, never by sleeping.
    """

    def __init__(self, mode: str = "pty", *, paper: str = "ok", online: bool = True,
                 cover_open: bool = False, silent: bool = False,
                 host: str = "127.0.0.1", port: int = 0) -> None:
        if mode not in ("pty", "tcp"):
            raise ValueError(f"mode must be 'pty' or 'tcp', got {mode!r}")
        self.mode = mode
        self.host = host
        self.port = port
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._events: list[SimEvent] = []
        self._pages: list[SimPage] = []
        self._bands: list[SimEvent] = []
        self._cuts = 0
        self._bytes = 0
        self.set_paper(paper)
        self._online = online
        self._cover_open = cover_open
        self._silent = silent
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._wake_r = self._wake_w = -1
        self._master = self._slave = -1
        self._listener: socket.socket | None = None
        self.path = ""

    # -- control -----------------------------------------------------------------------
    def set_paper(self, state: str) -> None:
        if state not in ("ok", "low", "out"):
            raise ValueError(f"paper must be ok, low or out, got {state!r}")
        with self._lock:
            self._paper = state

    def set_online(self, online: bool) -> None:
        with self._lock:
            self._online = online

    def set_cover_open(self, cover_open: bool) -> None:
        with self._lock:
            self._cover_open = cover_open

    def set_silent(self, silent: bool) -> None:
        """Stop (or resume) answering status queries, like a printer that is switched off."""
        with self._lock:
            self._silent = silent

    def status_byte(self, n: int) -> int | None:
        """The answer to ``DLE EOT n`` in the current state (None: not answered)."""
        with self._lock:
            return self._status_byte(n)

    def _status_byte(self, n: int) -> int | None:
        if self._silent:
            return None
        out = self._paper == "out"
        if n == 1:
            return 0x12 | (0x08 if (not self._online or self._cover_open or out) else 0)
        if n == 2:
            return 0x12 | (0x04 if self._cover_open else 0) | (0x20 if out else 0)
        if n == 3:
            return 0x12
        if n == 4:
            return 0x12 | (0x0C if self._paper in ("low", "out") else 0) | (0x60 if out else 0)
        return None

    # -- what was received -------------------------------------------------------------
    @property
    def events(self) -> list[SimEvent]:
        with self._lock:
            return list(self._events)

    @property
    def unknown_events(self) -> list[SimEvent]:
        return [e for e in self.events if e.kind == "unknown"]

    @property
    def pages(self) -> list[SimPage]:
        with self._lock:
            return list(self._pages)

    @property
    def pages_received(self) -> int:
        with self._lock:
            return len(self._pages)

    @property
    def bytes_received(self) -> int:
        with self._lock:
            return self._bytes

    def last_raster_image(self) -> Image.Image | None:
        with self._lock:
            return self._pages[-1].to_image() if self._pages else None

    def clear(self) -> None:
        with self._lock:
            self._events.clear()
            self._pages.clear()
            self._bands.clear()
            self._cuts = 0

    def wait_for(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Wait until ``predicate()`` (called under the lock) holds, or the timeout."""
        with self._changed:
            return self._changed.wait_for(predicate, timeout)

    def wait_for_cut(self, timeout: float, count: int = 1) -> bool:
        """Wait until ``count`` cuts have been received in total."""
        return self.wait_for(lambda: self._cuts >= count, timeout)

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> str | int:
        if self._thread is not None:
            raise RuntimeError("simulator already started")
        self._stop.clear()
        self._wake_r, self._wake_w = os.pipe()
        result: str | int
        if self.mode == "pty":
            self._master, self._slave = os.openpty()
            tty.setraw(self._slave)
            self.path = os.ttyname(self._slave)
            result = self.path
        else:
            self._listener = socket.create_server((self.host, self.port))
            self.port = self._listener.getsockname()[1]
            result = self.port
        self._thread = threading.Thread(target=self._run, name=f"printer-sim-{self.mode}",
                                        daemon=True)
        self._thread.start()
        return result

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        os.write(self._wake_w, b"x")
        thread.join(timeout=5)
        for fd in (self._master, self._slave, self._wake_r, self._wake_w):
            if fd >= 0:
                os.close(fd)
        self._master = self._slave = self._wake_r = self._wake_w = -1
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the device thread -------------------------------------------------------------
    def _run(self) -> None:
        if self.mode == "pty":
            self._run_pty()
        else:
            self._run_tcp()

    def _run_pty(self) -> None:
        parser = EscPosParser()
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master, self._wake_r], [], [])
            if self._wake_r in ready:
                break
            try:
                data = os.read(self._master, 65536)
            except OSError:  # the pty hiccupped (e.g. hang-up); don't spin
                self._stop.wait(0.05)
                continue
            self._receive(parser, data, lambda b: os.write(self._master, b))

    def _run_tcp(self) -> None:
        assert self._listener is not None
        conns: dict[socket.socket, EscPosParser] = {}
        try:
            while not self._stop.is_set():
                watch: list[Any] = [self._listener, self._wake_r, *conns]
                ready, _, _ = select.select(watch, [], [])
                if self._wake_r in ready:
                    break
                for sock in ready:
                    if sock is self._listener:
                        conn, _ = self._listener.accept()
                        conns[conn] = EscPosParser()
                        continue
                    try:
                        data = sock.recv(65536)
                    except OSError:
                        data = b""
                    if not data:
                        self._record(conns.pop(sock).flush())
                        sock.close()
                        continue
                    self._receive(conns[sock], data, sock.sendall)
        finally:
            for sock in conns:
                sock.close()

    def _receive(self, parser: EscPosParser, data: bytes,
                 reply: Callable[[bytes], object]) -> None:
        events = parser.feed(data)
        answers = bytearray()
        with self._lock:
            self._bytes += len(data)
            for ev in events:
                if ev.kind == "status_query":
                    b = self._status_byte(int(ev.info["n"]))
                    if b is not None:
                        answers.append(b)
        if answers:
            try:
                reply(bytes(answers))
            except OSError:
                pass
        self._record(events)

    def _record(self, events: list[SimEvent]) -> None:
        if not events:
            return
        with self._changed:
            for ev in events:
                self._events.append(ev)
                if ev.kind == "raster":
                    self._bands.append(ev)
                elif ev.kind == "cut":
                    self._cuts += 1
                    if self._bands:
                        self._pages.append(_assemble(self._bands))
                        self._bands = []
            self._changed.notify_all()


def _assemble(bands: list[SimEvent]) -> SimPage:
    """Stack raster bands into one page (narrower bands padded on the right)."""
    xb = max(int(b.info["width_bytes"]) for b in bands)
    rows = bytearray()
    height = 0
    for band in bands:
        bxb = int(band.info["width_bytes"])
        h = int(band.info["height"])
        for r in range(h):
            rows += band.data[r * bxb:(r + 1) * bxb].ljust(xb, b"\x00")
        height += h
    return SimPage(width=xb * 8, height=height, data=bytes(rows))


__all__ = ["EscPosParser", "PrinterSimulator", "SimEvent", "SimPage"]
