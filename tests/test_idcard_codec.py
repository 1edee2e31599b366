"""Frames, commands and status words against the public test vectors (protocol reference §6),
plus a fuzzed decoder that must only ever return frames or raise CodecError."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.idcard import commands
from drivers.idcard.codec import (
    MAX_LEN,
    PREAMBLE,
    ChecksumError,
    CodecError,
    Command,
    Frame,
    FrameDecoder,
    LengthError,
    PreambleError,
    Reply,
    Status,
    checksum,
    decode_frame,
    describe_status,
    encode_frame,
)
from drivers.idcard.layouts import IdCard, encode_text_block, parse_text_block

# -- §6 a-e: every public vector ---------------------------------------------------------

COMMAND_VECTORS = [
    (commands.FIND_CARD, "AAAAAA96690003200122"),
    (commands.SELECT_CARD, "AAAAAA96690003200221"),
    (commands.READ_BASE, "AAAAAA96690003300132"),
    (commands.SAM_STATUS, "AAAAAA9669000311FFED"),
    (commands.RESET_SAM, "AAAAAA9669000310FFEC"),
    (commands.SAM_ID, "AAAAAA9669000312FFEE"),
    (commands.READ_EXTRA_ADDRESS, "AAAAAA96690003300330"),
    (commands.READ_BASE_FP, "AAAAAA96690003301023"),
]

REPLY_VECTORS = [  # (hex, SW3, data)
    ("AAAAAA9669000800009F0000000097", Status.CARD_FOUND, bytes(4)),
    ("AAAAAA9669000400008084", Status.FIND_FAILED, b""),
    ("AAAAAA9669000C00009000000000000000009C", Status.OK, bytes(8)),
    ("AAAAAA9669000400008185", Status.SELECT_FAILED, b""),
    ("AAAAAA9669000400004145", Status.READ_FAILED, b""),
    ("AAAAAA9669000400009094", Status.OK, b""),
    ("AAAAAA9669000400006064", Status.SAM_SELF_TEST_FAILED, b""),
]


@pytest.mark.parametrize(("spec", "wire"), COMMAND_VECTORS, ids=lambda v: getattr(v, "name", v))
def test_commands_encode_to_the_published_bytes(spec: commands.CommandSpec, wire: str) -> None:
    assert spec.encode() == bytes.fromhex(wire)
    decoded = Command.from_frame(decode_frame(bytes.fromhex(wire)))
    assert decoded == spec.command


def test_max_rf_command_with_a_data_byte() -> None:
    assert Command(0x61, 0xFF, b"\x50").encode() == bytes.fromhex("AAAAAA96690004 61FF50 CA")


@pytest.mark.parametrize(("wire", "sw3", "data"), REPLY_VECTORS)
def test_replies_decode_from_the_published_bytes(wire: str, sw3: int, data: bytes) -> None:
    raw = bytes.fromhex(wire)
    reply = Reply.from_frame(decode_frame(raw))
    assert (reply.sw1, reply.sw2, reply.sw3, reply.data) == (0, 0, sw3, data)
    assert reply.encode() == raw


def test_the_wrong_checksum_in_public_code_is_rejected() -> None:
    # One public C test sends 20 01 with CHK 21; the XOR of 00 03 20 01 is 22.
    with pytest.raises(ChecksumError) as info:
        decode_frame(bytes.fromhex("AAAAAA96690003200121"))
    assert (info.value.expected, info.value.got) == (0x22, 0x21)


def _synthetic_card() -> IdCard:
    return IdCard(card_type="resident", name="张三", gender="女", nation="汉",
                  birth_date=date(1949, 12, 31), address="北京市朝阳区某路1号",
                  id_number="11010519491231002X", issuer="北京市公安局朝阳分局",
                  valid_from=date(2010, 1, 1), valid_to_long_term=True, id_check_ok=True,
                  photo=bytes(1024))


def test_synthetic_full_read_frame_matches_the_reference() -> None:
    """§6 f: 1295 bytes, CHK 0xDE, known sha256, built from the documented fields."""
    card = _synthetic_card()
    data = commands.build_read_base_data(encode_text_block(card), card.photo)
    frame = Reply(Status.OK, data).encode()
    assert len(frame) == 1295
    assert frame[-1] == 0xDE
    assert hashlib.sha256(frame).hexdigest() == (
        "438ef7a04f38b7698c0518c6fe6aace81b12968783430d003134e0a5d49b5f56")
    assert frame[:14] == bytes.fromhex("aaaaaa9669050800009001000400")

    reply = Reply.from_frame(decode_frame(frame))
    blocks = commands.parse_read_base(reply)
    assert parse_text_block(blocks.text, blocks.photo) == card


def test_reply_sizes_fit_the_command_budgets() -> None:
    assert commands.READ_BASE.reply_max == 1295
    assert commands.READ_BASE_FP.reply_max == 2321
    assert MAX_LEN >= 2321 - 7
    # 1295 bytes at 115200 baud: ~112 ms on the wire (§4)
    assert commands.wire_time(1295, 115200) == pytest.approx(0.1124, abs=0.001)
    assert commands.READ_BASE.timeout(9600) > commands.wire_time(1295, 9600) + 1.9


def test_read_with_fingerprint_blocks() -> None:
    text, photo, fp = bytes(256), b"\x01" * 1024, b"\x02" * 1024
    frame = Reply(Status.OK, commands.build_read_base_fp_data(text, photo, fp)).encode()
    assert len(frame) == 2321
    assert frame[5:7] == bytes.fromhex("090A")
    blocks = commands.parse_read_base_fp(Reply.from_frame(decode_frame(frame)))
    assert (blocks.text, blocks.photo, blocks.fingerprint) == (text, photo, fp)


def test_read_reply_with_inconsistent_block_lengths_is_a_length_error() -> None:
    with pytest.raises(LengthError):
        commands.parse_read_base(Reply(Status.OK, b"\x01\x00\x04\x00" + bytes(100)))
    with pytest.raises(LengthError):
        commands.parse_read_base(Reply(Status.OK, b"\x01"))


def test_sam_id_renders_like_vendor_tools() -> None:
    data = (bytes((5, 0, 1, 0)) + (20121119).to_bytes(4, "little")
            + (12345).to_bytes(4, "little") + (1234567890).to_bytes(4, "little"))
    reply = Reply.from_frame(decode_frame(bytes.fromhex("AAAAAA96690014000090") + data
                                          + bytes((checksum(bytes.fromhex("0014000090")
                                                            + data),))))
    assert commands.parse_sam_id(reply) == "05.01-20121119-0000012345-1234567890"


def test_status_texts_in_both_languages() -> None:
    assert describe_status(0x60) == "SAM自检失败 / SAM self-test failed (SW3=60)"
    assert "找卡成功" in describe_status(Status.CARD_FOUND)
    assert describe_status(0x55) == "未知状态 / unknown status (SW3=55)"


def test_decode_frame_errors_are_typed() -> None:
    good = commands.FIND_CARD.encode()
    with pytest.raises(PreambleError):
        decode_frame(b"\x00" + good[1:])
    with pytest.raises(LengthError):
        decode_frame(good[:-1])
    with pytest.raises(LengthError):
        decode_frame(PREAMBLE + b"\x00\x01\x00\x01")
    with pytest.raises(LengthError):
        encode_frame(b"")
    assert all(issubclass(e, CodecError) for e in (PreambleError, LengthError, ChecksumError))


# -- the incremental decoder ------------------------------------------------------------

def _frames(*specs: commands.CommandSpec) -> bytes:
    return b"".join(s.encode() for s in specs)


def test_decoder_handles_one_byte_at_a_time() -> None:
    stream = _frames(commands.FIND_CARD, commands.READ_BASE)
    decoder = FrameDecoder()
    out: list[Frame] = []
    for b in stream:
        out += decoder.feed(bytes((b,)))
    assert [Command.from_frame(f) for f in out] == [commands.FIND_CARD.command,
                                                    commands.READ_BASE.command]
    assert decoder.buffered == 0


def test_decoder_drops_garbage_and_resyncs() -> None:
    decoder = FrameDecoder()
    noise = b"\x00\xaa\xaa\x13\xaa\xaa\xaa\x96"  # includes a near-miss preamble
    frames = decoder.feed(noise + _frames(commands.FIND_CARD) + b"\xff\xaa")
    assert [f.payload for f in frames] == [b"\x20\x01"]
    assert decoder.buffered == 1  # the trailing AA could start the next preamble


def test_a_bad_checksum_raises_and_the_next_frame_still_decodes() -> None:
    bad = bytearray(commands.SELECT_CARD.encode())
    bad[-1] ^= 0x01
    decoder = FrameDecoder()
    with pytest.raises(ChecksumError):
        decoder.feed(commands.FIND_CARD.encode() + bytes(bad) + commands.READ_BASE.encode())
    # The frame before the bad one was kept, the one after it is found on the next call.
    assert [f.payload for f in decoder.feed(b"")] == [b"\x20\x01", b"\x30\x01"]


def test_an_impossible_length_does_not_stall_the_decoder() -> None:
    decoder = FrameDecoder()
    with pytest.raises(LengthError):
        decoder.feed(PREAMBLE + b"\xff\xff" + commands.FIND_CARD.encode())
    assert [f.payload for f in decoder.feed(b"")] == [b"\x20\x01"]


def test_bytes_needed_asks_for_the_header_then_the_rest() -> None:
    decoder = FrameDecoder()
    assert decoder.bytes_needed() == 7
    raw = Reply(Status.OK, bytes(100)).encode()
    decoder.feed(raw[:3])
    assert decoder.bytes_needed() == 4
    decoder.feed(raw[3:7])
    assert decoder.bytes_needed() == len(raw) - 7
    assert decoder.feed(raw[7:])
    assert decoder.bytes_needed() == 7


@st.composite
def _mutated_stream(draw: st.DrawFn) -> bytes:
    """Valid frames, then bytes flipped, cut, inserted or dropped here and there."""
    payloads = draw(st.lists(st.binary(min_size=2, max_size=40), min_size=1, max_size=4))
    stream = bytearray(b"".join(encode_frame(p) for p in payloads))
    for _ in range(draw(st.integers(0, 4))):
        if not stream:
            break
        i = draw(st.integers(0, len(stream) - 1))
        action = draw(st.sampled_from(["flip", "drop", "insert", "truncate"]))
        if action == "flip":
            stream[i] ^= draw(st.integers(1, 255))
        elif action == "drop":
            del stream[i]
        elif action == "insert":
            stream[i:i] = draw(st.binary(min_size=1, max_size=8))
        else:
            del stream[i:]
    return bytes(stream)


def _feed_all(decoder: FrameDecoder, data: bytes, chunk: int) -> list[Frame]:
    frames: list[Frame] = []
    for i in range(0, len(data), chunk):
        try:
            frames += decoder.feed(data[i : i + chunk])
        except CodecError:
            pass
    for _ in range(len(data) + 1):  # drain what an exception left behind
        try:
            more = decoder.feed(b"")
        except CodecError:
            continue
        frames += more
        if not more:
            break
    return frames


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=300), _mutated_stream()), st.integers(1, 64))
def test_fuzzed_input_gives_only_frames_or_codec_errors(data: bytes, chunk: int) -> None:
    decoder = FrameDecoder()
    for frame in _feed_all(decoder, data, chunk):
        # Whatever comes out is a genuine, self-consistent frame.
        assert decode_frame(frame.encode()) == frame
    assert 1 <= decoder.bytes_needed() <= MAX_LEN + 7


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(min_size=2, max_size=60), min_size=1, max_size=5),
       st.lists(st.binary(max_size=12).filter(lambda b: b"\xaa" not in b), min_size=6,
                max_size=6),
       st.integers(1, 32))
def test_every_frame_survives_garbage_between_frames(payloads: list[bytes],
                                                     noise: list[bytes], chunk: int) -> None:
    stream = b"".join(noise[i % 6] + encode_frame(p) for i, p in enumerate(payloads))
    frames = _feed_all(FrameDecoder(), stream, chunk)
    assert [f.payload for f in frames] == payloads
