"""A simulated SAM reader on a pseudo-terminal, for development, demos and CI.

The kiosk talks to it exactly as to a USB-serial reader: through pyserial, on a real tty, byte
for byte, paced at the baud rate (10 bits a byte), so timeouts, framing and reconnection are
exercised as they are in the field. Faults can be scripted (OctoPrint's virtual printer is the
model): a corrupted checksum, a failed SAM self-test, a slow or unreadable card, and unplugging
the device altogether.

The pty slave's path changes whenever a new pty is made (on :meth:`replug`), so ``start``
can keep a symlink at a stable path pointing at the current slave; give the reader that path.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import select
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from drivers.idcard import commands
from drivers.idcard.codec import (
    CodecError,
    Command,
    Frame,
    FrameDecoder,
    LengthError,
    Reply,
    Status,
)
from drivers.idcard.commands import PHOTO_SIZE
from drivers.idcard.layouts import IdCard, encode_text_block

log = logging.getLogger(__name__)

FAULTS = ("none", "corrupt_checksum", "sam_fault", "slow_card", "read_fail", "unplug", "garbage")
# A fictitious SAM serial, shown by vendor tools as 05.01-20121119-0000012345-1234567890.
SAM_ID_BYTES = (bytes((5, 0, 1, 0)) + (20121119).to_bytes(4, "little")
                + (12345).to_bytes(4, "little") + (1234567890).to_bytes(4, "little"))
_SELECT_SLICE_S = 0.05
_WRITE_CHUNK = 64  # bytes per paced write: fine enough that pacing error stays under 6 ms
_READ_COMMANDS = {(0x30, 0x01), (0x30, 0x10)}


def fake_wlt(card: IdCard) -> bytes:
    """1024 opaque bytes standing in for the encrypted photo; deliberately not an image."""
    seed = card.id_number.encode()
    out = b""
    counter = 0
    while len(out) < PHOTO_SIZE:
        out += hashlib.sha256(seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return out[:PHOTO_SIZE]


def load_cards_json(path: str | os.PathLike[str]) -> list[IdCard]:
    """Cards from a JSON file: ``{"cards": [...]}`` or a bare list, each object in the shape
    of ``IdCard.to_json(reveal=True)``. Each card gets a stand-in photo. Raises ValueError
    naming the file and the card that is wrong."""
    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{p}: {exc}") from exc
    items = doc.get("cards") if isinstance(doc, dict) else doc
    if not isinstance(items, list) or not items:
        raise ValueError(f'{p}: expected a non-empty list of cards (or {{"cards": [...]}})')
    cards = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValueError(f"{p}: card {i} is not an object")
        try:
            card = IdCard.from_json(item)
            encode_text_block(card)  # fails now, naming the field, rather than on the wire
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{p}: card {i}: {exc}") from exc
        cards.append(_with_photo(card))
    return cards


def _with_photo(card: IdCard) -> IdCard:
    return card if card.photo else replace(card, photo=fake_wlt(card))


class SimulatedReader:
    """A SAM reader on a pty, served by its own ``idcard-simulator`` thread.

    ``cards`` is the deck: the first one is on the reader from the start, and
    :meth:`place_next` cycles through the rest. Card and fault changes may come from any
    thread; the pty itself is only touched by the simulator thread.
    """

    def __init__(self, cards: list[IdCard] | None = None, baud: int = 115200,
                 card_delay: float = 0.0, refind_read_card: bool = False) -> None:
        self.baud = baud
        self.byte_time = commands.BITS_PER_BYTE / baud
        self.card_delay = card_delay  # card-side time for a read, on top of the wire
        # Whether find keeps answering 9F for a card already read while it stays on the
        # reader. Readers differ (NODE: 80; SYN/YIN cope with 9F) and GA 467 is silent, so
        # both are simulated; 80 is the default because more sources describe it.
        self.refind_read_card = refind_read_card
        self._deck = [_with_photo(c) for c in (cards or [])]
        self._deck_pos = 0
        self._lock = threading.Condition()
        self._card: IdCard | None = self._deck[0] if self._deck else None
        self._card_read = False
        self._lift_pending = False
        self._fault = "none"
        self._fault_count = 0
        self._slow_delay = 0.0
        self._counts: Counter[str] = Counter()
        self._link: Path | None = None
        self._master: int | None = None
        self._slave: int | None = None
        self._slave_path = ""
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._calls: queue.Queue[tuple[Callable[[], None], threading.Event]] = queue.Queue()
        self._wake_r, self._wake_w = -1, -1

    # -- lifecycle ------------------------------------------------------------------

    def start(self, link: Path | None = None) -> str:
        """Make the pty and start serving. Returns the path to open: ``link`` when given
        (kept pointing at the current pty across replugs), else the pty slave itself."""
        if self._thread is not None:
            raise RuntimeError("SimulatedReader can be started once")
        self._link = Path(link) if link is not None else None
        self._wake_r, self._wake_w = os.pipe()
        self._open_pty()
        self._thread = threading.Thread(target=self._serve, name="idcard-simulator", daemon=True)
        self._thread.start()
        return self.port

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._wake()
            self._thread.join(2.0)
        self._close_pty()
        for fd in (self._wake_r, self._wake_w):
            if fd >= 0:
                os.close(fd)
        self._wake_r = self._wake_w = -1
        if self._link is not None:
            self._link.unlink(missing_ok=True)

    def __enter__(self) -> SimulatedReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> str:
        return str(self._link) if self._link is not None else self._slave_path

    @property
    def pty_path(self) -> str:
        """The current pty slave (changes on replug)."""
        return self._slave_path

    # -- cards and faults -----------------------------------------------------------

    def place_card(self, card: IdCard, *, lift_first: bool = False) -> None:
        """Put ``card`` on the reader. ``lift_first`` models taking the previous card away
        first: the next find answers 80 once, so a reader that de-duplicates by card (as
        ReaderThread does) reads the same card again, as staff expect in a demo."""
        with self._lock:
            self._card = _with_photo(card)
            self._card_read = False
            self._lift_pending = lift_first

    def remove_card(self) -> None:
        with self._lock:
            self._card = None
            self._card_read = False

    def place_next(self) -> IdCard | None:
        """Put the next card of the deck on the reader (after the current one is removed)."""
        if not self._deck:
            return None
        self._deck_pos = (self._deck_pos + 1) % len(self._deck)
        card = self._deck[self._deck_pos]
        self.place_card(card)
        return card

    def set_fault(self, kind: str, *, count: int = 1, delay: float = 1.0) -> None:
        """Script a fault.

        - ``none``: behave.
        - ``corrupt_checksum``: the next ``count`` card-data replies (30 01 / 30 10, the long
          ones a noisy line hits) go out with a wrong CHK.
        - ``garbage``: ``count`` replies are preceded by line noise (tests resync).
        - ``sam_fault``: status answers 60 (self-test failed), as does everything else, until
          ``set_fault("none")``.
        - ``slow_card``: reads take ``delay`` seconds more, until cleared.
        - ``read_fail``: the next ``count`` reads answer 41.
        - ``unplug``: the device disappears (same as :meth:`unplug`).
        """
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULTS)}")
        if kind == "unplug":
            self.unplug()
            return
        with self._lock:
            self._fault = kind
            self._fault_count = count
            self._slow_delay = delay if kind == "slow_card" else 0.0

    def unplug(self) -> None:
        """Close the pty (the reader sees its port hang up) and remove the link."""
        self._in_thread(self._unplug_now)

    def replug(self) -> None:
        """A new pty, and the link (if any) pointed at it."""
        self._in_thread(self._open_pty)

    def counts(self) -> dict[str, int]:
        """Commands served so far, by name (``find``, ``read``...)."""
        with self._lock:
            return dict(self._counts)

    def wait_for(self, command: str, at_least: int, timeout: float = 5.0) -> bool:
        """Block until ``command`` has been served ``at_least`` times in all."""
        with self._lock:
            return self._lock.wait_for(lambda: self._counts[command] >= at_least, timeout)

    # -- the pty --------------------------------------------------------------------

    def _open_pty(self) -> None:
        import tty  # POSIX only, like ptys; imported here so load_cards_json works anywhere

        self._close_pty()
        master, slave = os.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        # The simulator keeps the slave open too, so the master never reads EIO while the
        # reader has the port closed (between its reconnect attempts).
        self._master, self._slave = master, slave
        self._slave_path = os.ttyname(slave)
        if self._link is not None:
            tmp = self._link.with_name(self._link.name + ".tmp")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(self._slave_path)
            tmp.replace(self._link)

    def _unplug_now(self) -> None:
        self._close_pty()
        if self._link is not None:
            self._link.unlink(missing_ok=True)

    def _close_pty(self) -> None:
        for fd in (self._master, self._slave):
            if fd is not None:
                os.close(fd)
        self._master = self._slave = None

    def _in_thread(self, fn: Callable[[], None]) -> None:
        if self._thread is None or not self._thread.is_alive():
            fn()
            return
        done = threading.Event()
        self._calls.put((fn, done))
        self._wake()
        if not done.wait(2.0):
            raise RuntimeError("simulator thread did not answer")

    def _wake(self) -> None:
        if self._wake_w >= 0:
            os.write(self._wake_w, b"x")

    # -- serving --------------------------------------------------------------------

    def _serve(self) -> None:
        decoder = FrameDecoder()
        while not self._stop.is_set():
            self._run_calls(decoder)
            fds = [self._wake_r] + ([self._master] if self._master is not None else [])
            readable, _, _ = select.select(fds, [], [], _SELECT_SLICE_S)
            if self._wake_r in readable:
                os.read(self._wake_r, 64)
            if self._master is None or self._master not in readable:
                continue
            try:
                data = os.read(self._master, 4096)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:  # EIO: nobody has the slave open; wait for someone who does
                self._stop.wait(_SELECT_SLICE_S)
                continue
            self._pace(len(data))  # the request's own time on the wire
            for frame in self._frames(decoder, data):
                try:
                    command = Command.from_frame(frame)
                except CodecError:
                    self._send(Reply(Status.LENGTH_ERROR).encode())
                    continue
                try:
                    reply = self._answer(command)
                except Exception:  # a simulator bug must show, but not kill the device
                    log.exception("simulator failed to answer %r", command)
                    reply = Reply(Status.UNKNOWN_ERROR).encode()
                self._send(reply)

    def _frames(self, decoder: FrameDecoder, data: bytes) -> list[Frame]:
        """Decode requests, answering a garbled one as a SAM does (10 / 11) and carrying on
        with whatever follows it."""
        while True:
            try:
                return decoder.feed(data)
            except LengthError:
                self._send(Reply(Status.LENGTH_ERROR).encode())
            except CodecError:
                self._send(Reply(Status.CHECKSUM_ERROR).encode())
            data = b""

    def _run_calls(self, decoder: FrameDecoder) -> None:
        while True:
            try:
                fn, done = self._calls.get_nowait()
            except queue.Empty:
                return
            try:
                fn()
                decoder.reset()
            finally:
                done.set()

    def _answer(self, command: Command) -> bytes:
        key = (command.cmd, command.para)
        name = _NAMES.get(key, f"{command.cmd:02X}{command.para:02X}")
        with self._lock:
            self._counts[name] += 1
            self._lock.notify_all()
            card, card_read, fault = self._card, self._card_read, self._fault
            lifted = key == (0x20, 0x01) and self._lift_pending
            if lifted:
                self._lift_pending = False
        if fault == "sam_fault":
            return Reply(Status.SAM_SELF_TEST_FAILED).encode()
        if key in {(0x10, 0xFF), (0x11, 0xFF), (0x61, 0xFF)}:
            return Reply(Status.OK).encode()
        if key == (0x12, 0xFF):
            return Reply(Status.OK, SAM_ID_BYTES).encode()
        if key == (0x20, 0x01):
            if lifted or card is None or (card_read and not self.refind_read_card):
                return Reply(Status.FIND_FAILED).encode()
            return Reply(Status.CARD_FOUND, bytes(4)).encode()
        if key == (0x20, 0x02):
            if card is None:
                return Reply(Status.SELECT_FAILED).encode()
            return Reply(Status.OK, bytes(8)).encode()
        if key in _READ_COMMANDS:
            return self._answer_read(key, card)
        if key == (0x30, 0x03):
            if card is None:
                return Reply(Status.READ_FAILED).encode()
            if not card.extra_address:
                return Reply(Status.NO_CONTENT).encode()
            chars = commands.EXTRA_ADDRESS_SIZE // 2
            raw = card.extra_address[:chars].ljust(chars).encode("utf-16-le")
            return Reply(Status.OK, raw).encode()
        return Reply(Status.COMMAND_ERROR).encode()

    def _answer_read(self, key: tuple[int, int], card: IdCard | None) -> bytes:
        if card is None:
            return Reply(Status.READ_FAILED).encode()
        with self._lock:
            fault = self._fault
            if fault == "read_fail":
                self._use_fault()
                return Reply(Status.READ_FAILED).encode()
            corrupt = fault == "corrupt_checksum"
            if corrupt:
                self._use_fault()
            delay = self.card_delay + self._slow_delay
        if delay > 0:
            self._stop.wait(delay)
        text = encode_text_block(card)
        photo = card.photo
        if key == (0x30, 0x10):
            data = commands.build_read_base_fp_data(text, photo, bytes(PHOTO_SIZE))
        else:
            data = commands.build_read_base_data(text, photo)
        frame = bytearray(Reply(Status.OK, data).encode())
        if corrupt:
            frame[-1] ^= 0xFF
        else:
            with self._lock:
                if self._card is card:
                    self._card_read = True  # find answers 80 while it stays
        return bytes(frame)

    def _use_fault(self) -> None:
        self._fault_count -= 1
        if self._fault_count <= 0:
            self._fault = "none"

    def _send(self, frame: bytes) -> None:
        with self._lock:
            if self._fault == "garbage":
                self._use_fault()
                frame = b"\x00\x13\xaa\xaa\x37" + frame
        start = time.monotonic()
        sent = 0
        while sent < len(frame) and not self._stop.is_set():
            chunk = frame[sent : sent + _WRITE_CHUNK]
            # Pace: a chunk is handed over only once its last bit would have left the wire.
            ahead = start + (sent + len(chunk)) * self.byte_time - time.monotonic()
            if ahead > 0 and self._stop.wait(ahead):
                return
            if self._master is None:
                return
            try:
                sent += os.write(self._master, chunk)
            except BlockingIOError:  # the reader is not draining its side; wait for room
                select.select([], [self._master], [], _SELECT_SLICE_S)
            except OSError as exc:
                log.info("simulator write failed: %s", exc)
                return

    def _pace(self, n_bytes: int) -> None:
        self._stop.wait(n_bytes * self.byte_time)


_NAMES: dict[tuple[int, int], str] = {
    (spec.command.cmd, spec.command.para): spec.name for spec in commands.ALL_COMMANDS
}
