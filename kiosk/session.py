"""The resident session: who is at the kiosk now and what they did, wiped when they leave.

Qt-free on purpose: the UI listens for changes (``subscribe``) and clears every widget that
showed personal data when :meth:`ResidentSession.end` runs, on 退出 or idle timeout.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kiosk.identity import age_on, mask_id, mask_name


class SessionState(enum.Enum):
    IDLE = "idle"  # nobody identified; browsing anonymously is allowed
    IDENTIFIED = "identified"


@dataclass(frozen=True)
class Resident:
    """The identified person, built from their card (and never logged or shown in full)."""

    id_number: str
    name: str
    card_type: str  # resident | hk_macau_taiwan_permit | foreign_permanent_resident
    gender: str | None  # "male" | "female" | None (unknown / not stated)
    birth_date: date | None
    card_address: str = ""
    valid_to: date | None = None  # None = 长期
    key: str = ""  # resident_key(): pseudonym used to find their records again

    @property
    def name_masked(self) -> str:
        return mask_name(self.name)

    @property
    def id_masked(self) -> str:
        return mask_id(self.id_number)

    def age(self, on: date) -> int | None:
        return age_on(self.birth_date, on) if self.birth_date else None

    def card_facts(self) -> dict[str, Any]:
        """Facts in the vocabulary of contracts/resident-facts.md, source ``card``."""
        facts: dict[str, Any] = {
            "id_number": self.id_number,
            "name": self.name,
            "card_type": self.card_type,
            "card_address": self.card_address,
        }
        if self.gender:
            facts["gender"] = self.gender
        if self.birth_date:
            facts["birth_date"] = self.birth_date.isoformat()
        return facts

    def __repr__(self) -> str:  # never let a full ID number reach a log through repr()
        return f"Resident({self.name_masked}, {self.id_masked}, {self.card_type})"


@dataclass
class ResidentSession:
    """One visit. ``facts`` hold central and declared facts for this visit only."""

    state: SessionState = SessionState.IDLE
    resident: Resident | None = None
    started_at: datetime | None = None
    facts: dict[str, Any] = field(default_factory=dict)  # fact -> value (central/declared)
    fact_sources: dict[str, str] = field(default_factory=dict)  # fact -> source
    actions: list[str] = field(default_factory=list)  # what they did, for the summary
    _listeners: list[Callable[[ResidentSession], None]] = field(default_factory=list,
                                                                 repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def subscribe(self, listener: Callable[[ResidentSession], None]) -> Callable[[], None]:
        """Call ``listener`` on every change; returns the function that unsubscribes."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener(self)

    def identify(self, resident: Resident) -> None:
        with self._lock:
            self.state = SessionState.IDENTIFIED
            self.resident = resident
            self.started_at = datetime.now()
            self.facts.clear()
            self.fact_sources.clear()
            self.actions.clear()
        self._notify()

    def add_facts(self, facts: dict[str, Any], source: str) -> None:
        with self._lock:
            for key, value in facts.items():
                self.facts[key] = value
                self.fact_sources[key] = source
        self._notify()

    def all_facts(self) -> tuple[dict[str, Any], dict[str, str]]:
        """Card facts merged with central/declared ones, and where each came from."""
        with self._lock:
            facts: dict[str, Any] = {}
            sources: dict[str, str] = {}
            if self.resident:
                for key, value in self.resident.card_facts().items():
                    facts[key] = value
                    sources[key] = "card"
            for key, value in self.facts.items():
                if key not in facts:  # the card outranks what anyone else says
                    facts[key] = value
                    sources[key] = self.fact_sources.get(key, "declared")
            return facts, sources

    def record(self, action: str) -> None:
        with self._lock:
            self.actions.append(action)

    @property
    def identified(self) -> bool:
        return self.state is SessionState.IDENTIFIED

    def end(self) -> None:
        """Forget everything about the visitor."""
        with self._lock:
            self.state = SessionState.IDLE
            self.resident = None
            self.started_at = None
            self.facts.clear()
            self.fact_sources.clear()
            self.actions.clear()
        self._notify()
