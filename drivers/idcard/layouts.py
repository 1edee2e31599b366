"""The 256-byte text block of a card, in its four layouts, and the card record built from it.

One reply format carries four kinds of card; the marker at text offset 248 says which layout
the other 248 bytes follow (' ' resident, 'J' HK/Macau/Taiwan residence permit, 'I' 2017 and
'Y' 2023 foreigner permanent-residence cards). Text is UCS-2LE padded with spaces; dates are
YYYYMMDD, and a long-term card has "长期" as its end date.

Offsets for 'Y' at 158 (read here as issuer) and 250 (a link to the old 15-character number,
ignored) come from one source each and are unconfirmed; the other offsets agree across
several independent implementations (see the protocol reference).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from drivers.idcard import gb11643
from drivers.idcard.commands import TEXT_SIZE
from drivers.idcard.masking import mask_id, mask_name
from drivers.idcard.tables import gender_code, gender_name, nation_code, nation_name

RESIDENT = "resident"
HK_MACAU_TAIWAN = "hk_macau_taiwan_permit"
FOREIGN_PR = "foreign_permanent_resident"
CARD_TYPES = (RESIDENT, HK_MACAU_TAIWAN, FOREIGN_PR)

LONG_TERM = "长期"
_MARKER_OFFSET = 248
_FOREIGN_2017_NUMBER = re.compile(r"^[A-Z]{3}\d{12}$")
_Y_NAME_FIRST = 35  # English name characters stored at offset 52; the rest go at 220

JSON_KEYS = ("card_type", "name", "english_name", "gender", "nation", "birth_date", "address",
             "id_number", "issuer", "valid_from", "valid_to", "nationality", "permit_number")


@dataclass(frozen=True, repr=False)
class IdCard:
    """What one card says, as read and authenticated by the SAM.

    ``name`` is the Chinese name (it may be empty on a 2017 foreigner card; use
    :attr:`display_name`). ``id_number`` is the card's own number: 18 characters for
    resident, HK/Macau/Taiwan and 2023 foreigner cards, 15 for 2017 foreigner cards.
    ``valid_to`` is None both for "长期" (then ``valid_to_long_term``) and for a blank date.
    ``photo`` is the opaque wlt block: no open decoder exists, so it is only carried.
    """

    card_type: str
    name: str
    gender: str
    id_number: str
    birth_date: date | None = None
    english_name: str = ""
    nation: str = ""
    address: str = ""
    issuer: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    valid_to_long_term: bool = False
    nationality: str = ""
    permit_number: str = ""
    issue_count: int | None = None
    photo: bytes = b""
    id_check_ok: bool = False
    extra_address: str = ""  # 追加住址 from command 30 03, when the card has one

    @property
    def display_name(self) -> str:
        return self.name or self.english_name

    @property
    def layout(self) -> str:
        """The marker this card's text block carries: ' ', 'J', 'I' or 'Y'."""
        if self.card_type == HK_MACAU_TAIWAN:
            return "J"
        if self.card_type == FOREIGN_PR:
            return "I" if len(self.id_number) == 15 else "Y"
        return " "

    def is_expired(self, on: date) -> bool:
        """Past its end date (the end date itself is still valid); 长期 never expires."""
        if self.valid_to_long_term or self.valid_to is None:
            return False
        return on > self.valid_to

    def to_json(self, reveal: bool = False) -> dict[str, Any]:
        """The fields technicians and tools see; names and numbers masked unless ``reveal``."""
        valid_to = LONG_TERM if self.valid_to_long_term else _iso(self.valid_to)
        return {
            "card_type": self.card_type,
            "name": self.name if reveal else mask_name(self.name),
            "english_name": self.english_name if reveal else mask_name(self.english_name),
            "gender": self.gender,
            "nation": self.nation,
            "birth_date": _iso(self.birth_date),
            "address": self.address,
            "id_number": self.id_number if reveal else mask_id(self.id_number),
            "issuer": self.issuer,
            "valid_from": _iso(self.valid_from),
            "valid_to": valid_to,
            "nationality": self.nationality,
            "permit_number": self.permit_number if reveal else mask_id(self.permit_number),
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> IdCard:
        """Inverse of ``to_json(reveal=True)``; also accepts ``issue_count`` and
        ``extra_address``. Raises ValueError naming the field that is wrong."""
        unknown = set(obj) - set(JSON_KEYS) - {"issue_count", "extra_address", "comment"}
        if unknown:
            raise ValueError(f"unknown card fields: {', '.join(sorted(unknown))}")
        card_type = obj.get("card_type", RESIDENT)
        if card_type not in CARD_TYPES:
            raise ValueError(f"card_type must be one of {', '.join(CARD_TYPES)}")
        gender = obj.get("gender", "未知")
        if gender not in ("男", "女", "未知", "未说明"):
            raise ValueError(f"gender must be 男, 女, 未知 or 未说明, not {gender!r}")
        valid_to_text = obj.get("valid_to") or ""
        number = str(obj.get("id_number", ""))
        issue_count = obj.get("issue_count")
        if issue_count is not None and not isinstance(issue_count, int):
            raise ValueError(f"issue_count must be a whole number, not {issue_count!r}")
        return cls(
            card_type=card_type,
            name=str(obj.get("name", "")),
            english_name=str(obj.get("english_name", "")),
            gender=gender,
            nation=str(obj.get("nation", "")),
            birth_date=_from_iso(obj.get("birth_date"), "birth_date"),
            address=str(obj.get("address", "")),
            id_number=number,
            issuer=str(obj.get("issuer", "")),
            valid_from=_from_iso(obj.get("valid_from"), "valid_from"),
            valid_to=None if valid_to_text == LONG_TERM else _from_iso(valid_to_text, "valid_to"),
            valid_to_long_term=valid_to_text == LONG_TERM,
            nationality=str(obj.get("nationality", "")),
            permit_number=str(obj.get("permit_number", "")),
            issue_count=issue_count,
            id_check_ok=number_check_ok(card_type, number),
            extra_address=str(obj.get("extra_address", "")),
        )

    def __repr__(self) -> str:  # repr() reaches logs: never a full number or name
        valid_to = LONG_TERM if self.valid_to_long_term else _iso(self.valid_to)
        return (f"IdCard({self.card_type}, {mask_name(self.display_name)}, "
                f"{mask_id(self.id_number)}, valid_to={valid_to})")


def number_check_ok(card_type: str, number: str) -> bool:
    """GB 11643 check character for 18-character numbers. The 2017 foreigner number's check
    rule is not in any source we have, so for 15-character numbers only the shape
    (3 letters + 12 digits) is checked."""
    if card_type == FOREIGN_PR and len(number) == 15:
        return bool(_FOREIGN_2017_NUMBER.match(number))
    return gb11643.is_valid(number)


def parse_text_block(text: bytes, photo: bytes = b"", extra_address: str = "") -> IdCard:
    """Read a 256-byte text block in whichever of the four layouts its marker names."""
    if len(text) != TEXT_SIZE:
        raise ValueError(f"text block of {len(text)} bytes, expected {TEXT_SIZE}")
    marker = _field(text, _MARKER_OFFSET, 2)
    if marker == "I":
        card = _parse_foreign_2017(text)
    elif marker == "Y":
        card = _parse_foreign_2023(text)
    else:
        card = _parse_resident(text, permit=marker == "J")
    return replace(card, photo=photo, extra_address=extra_address)


def encode_text_block(card: IdCard) -> bytes:
    """Inverse of :func:`parse_text_block`; raises ValueError when a field does not fit."""
    buf = bytearray(" ".encode("utf-16-le") * (TEXT_SIZE // 2))
    layout = card.layout
    if layout == "I":
        _put(buf, 0, 120, card.english_name, "english_name")
        _put(buf, 120, 2, gender_code(card.gender), "gender")
        _put(buf, 122, 30, card.id_number, "id_number")
        _put(buf, 152, 6, card.nationality, "nationality")
        _put(buf, 158, 30, card.name, "name")
        _put(buf, 220, 16, _yyyymmdd(card.birth_date), "birth_date")
        _put(buf, 240, 8, card.issuer, "issuer")
    else:
        _put(buf, 0, 30, card.name, "name")
        _put(buf, 30, 2, gender_code(card.gender), "gender")
        _put(buf, 36, 16, _yyyymmdd(card.birth_date), "birth_date")
        _put(buf, 122, 36, card.id_number, "id_number")
        _put(buf, 158, 30, card.issuer, "issuer")
        if layout == "Y":
            _put(buf, 32, 4, _count(card.issue_count), "issue_count")
            english = card.english_name.ljust(_Y_NAME_FIRST)
            _put(buf, 52, 70, english[:_Y_NAME_FIRST], "english_name")
            _put(buf, 220, 22, english[_Y_NAME_FIRST:], "english_name")
            _put(buf, 242, 6, card.nationality, "nationality")
        else:
            _put(buf, 32, 4, nation_code(card.nation), "nation")
            _put(buf, 52, 70, card.address, "address")
            if layout == "J":
                _put(buf, 220, 18, card.permit_number, "permit_number")
                _put(buf, 238, 4, _count(card.issue_count), "issue_count")
    _put(buf, 188, 16, _yyyymmdd(card.valid_from), "valid_from")
    valid_to = LONG_TERM if card.valid_to_long_term else _yyyymmdd(card.valid_to)
    _put(buf, 204, 16, valid_to, "valid_to")
    _put(buf, _MARKER_OFFSET, 2, layout, "card_type")
    return bytes(buf)


def _parse_resident(text: bytes, *, permit: bool) -> IdCard:
    number = _field(text, 122, 36)
    card_type = HK_MACAU_TAIWAN if permit else RESIDENT
    valid_to, long_term = _valid_to(_field(text, 204, 16))
    return IdCard(
        card_type=card_type,
        name=_field(text, 0, 30),
        gender=gender_name(_field(text, 30, 2)),
        nation=nation_name(_field(text, 32, 4)),
        birth_date=_date(_field(text, 36, 16)),
        address=_field(text, 52, 70),
        id_number=number,
        issuer=_field(text, 158, 30),
        valid_from=_date(_field(text, 188, 16)),
        valid_to=valid_to,
        valid_to_long_term=long_term,
        permit_number=_field(text, 220, 18) if permit else "",
        issue_count=_int(_field(text, 238, 4)) if permit else None,
        id_check_ok=number_check_ok(card_type, number),
    )


def _parse_foreign_2017(text: bytes) -> IdCard:
    number = _field(text, 122, 30)
    valid_to, long_term = _valid_to(_field(text, 204, 16))
    return IdCard(
        card_type=FOREIGN_PR,
        english_name=_field(text, 0, 120),
        gender=gender_name(_field(text, 120, 2)),
        id_number=number,
        nationality=_field(text, 152, 6),
        name=_field(text, 158, 30),
        valid_from=_date(_field(text, 188, 16)),
        valid_to=valid_to,
        valid_to_long_term=long_term,
        birth_date=_date(_field(text, 220, 16)),
        issuer=_field(text, 240, 8),
        id_check_ok=number_check_ok(FOREIGN_PR, number),
    )


def _parse_foreign_2023(text: bytes) -> IdCard:
    number = _field(text, 122, 36)
    english = (_raw(text, 52, 70) + _raw(text, 220, 22)).rstrip(" \x00")
    valid_to, long_term = _valid_to(_field(text, 204, 16))
    return IdCard(
        card_type=FOREIGN_PR,
        name=_field(text, 0, 30),
        gender=gender_name(_field(text, 30, 2)),
        issue_count=_int(_field(text, 32, 4)),
        birth_date=_date(_field(text, 36, 16)),
        english_name=english,
        id_number=number,
        issuer=_field(text, 158, 30),
        valid_from=_date(_field(text, 188, 16)),
        valid_to=valid_to,
        valid_to_long_term=long_term,
        nationality=_field(text, 242, 6),
        id_check_ok=number_check_ok(FOREIGN_PR, number),
    )


def _raw(text: bytes, offset: int, length: int) -> str:
    return text[offset : offset + length].decode("utf-16-le", errors="replace")


def _field(text: bytes, offset: int, length: int) -> str:
    # Padding is U+0020 on real cards; NULs are stripped too, as some readers zero-fill.
    return _raw(text, offset, length).strip(" \x00")


def _put(buf: bytearray, offset: int, length: int, value: str, name: str) -> None:
    encoded = value.encode("utf-16-le")
    if len(encoded) > length:
        raise ValueError(f"{name} {value!r} does not fit in {length // 2} characters")
    buf[offset : offset + len(encoded)] = encoded


def _date(text: str) -> date | None:
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _valid_to(text: str) -> tuple[date | None, bool]:
    if text == LONG_TERM:
        return None, True
    return _date(text), False


def _yyyymmdd(d: date | None) -> str:
    return d.strftime("%Y%m%d") if d else ""


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _from_iso(value: Any, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name} must be YYYY-MM-DD, not {value!r}") from None


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _count(n: int | None) -> str:
    return "" if n is None else f"{n:02d}"
