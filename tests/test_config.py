"""Config: defaults, validation messages that name the key, TOML round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import ConfigError, KioskConfig, load_config, parse_config, to_toml


def test_empty_file_is_all_defaults() -> None:
    config = parse_config("")
    assert config == KioskConfig()
    assert config.session.idle_timeout_s == 60
    assert config.display.size == (1080, 1920)


def test_values_are_read_and_coerced() -> None:
    config = parse_config('[printer]\nwidth = 58\n[reader]\npoll_interval_s = 1\n'
                          '[display]\norientation = "landscape"\n')
    assert config.printer.width == "58"
    assert config.reader.poll_interval_s == 1.0
    assert config.display.size == (1920, 1080)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[session]\nidle_timeout_s = "soon"\n', "session.idle_timeout_s: expected a whole number"),
        ("[session]\nidle_timeout_s = 5\n", "session.idle_timeout_s: must be between 15 and 900"),
        ('[printer]\nwidth = "72"\n', "printer.width: must be one of 80, 58, a4"),
        ('[sesion]\nidle_timeout_s = 60\n', "sesion: unknown key"),
        ('[reader]\nspeed = 9600\n', "reader.speed: unknown key"),
        ("[display]\nfullscreen = 1\n", "display.fullscreen: expected true or false"),
        ('station = "x"\n', "station: expected a [station] table"),
        ("[reader\nkind=1", "not valid TOML"),
    ],
)
def test_bad_values_name_the_key(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text, source="kiosk.toml")
    assert message in str(info.value)
    assert str(info.value).startswith("kiosk.toml: ")


def test_round_trip(tmp_path: Path) -> None:
    config = parse_config('[station]\nname = "测试站"\n[sync]\nserver_url = "https://x"\n')
    path = tmp_path / "k.toml"
    path.write_text(to_toml(config), encoding="utf-8")
    assert load_config(path) == config


def test_missing_default_file_gives_defaults_and_demo_flag(tmp_path: Path) -> None:
    config = load_config(tmp_path / "absent.toml", demo=True)
    assert config.demo is True
