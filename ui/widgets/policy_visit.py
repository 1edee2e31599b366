"""What the policy screens share during one resident's visit, and the check they all run.

The results list, the 为什么 page, the questionnaire and the confirmation look at the same
decisions, so one :class:`PolicyVisit` holds the latest :class:`PolicyCheck` for them. It
holds personal data (decisions, answers skipped, application numbers), so the results
screen clears it on 退出 and idle timeout, and it drops itself when another resident's card
is read. The declared answers themselves live in the session (source ``declared``), which
forgets them on exit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kiosk.app import Services, today
from kiosk.eligibility import Decision, Question, evaluate, next_question
from kiosk.eligibility.apply import CLOSED_STATUSES, list_applications
from kiosk.session import Resident
from ui.ops import KioskOps, Op


@dataclass(frozen=True)
class PolicyCheck:
    """One evaluation of the current pack for one resident (built on the worker thread)."""

    resident: Resident
    on: date
    rule_pack: str
    decisions: tuple[Decision, ...]
    sources: dict[str, str]  # fact -> card / central / declared
    declared: dict[str, Any]  # the resident's own answers (what 一键申报 sends for checking)
    question: Question | None  # the most useful question now, None when none is left
    open_numbers: dict[str, str]  # policy id -> number of a still-open application

    def decision(self, policy_id: str) -> Decision | None:
        return next((d for d in self.decisions if d.policy == policy_id), None)


def run_check(services: Services, resident: Resident, facts: dict[str, Any],
              sources: dict[str, str], skip: frozenset[str], on: date) -> PolicyCheck:
    """Decide every policy, pick the next question and look up open applications (worker)."""
    pack = services.policies.current
    decisions = evaluate(pack, facts, sources, on)
    question = next_question(pack, facts, sources, on, skip=skip, decisions=decisions)
    open_numbers: dict[str, str] = {}
    for app in list_applications(services.db, resident.key):  # newest first
        if app.status not in CLOSED_STATUSES:
            open_numbers.setdefault(app.policy_id, app.number)
    declared = {k: v for k, v in facts.items() if sources.get(k) == "declared"}
    return PolicyCheck(resident, on, pack.version, tuple(decisions), dict(sources), declared,
                       question, open_numbers)


@dataclass
class PolicyVisit:
    """The shared, per-visit state of the policy screens (GUI thread only)."""

    check: PolicyCheck | None = None
    skip: set[str] = field(default_factory=set)  # facts answered "不清楚"
    asked: int = 0  # questions answered or skipped, for "第 N 题"
    resident: Resident | None = None

    def clear(self) -> None:
        self.check = None
        self.skip.clear()
        self.asked = 0
        self.resident = None

    def follow(self, resident: Resident) -> None:
        """Start afresh when a different resident is at the kiosk."""
        if self.resident is not resident:
            self.clear()
            self.resident = resident

    def decision(self, policy_id: str) -> Decision | None:
        return self.check.decision(policy_id) if self.check is not None else None

    def note_application(self, policy_id: str, number: str) -> None:
        """An application was stored (or found open): stop offering 一键申报 for it."""
        if self.check is not None:
            self.check.open_numbers[policy_id] = number

    def start(self, services: Services, ops: KioskOps) -> Op[PolicyCheck] | None:
        """Run :func:`run_check` for the resident at the kiosk now; None if nobody is.

        The caller chains callbacks and must pass results through :meth:`accept`.
        """
        resident = services.session.resident
        if resident is None:
            return None
        self.follow(resident)
        facts, sources = services.session.all_facts()
        skip = frozenset(self.skip)
        on = today()
        return ops.run(lambda: run_check(services, resident, facts, sources, skip, on))

    def recheck(self, services: Services, ops: KioskOps, generation: Callable[[], int],
                done: Callable[[PolicyCheck], None],
                failed: Callable[[BaseException], None]) -> bool:
        """:meth:`start`, then ``done`` (through :func:`guarded`: only if still wanted) or
        ``failed``; False (and nothing runs) when nobody is at the kiosk."""
        op = self.start(services, ops)
        if op is None:
            return False
        op.success(guarded(services, self, generation, done)).failure(failed)
        return True

    def accept(self, services: Services, check: PolicyCheck) -> bool:
        """Keep ``check`` if its resident is still the one at the kiosk (else drop it)."""
        if services.session.resident is not check.resident or self.resident is not check.resident:
            return False
        self.check = check
        return True


def guarded(services: Services, visit: PolicyVisit, generation: Callable[[], int],
            callback: Callable[[PolicyCheck], None]) -> Callable[[PolicyCheck], None]:
    """Wrap a screen's success callback: stale (a newer request, another resident) → drop."""
    wanted = generation()

    def deliver(check: PolicyCheck) -> None:
        if generation() == wanted and visit.accept(services, check):
            callback(check)

    return deliver
