"""Chinese text input without a system input method: a pinyin candidate engine (Qt-free).

The on-screen keyboard (ui/widgets/pinyin_keyboard.py) asks :class:`PinyinEngine` for the
words matching the letters typed so far; see docs/input-method.md for why the kiosk has its
own keyboard instead of Qt Virtual Keyboard.
"""

from kiosk.input.pinyin import Candidate, PinyinEngine, RecentWords, build_engine, domain_words

__all__ = ["Candidate", "PinyinEngine", "RecentWords", "build_engine", "domain_words"]
