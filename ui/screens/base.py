"""What every screen shares: a title, a way to navigate, and a duty to forget.

Screens get the services they need and a :class:`Navigator`; they never reach for globals.
``clear_personal`` must remove everything about the last resident from the widgets, because
the next person at the kiosk must not see it.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.i18n import tr
from ui.theme.tokens import Tokens


class Navigator(Protocol):
    def show_screen(self, name: str, **kwargs: Any) -> None: ...
    def back(self) -> None: ...
    def home(self) -> None: ...
    def end_session(self) -> None: ...
    def message(self, title: str, text: str) -> None: ...


class Screen(QWidget):
    """Base class. Subclasses set ``name`` and ``title`` and build into ``self.content``.

    ``title`` is the Chinese text (mark it with ``N_``); the screen shows ``tr(title)``, so it
    comes out in the language the screen is built in. Use :meth:`show_title` to go back to it.
    """

    name = "screen"
    title = ""
    #: shown in the nav bar (返回/首页); the home screen hides them
    navigable = True
    #: screens that need an identified resident send others to the card prompt
    needs_identity = False

    def __init__(self, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.nav = nav
        self.setObjectName(f"Screen_{self.name}")
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(48, 32, 48, 32)
        self.outer.setSpacing(24)
        if self.title:
            self.title_label = QLabel(tr(self.title))
            self.title_label.setObjectName("ScreenTitle")
            self.title_label.setWordWrap(True)
            self.outer.addWidget(self.title_label)
        self.content = QVBoxLayout()
        self.content.setSpacing(24)
        self.outer.addLayout(self.content, 1)

    def content_width(self) -> int:
        """The width the screen's content is laid out in (inside its margins)."""
        margins = self.outer.contentsMargins()
        return self.width() - margins.left() - margins.right()

    def show_title(self) -> None:
        """Put the screen's own title back (after showing e.g. a policy's name there)."""
        self.title_label.setText(tr(self.title))

    def on_enter(self, **kwargs: Any) -> None:
        """Called each time the screen is shown, with the arguments of show_screen()."""

    def clear_personal(self) -> None:
        """Forget the resident: called on 退出 and idle timeout for every screen."""

    def retire(self) -> None:
        """The screen is being replaced (the resident switched language): let go of
        long-lived objects it subscribed to, so they stop calling it."""

    def speech_text(self) -> str:
        """What 朗读 reads aloud for this screen: the title and the visible texts in reading
        order, without the words on buttons (screens with better words override this)."""
        from ui.speech import speech_texts, spoken

        return spoken(speech_texts(self))


def sentences(*parts: str) -> str:
    """Sentences one after another: Chinese ones run on after their 。, others (English)
    get a space between them. Empty parts are left out."""
    out = ""
    for part in parts:
        if not part:
            continue
        if out and not out.endswith(("。", "！", "？", "；", "：", "\n", " ")):
            out += " "
        out += part
    return out


def label(text: str, object_name: str = "Body", *, wrap: bool = True,
          align: Qt.AlignmentFlag | None = None) -> QLabel:
    """A label with the theme's role, wrapping by default (Chinese wraps anywhere)."""
    widget = QLabel(text)
    widget.setObjectName(object_name)
    widget.setWordWrap(wrap)
    if align is not None:
        widget.setAlignment(align)
    return widget


def set_role(widget: QLabel, role: str) -> None:
    """Give a label another theme role (Body, ErrorText, …). The style sheet selects on the
    object name, so the label must be re-polished to take the new colours."""
    if widget.objectName() != role:
        widget.setObjectName(role)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def is_wide(widget: QWidget) -> bool:
    """Landscape, by the widget's own shape (a screen that turns re-lays itself by this)."""
    return widget.width() > widget.height() * 1.2


def large_text(widget: QWidget) -> bool:
    """长辈模式 is on: the theme's body text is larger than the normal tokens say."""
    probe = widget.findChild(QLabel, "Body") or widget
    probe.ensurePolished()
    return probe.font().pixelSize() > Tokens().body_px
