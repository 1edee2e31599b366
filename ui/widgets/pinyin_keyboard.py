"""A large on-screen pinyin keyboard: letters, a candidate bar, 删除/清空/确定 and digits.

Why its own widget and not Qt Virtual Keyboard: docs/input-method.md (licence, size, and its
learning dictionary that would remember one resident's words for the next).

Layout. Touch targets must be ≥ 96 px wide with ≥ 16 px gaps, so a QWERTY row of ten keys
needs 1104 px: more than the portrait panel's 1080. In landscape the rows are the usual
10/9/7. In portrait each QWERTY row is cut in its left and right halves, stacked (qwert /
yuiop, asdfg / hjkl, zxcvb / nm): every key stays on its side of the keyboard, so a hand
that knows QWERTY still finds it, and the keys grow to about 160 px — easier for older
fingers, and the portrait panel has the height to spare.

The keyboard holds what was typed: ``text`` (committed) and ``letters`` (pinyin being
composed). Tapping a candidate replaces the letters it spells with the word; 确定 commits any
letters left as they are (so "Java" can be typed) and emits :attr:`accepted`.

The keyboard lives as long as the window (it is not rebuilt when the resident switches
language), so its words are set again by :meth:`PinyinKeyboard.retranslate` each time the
panel opens. The candidates are Chinese whatever the language: they are what is typed.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.i18n import N_, tr
from kiosk.input.pinyin import Candidate, PinyinEngine, RecentWords
from ui.screens.base import label
from ui.widgets.buttons import KioskButton
from ui.widgets.flow import FlowLayout

#: candidates shown at once (with 更多 that makes six choices: the UI's maximum per step)
PAGE_SIZE = 5
MAX_LENGTH = 30
MAX_LETTERS = 24
LANDSCAPE_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
PORTRAIT_ROWS = ("qwert", "yuiop", "asdfg", "hjkl", "zxcvb", "nm")
DIGITS = "1234567890"
HINT_EMPTY = N_("点字母键输入拼音，再点上面的字词。例如“保洁”可以输入 bj")  # shown via tr()
HINT_LOADING = N_("正在准备字词，请稍候……")
HINT_NONE = N_("没有找到这个拼音的字词，请删除重新输入")


class PinyinKeyboard(QWidget):
    """The keys and the candidate bar (the field showing the text belongs to the owner)."""

    changed = Signal()
    accepted = Signal(str)

    def __init__(self, recent: RecentWords, *, landscape: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recent = recent
        self.landscape = landscape
        self.engine: PinyinEngine | None = None
        self.text = ""
        self.letters = ""
        self.digits_mode = False
        self._candidates: list[Candidate] = []
        self._page = 0

        # Twelve keys in a landscape row with the theme's padding and min-width would need
        # 2000 px: keys pad less and may be as narrow as the target minimum (80 + 16 + 6 px).
        self.setStyleSheet('QPushButton { padding: 0 8px; } '
                           'QPushButton[role="key"] { min-width: 80px; } '
                           'QPushButton[role="chip"] { min-width: 120px; }')
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        self.hint = label(tr(HINT_EMPTY), "Hint")
        self.candidate_area = QWidget()
        self.candidate_flow = FlowLayout(self.candidate_area, spacing=16)
        self.candidate_buttons: list[KioskButton] = []
        for i in range(PAGE_SIZE):
            button = KioskButton("", role="chip")
            button.setObjectName("Candidate")
            button.clicked.connect(lambda _=False, i=i: self._pick(i))
            self.candidate_flow.addWidget(button)
            self.candidate_buttons.append(button)
        self.more = KioskButton(tr("更多"), role="nav")
        self.more.clicked.connect(self._next_page)
        self.candidate_flow.addWidget(self.more)
        layout.addWidget(self.hint)
        layout.addWidget(self.candidate_area)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(16)
        self.keys: dict[str, KioskButton] = {}
        self.digit_keys: dict[str, KioskButton] = {}
        rows = LANDSCAPE_ROWS if landscape else PORTRAIT_ROWS
        for r, row in enumerate(rows):
            for c, letter in enumerate(row):
                self.keys[letter] = self._key(letter.upper(), lambda _=False, k=letter:
                                              self._pressed(k))
                grid.addWidget(self.keys[letter], r, c)
        # Digits mode relabels the first ten keys (hidden extra keys sharing grid cells make
        # QGridLayout drop the row spacing): key letter → the digit it shows then.
        order = "".join(rows)
        self._digit_of = dict(zip(order[:10], DIGITS, strict=True))
        self.digit_keys = {d: self.keys[k] for k, d in self._digit_of.items()}
        self.backspace = KioskButton(tr("删除"))
        self.clear_key = KioskButton(tr("清空"))
        self.mode_key = KioskButton(tr("数字"))
        self.ok = KioskButton(tr("确定"), role="primary")
        if landscape:  # the controls at the right end of the rows, as on any keyboard
            grid.addWidget(self.backspace, 0, 10, 1, 2)
            grid.addWidget(self.clear_key, 1, 9, 1, 3)
            grid.addWidget(self.mode_key, 2, 7, 1, 2)
            grid.addWidget(self.ok, 2, 9, 1, 3)
        else:
            grid.addWidget(self.backspace, 5, 2, 1, 3)
            grid.addWidget(self.mode_key, 6, 0)
            grid.addWidget(self.clear_key, 6, 1, 1, 2)
            grid.addWidget(self.ok, 6, 3, 1, 2)
        for column in range(grid.columnCount()):
            grid.setColumnStretch(column, 1)
        for button in (self.backspace, self.clear_key, self.mode_key, self.ok):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.backspace.clicked.connect(self.delete)
        self.clear_key.clicked.connect(self.clear)
        self.mode_key.clicked.connect(self.toggle_digits)
        self.ok.clicked.connect(self.confirm)
        layout.addLayout(grid)
        self._refresh()

    def _key(self, text: str, slot: object) -> KioskButton:
        key = KioskButton(text, role="key")
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        key.clicked.connect(slot)
        return key

    def retranslate(self) -> None:
        """The words on the controls in the current language (the panel calls it on opening)."""
        self.more.setText(tr("更多"))
        self.backspace.setText(tr("删除"))
        self.clear_key.setText(tr("清空"))
        self.ok.setText(tr("确定"))
        self.mode_key.setText(tr("拼音") if self.digits_mode else tr("数字"))
        self._refresh()

    # -- state --------------------------------------------------------------------------
    def set_engine(self, engine: PinyinEngine | None) -> None:
        self.engine = engine
        self._update_candidates()

    def reset(self, text: str = "") -> None:
        """Start over with ``text`` (what the field held), in letter mode."""
        self.text = text[:MAX_LENGTH]
        self.letters = ""
        if self.digits_mode:
            self.toggle_digits()
        self._update_candidates()

    def display_text(self) -> str:
        """The text with the letters being composed after it (shown in the owner's field)."""
        return self.text + (f" {self.letters}" if self.letters else "")

    def candidates(self) -> list[str]:
        """The candidates on the bar now (tests read them)."""
        return [b.text() for b in self.candidate_buttons if not b.isHidden()]

    # -- keys ---------------------------------------------------------------------------
    def type_letter(self, letter: str) -> None:
        if len(self.letters) < MAX_LETTERS and len(self.text) < MAX_LENGTH:
            self.letters += letter
            self._update_candidates()

    def type_digit(self, digit: str) -> None:
        if len(self.text) < MAX_LENGTH:
            self.text += digit
            self._refresh()

    def delete(self) -> None:
        if self.letters:
            self.letters = self.letters[:-1]
        else:
            self.text = self.text[:-1]
        self._update_candidates()

    def clear(self) -> None:
        self.text = ""
        self.letters = ""
        self._update_candidates()

    def _pressed(self, letter: str) -> None:
        if self.digits_mode:
            self.type_digit(self._digit_of[letter])
        else:
            self.type_letter(letter)

    def toggle_digits(self) -> None:
        self.digits_mode = not self.digits_mode
        for letter, key in self.keys.items():
            digit = self._digit_of.get(letter)
            key.setVisible(not self.digits_mode or digit is not None)
            key.setText(digit if self.digits_mode and digit else letter.upper())
        self.mode_key.setText(tr("拼音") if self.digits_mode else tr("数字"))
        self._refresh()

    def confirm(self) -> None:
        """确定: letters nobody turned into characters stay as typed (an English word)."""
        self.text = (self.text + self.letters)[:MAX_LENGTH]
        self.letters = ""
        self._update_candidates()
        self.accepted.emit(self.text)

    # -- candidates ---------------------------------------------------------------------
    def _update_candidates(self) -> None:
        self._page = 0
        if self.letters and self.engine is not None:
            self._candidates = self.engine.candidates(self.letters,
                                                      recent=self.recent.counts())
        else:
            self._candidates = []
        self._refresh()

    def _pick(self, index: int) -> None:
        position = self._page * PAGE_SIZE + index
        if position >= len(self._candidates):
            return
        candidate = self._candidates[position]
        self.text = (self.text + candidate.text)[:MAX_LENGTH]
        self.letters = self.letters[candidate.consumed:]
        self.recent.add(candidate.text)
        self._update_candidates()

    def pick(self, word: str) -> None:
        """Tap the candidate showing ``word`` (tests); ValueError when it is not on the bar."""
        for button in self.candidate_buttons:
            if not button.isHidden() and button.text() == word:
                button._last_click = 0.0
                button.click()
                return
        raise ValueError(f"{word} is not on the candidate bar: {self.candidates()}")

    def _next_page(self) -> None:
        pages = max(1, -(-len(self._candidates) // PAGE_SIZE))
        self._page = (self._page + 1) % pages
        self._refresh()

    def _refresh(self) -> None:
        page = self._candidates[self._page * PAGE_SIZE:(self._page + 1) * PAGE_SIZE]
        for i, button in enumerate(self.candidate_buttons):
            if i < len(page):
                button.setText(page[i].text)
                button.show()
            else:
                button.setText("")
                button.hide()
        self.more.setVisible(len(self._candidates) > PAGE_SIZE)
        if self.digits_mode:
            hint = tr("请点数字键。点“拼音”回到字母键")
        elif not self.letters:
            hint = tr(HINT_EMPTY)
        elif self.engine is None:
            hint = tr(HINT_LOADING)
        elif not self._candidates:
            hint = tr(HINT_NONE)
        elif len(self._candidates) > PAGE_SIZE:
            hint = tr("拼音 {letters}：请点要的字词，没有就点“更多”").format(letters=self.letters)
        else:
            hint = tr("拼音 {letters}：请点要的字词").format(letters=self.letters)
        self.hint.setText(hint)
        # the bar keeps one row's height when empty, so the keys never jump under a finger
        self.candidate_area.setMinimumHeight(self.more.sizeHint().height())
        self.changed.emit()

