"""The SAM_V commands the kiosk sends, their time budgets, and parsers for their replies.

Each command carries its own timeout because they differ by a factor of ten: a find is
answered in milliseconds, a base read moves 1295 bytes and waits on the card. The budgets
follow the shortest ones in public drivers (YIN: SAM 300 ms, read 2000 ms, address 1500 ms;
SYN: find/select 500 ms) with the wire time at the line's baud rate added on top, so a 9600
baud reader (1.35 s for one base read) gets the same slack as a 115200 one.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.idcard.codec import Command, LengthError, Reply

TEXT_SIZE = 256
PHOTO_SIZE = 1024
SAM_ID_SIZE = 16
EXTRA_ADDRESS_SIZE = 70
BITS_PER_BYTE = 10  # 8N1: start bit, 8 data bits, stop bit


@dataclass(frozen=True)
class CommandSpec:
    """A command and what to expect back."""

    name: str
    command: Command
    reply_max: int  # bytes of the largest reply frame
    budget_s: float  # time the SAM and card may take, wire time excluded

    def encode(self) -> bytes:
        return self.command.encode()

    def timeout(self, baud: int) -> float:
        """Budget plus the time the request and the largest reply spend on the wire."""
        return self.budget_s + wire_time(len(self.encode()) + self.reply_max, baud)


def wire_time(n_bytes: int, baud: int) -> float:
    """Seconds that ``n_bytes`` take on an 8N1 line."""
    return n_bytes * BITS_PER_BYTE / baud


RESET_SAM = CommandSpec("reset", Command(0x10, 0xFF), 11, 0.3)
SAM_STATUS = CommandSpec("sam-status", Command(0x11, 0xFF), 11, 0.3)
SAM_ID = CommandSpec("sam-id", Command(0x12, 0xFF), 27, 0.3)
FIND_CARD = CommandSpec("find", Command(0x20, 0x01), 15, 0.3)
SELECT_CARD = CommandSpec("select", Command(0x20, 0x02), 19, 0.3)
READ_BASE = CommandSpec("read", Command(0x30, 0x01), 1295, 2.0)
READ_BASE_FP = CommandSpec("read-fp", Command(0x30, 0x10), 2321, 3.0)
READ_EXTRA_ADDRESS = CommandSpec("extra-address", Command(0x30, 0x03), 81, 1.0)

ALL_COMMANDS = (RESET_SAM, SAM_STATUS, SAM_ID, FIND_CARD, SELECT_CARD, READ_BASE, READ_BASE_FP,
                READ_EXTRA_ADDRESS)


@dataclass(frozen=True)
class CardData:
    """The raw blocks of one read: text to parse, photo (wlt) and fingerprints kept opaque."""

    text: bytes
    photo: bytes
    fingerprint: bytes = b""


def parse_read_base(reply: Reply) -> CardData:
    """Data of a successful 30 01: textLen, photoLen (2 B big-endian each), text, photo."""
    return _parse_blocks(reply.data, with_fingerprint=False)


def parse_read_base_fp(reply: Reply) -> CardData:
    """Data of a successful 30 10: textLen, photoLen, fpLen, then the three blocks."""
    return _parse_blocks(reply.data, with_fingerprint=True)


def _parse_blocks(data: bytes, *, with_fingerprint: bool) -> CardData:
    n_lengths = 3 if with_fingerprint else 2
    head = 2 * n_lengths
    if len(data) < head:
        raise LengthError(f"read reply of {len(data)} bytes has no block lengths")
    lengths = [int.from_bytes(data[i : i + 2], "big") for i in range(0, head, 2)]
    if head + sum(lengths) != len(data):
        raise LengthError(f"block lengths {lengths} do not add up to {len(data) - head} bytes")
    if lengths[0] != TEXT_SIZE:
        raise LengthError(f"text block of {lengths[0]} bytes, expected {TEXT_SIZE}")
    text = data[head : head + lengths[0]]
    photo = data[head + lengths[0] : head + lengths[0] + lengths[1]]
    fingerprint = data[head + lengths[0] + lengths[1] :] if with_fingerprint else b""
    return CardData(text, photo, fingerprint)


def build_read_base_data(text: bytes, photo: bytes) -> bytes:
    """Inverse of :func:`parse_read_base` (for the simulator and tests)."""
    return len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo


def build_read_base_fp_data(text: bytes, photo: bytes, fingerprint: bytes) -> bytes:
    """Inverse of :func:`parse_read_base_fp`."""
    return (len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big")
            + len(fingerprint).to_bytes(2, "big") + text + photo + fingerprint)


def parse_extra_address(reply: Reply) -> str:
    """The 追加住址 (address endorsed after issue): 70 B UCS-2LE, space padded."""
    return reply.data[:EXTRA_ADDRESS_SIZE].decode("utf-16-le", errors="replace").strip(" \x00")


def parse_sam_id(reply: Reply) -> str:
    """The SAM's serial as printed on vendor tools: ``05.01-20121119-0000012345-0123456789``.

    Layout d0.d2-u32le(d4)-u32le(d8)-u32le(d12); the last two fields are zero-padded to 10
    digits as YIN does (HSL uses 9).
    """
    d = reply.data
    if len(d) < SAM_ID_SIZE:
        raise LengthError(f"SAM ID of {len(d)} bytes, expected {SAM_ID_SIZE}")

    def u32(i: int) -> int:
        return int.from_bytes(d[i : i + 4], "little")

    return f"{d[0]:02d}.{d[2]:02d}-{u32(4)}-{u32(8):010d}-{u32(12):010d}"
