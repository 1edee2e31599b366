"""The reader driver end to end: pyserial on a real pseudo-terminal, the simulator on the
other side, faults injected there. No mocks: what passes here is what the kiosk runs."""

from __future__ import annotations

import os
import threading
import time
import tty
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import serial

from drivers.idcard import commands
from drivers.idcard.codec import Frame, FrameDecoder, Reply, Status
from drivers.idcard.layouts import IdCard
from drivers.idcard.reader import CardReaderHandler, ReaderStatus, ReaderThread
from drivers.idcard.simulator import SimulatedReader, load_cards_json
from drivers.idcard.transport import ReaderNotFoundError, ReaderTimeout, SerialTransport

DEMO = Path(__file__).resolve().parent.parent / "resources" / "demo" / "cards.json"
WAIT = 5.0  # generous upper bound for anything that should take well under a second


class Recorder(CardReaderHandler):
    """Collects handler calls and lets a test wait for them."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []
        self._cond = threading.Condition()

    def _add(self, kind: str, value: object = None) -> None:
        with self._cond:
            self.events.append((kind, value))
            self._cond.notify_all()

    def on_card_read(self, card: IdCard) -> None:
        self._add("card", card)

    def on_card_error(self, cause: str) -> None:
        self._add("card_error", cause)

    def on_reader_fault(self, cause: str) -> None:
        self._add("fault", cause)

    def on_reader_recovered(self) -> None:
        self._add("recovered")

    def of(self, kind: str) -> list[object]:
        with self._cond:
            return [v for k, v in self.events if k == kind]

    def wait(self, kind: str, count: int = 1, timeout: float = WAIT) -> list[object]:
        with self._cond:
            ok = self._cond.wait_for(lambda: len(self.of(kind)) >= count, timeout)
        assert ok, f"no {count}x {kind} within {timeout} s; got {self.events}"
        return self.of(kind)


StartReader = Callable[..., tuple[ReaderThread, "Recorder"]]


@pytest.fixture(scope="module")
def cards() -> list[IdCard]:
    return load_cards_json(DEMO)


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[SimulatedReader]:
    reader = SimulatedReader()
    reader.start(link=tmp_path / "idcard")
    yield reader
    reader.stop()


@pytest.fixture
def run_reader() -> Iterator[StartReader]:
    started: list[ReaderThread] = []

    def start(port: str, **kwargs: object) -> tuple[ReaderThread, Recorder]:
        recorder = Recorder()
        thread = ReaderThread(port, 115200, recorder, **kwargs)  # type: ignore[arg-type]
        thread.start()
        started.append(thread)
        return thread, recorder

    yield start
    for thread in started:
        thread.stop()


def _more_finds(sim: SimulatedReader, n: int) -> None:
    """Wait until the reader has polled ``n`` more times: proof that time has passed."""
    assert sim.wait_for("find", sim.counts().get("find", 0) + n, WAIT)


# -- reading ----------------------------------------------------------------------------


@pytest.mark.parametrize("layout", [" ", "J", "I", "Y"])
def test_each_card_type_is_read_end_to_end(
    sim: SimulatedReader, run_reader: StartReader, cards: list[IdCard], layout: str
) -> None:
    card = next(c for c in cards if c.layout == layout)
    reader, rec = run_reader(sim.port)
    _more_finds(sim, 1)
    assert reader.status is ReaderStatus.OK
    sim.place_card(card)
    (got,) = rec.wait("card")
    assert got == card  # every field, the opaque photo included
    assert rec.of("fault") == [] and rec.of("card_error") == []


def test_extra_address_is_read_when_the_card_has_one(
    sim: SimulatedReader, run_reader: StartReader, cards: list[IdCard]
) -> None:
    card = next(c for c in cards if c.extra_address)
    _, rec = run_reader(sim.port)
    sim.place_card(card)
    (got,) = rec.wait("card")
    assert isinstance(got, IdCard) and got.extra_address == card.extra_address


def test_a_card_left_on_the_reader_is_reported_once(
    sim: SimulatedReader, run_reader: StartReader, cards: list[IdCard]
) -> None:
    _, rec = run_reader(sim.port)
    sim.place_card(cards[0])
    rec.wait("card")
    _more_finds(sim, 5)
    assert len(rec.of("card")) == 1
    assert sim.counts()["read"] == 1
    # Taken away and put back: that is a new visit and is reported again.
    sim.remove_card()
    _more_finds(sim, 1)
    sim.place_card(cards[0])
    rec.wait("card", 2)


def test_readers_that_keep_finding_a_read_card_are_deduplicated(
    tmp_path: Path, run_reader: StartReader, cards: list[IdCard]
) -> None:
    with SimulatedReader(refind_read_card=True) as sim:
        sim.start(link=tmp_path / "idcard")
        reader, rec = run_reader(sim.port)
        sim.place_card(cards[1])
        rec.wait("card")
        assert sim.wait_for("read", 4, WAIT)  # read again and again ...
        assert len(rec.of("card")) == 1  # ... but reported once
        sim.remove_card()
        _more_finds(sim, 1)
        sim.place_card(cards[1])
        rec.wait("card", 2)
        reader.stop()


def test_a_corrupted_read_is_retried(
    sim: SimulatedReader, run_reader: StartReader, cards: list[IdCard]
) -> None:
    _, rec = run_reader(sim.port)
    sim.set_fault("corrupt_checksum", count=1)
    sim.place_card(cards[0])
    (got,) = rec.wait("card")
    assert got == cards[0]
    assert sim.counts()["read"] == 2
    assert rec.of("card_error") == [] and rec.of("fault") == []


def test_a_failed_read_is_retried(
    sim: SimulatedReader, run_reader: StartReader, cards: list[IdCard]
) -> None:
    _, rec = run_reader(sim.port)
    sim.set_fault("read_fail", count=2)
    sim.place_card(cards[2])
    rec.wait("card")
    assert sim.counts()["read"] == 3
    assert rec.of("card_error") == []


def test_a_card_that_cannot_be_read_is_reported_once_then_read_when_it_can(
    sim: SimulatedReader, run_reader: StartReader, cards: list[IdCard]
) -> None:
    _, rec = run_reader(sim.port, read_retries=2)
    sim.set_fault("corrupt_checksum", count=1000)
    sim.place_card(cards[0])
    (cause,) = rec.wait("card_error")
    assert "checksum" in str(cause) and "3 attempts" in str(cause)
    assert sim.wait_for("read", 9, WAIT)  # it keeps trying while the card stays ...
    assert len(rec.of("card_error")) == 1  # ... without repeating itself
    sim.set_fault("none")
    rec.wait("card")
    assert rec.of("fault") == []


def test_line_noise_before_replies_is_skipped(
    sim: SimulatedReader, run_reader: StartReader, cards: list[IdCard]
) -> None:
    _, rec = run_reader(sim.port)
    _more_finds(sim, 1)
    sim.set_fault("garbage", count=5)
    sim.place_card(cards[4])
    assert rec.wait("card")[0] == cards[4]
    assert rec.of("fault") == []


def test_a_slow_card_within_the_budget_is_still_read(
    sim: SimulatedReader, run_reader: StartReader, cards: list[IdCard]
) -> None:
    _, rec = run_reader(sim.port)
    sim.set_fault("slow_card", delay=0.6)
    sim.place_card(cards[3])
    rec.wait("card")
    assert sim.counts()["read"] == 1


# -- faults and recovery ----------------------------------------------------------------


def test_sam_fault_is_a_reader_fault_until_it_clears(
    sim: SimulatedReader, run_reader: StartReader, cards: list[IdCard]
) -> None:
    sim.set_fault("sam_fault")
    reader, rec = run_reader(sim.port)
    (cause,) = rec.wait("fault")
    assert "SAM自检失败" in str(cause) and "60" in str(cause)
    assert reader.status is ReaderStatus.FAULT
    assert reader.last_fault == cause
    assert sim.wait_for("sam-status", 3, WAIT)  # keeps checking ...
    assert len(rec.of("fault")) == 1  # ... and says so once
    sim.set_fault("none")
    rec.wait("recovered")
    assert reader.status is ReaderStatus.OK
    sim.place_card(cards[0])
    rec.wait("card")


def test_sam_failing_while_polling_is_a_fault(
    sim: SimulatedReader, run_reader: StartReader
) -> None:
    _, rec = run_reader(sim.port)
    _more_finds(sim, 1)
    sim.set_fault("sam_fault")
    assert "SAM" in str(rec.wait("fault")[0])
    sim.set_fault("none")
    rec.wait("recovered")


def test_unplug_and_replug_recover_without_a_restart(
    sim: SimulatedReader, run_reader: StartReader, cards: list[IdCard]
) -> None:
    reader, rec = run_reader(sim.port)
    _more_finds(sim, 1)
    sim.set_fault("unplug")
    rec.wait("fault")
    assert not Path(sim.port).exists()
    assert reader.status is ReaderStatus.FAULT
    assert rec.of("recovered") == []
    sim.replug()
    assert Path(sim.port).resolve() == Path(sim.pty_path)  # the link follows the new pty
    rec.wait("recovered")
    assert reader.is_alive and reader.status is ReaderStatus.OK
    sim.place_card(cards[5])
    assert rec.wait("card")[0] == cards[5]
    assert len(rec.of("fault")) == 1


def test_a_reader_started_before_the_device_appears(
    tmp_path: Path, run_reader: StartReader, cards: list[IdCard]
) -> None:
    link = tmp_path / "idcard"
    reader, rec = run_reader(str(link))
    assert "no such port" in str(rec.wait("fault")[0])
    with SimulatedReader([cards[0]]) as sim:
        sim.start(link=link)
        rec.wait("recovered")
        rec.wait("card")
        reader.stop()


def test_handler_errors_do_not_stop_the_reader(sim: SimulatedReader, cards: list[IdCard]) -> None:
    class Broken(Recorder):
        def on_card_read(self, card: IdCard) -> None:
            super().on_card_read(card)
            raise RuntimeError("a bug in the UI")

    rec = Broken()
    reader = ReaderThread(sim.port, 115200, rec)
    reader.start()
    try:
        sim.place_card(cards[0])
        rec.wait("card")
        sim.remove_card()
        _more_finds(sim, 1)
        sim.place_card(cards[1])
        rec.wait("card", 2)
        assert reader.is_alive
    finally:
        reader.stop()


def test_stop_is_prompt_even_in_the_middle_of_a_read(
    sim: SimulatedReader, cards: list[IdCard]
) -> None:
    reader = ReaderThread(sim.port, 115200, Recorder())
    reader.start()
    sim.set_fault("slow_card", delay=1.8)
    sim.place_card(cards[0])
    assert sim.wait_for("read", 1, WAIT)
    t0 = time.monotonic()
    reader.stop()
    assert time.monotonic() - t0 < 1.0
    assert not reader.is_alive
    assert reader.status is ReaderStatus.STOPPED


def test_poll_interval_must_be_positive() -> None:
    with pytest.raises(ValueError, match="poll_interval"):
        ReaderThread("/dev/null", 115200, poll_interval=0)


# -- the transport and the simulator on their own ------------------------------------


def test_missing_port_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(ReaderNotFoundError, match="no such port"):
        SerialTransport.open(str(tmp_path / "nothing-here"))


def test_a_silent_device_times_out_at_the_command_budget() -> None:
    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        with SerialTransport.open(os.ttyname(slave)) as transport:
            t0 = time.monotonic()
            with pytest.raises(ReaderTimeout, match="find"):
                transport.transact(commands.FIND_CARD)
            elapsed = time.monotonic() - t0
        assert commands.FIND_CARD.timeout(115200) <= elapsed < 1.0
        assert os.read(master, 64) == commands.FIND_CARD.encode()  # it did ask
    finally:
        os.close(master)
        os.close(slave)


def test_simulator_paces_replies_at_the_baud_rate(
    sim: SimulatedReader, cards: list[IdCard]
) -> None:
    sim.place_card(cards[0])
    with SerialTransport.open(sim.port) as transport:
        assert transport.transact(commands.SELECT_CARD).ok
        t0 = time.monotonic()
        reply = transport.transact(commands.READ_BASE)
        elapsed = time.monotonic() - t0
        assert reply.sw3 == Status.OK
        assert elapsed >= 0.95 * commands.wire_time(1295 + 10, 115200)
        assert transport.transact(commands.READ_EXTRA_ADDRESS).sw3 == Status.NO_CONTENT
        assert commands.parse_sam_id(transport.transact(commands.SAM_ID)).startswith("05.01-")
        assert transport.transact(commands.FIND_CARD).sw3 == Status.FIND_FAILED  # already read
        sim.remove_card()
        assert transport.transact(commands.SELECT_CARD).sw3 == Status.SELECT_FAILED


def test_simulator_refuses_unknown_faults(sim: SimulatedReader) -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        sim.set_fault("gremlins")


def test_simulator_answers_a_garbled_request_like_a_sam(sim: SimulatedReader) -> None:
    bad = bytearray(commands.FIND_CARD.encode())
    bad[-1] ^= 0x01
    with serial.Serial(sim.port, 115200, timeout=0.05) as port:
        port.write(bytes(bad) + commands.SAM_STATUS.encode())
        decoder = FrameDecoder()
        frames: list[Frame] = []
        deadline = time.monotonic() + WAIT
        while len(frames) < 2 and time.monotonic() < deadline:
            frames += decoder.feed(port.read(decoder.bytes_needed()))
    statuses = [Reply.from_frame(f).sw3 for f in frames]
    assert statuses == [Status.CHECKSUM_ERROR, Status.OK]
