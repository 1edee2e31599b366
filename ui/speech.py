"""朗读: reading the screen aloud, and announcing a few key moments — only for those who ask.

:class:`Speaker` is what the window talks to. :class:`QtSpeaker` speaks through QtTextToSpeech
(PySide6-Addons) with a Mandarin voice when the machine has a real engine (speechd on Linux,
winrt/sapi on Windows); :class:`SilentSpeaker` stands in where there is none (no engine, the
engine failed, or the Addons wheel or libpulse is missing) so the kiosk never crashes over
voice and hides the 朗读 button instead.

:class:`VoiceGuide` decides *when* to talk (docs/voice.md): the kiosk is silent until a
resident taps 朗读. From then on, for the rest of that visit, it reads each new screen's title
and messages; when the visit ends it says "请将身份证放在读卡区" once and falls silent again.
A kiosk in a service hall that talks to everybody annoys staff and residents alike.

The voice follows the resident's language (kiosk.i18n): in English the speaker switches to an
English voice of the same engine when it has one (and back to Mandarin after), otherwise it
keeps the Mandarin voice rather than falling silent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from kiosk import i18n
from kiosk.i18n import N_, tr

log = logging.getLogger(__name__)

#: engines that make no sound: only tests ask for them by name
TEST_ENGINES = frozenset({"mock"})
#: where several real engines exist, the first of these that is present wins
PREFERRED_ENGINES = ("speechd", "winrt", "sapi", "flite", "android", "darwin", "macos")
CARD_PROMPT = N_("请将身份证放在读卡区")  # after a wipe: in Chinese, for the next person
#: English locales to try, best first (then any other en_*, then espeak's voices under "C")
ENGLISH_LOCALES = ("en_US", "en_GB")
SENTENCE_ENDS = "。！？；：….!?;:"


class Speaker(Protocol):
    available: bool
    engine_name: str

    def say(self, text: str) -> None: ...
    def stop(self) -> None: ...
    def speaking(self) -> bool: ...


class SilentSpeaker(QObject):
    """No engine here: every call is accepted and nothing happens."""

    finished = Signal()

    def __init__(self, reason: str = "no engine", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.available = False
        self.engine_name = ""
        self.reason = reason

    def say(self, text: str) -> None:
        pass

    def stop(self) -> None:
        pass

    def speaking(self) -> bool:
        return False


def pick_voice(voices: Sequence[tuple[str, str]]) -> int | None:
    """The index of the best Mandarin voice among ``(name, locale name)`` pairs, or None.

    A zh_CN voice first, then any Chinese locale, then espeak's "Chinese (Mandarin...)" voices
    that speechd lists under the C locale (shared/reference/kiosk-ui.md §3); Cantonese last.
    """
    def score(pair: tuple[str, str]) -> int:
        name, locale = pair[0].lower(), pair[1].lower()
        if "cantonese" in name or "yue" in name:
            return 1
        if locale.startswith("zh_cn") or locale == "zh":
            return 4
        if locale.startswith("zh"):
            return 3
        if "mandarin" in name or "chinese" in name or name.startswith("cmn"):
            return 2
        return 0

    best = max(range(len(voices)), key=lambda i: score(voices[i]), default=None)
    if best is None or score(voices[best]) == 0:
        return None
    return best


def pick_english_voice(voices: Sequence[tuple[str, str]]) -> int | None:
    """The index of the best English voice among ``(name, locale name)`` pairs, or None."""
    def score(pair: tuple[str, str]) -> int:
        name, locale = pair[0].lower(), pair[1].lower()
        if locale.startswith("en_us"):
            return 4
        if locale.startswith("en_gb"):
            return 3
        if locale.startswith("en"):
            return 2
        if "english" in name or name.startswith(("en-", "en_")):
            return 1
        return 0

    best = max(range(len(voices)), key=lambda i: score(voices[i]), default=None)
    if best is None or score(voices[best]) == 0:
        return None
    return best


class QtSpeaker(QObject):
    """QtTextToSpeech with a Mandarin voice; ``available`` is False when it cannot speak.

    Before each utterance it takes the voice for the resident's language (:meth:`use`)."""

    finished = Signal()

    def __init__(self, engine: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtCore import QLocale
        from PySide6.QtTextToSpeech import QTextToSpeech

        self._state_type = QTextToSpeech.State
        self.engine_name = engine
        self._tts = QTextToSpeech(engine, self)
        self.available = self._tts.state() != QTextToSpeech.State.Error
        self.voice_name = ""
        self.language = i18n.SOURCE
        # language -> (locale, voice or None); None: no voice of its own (use Mandarin's)
        self._voices: dict[str, tuple[Any, Any] | None] = {}
        if not self.available:
            log.info("speech engine %s unusable: %s", engine, self._tts.errorString())
            return
        voices = list(self._tts.availableVoices())
        if pick_voice([(v.name(), v.locale().name()) for v in voices]) is None:
            self._tts.setLocale(QLocale.c())  # espeak's Mandarin voices live under "C"
            voices = list(self._tts.availableVoices())
        index = pick_voice([(v.name(), v.locale().name()) for v in voices])
        self._voices[i18n.SOURCE] = (self._tts.locale(),
                                     voices[index] if index is not None else None)
        if index is not None:
            self._tts.setVoice(voices[index])
            self.voice_name = voices[index].name()
        elif engine not in TEST_ENGINES:
            log.warning("speech engine %s has no Mandarin voice: read-aloud disabled", engine)
            self.available = False
        self._tts.stateChanged.connect(self._on_state)

    @property
    def tts(self) -> Any:
        return self._tts

    def say(self, text: str) -> None:
        if self.available and text.strip():
            self.use(i18n.language())
            self._tts.say(text)

    def use(self, language: str) -> None:
        """Speak ``language`` from now on: its own voice if the engine has one (found once),
        else the Mandarin voice."""
        if language == self.language or not self.available:
            return
        if language not in self._voices:
            self._voices[language] = self._find_voice(language)
            if self._voices[language] is None:
                log.info("speech engine %s has no %s voice: using the Mandarin one",
                         self.engine_name, language)
        locale, voice = self._voices[language] or self._voices[i18n.SOURCE] or (None, None)
        if locale is not None:
            self._tts.setLocale(locale)
        if voice is not None:
            self._tts.setVoice(voice)
            self.voice_name = voice.name()
        self.language = language

    def _find_voice(self, language: str) -> tuple[Any, Any] | None:
        if language != "en":
            return None
        from PySide6.QtCore import QLocale

        def rank(locale: Any) -> int:
            name = locale.name()
            return ENGLISH_LOCALES.index(name) if name in ENGLISH_LOCALES else len(ENGLISH_LOCALES)

        locales = sorted((loc for loc in self._tts.availableLocales()
                          if loc.name().lower().startswith("en")), key=rank)
        for locale in [*locales, QLocale.c()]:  # espeak lists its voices under "C"
            self._tts.setLocale(locale)
            voices = list(self._tts.availableVoices())
            index = pick_english_voice([(v.name(), v.locale().name()) for v in voices])
            if index is not None:
                return locale, voices[index]
        return None

    def stop(self) -> None:
        if self.available:
            self._tts.stop()

    def speaking(self) -> bool:
        return bool(self._tts.state() == self._state_type.Speaking)

    def _on_state(self, state: Any) -> None:
        if state == self._state_type.Ready:
            self.finished.emit()


def available_engines() -> list[str]:
    """The QtTextToSpeech engines installed ([] without PySide6-Addons or its libraries)."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as exc:  # no Addons wheel, or libpulse0 missing on Linux
        log.info("no text-to-speech module: %s", exc)
        return []
    return list(QTextToSpeech.availableEngines())


def make_speaker(engine: str | None = None, *,
                 engines: Callable[[], list[str]] = available_engines,
                 parent: QObject | None = None) -> QtSpeaker | SilentSpeaker:
    """The best speaker this machine has: ``engine`` when named (tests name "mock"), else the
    first real engine of :data:`PREFERRED_ENGINES`; a :class:`SilentSpeaker` otherwise."""
    installed = engines()
    if engine is None:
        real = [e for e in installed if e not in TEST_ENGINES]
        engine = next((e for e in PREFERRED_ENGINES if e in real), real[0] if real else None)
    if engine is None or engine not in installed:
        return SilentSpeaker(f"engine {engine or 'none'} not installed", parent)
    try:
        speaker = QtSpeaker(engine, parent)
    except Exception as exc:  # a broken plug-in must not stop the kiosk
        log.warning("speech engine %s failed: %s", engine, exc)
        return SilentSpeaker(str(exc), parent)
    if not speaker.available:
        return SilentSpeaker(f"engine {engine} not ready", parent)
    return speaker


class VoiceGuide(QObject):
    """When the kiosk speaks (see the module doc). ``window`` is the KioskWindow: its nav
    bar's 朗读 button, ``current`` screen, ``stack``, ``message_box`` and ``session_wiped``."""

    def __init__(self, window: Any, speaker: QtSpeaker | SilentSpeaker) -> None:
        super().__init__(window)
        self.window = window
        self.speaker = speaker
        self.active = False  # 朗读 was used during this visit
        button = window.nav.speak
        window.speech_available = speaker.available
        button.setVisible(speaker.available and not window.in_admin)
        button.clicked.connect(self.read_screen)
        window.stack.currentChanged.connect(self._on_screen_changed)
        window.session_wiped.connect(self._on_wiped)
        window.message_box.installEventFilter(self)

    def read_screen(self) -> None:
        """朗读: read the current screen; a second tap while it talks stops it."""
        if not self.speaker.available:
            return
        if self.speaker.speaking():
            self.speaker.stop()
            return
        self.active = True
        message_box = self.window.message_box
        if message_box.isVisible():
            self.speaker.say(spoken([message_box.title.text(), message_box.text.text()]))
        else:
            self.speaker.say(self.window.current.speech_text())

    def _on_screen_changed(self, _index: int) -> None:
        if self.active:  # after on_enter has filled the screen in
            QTimer.singleShot(0, self._announce_screen)

    def _announce_screen(self) -> None:
        if self.active:
            self.speaker.stop()
            self.speaker.say(self.window.current.speech_text())

    def _on_wiped(self) -> None:
        if not self.active:
            return
        self.active = False
        # Decided after the wipe has run its course: a new card (someone is identified at
        # once) or staff entering admin mode are not "the kiosk is waiting for a card".
        QTimer.singleShot(0, self._announce_card_prompt)

    def _announce_card_prompt(self) -> None:
        window = self.window
        if window.in_admin or window.services.session.identified:
            return
        self.speaker.stop()
        self.speaker.say(tr(CARD_PROMPT))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.active and watched is self.window.message_box and \
                event.type() == QEvent.Type.Show:
            box: Any = self.window.message_box
            self.speaker.stop()
            self.speaker.say(spoken([box.title.text(), box.text.text()]))
        return False


def spoken(texts: Iterable[str]) -> str:
    """One utterance from several texts, each ending as a sentence so the voice pauses: a
    Chinese text gets 。 and runs on, others get "." and a space."""
    from ui.screens.base import sentences

    parts: list[str] = []
    for text in texts:
        text = text.strip()
        if not text:
            continue
        if text[-1] not in SENTENCE_ENDS:
            text += "。" if "\u4e00" <= text[-1] <= "\u9fff" else "."
        parts.append(text)
    return sentences(*parts)


def speech_texts(screen: QWidget, limit: int = 12) -> list[str]:
    """The texts 朗读 reads on ``screen``: its visible labels top to bottom, left to right,
    without the labels inside buttons (tiles, chips: those are choices, not content)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QAbstractButton, QLabel

    found: list[tuple[int, int, str]] = []
    for widget in screen.findChildren(QLabel):
        text = widget.text().strip()
        if not text or (widget.pixmap() is not None and not widget.pixmap().isNull()):
            continue
        if not widget.isVisibleTo(screen) or widget.width() <= 0:
            continue
        parent = widget.parentWidget()
        inside_button = False
        while parent is not None and parent is not screen:
            if isinstance(parent, QAbstractButton):
                inside_button = True
                break
            parent = parent.parentWidget()
        if inside_button:
            continue
        where = widget.mapTo(screen, QPoint(0, 0))
        found.append((where.y(), where.x(), text))
    found.sort()
    texts: list[str] = []
    for _y, _x, text in found:
        if text not in texts:
            texts.append(text)
    return texts[:limit]
