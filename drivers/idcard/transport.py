"""The serial line to a SAM reader: one command out, exactly one reply frame back.

The reply is read the way the protocol invites: the 7-byte header first, then the LEN bytes it
announces, through the same :class:`~drivers.idcard.codec.FrameDecoder` the tests fuzz.
Everything pyserial or the OS can throw is turned into one of the typed errors below, so the
reader loop decides between "retry", "fault" and "card error" without knowing pyserial.
"""

from __future__ import annotations

import errno
import threading
import time
from types import TracebackType

import serial

from drivers.idcard.codec import FrameDecoder, Reply
from drivers.idcard.commands import CommandSpec

try:  # termios.error is not an OSError, and tcflush raises it on a hung-up pty
    import termios

    _IO_ERRORS: tuple[type[BaseException], ...] = (serial.SerialException, OSError, termios.error)
except ImportError:  # pragma: no cover - Windows
    _IO_ERRORS = (serial.SerialException, OSError)

# pyserial raises ValueError for a malformed setting (a baud rate the driver refuses).
_OPEN_ERRORS: tuple[type[BaseException], ...] = (ValueError, *_IO_ERRORS)

# How long one blocking read may last before the cancel event is checked again: the bound on
# how late ReaderThread.stop() can be while a long read-base reply is in flight.
_READ_SLICE_S = 0.05


class ReaderError(Exception):
    """Base of the transport's failures; the message names the cause for a technician."""


class ReaderNotFoundError(ReaderError):
    """The port cannot be opened: missing, unplugged, no permission or held by another program."""


class ReaderTimeout(ReaderError):  # noqa: N818 - the name the issue uses
    """No complete reply within the command's time budget."""


class ReaderDisconnected(ReaderError):  # noqa: N818 - the name the issue uses
    """The port went away under us (USB unplugged, pty closed)."""


class ReaderCancelledError(ReaderError):
    """The caller asked to stop while a reply was awaited."""


_OPEN_CAUSES = {
    errno.ENOENT: "no such port",
    errno.ENODEV: "no such device (unplugged?)",
    errno.ENXIO: "device not configured (unplugged?)",
    errno.EACCES: "permission denied (is the user in the dialout group?)",
    errno.EPERM: "permission denied (is the user in the dialout group?)",
    errno.EBUSY: "port busy (held by another program)",
}


class SerialTransport:
    """An open serial port speaking the SAM frame protocol (8N1, no flow control)."""

    def __init__(self, port: serial.Serial, name: str, baud: int) -> None:
        self._port = port
        self.name = name
        self.baud = baud
        self._decoder = FrameDecoder()

    @classmethod
    def open(cls, port: str, baud: int = 115200) -> SerialTransport:
        """Open ``port``; raises :class:`ReaderNotFoundError` naming why it could not."""
        try:
            ser = serial.Serial(port=port, baudrate=baud, bytesize=serial.EIGHTBITS,
                                parity=serial.PARITY_NONE, stopbits=serial.STOPBITS_ONE,
                                timeout=_READ_SLICE_S, write_timeout=1.0, exclusive=True)
        except _OPEN_ERRORS as exc:
            raise ReaderNotFoundError(f"cannot open {port}: {_open_cause(exc)}") from exc
        return cls(ser, port, baud)

    def close(self) -> None:
        try:
            self._port.close()
        except _IO_ERRORS:
            pass  # closing a port that is already gone has nothing left to do

    def __enter__(self) -> SerialTransport:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def transact(self, spec: CommandSpec, timeout: float | None = None,
                 cancel: threading.Event | None = None) -> Reply:
        """Send one command and return its reply.

        Raises ReaderTimeout, ReaderDisconnected, ReaderCancelledError or a codec error
        (:class:`~drivers.idcard.codec.CodecError`) for a corrupted reply. Stale bytes from an
        earlier, abandoned reply are discarded first so they cannot be taken for this one.
        """
        budget = spec.timeout(self.baud) if timeout is None else timeout
        self._decoder.reset()
        try:
            self._port.reset_input_buffer()
            self._port.write(spec.encode())
        except _IO_ERRORS as exc:
            raise ReaderDisconnected(f"{self.name}: write failed: {exc}") from exc
        deadline = time.monotonic() + budget
        while True:
            frames = self._decoder.feed(b"")
            if frames:
                return Reply.from_frame(frames[0])
            if cancel is not None and cancel.is_set():
                raise ReaderCancelledError(f"{spec.name} cancelled")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ReaderTimeout(f"{spec.name}: no reply within {budget:.2f} s")
            try:  # the port's own timeout is _READ_SLICE_S, so this returns soon even when idle
                chunk = self._port.read(self._decoder.bytes_needed())
            except _IO_ERRORS as exc:
                raise ReaderDisconnected(f"{self.name}: read failed: {exc}") from exc
            if chunk:
                frames = self._decoder.feed(chunk)
                if frames:
                    return Reply.from_frame(frames[0])


def _open_cause(exc: BaseException) -> str:
    code = getattr(exc, "errno", None)
    if code is None and isinstance(exc.__context__, OSError):
        code = exc.__context__.errno
    if code in _OPEN_CAUSES:
        return _OPEN_CAUSES[code]
    return str(exc) or type(exc).__name__
