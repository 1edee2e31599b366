"""The four text-block layouts, code tables, check digits, masking and the demo cards."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.idcard import gb11643, masking
from drivers.idcard.layouts import (
    FOREIGN_PR,
    HK_MACAU_TAIWAN,
    JSON_KEYS,
    RESIDENT,
    IdCard,
    encode_text_block,
    parse_text_block,
)
from drivers.idcard.simulator import load_cards_json
from drivers.idcard.tables import NATIONS
from kiosk import identity

DEMO = Path(__file__).resolve().parent.parent / "resources" / "demo" / "cards.json"
DEMO_DAY = date(2026, 11, 26)  # the ages in the demo file are stated for this day


def _ucs2(text: str) -> bytes:
    return text.encode("utf-16-le")


def _field(block: bytes, offset: int, length: int) -> str:
    return block[offset : offset + length].decode("utf-16-le").strip()


@pytest.fixture(scope="module")
def demo_cards() -> list[IdCard]:
    return load_cards_json(DEMO)


def _by_layout(cards: list[IdCard], layout: str) -> IdCard:
    return next(c for c in cards if c.layout == layout)


# -- round trips ------------------------------------------------------------------------

@pytest.mark.parametrize("layout", [" ", "J", "I", "Y"])
def test_each_layout_round_trips(demo_cards: list[IdCard], layout: str) -> None:
    card = _by_layout(demo_cards, layout)
    block = encode_text_block(card)
    assert len(block) == 256
    assert block[248:250] == _ucs2(layout)
    again = parse_text_block(block, card.photo, card.extra_address)
    assert again == card
    assert again.id_check_ok


def test_resident_offsets(demo_cards: list[IdCard]) -> None:
    card = demo_cards[0]
    block = encode_text_block(card)
    assert _field(block, 0, 30) == card.name
    assert _field(block, 30, 2) == "1"
    assert _field(block, 32, 4) == "01"
    assert _field(block, 36, 16) == "19740315"
    assert _field(block, 122, 36) == card.id_number
    assert block[204:208] == bytes.fromhex("7F951F67")  # 长期
    assert block[208:220] == _ucs2(" " * 6)


def test_hk_macau_taiwan_permit_offsets(demo_cards: list[IdCard]) -> None:
    card = _by_layout(demo_cards, "J")
    block = encode_text_block(card)
    assert card.card_type == HK_MACAU_TAIWAN
    assert _field(block, 32, 4) == ""  # no nation on a permit
    assert _field(block, 220, 18) == "H60123456"
    assert _field(block, 238, 4) == "01"
    parsed = parse_text_block(block)
    assert (parsed.permit_number, parsed.issue_count, parsed.nation) == ("H60123456", 1, "")


def test_foreigner_2017_offsets(demo_cards: list[IdCard]) -> None:
    card = _by_layout(demo_cards, "I")
    block = encode_text_block(card)
    assert card.card_type == FOREIGN_PR
    assert _field(block, 0, 120) == "MUELLER, ANNA KATHARINA"
    assert _field(block, 120, 2) == "2"
    assert _field(block, 122, 30) == "DEU128506150125"
    assert _field(block, 152, 6) == "DEU"
    assert _field(block, 158, 30) == "安娜"
    assert _field(block, 220, 16) == "19850615"


def test_foreigner_2023_english_name_spans_two_fields(demo_cards: list[IdCard]) -> None:
    card = _by_layout(demo_cards, "Y")
    assert len(card.english_name) > 35
    block = encode_text_block(card)
    assert block[52:122].decode("utf-16-le") == card.english_name[:35]
    assert _field(block, 220, 22) == card.english_name[35:].strip()
    assert _field(block, 242, 6) == "FRA"
    assert _field(block, 32, 4) == "00"  # 换证次数
    assert card.id_number.startswith("9")


def test_english_name_with_a_space_at_the_split_survives() -> None:
    name = "A" * 34 + " " + "B" * 5  # character 35 is a space
    card = IdCard(card_type=FOREIGN_PR, name="测试", gender="男", english_name=name,
                  id_number="912250198803030017", nationality="FRA")
    assert parse_text_block(encode_text_block(card)).english_name == name


_text = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), max_size=15)
_dates = st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2099, 12, 31)))


@settings(max_examples=150, deadline=None)
@given(name=_text, gender=st.sampled_from(["男", "女", "未知", "未说明"]),
       nation=st.sampled_from(sorted(NATIONS.values())), born=_dates, valid_from=_dates,
       valid_to=_dates, long_term=st.booleans(), address=_text, issuer=_text)
def test_resident_round_trip_property(name: str, gender: str, nation: str, born: date | None,
                                      valid_from: date | None, valid_to: date | None,
                                      long_term: bool, address: str, issuer: str) -> None:
    card = IdCard(card_type=RESIDENT, name=name, gender=gender, nation=nation, birth_date=born,
                  address=address, id_number="120111197403150032", issuer=issuer,
                  valid_from=valid_from, valid_to=None if long_term else valid_to,
                  valid_to_long_term=long_term, id_check_ok=True)
    assert parse_text_block(encode_text_block(card)) == card


def test_a_field_too_long_is_refused_by_name() -> None:
    card = IdCard(card_type=RESIDENT, name="很" * 16, gender="男", id_number="1")
    with pytest.raises(ValueError, match="name"):
        encode_text_block(card)


# -- codes, dates and odd blocks ------------------------------------------------------

def _block_with(gender: str = "1", nation: str = "01", valid_to: str = "长期",
                born: str = "19900101") -> bytes:
    block = bytearray(_ucs2(" " * 128))
    for offset, value in ((0, "测试"), (30, gender), (32, nation), (36, born),
                          (122, "11010519491231002X"), (188, "20100101"), (204, valid_to)):
        raw = _ucs2(value)
        block[offset : offset + len(raw)] = raw
    return bytes(block)


@pytest.mark.parametrize(("code", "gender"),
                         [("0", "未知"), ("1", "男"), ("2", "女"), ("9", "未说明"), ("5", "未知")])
def test_gender_codes(code: str, gender: str) -> None:
    assert parse_text_block(_block_with(gender=code)).gender == gender


def test_unknown_nation_code_does_not_crash_and_round_trips() -> None:
    card = parse_text_block(_block_with(nation="99"))
    assert card.nation == "未知(99)"
    assert _field(encode_text_block(card), 32, 4) == "99"
    assert parse_text_block(_block_with(nation="46")).nation == "德昂"  # not HEV's 德昴


def test_long_term_and_dated_validity() -> None:
    long_term = parse_text_block(_block_with(valid_to="长期"))
    assert (long_term.valid_to, long_term.valid_to_long_term) == (None, True)
    assert not long_term.is_expired(date(2199, 1, 1))
    assert long_term.to_json()["valid_to"] == "长期"

    dated = parse_text_block(_block_with(valid_to="20200101"))
    assert dated.valid_to == date(2020, 1, 1)
    assert not dated.valid_to_long_term
    assert not dated.is_expired(date(2020, 1, 1))  # the last day is still valid
    assert dated.is_expired(date(2020, 1, 2))


def test_bad_dates_and_blank_or_zeroed_blocks_do_not_crash() -> None:
    odd = parse_text_block(_block_with(born="19901340", valid_to="2020xx01"))
    assert (odd.birth_date, odd.valid_to, odd.valid_to_long_term) == (None, None, False)
    for filler in (bytes(256), _ucs2(" " * 128)):
        blank = parse_text_block(filler)
        assert (blank.card_type, blank.name, blank.id_number) == (RESIDENT, "", "")
        assert not blank.id_check_ok
    with pytest.raises(ValueError, match="256"):
        parse_text_block(bytes(100))


# -- check digits -------------------------------------------------------------------------

@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014",
                                    "932682198501010017", "911124198108030024",
                                    "11010519491231002x"])
def test_valid_check_characters(number: str) -> None:
    assert gb11643.is_valid(number)


def test_invalid_check_character() -> None:
    assert not gb11643.is_valid("110101199001011234")
    assert gb11643.check_character("11010119900101123") == "7"
    assert not parse_text_block(
        _block_with().replace(_ucs2("11010519491231002X"), _ucs2("110101199001011234"))
    ).id_check_ok


# -- what is shown ----------------------------------------------------------------------

def test_json_has_exactly_the_cli_keys_and_masks_by_default(demo_cards: list[IdCard]) -> None:
    card = demo_cards[0]
    shown = card.to_json()
    assert tuple(shown) == JSON_KEYS
    assert shown["name"] == "王*国"
    assert shown["id_number"] == "120111********0032"
    assert card.id_number not in json.dumps(shown, ensure_ascii=False)
    revealed = card.to_json(reveal=True)
    assert (revealed["name"], revealed["id_number"]) == ("王建国", "120111197403150032")
    assert revealed["birth_date"] == "1974-03-15"
    assert IdCard.from_json(revealed) == replace(card, photo=b"")


def test_permit_and_foreign_names_are_masked_too(demo_cards: list[IdCard]) -> None:
    permit = _by_layout(demo_cards, "J").to_json()
    assert "H60123456" not in permit.values()
    foreign = _by_layout(demo_cards, "Y")
    shown = foreign.to_json()
    assert shown["english_name"].startswith("M") and "LUCAS" not in shown["english_name"]


def test_repr_never_shows_a_full_number(demo_cards: list[IdCard]) -> None:
    for card in demo_cards:
        text = f"{card!r} {card}"
        assert card.id_number not in text
        assert masking.mask_id(card.id_number) in text


@pytest.mark.parametrize("value", ["", "王", "王五", "欧阳娜娜", "MARTIN, LUCAS",
                                   "120111197403150032", "DEU128506150125", "H60123456"])
def test_driver_masking_agrees_with_the_kiosk_core(value: str) -> None:
    assert masking.mask_id(value) == identity.mask_id(value)
    assert masking.mask_name(value) == identity.mask_name(value)


def test_from_json_names_the_bad_field() -> None:
    with pytest.raises(ValueError, match="birth_date"):
        IdCard.from_json({"name": "测试", "birth_date": "1990-13-01"})
    with pytest.raises(ValueError, match="card_type"):
        IdCard.from_json({"card_type": "passport"})
    with pytest.raises(ValueError, match="unknown card fields: nickname"):
        IdCard.from_json({"nickname": "x"})


# -- the demo deck --------------------------------------------------------------------

def test_demo_cards_cover_what_the_kiosk_demo_needs(demo_cards: list[IdCard]) -> None:
    residents = [c for c in demo_cards if c.card_type == RESIDENT]
    ages = {(identity.age_on(c.birth_date, DEMO_DAY), c.gender)
            for c in residents if c.birth_date}
    assert (52, "男") in ages
    assert (45, "女") in ages
    assert any(age == 23 for age, _ in ages)
    assert sum(c.id_number.startswith("120111") for c in residents) >= 2
    assert any(c.is_expired(DEMO_DAY) for c in residents)
    assert {c.layout for c in demo_cards} == {" ", "J", "I", "Y"}
    assert all(c.id_check_ok for c in demo_cards)
    assert all(len(c.photo) == 1024 for c in demo_cards)
    for c in residents:  # the sequence number's parity is the gender
        assert int(c.id_number[16]) % 2 == (1 if c.gender == "男" else 0)


def test_bad_card_files_are_refused_with_the_reason(tmp_path: Path) -> None:
    bad = tmp_path / "cards.json"
    bad.write_text('{"cards": [{"name": "测试", "gender": "M"}]}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"card 0: gender"):
        load_cards_json(bad)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"cards\.json"):
        load_cards_json(bad)
    with pytest.raises(ValueError, match=r"missing\.json"):
        load_cards_json(tmp_path / "missing.json")
