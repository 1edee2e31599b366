"""Running a pack's own scenarios: the tests a policy officer writes beside each rule.

A pack whose scenarios fail, or whose scenarios never see some condition both met and not
met, is not published and not accepted by :class:`~kiosk.eligibility.store.PackStore`:
an untested branch of a rule is where a wrong answer to a resident would hide.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kiosk.eligibility.engine import Decision, evaluate_policy, make_context
from kiosk.eligibility.errors import Problem
from kiosk.eligibility.pack import Policy, RulePack, Scenario

__all__ = ["ScenarioReport", "run_scenarios"]


@dataclass
class ScenarioReport:
    scenarios: int = 0
    failures: list[Problem] = field(default_factory=list)  # wrong outcomes
    uncovered: list[Problem] = field(default_factory=list)  # conditions not tested both ways

    @property
    def ok(self) -> bool:
        return not self.failures and not self.uncovered

    @property
    def problems(self) -> list[Problem]:
        return [*self.failures, *self.uncovered]


def _mismatches(scenario: Scenario, decision: Decision,
                trace: dict[str, bool | None]) -> list[str]:
    expect = scenario.expect
    out: list[str] = []
    if decision.status != expect.get("status"):
        why = "; ".join(f"{r.condition}={r.result}" for r in decision.reasons
                        if r.result is not True)
        out.append(f"status expected {expect.get('status')}, got {decision.status}"
                   + (f" ({why})" if why else ""))
    if "likely" in expect and decision.likely != expect["likely"]:
        out.append(f"likely expected {expect['likely']}, got {decision.likely}")
    if "missing" in expect and sorted(decision.missing) != sorted(expect["missing"] or []):
        out.append(f"missing expected {sorted(expect['missing'] or [])}, "
                   f"got {list(decision.missing)}")
    if "amount" in expect and decision.amount != expect["amount"]:
        out.append(f"amount expected {expect['amount']}, got {decision.amount}")
    if "refer_to_staff" in expect and decision.refer_to_staff != expect["refer_to_staff"]:
        out.append(f"refer_to_staff expected {expect['refer_to_staff']}, "
                   f"got {decision.refer_to_staff}")
    for cid, wanted in (expect.get("conditions") or {}).items():
        if trace.get(cid, "absent") != wanted:
            out.append(f"condition {cid} expected {wanted}, got {trace.get(cid)}")
    return out


def _run_policy(pack: RulePack, policy: Policy, report: ScenarioReport) -> None:
    seen: dict[str, set[bool | None]] = defaultdict(set)
    for scenario in policy.scenarios:
        report.scenarios += 1
        ctx = make_context(pack, scenario.facts, scenario.sources, scenario.on)
        trace: dict[str, bool | None] = {}
        decision = evaluate_policy(policy, ctx, pack.version, trace=trace)
        for cid, result in trace.items():
            seen[cid].add(result)
        for message in _mismatches(scenario, decision, trace):
            report.failures.append(Problem(scenario.file, scenario.line,
                                           f"scenario {scenario.name!r}: {message}"))
    for cond in policy.all_conditions():
        lacking = [word for word, value in (("met", True), ("not met", False))
                   if value not in seen[cond.id]]
        if lacking:
            report.uncovered.append(Problem(policy.file, cond.line,
                                            f"condition {cond.id!r} is never "
                                            f"{' or '.join(lacking)} in the scenarios"))


def run_scenarios(pack: RulePack) -> ScenarioReport:
    """Every scenario of every policy, plus the both-ways coverage of every condition."""
    report = ScenarioReport()
    for policy in pack.policies:
        _run_policy(pack, policy, report)
    return report
