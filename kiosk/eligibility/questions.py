"""The questionnaire planner: which single tap-to-answer question to ask next.

After each answer the kiosk re-decides and asks again, so the resident answers only what
still matters (BDT hides questions no remaining benefit needs). Among the facts that
needs_info decisions wait for, the one whose answers could settle the most policies goes
first; ties go to the order of questions.yaml, which a policy officer controls. Answers are
the resident's own word: the caller stores them with source ``declared``, which makes the
resulting decisions "likely" until staff check them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kiosk.eligibility.dates import add_months
from kiosk.eligibility.engine import Decision, Status, evaluate, evaluate_policy, make_context
from kiosk.eligibility.pack import QuestionSpec, RulePack
from kiosk.i18n import N_

__all__ = ["Option", "Question", "next_question", "question_for"]

UNSURE_LABEL = N_("不清楚")  # the kiosk's own labels are message ids: shown through tr


@dataclass(frozen=True)
class Option:
    label: str
    value: Any  # the fact's JSON value (ISO date text for dates; a list for multi)


@dataclass(frozen=True)
class Question:
    """One question about one fact; ``multiple`` questions take several options at once."""

    fact: str
    text: str
    kind: str
    options: tuple[Option, ...]
    multiple: bool = False
    help: str = ""
    policies: tuple[str, ...] = ()  # ids of the undecided policies this answer may settle
    unsure_label: str = UNSURE_LABEL  # "I don't know": the caller skips the fact next time

    def answer(self, *chosen: int) -> dict[str, Any]:
        """The facts to store (with source ``declared``) for the chosen option index(es).

        A ``multiple`` question takes any number of indexes (none = "none of these"); the
        others exactly one.
        """
        for index in chosen:
            if not 0 <= index < len(self.options):
                raise IndexError(f"question {self.fact}: no option {index}")
        if self.multiple:
            values: list[Any] = []
            for index in chosen:
                value = self.options[index].value
                values.extend(value if isinstance(value, list) else [value])
            return {self.fact: sorted(set(values))}
        if len(chosen) != 1:
            raise ValueError(f"question {self.fact}: choose exactly one option")
        return {self.fact: self.options[chosen[0]].value}


def _options(spec: QuestionSpec, pack: RulePack, on: date) -> tuple[tuple[Option, ...], bool]:
    if spec.kind == "bool":
        return (Option(N_("是"), True), Option(N_("否"), False)), False
    if spec.kind == "policies":
        return tuple(Option(p.name, [p.id]) for p in pack.policies), True
    options: list[Option] = []
    for opt in spec.options:
        if opt.months_ago is not None:
            options.append(Option(opt.label, add_months(on, -opt.months_ago).isoformat()))
        elif spec.kind == "multi":
            options.append(Option(opt.label, [opt.value]))
        else:
            options.append(Option(opt.label, opt.value))
    if spec.kind == "year":
        first, last = spec.years
        for year in range(on.year + last, on.year + first - 1, -1):  # newest first
            try:
                day = date(year, spec.month, spec.day)
            except ValueError:  # 29 February in a common year: the rounding rule
                day = date(year, 3, 1)
            options.append(Option(f"{year}年", day.isoformat()))
    return tuple(options), spec.kind == "multi"


def question_for(pack: RulePack, fact: str, on: date,
                 policies: Iterable[str] = ()) -> Question | None:
    """The question asking for ``fact`` on ``on``, or None when the pack has none."""
    spec = pack.questions.get(fact)
    if spec is None:
        return None
    options, multiple = _options(spec, pack, on)
    return Question(fact, spec.text, spec.kind, options, multiple, spec.help, tuple(policies))


def _trial_values(question: Question) -> list[Any]:
    """Answers to try when measuring a question: each option (and "none" for lists)."""
    values = [o.value for o in question.options]
    if question.multiple:
        values.append([])
    return values


def next_question(pack: RulePack, facts: Mapping[str, Any], sources: Mapping[str, str],
                  on: date, *, skip: Iterable[str] = (),
                  decisions: list[Decision] | None = None) -> Question | None:
    """The most useful question now, or None when nothing a resident can answer is left.

    ``skip``: facts the resident said they do not know (asked no more this visit).
    ``decisions``: the current decisions if the caller has them (saves one evaluation).
    """
    skipped = set(skip)
    if decisions is None:
        decisions = evaluate(pack, facts, sources, on)
    waiting: dict[str, list[str]] = {}
    for decision in decisions:
        if decision.status is Status.NEEDS_INFO:
            for fact in decision.missing:
                if fact not in skipped and fact in pack.questions:
                    waiting.setdefault(fact, []).append(decision.policy)
    if not waiting:
        return None
    best: tuple[int, int, int] | None = None
    best_question: Question | None = None
    for fact, policy_ids in waiting.items():
        question = question_for(pack, fact, on, policy_ids)
        assert question is not None  # waiting holds only facts with questions
        settled: set[str] = set()
        trial_sources = {**sources, fact: "declared"}
        for value in _trial_values(question):
            ctx = make_context(pack, {**facts, fact: value}, trial_sources, on)
            for pid in policy_ids:
                if pid not in settled and evaluate_policy(
                        pack.policy(pid), ctx, pack.version).status is not Status.NEEDS_INFO:
                    settled.add(pid)
        score = (len(settled), len(policy_ids), -pack.questions[fact].order)
        if best is None or score > best:
            best, best_question = score, question
    return best_question
