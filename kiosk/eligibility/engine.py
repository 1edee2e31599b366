"""Deciding: every policy of a pack for one resident on one date, with reasons.

Pure and Qt-free: ``evaluate(pack, facts, sources, on)`` reads nothing but its arguments, so
the same call gives the same decisions on the kiosk, in the CLI, in tests and on the server.
A policy is *eligible* when every condition holds, *ineligible* when one fails, and
*needs_info* otherwise, naming the facts it waits for. A decision that rests on something
the resident declared is ``likely``: staff check it before anything is paid. A rule whose
dated parameter has lapsed answers needs_info with ``refer_to_staff`` instead of guessing.
"""

from __future__ import annotations

import enum
import logging
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kiosk.eligibility.expr import UNKNOWN, Context, Result, kleene_results
from kiosk.eligibility.facts import normalize_facts
from kiosk.eligibility.pack import (
    DEFAULT_AMOUNT_TEXT,
    MODE_TEXT,
    AmountRule,
    Condition,
    Mode,
    Policy,
    RulePack,
)
from kiosk.eligibility.params import UNAVAILABLE
from kiosk.i18n import N_

__all__ = ["Decision", "Reason", "Status", "evaluate", "evaluate_policy", "make_context"]

log = logging.getLogger(__name__)

STAFF_TEXT = N_("该项政策标准待更新，请咨询工作人员")  # shown translated (ui policy_text)


class Status(enum.StrEnum):
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    NEEDS_INFO = "needs_info"


STATUS_TEXT = {Status.ELIGIBLE: "符合条件", Status.INELIGIBLE: "暂不符合",
               Status.NEEDS_INFO: "需要补充信息"}


@dataclass(frozen=True)
class Reason:
    """One condition's outcome: ``result`` True (met), False (not met) or None (unknown)."""

    condition: str
    result: bool | None
    facts: tuple[str, ...]
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"condition": self.condition, "result": self.result,
                "facts": list(self.facts), "text": self.text}


@dataclass(frozen=True)
class Decision:
    """The contract's decision object plus what a screen or receipt shows about the policy."""

    policy: str
    status: Status
    likely: bool
    amount: float | int | None
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...]
    rule_pack: str
    decided_on: date
    name: str = ""
    summary: str = ""
    mode: Mode = Mode.APPLY
    materials: tuple[str, ...] = ()
    where: Mapping[str, str] | None = None
    amount_text: str = DEFAULT_AMOUNT_TEXT
    deadline_text: str = ""
    refer_to_staff: bool = False

    @property
    def status_text(self) -> str:
        prefix = "可能" if self.likely and self.status is not Status.NEEDS_INFO else ""
        return prefix + STATUS_TEXT[self.status]

    @property
    def mode_text(self) -> str:
        return MODE_TEXT[self.mode]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (contract keys first, then display fields)."""
        return {
            "policy": self.policy,
            "status": str(self.status),
            "likely": self.likely,
            "amount": self.amount,
            "reasons": [r.to_json() for r in self.reasons],
            "missing": list(self.missing),
            "rule_pack": self.rule_pack,
            "decided_on": self.decided_on.isoformat(),
            "refer_to_staff": self.refer_to_staff,
            "name": self.name,
            "summary": self.summary,
            "mode": str(self.mode),
            "materials": list(self.materials),
            "where": dict(self.where or {}),
            "amount_text": self.amount_text,
            "deadline_text": self.deadline_text,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Decision:
        """Read back a snapshot (e.g. an application's stored decision) for a reprint."""
        return cls(
            policy=data["policy"],
            status=Status(data["status"]),
            likely=bool(data.get("likely", False)),
            amount=data.get("amount"),
            reasons=tuple(Reason(r["condition"], r["result"], tuple(r.get("facts", ())),
                                 r.get("text", "")) for r in data.get("reasons", ())),
            missing=tuple(data.get("missing", ())),
            rule_pack=data.get("rule_pack", ""),
            decided_on=date.fromisoformat(data["decided_on"]),
            name=data.get("name", ""),
            summary=data.get("summary", ""),
            mode=Mode(data.get("mode", "apply")),
            materials=tuple(data.get("materials", ())),
            where=dict(data.get("where") or {}),
            amount_text=data.get("amount_text", DEFAULT_AMOUNT_TEXT),
            deadline_text=data.get("deadline_text", ""),
            refer_to_staff=bool(data.get("refer_to_staff", False)),
        )


def _evaluate_condition(cond: Condition, ctx: Context, reasons: list[Reason],
                        trace: dict[str, bool | None] | None) -> Result:
    """Evaluate ``cond``; append its reason, and for groups the children that decided it.

    ``trace`` (scenario tests) receives every condition's result, explained or not.
    """
    if cond.expr is not None:
        result = cond.expr.fn(ctx)
        child_reasons: list[Reason] = []
    else:
        child_reasons = []
        results: list[Result] = []
        per_child: list[list[Reason]] = []
        for child in cond.children:
            sub: list[Reason] = []
            results.append(_evaluate_condition(child, ctx, sub, trace))
            per_child.append(sub)
        if cond.kind == "not":
            value, declared, missing = results[0]
            result = (value if value is UNKNOWN else not value, declared, missing)
        else:
            result = kleene_results(results, cond.kind == "all")
        # explain with the children that decided the outcome (all of them for "not")
        value = result[0]
        for (child_value, _d, _m), sub in zip(results, per_child, strict=True):
            if cond.kind == "not" or _decides(child_value, value, cond.kind):
                child_reasons.extend(sub)
    value = result[0]
    if trace is not None:
        trace[cond.id] = None if value is UNKNOWN else bool(value)
    if value is UNKNOWN:
        staff = any(m.startswith("parameter:") for m in result[2])
        text = f"{cond.text}（{STAFF_TEXT}）" if staff else cond.text_unknown
        reasons.append(Reason(cond.id, None, cond.facts, text))
    else:
        met = bool(value)
        reasons.append(Reason(cond.id, met, cond.facts, cond.text if met else cond.text_unmet))
    reasons.extend(child_reasons)
    return result


def _decides(child: Any, parent: Any, kind: str) -> bool:
    """Whether a child's value is part of the explanation of its group's value."""
    if parent is UNKNOWN:
        return child is UNKNOWN
    return bool(child) == bool(parent) if child is not UNKNOWN else False


def _amount(rule: AmountRule, policy: Policy, ctx: Context) -> tuple[Any, str]:
    """The figure (only from a parameter in force) and the text for the policy's amount."""
    for case in rule.cases:
        if case.when is not None:
            hit = case.when.fn(ctx)[0]
            if hit is UNKNOWN:
                return None, DEFAULT_AMOUNT_TEXT  # which case applies is not known yet
            if not hit:
                continue
        values: dict[str, Any] = {}
        for _lit, fname, _spec, _conv in string.Formatter().parse(case.text):
            if fname is not None:
                values[fname] = ctx.param(policy.parameters[fname])
        if any(v is UNAVAILABLE for v in values.values()):
            return None, DEFAULT_AMOUNT_TEXT
        amount = None
        if case.value is not None:
            amount = ctx.param(policy.parameters[case.value])
            if amount is UNAVAILABLE:
                return None, DEFAULT_AMOUNT_TEXT
            if isinstance(amount, float) and amount.is_integer():
                amount = int(amount)
        try:
            return amount, case.text.format(**values)
        except (ValueError, TypeError, KeyError, IndexError):  # checked at load; never crash
            log.warning("amount text of %s cannot be shown", policy.id)
            return amount, DEFAULT_AMOUNT_TEXT
    return None, DEFAULT_AMOUNT_TEXT


def evaluate_policy(policy: Policy, ctx: Context, rule_pack: str, *,
                    trace: dict[str, bool | None] | None = None) -> Decision:
    """One policy's decision in an already prepared context (see :func:`make_context`)."""
    reasons: list[Reason] = []
    top = [_evaluate_condition(cond, ctx, reasons, trace) for cond in policy.conditions]
    value, declared, missing = kleene_results(top, True)
    refer = False
    if value is UNKNOWN:
        status = Status.NEEDS_INFO
        refer = any(m.startswith("parameter:") for m in missing)
        missing_facts = tuple(sorted(m for m in missing if not m.startswith("parameter:")))
        likely = False
    else:
        status = Status.ELIGIBLE if value else Status.INELIGIBLE
        missing_facts = ()
        likely = declared
    amount, amount_text = (None, DEFAULT_AMOUNT_TEXT)
    if status is not Status.INELIGIBLE:
        amount, amount_text = _amount(policy.amount, policy, ctx)
    else:
        amount_text = _amount(policy.amount, policy, ctx)[1]
    return Decision(
        policy=policy.id, status=status, likely=likely, amount=amount,
        reasons=tuple(reasons), missing=missing_facts, rule_pack=rule_pack,
        decided_on=ctx.on, name=policy.name, summary=policy.summary, mode=policy.mode,
        materials=policy.materials, where=policy.where, amount_text=amount_text,
        deadline_text=policy.deadline_text, refer_to_staff=refer,
    )


def make_context(pack: RulePack, facts: Mapping[str, Any], sources: Mapping[str, str],
                 on: date) -> Context:
    """Normalise the facts once; ill-typed ones become unknown and are logged by name."""
    clean, problems = normalize_facts(facts)
    if problems:  # names and problems only: values may be personal data
        log.warning("facts ignored as unknown: %s",
                    "; ".join(p.split(":", 1)[0] for p in problems))
    declared = frozenset(k for k, s in sources.items() if s == "declared")
    return Context(clean, declared, on, pack.shared)


def evaluate(pack: RulePack, facts: Mapping[str, Any], sources: Mapping[str, str],
             on: date) -> list[Decision]:
    """Decisions for every policy of ``pack``, in the pack's order.

    ``facts`` use the JSON vocabulary of contracts/resident-facts.md (absent key = unknown,
    ``None`` = known none); ``sources`` maps a fact to card / central / declared (absent =
    not declared).
    """
    ctx = make_context(pack, facts, sources, on)
    return [evaluate_policy(policy, ctx, pack.version) for policy in pack.policies]
