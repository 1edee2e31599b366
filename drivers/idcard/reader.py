"""The reader loop: one named thread owns the serial port, polls for cards and reports through
a handler, surviving unplugging and SAM faults without a restart.

Everything that touches the port runs on the ``idcard-reader`` thread, so the port needs no
locks (Electrum's one-thread-per-device-bus rule). The UI learns what happened only through
:class:`CardReaderHandler`, whose methods are called on that thread; a Qt implementation
re-emits them as queued signals.
"""

from __future__ import annotations

import enum
import logging
import threading

from drivers.idcard import commands
from drivers.idcard.codec import CodecError, Status, describe_status
from drivers.idcard.layouts import IdCard, parse_text_block
from drivers.idcard.transport import (
    ReaderCancelledError,
    ReaderError,
    ReaderTimeout,
    SerialTransport,
)

log = logging.getLogger(__name__)

DEFAULT_POLL_INTERVAL = 0.1
"""Seconds between two finds.

A resident waits on average half a poll before the card is even seen, and the read that
follows costs ~115 ms on the wire at 115200 baud, so the poll decides whether "greeting within
400 ms (median)" holds: at 0.5 s (HEV polls every 1 s) the wait alone would be 250 ms, at 0.1 s
it is 50 ms. A find cycle is 25 bytes (~2 ms of a 115200 line, ~26 ms at 9600), so polling ten
times a second costs the bus and the CPU nothing worth saving. Measured with the simulator
(bench/card_reader.py): median 182 ms from card placed to ``on_card_read`` at 0.1 s.
"""
DEFAULT_READ_RETRIES = 2  # select + read again after a failed read, as SYN/YIN do
FIND_ERRORS_BEFORE_FAULT = 3  # consecutive find timeouts/corruptions that make a fault
INITIAL_BACKOFF_S = 0.1
MAX_BACKOFF_S = 2.0
_STOP_JOIN_S = 2.0

# A find answered with one of these means our request was garbled on the line: try again.
_TRANSIENT_FIND = {Status.CHECKSUM_ERROR, Status.LENGTH_ERROR}


class ReaderStatus(enum.Enum):
    STARTING = "starting"
    OK = "ok"
    FAULT = "fault"
    STOPPED = "stopped"


class CardReaderHandler:
    """What the reader tells the rest of the kiosk. Every method runs on the reader thread
    and should return quickly (hand the work to another thread); the defaults do nothing."""

    def on_card_read(self, card: IdCard) -> None:
        """A card was read and parsed. Called once per placement of a card."""

    def on_card_error(self, cause: str) -> None:
        """A card is on the reader but could not be read, even after retries."""

    def on_reader_fault(self, cause: str) -> None:
        """The reader stopped working (port gone, SAM fault, no answers). Called once per
        fault; the thread keeps trying to recover."""

    def on_reader_recovered(self) -> None:
        """The reader works again after :meth:`on_reader_fault`."""


class SamFaultError(ReaderError):
    """The SAM module answered with a status that means it cannot work (e.g. 60 self-test)."""


class CardReadError(ReaderError):
    """One attempt at select + read failed on the card side (e.g. 41, 81)."""


class ReaderThread:
    """Owns the ``idcard-reader`` thread: open, check the SAM, poll, read, recover.

    ``status`` and ``last_fault`` may be read from any thread. ``stop()`` returns within about
    a second even mid-read, because every wait is on one Event and every serial read is
    sliced into 50 ms pieces that check it.
    """

    def __init__(self, port: str, baud: int = 115200, handler: CardReaderHandler | None = None,
                 poll_interval: float = DEFAULT_POLL_INTERVAL,
                 read_retries: int = DEFAULT_READ_RETRIES, read_extra_address: bool = True,
                 thread_name: str = "idcard-reader") -> None:
        if poll_interval <= 0:
            raise ValueError("poll_interval must be positive")
        self.port = port
        self.baud = baud
        self.handler = handler or CardReaderHandler()
        self.poll_interval = poll_interval
        self.read_retries = read_retries
        self.read_extra_address = read_extra_address
        self._thread_name = thread_name
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._status = ReaderStatus.STARTING
        self._last_fault: str | None = None
        self._thread: threading.Thread | None = None
        # De-duplication, touched only on the reader thread.
        self._last_reported_id: str | None = None
        self._card_error_reported = False

    # -- public API, any thread -------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("ReaderThread can be started once")
        self._thread = threading.Thread(target=self._run, name=self._thread_name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(_STOP_JOIN_S)
            if self._thread.is_alive():
                log.warning("card reader thread did not stop within %.1f s", _STOP_JOIN_S)
        with self._lock:
            self._status = ReaderStatus.STOPPED

    @property
    def is_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def status(self) -> ReaderStatus:
        with self._lock:
            return self._status

    @property
    def last_fault(self) -> str | None:
        with self._lock:
            return self._last_fault

    # -- the thread ---------------------------------------------------------------------

    def _run(self) -> None:
        backoff = INITIAL_BACKOFF_S
        try:
            while not self._stop.is_set():
                try:
                    transport = SerialTransport.open(self.port, self.baud)
                except ReaderError as exc:
                    self._fault(str(exc))
                else:
                    try:
                        self._check_sam(transport)
                        self._ok()
                        backoff = INITIAL_BACKOFF_S
                        self._poll(transport)
                    except ReaderCancelledError:
                        break
                    except (ReaderError, CodecError) as exc:
                        self._fault(_cause(exc))
                    finally:
                        transport.close()
                self._stop.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_S)
        except Exception:  # a bug must not kill the kiosk's reader silently
            log.exception("card reader thread crashed")
            self._fault("internal error in the card reader thread (see log)")
        finally:
            with self._lock:
                self._status = ReaderStatus.STOPPED

    def _check_sam(self, transport: SerialTransport) -> None:
        try:
            reply = transport.transact(commands.SAM_STATUS, cancel=self._stop)
        except ReaderTimeout:
            raise ReaderTimeout(f"no answer to SAM status on {self.port} at {self.baud} baud "
                                "(wrong port or baud rate, or the reader is off)") from None
        if reply.sw3 != Status.OK:
            raise SamFaultError(f"SAM status: {reply.describe()}")

    def _poll(self, transport: SerialTransport) -> None:
        errors = 0
        while not self._stop.is_set():
            try:
                reply = transport.transact(commands.FIND_CARD, cancel=self._stop)
                if reply.sw3 in _TRANSIENT_FIND:
                    raise CodecError(f"find: {reply.describe()}")
            except (ReaderTimeout, CodecError):
                errors += 1
                if errors >= FIND_ERRORS_BEFORE_FAULT:
                    raise
                continue
            errors = 0
            if reply.sw3 == Status.CARD_FOUND:
                self._card_present(transport)
            elif reply.sw3 == Status.FIND_FAILED:
                self._last_reported_id = None
                self._card_error_reported = False
            else:
                raise SamFaultError(f"find: {reply.describe()}")
            self._stop.wait(self.poll_interval)

    def _card_present(self, transport: SerialTransport) -> None:
        attempts = 1 + self.read_retries
        cause = ""
        for _ in range(attempts):
            try:
                card = self._read_card(transport)
            except (CardReadError, ReaderTimeout, CodecError) as exc:
                cause = _cause(exc)
                log.info("card read attempt failed: %s", cause)
                continue
            if card.id_number != self._last_reported_id:
                self._last_reported_id = card.id_number
                self._card_error_reported = False
                log.info("card read: %r", card)
                self._call("on_card_read", card)
            return
        if not self._card_error_reported:
            self._card_error_reported = True
            self._call("on_card_error", f"{cause} (after {attempts} attempts)")

    def _read_card(self, transport: SerialTransport) -> IdCard:
        reply = transport.transact(commands.SELECT_CARD, cancel=self._stop)
        if reply.sw3 != Status.OK:
            raise CardReadError(f"select: {reply.describe()}")
        reply = transport.transact(commands.READ_BASE, cancel=self._stop)
        if reply.sw3 != Status.OK:
            raise CardReadError(f"read: {reply.describe()}")
        data = commands.parse_read_base(reply)
        return parse_text_block(data.text, data.photo, self._extra_address(transport))

    def _extra_address(self, transport: SerialTransport) -> str:
        """The 追加住址, or "" when there is none or it cannot be had: the base data is
        already authenticated, so a hiccup here must not cost the resident their read."""
        if not self.read_extra_address:
            return ""
        try:
            reply = transport.transact(commands.READ_EXTRA_ADDRESS, cancel=self._stop)
        except (ReaderTimeout, CodecError) as exc:
            log.info("extra address not read: %s", _cause(exc))
            return ""
        if reply.sw3 == Status.OK:
            return commands.parse_extra_address(reply)
        if reply.sw3 != Status.NO_CONTENT:
            log.info("extra address not read: %s", describe_status(reply.sw3))
        return ""

    # -- state and handler calls --------------------------------------------------------

    def _fault(self, cause: str) -> None:
        with self._lock:
            first = self._status is not ReaderStatus.FAULT
            self._status = ReaderStatus.FAULT
            self._last_fault = cause
        if first:
            log.warning("card reader fault: %s", cause)
            self._call("on_reader_fault", cause)

    def _ok(self) -> None:
        with self._lock:
            recovered = self._status is ReaderStatus.FAULT
            self._status = ReaderStatus.OK
        if recovered:
            log.warning("card reader recovered")
            self._call("on_reader_recovered")

    def _call(self, method: str, *args: object) -> None:
        try:
            getattr(self.handler, method)(*args)
        except Exception:  # the handler's bug is not a reader fault; keep polling
            log.exception("card reader handler %s failed", method)


def _cause(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, CodecError):
        return f"corrupted reply: {text}"
    return text
