"""GA 467 SAM frames: encode, decode, status words. Pure bytes in, bytes out, no I/O.

Kept apart from the serial loop (as pyserial's ``threaded.Protocol`` framers are) so that the
framing can be tested by feeding it bytes, fuzzed, and reused unchanged by the simulator.

Frame layout (both directions)::

    AA AA AA 96 69 | LEN1 LEN2 | payload ... | CHK

LEN is big-endian and counts every byte after itself, CHK included; CHK is the XOR of LEN1
through the last payload byte. A host payload is ``CMD PARA DATA...``, a reader payload is
``SW1 SW2 SW3 DATA...``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import reduce

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_SIZE = len(PREAMBLE) + 2  # preamble + LEN: what must arrive before the size is known
MIN_LEN = 3  # CMD PARA CHK: the shortest thing either side sends
# The largest frame in the sources is 2321 B (read + fingerprint, LEN 090A). Allowing a little
# more than that, but far less than 0xFFFF, keeps a corrupted LEN from making the decoder wait
# for 64 KB that will never come: it resyncs instead.
MAX_LEN = 0x0C00


class CodecError(ValueError):
    """Bytes that are not a valid frame. Subclasses say which rule they broke."""


class PreambleError(CodecError):
    """A buffer that should hold one frame does not start with AA AA AA 96 69."""


class LengthError(CodecError):
    """LEN is impossible, or disagrees with the bytes actually present."""


class ChecksumError(CodecError):
    """The XOR check byte does not match: the line corrupted the frame."""

    def __init__(self, expected: int, got: int) -> None:
        super().__init__(f"checksum mismatch: computed 0x{expected:02X}, frame has 0x{got:02X}")
        self.expected = expected
        self.got = got


class Status(enum.IntEnum):
    """SW3, the reader's answer code (SW1 = SW2 = 00 in every observed reply)."""

    OK = 0x90
    NO_CONTENT = 0x91
    CARD_FOUND = 0x9F
    FIND_FAILED = 0x80
    SELECT_FAILED = 0x81
    READ_FAILED = 0x41
    UNKNOWN_CARD_TYPE = 0x40
    CHECKSUM_ERROR = 0x10
    LENGTH_ERROR = 0x11
    COMMAND_ERROR = 0x21
    NOT_PERMITTED = 0x23
    UNKNOWN_ERROR = 0x24
    CARD_AUTH_SAM_FAILED = 0x31
    SAM_AUTH_CARD_FAILED = 0x32
    INFO_CHECK_FAILED = 0x33
    FINGERPRINT_CHECK_FAILED = 0x37
    INFO_LENGTH_ERROR = 0x3F
    RANDOM_FAILED = 0x47
    SAM_SELF_TEST_FAILED = 0x60
    SAM_NOT_AUTHORISED = 0x66


STATUS_TEXT: dict[int, tuple[str, str]] = {
    0x90: ("成功", "success"),
    0x91: ("此项无内容", "no content"),
    0x9F: ("找卡成功", "card found"),
    0x80: ("找卡失败", "no card found"),
    0x81: ("选卡失败", "card select failed"),
    0x41: ("读卡失败", "card read failed"),
    0x40: ("无法识别的卡类型", "unrecognised card type"),
    0x10: ("校验和错", "checksum error"),
    0x11: ("长度错", "length error"),
    0x21: ("命令错", "command error"),
    0x23: ("越权", "operation not permitted"),
    0x24: ("无法识别的错误", "unrecognised error"),
    0x31: ("卡认证SAM失败", "card failed to authenticate the SAM"),
    0x32: ("SAM认证卡失败", "SAM failed to authenticate the card"),
    0x33: ("信息验证错误", "information verification error"),
    0x37: ("指纹验证错误", "fingerprint verification error"),
    0x3F: ("信息长度错误", "information length error"),
    0x47: ("取随机数失败", "failed to get a random number"),
    0x60: ("SAM自检失败", "SAM self-test failed"),
    0x66: ("SAM未授权", "SAM not authorised"),
}


def describe_status(sw3: int) -> str:
    """``"SAM自检失败 / SAM self-test failed (SW3=60)"``: both languages, since the same text
    reaches a technician's terminal and the staff screen."""
    zh, en = STATUS_TEXT.get(sw3, ("未知状态", "unknown status"))
    return f"{zh} / {en} (SW3={sw3:02X})"


def checksum(data: bytes) -> int:
    """XOR of every byte (callers pass LEN1 .. last payload byte)."""
    return reduce(lambda acc, b: acc ^ b, data, 0)


@dataclass(frozen=True)
class Frame:
    """One checked frame; ``payload`` is everything between LEN and CHK."""

    payload: bytes

    def encode(self) -> bytes:
        return encode_frame(self.payload)


@dataclass(frozen=True)
class Command:
    """A host→reader request."""

    cmd: int
    para: int
    data: bytes = b""

    def encode(self) -> bytes:
        return encode_frame(bytes((self.cmd, self.para)) + self.data)

    @classmethod
    def from_frame(cls, frame: Frame) -> Command:
        if len(frame.payload) < 2:
            raise LengthError(f"a command needs CMD and PARA, got {len(frame.payload)} bytes")
        return cls(frame.payload[0], frame.payload[1], frame.payload[2:])


@dataclass(frozen=True)
class Reply:
    """A reader→host answer: status word and data."""

    sw3: int
    data: bytes = b""
    sw1: int = 0
    sw2: int = 0

    @property
    def ok(self) -> bool:
        return self.sw3 == Status.OK

    def describe(self) -> str:
        return describe_status(self.sw3)

    def encode(self) -> bytes:
        return encode_frame(bytes((self.sw1, self.sw2, self.sw3)) + self.data)

    @classmethod
    def from_frame(cls, frame: Frame) -> Reply:
        p = frame.payload
        if len(p) < 3:
            raise LengthError(f"a reply needs SW1 SW2 SW3, got {len(p)} bytes")
        return cls(sw3=p[2], data=p[3:], sw1=p[0], sw2=p[1])


def encode_frame(payload: bytes) -> bytes:
    """Wrap a payload: preamble, LEN (payload + CHK), payload, CHK."""
    length = len(payload) + 1
    if not MIN_LEN <= length <= MAX_LEN:
        raise LengthError(f"payload of {len(payload)} bytes cannot be framed")
    body = length.to_bytes(2, "big") + payload
    return PREAMBLE + body + bytes((checksum(body),))


def decode_frame(raw: bytes) -> Frame:
    """Check one complete frame (exactly one, nothing before or after it)."""
    if raw[: len(PREAMBLE)] != PREAMBLE:
        raise PreambleError("frame does not start with AA AA AA 96 69")
    if len(raw) < HEADER_SIZE:
        raise LengthError(f"frame of {len(raw)} bytes is shorter than its header")
    length = int.from_bytes(raw[5:7], "big")
    if not MIN_LEN <= length <= MAX_LEN:
        raise LengthError(f"impossible LEN 0x{length:04X}")
    if len(raw) != length + HEADER_SIZE:
        raise LengthError(f"LEN 0x{length:04X} says {length + HEADER_SIZE} bytes, got {len(raw)}")
    expected = checksum(raw[5:-1])
    if expected != raw[-1]:
        raise ChecksumError(expected, raw[-1])
    return Frame(bytes(raw[7:-1]))


class FrameDecoder:
    """Incremental decoder for a byte stream, resynchronising on the preamble.

    Garbage before a preamble is dropped silently (line noise, a reply that arrived after its
    timeout). A frame with an impossible LEN or a bad checksum is dropped and reported by
    raising :class:`CodecError`; the decoder then skips one byte and looks for the next
    preamble, so a corrupted LEN cannot swallow the frames after it. Frames completed in the
    same :meth:`feed` call before the bad one are kept and returned by the next call
    (``feed(b"")``), so nothing good is lost to an exception.
    """

    def __init__(self) -> None:
        self._buf = bytearray()
        self._ready: list[Frame] = []

    def feed(self, data: bytes) -> list[Frame]:
        self._buf += data
        while True:
            start = self._buf.find(PREAMBLE)
            if start < 0:
                self._drop_all_but_partial_preamble()
                break
            del self._buf[:start]
            if len(self._buf) < HEADER_SIZE:
                break
            length = int.from_bytes(self._buf[5:7], "big")
            if not MIN_LEN <= length <= MAX_LEN:
                del self._buf[:1]
                raise LengthError(f"impossible LEN 0x{length:04X}; resyncing")
            total = length + HEADER_SIZE
            if len(self._buf) < total:
                break
            body = bytes(self._buf[5 : total - 1])
            chk = self._buf[total - 1]
            expected = checksum(body)
            if expected != chk:
                del self._buf[:1]
                raise ChecksumError(expected, chk)
            self._ready.append(Frame(body[2:]))
            del self._buf[:total]
        ready, self._ready = self._ready, []
        return ready

    def bytes_needed(self) -> int:
        """How many more bytes could complete the next frame: 7 for a header, then LEN.

        Lets a serial reader ask for exactly that many (read 7, then the rest) instead of
        polling byte by byte.
        """
        start = self._buf.find(PREAMBLE)
        if start < 0:
            return HEADER_SIZE - self._partial_preamble_len()
        if len(self._buf) - start < HEADER_SIZE:
            return HEADER_SIZE - (len(self._buf) - start)
        length = int.from_bytes(self._buf[start + 5 : start + 7], "big")
        if not MIN_LEN <= length <= MAX_LEN:
            return 1  # feed() will reject this header; one more byte lets it run
        return max(1, length + HEADER_SIZE - (len(self._buf) - start))

    def reset(self) -> None:
        self._buf.clear()
        self._ready.clear()

    @property
    def buffered(self) -> int:
        return len(self._buf)

    def _partial_preamble_len(self) -> int:
        """Length of a tail that could be the start of a preamble split across two reads."""
        for keep in range(min(len(PREAMBLE) - 1, len(self._buf)), 0, -1):
            if self._buf[-keep:] == PREAMBLE[:keep]:
                return keep
        return 0

    def _drop_all_but_partial_preamble(self) -> None:
        keep = self._partial_preamble_len()
        del self._buf[: len(self._buf) - keep]
