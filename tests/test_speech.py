"""朗读: the mock QtTextToSpeech engine (Speaking → Ready offscreen) and a machine without one."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.launch import build_ui
from ui.speech import CARD_PROMPT, QtSpeaker, SilentSpeaker, make_speaker, pick_voice, speech_texts


def _has_tts() -> bool:
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech  # noqa: F401
    except ImportError:  # no PySide6-Addons, or libpulse0 missing (scripts/setup.sh)
        return False
    return True


needs_tts = pytest.mark.skipif(not _has_tts(), reason="QtTextToSpeech not importable")


class Spy:
    """Records what the speaker was asked to say (the mock engine makes no sound)."""

    def __init__(self, speaker: Any) -> None:
        self.said: list[str] = []
        original = speaker.say

        def say(text: str) -> None:
            self.said.append(text)
            original(text)

        speaker.say = say


def test_pick_voice_prefers_mandarin() -> None:
    voices = [("Bob", "en_GB"), ("Chinese (Cantonese)", "C"),
              ("Chinese (Mandarin, latin as Pinyin)", "C")]
    assert pick_voice(voices) == 2
    assert pick_voice([("Anne", "en_GB"), ("Xiaoxiao", "zh_CN")]) == 1
    assert pick_voice([("Anne", "en_GB")]) is None


def test_no_engine_is_silent_and_harmless(qtbot: QtBot, make_services: Any) -> None:
    speaker = make_speaker(engines=lambda: [])
    assert isinstance(speaker, SilentSpeaker) and not speaker.available
    speaker.say("你好")
    speaker.stop()
    assert not speaker.speaking()
    assert isinstance(make_speaker("nonexistent"), SilentSpeaker)
    ui = build_ui(make_services(), speech_engine="nonexistent")
    try:
        ui.window.show()
        assert not ui.window.nav.speak.isVisible()
        ui.extras["voice"].read_screen()  # nothing happens, nothing breaks
        ui.window.end_session()
    finally:
        ui.close()
        ui.window.deleteLater()


@needs_tts
def test_mock_engine_speaks_and_becomes_ready(qtbot: QtBot) -> None:
    speaker = make_speaker("mock")
    assert isinstance(speaker, QtSpeaker)
    assert speaker.available and speaker.engine_name == "mock"
    states: list[Any] = []
    speaker.tts.stateChanged.connect(states.append)
    with qtbot.waitSignal(speaker.finished, timeout=10_000):
        speaker.say("请将身份证放在读卡区")
    names = [getattr(s, "name", str(s)) for s in states]
    assert names[:1] == ["Speaking"] and names[-1] == "Ready"


@needs_tts
def test_read_screen_then_announce_only_after_it_was_used(qtbot: QtBot,
                                                          make_services: Any) -> None:
    ui = build_ui(make_services(), speech_engine="mock")
    try:
        ui.window.show()
        window = ui.window
        voice = ui.extras["voice"]
        spy = Spy(voice.speaker)
        assert window.nav.speak.isVisible()
        window.end_session()  # nobody used 朗读: the kiosk stays quiet
        for _ in range(3):  # run any deferred (wrong) announcement that was queued
            ui.app.processEvents()
        assert spy.said == []
        window.show_screen("guide")
        qtbot.mouseClick(window.nav.speak, Qt.MouseButton.LeftButton)
        assert spy.said and spy.said[0].startswith(window.current.title)
        window.end_session()
        qtbot.waitUntil(lambda: spy.said[-1] == CARD_PROMPT, timeout=2000)
        assert not voice.active
    finally:
        ui.close()
        ui.window.deleteLater()


def test_speech_text_reads_labels_in_order_without_buttons(kiosk_ui: Any) -> None:
    home = kiosk_ui.window.home_screen
    texts = speech_texts(home)
    assert texts[0] == "您好，欢迎使用乐业西青自助服务"
    assert "请将身份证放在读卡区" in texts
    assert "找工作" not in texts  # tile labels are choices, not content
