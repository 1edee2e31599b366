"""Waiting for the ID card in the middle of a flow, and coming back once it is read.

A flow that starts without a card (我要报名, 我要参加, 预约导师) asks for one as its first
step. The window greets a new card by showing the home screen, so the flow would be lost;
:class:`CardWait` notices the card and then brings the resident back to where they were,
so nobody has to find the job or the event again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from kiosk.session import ResidentSession


class CardWait(QObject):
    """Set :attr:`waiting` while the flow shows its card step. When a card is read then
    and ``owner`` is on screen, ``come_back`` runs — queued, after the window has finished
    greeting the card. :meth:`stop` when the owner is retired."""

    _arrived = Signal()

    def __init__(self, session: ResidentSession, owner: QWidget,
                 come_back: Callable[[], None]) -> None:
        super().__init__(owner)
        self._owner = owner
        self.waiting = False
        self._arrived.connect(come_back, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = session.subscribe(self._session_changed)

    def _session_changed(self, session: ResidentSession) -> None:
        """Called inside ResidentSession.identify(), before the window shows home: decide
        now, act after the window has finished (queued)."""
        if not (session.identified and self.waiting):
            return
        self.waiting = False
        if self._owner.isVisible():
            self._arrived.emit()

    def stop(self) -> None:
        self._unsubscribe()
