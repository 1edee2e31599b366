"""The rule pack: policies as data, loaded from YAML, checked and compiled once.

A pack is a folder (or, from the sync layer, a mapping of file name to text):

- ``pack.yaml``: ``version``, ``published``, ``description``, ``policies`` (ids, in order);
- ``common.yaml``: pack-wide ``parameters`` (working age, retirement tables),
  ``definitions`` (named conditions usable in every policy) and scenario ``profiles``;
- ``questions.yaml``: how to ask a resident for each fact a rule may wait for;
- ``<policy-id>.yaml``: one policy each (see docs/policies.md for the fields).

Everything a later evaluation needs is resolved here (names, types, enum values, parameter
dates), so a pack that loads cannot fail at a resident's turn, and evaluation only runs
closures. Problems are collected across all files and raised together as
:class:`PackError`, each with file and line.
"""

from __future__ import annotations

import enum
import hashlib
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.eligibility.errors import PackError, Problem
from kiosk.eligibility.expr import Compiled, ExprError, Scope, compile_expression
from kiosk.eligibility.facts import CARD_FACTS, DERIVED, FACTS, normalize_facts
from kiosk.eligibility.params import DatedValue, Parameter
from kiosk.eligibility.yamlsrc import LineDict, LineList, load_yaml
from kiosk.i18n import N_

__all__ = [
    "AmountCase",
    "AmountRule",
    "Condition",
    "Mode",
    "OptionSpec",
    "Policy",
    "QuestionSpec",
    "RulePack",
    "Scenario",
    "load_pack",
    "load_pack_files",
]

PACK_FILE, COMMON_FILE, QUESTIONS_FILE = "pack.yaml", "common.yaml", "questions.yaml"
REQUIRED_SHARED = ("working_age_min", "retirement_age_months_male",
                   "retirement_age_months_female")
DEFAULT_AMOUNT_TEXT = N_("以审核结果为准")  # screens translate it; receipts print it
_ID = re.compile(r"^[a-z][a-z0-9-]*$")
_COND_ID = re.compile(r"^[a-z0-9_]+$")
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class Mode(enum.StrEnum):
    """How a benefit reaches the resident (the Sichuan 2024 split)."""

    AUTO = "auto"  # 免申即享: granted from data, the resident is told
    CONFIRM = "confirm"  # 意愿确认: the resident confirms, then it is paid
    APPLY = "apply"  # 快申快享: the resident applies with evidence


MODE_TEXT = {Mode.AUTO: "免申即享", Mode.CONFIRM: "意愿确认", Mode.APPLY: "快申快享"}


@dataclass(frozen=True)
class Condition:
    """One named test with its explanation; either an expression or a group of conditions."""

    id: str  # dotted path for nested ones: "category.low_income"
    text: str  # shown when met
    text_unmet: str
    text_unknown: str
    kind: str  # check | all | any | not
    expr: Compiled | None
    children: tuple[Condition, ...]
    facts: tuple[str, ...]  # fact names it uses, as written (derived included)
    base_facts: frozenset[str]  # supplied facts it may wait for
    line: int = 0

    def walk(self) -> list[Condition]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass(frozen=True)
class AmountCase:
    when: Compiled | None  # None = always
    value: str | None  # parameter name giving the figure, or None (no confirmed figure)
    text: str  # may quote parameters: "每人{subsidy_per_person}元"
    line: int = 0


@dataclass(frozen=True)
class AmountRule:
    cases: tuple[AmountCase, ...]
    unit: str = "元"


@dataclass(frozen=True)
class Scenario:
    name: str
    on: date
    facts: dict[str, Any]  # JSON vocabulary values
    sources: dict[str, str]
    expect: dict[str, Any]
    file: str
    line: int


@dataclass(frozen=True)
class Policy:
    id: str
    name: str
    summary: str
    mode: Mode
    legal_basis: str
    source: tuple[str, ...]
    conditions: tuple[Condition, ...]
    parameters: dict[str, Parameter]
    amount: AmountRule
    materials: tuple[str, ...]
    where: dict[str, str]  # office, how
    deadline_text: str
    scenarios: tuple[Scenario, ...]
    once: bool
    file: str

    def all_conditions(self) -> list[Condition]:
        out: list[Condition] = []
        for c in self.conditions:
            out.extend(c.walk())
        return out


@dataclass(frozen=True)
class OptionSpec:
    label: str
    value: Any = None  # JSON value of the fact
    months_ago: int | None = None  # for "when" questions: the date this many months back


@dataclass(frozen=True)
class QuestionSpec:
    fact: str
    text: str
    kind: str  # bool | choice | when | year | multi | policies
    options: tuple[OptionSpec, ...] = ()
    help: str = ""
    years: tuple[int, int] = (-10, 0)  # year picker range, relative to the decision year
    month: int = 7
    day: int = 1
    order: int = 0


@dataclass(frozen=True)
class RulePack:
    version: str
    published: date
    description: str
    policies: tuple[Policy, ...]
    shared: dict[str, Parameter]
    questions: dict[str, QuestionSpec]
    profiles: dict[str, dict[str, Any]]
    source: str = ""
    digest: str = ""
    _by_id: dict[str, Policy] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({p.id: p for p in self.policies})

    def policy(self, policy_id: str) -> Policy:
        try:
            return self._by_id[policy_id]
        except KeyError:
            raise KeyError(f"no policy {policy_id!r} in rule pack {self.version}") from None

    @property
    def policy_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.policies)


# ------------------------------------------------------------------------------- reading

_FOLD = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s+"
                   r"(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")


def unfold_cjk(text: str) -> str:
    """Drop the spaces YAML's line folding puts between two Chinese characters (a folded
    ``>-`` block joins lines with a space, which is right for English only)."""
    return _FOLD.sub("", text)


class _File:
    """Problems and typed getters for one YAML file."""

    def __init__(self, name: str, display: str, problems: list[Problem]) -> None:
        self.name = name
        self.display = display
        self.problems = problems

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.display, line, message))

    def mapping(self, value: Any, line: int, what: str) -> LineDict | None:
        if isinstance(value, LineDict):
            return value
        self.problem(line, f"{what} must be a mapping (key: value lines)")
        return None

    def keys(self, m: LineDict, allowed: set[str], what: str) -> None:
        for key in m:
            if key not in allowed:
                self.problem(m.line_of(key), f"{what}: unknown field {key!r}; expected "
                             f"{', '.join(sorted(allowed))}")

    def text(self, m: LineDict, key: str, what: str, *, required: bool = True,
             default: str = "") -> str:
        if key not in m:
            if required:
                self.problem(m.line, f"{what}: missing {key!r}")
            return default
        value = m[key]
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(m.line_of(key), f"{what}: {key!r} must be non-empty text")
            return default
        return unfold_cjk(value.strip())

    def texts(self, m: LineDict, key: str, what: str, *, required: bool = True
              ) -> tuple[str, ...]:
        if key not in m:
            if required:
                self.problem(m.line, f"{what}: missing {key!r}")
            return ()
        value = m[key]
        if isinstance(value, str):
            return (unfold_cjk(value.strip()),)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            self.problem(m.line_of(key), f"{what}: {key!r} must be a list of texts")
            return ()
        return tuple(unfold_cjk(v.strip()) for v in value)


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _read_parameters(f: _File, raw: Any, line: int, what: str) -> dict[str, Parameter]:
    out: dict[str, Parameter] = {}
    m = f.mapping(raw, line, what)
    if m is None:
        return out
    for name, spec_raw in m.items():
        pline = m.line_of(name)
        if not isinstance(name, str) or not _NAME.match(name):
            f.problem(pline, f"parameter name {name!r}: use lower_case letters, digits, _")
            continue
        spec = f.mapping(spec_raw, pline, f"parameter {name!r}")
        if spec is None:
            continue
        f.keys(spec, {"description", "unit", "reference", "values"}, f"parameter {name!r}")
        description = f.text(spec, "description", f"parameter {name!r}")
        unit = f.text(spec, "unit", f"parameter {name!r}", required=False)
        default_ref = f.text(spec, "reference", f"parameter {name!r}", required=False)
        values_raw = spec.get("values")
        values = f.mapping(values_raw, spec.line_of("values"), f"parameter {name!r}: values")
        if values is None:
            continue
        entries: list[DatedValue] = []
        kinds: set[type] = set()
        for key, entry_raw in values.items():
            eline = values.line_of(key)
            start = _as_date(key)
            if start is None:
                f.problem(eline, f"parameter {name!r}: {key!r} is not a date YYYY-MM-DD")
                continue
            entry = f.mapping(entry_raw, eline, f"parameter {name!r} at {start}")
            if entry is None:
                continue
            f.keys(entry, {"value", "reference", "note"}, f"parameter {name!r} at {start}")
            if "value" not in entry:
                f.problem(eline, f"parameter {name!r} at {start}: missing 'value' "
                          "(write 'value: null' to end the previous value)")
                continue
            value = entry["value"]
            if value is not None:
                if not isinstance(value, int | float | str | bool):
                    f.problem(eline, f"parameter {name!r} at {start}: value must be a "
                              "number, text, true/false or null")
                    continue
                kinds.add(float if isinstance(value, int | float) and
                          not isinstance(value, bool) else type(value))
            reference = entry.get("reference", default_ref)
            if value is not None and not (isinstance(reference, str) and reference.strip()):
                f.problem(eline, f"parameter {name!r} at {start}: a value needs a "
                          "'reference' (URL or document) saying where it comes from")
            entries.append(DatedValue(start, value, str(reference or "")))
        if len(kinds) > 1:
            f.problem(pline, f"parameter {name!r}: values mix types")
        if not entries:
            f.problem(pline, f"parameter {name!r}: no values")
        entries.sort(key=lambda e: e.start)
        out[name] = Parameter(name, description, unit, tuple(entries), f.display, pline)
    return out


def _read_definitions(f: _File, raw: Any, line: int) -> dict[str, str]:
    m = f.mapping(raw, line, "definitions")
    if m is None:
        return {}
    out: dict[str, str] = {}
    for name, source in m.items():
        if not isinstance(name, str) or not _NAME.match(name):
            f.problem(m.line_of(name), f"definition name {name!r}: use lower_case, digits, _")
            continue
        if not isinstance(source, str):
            f.problem(m.line_of(name), f"definition {name!r} must be a condition (text)")
            continue
        out[name] = source
    return out


def _compile(f: _File, source: Any, scope: Scope, line: int, what: str) -> Compiled | None:
    try:
        compiled = compile_expression(source, scope)
    except ExprError as exc:
        f.problem(line, f"{what}: {exc}")
        return None
    return compiled


def _read_condition(f: _File, raw: Any, line: int, scope: Scope, prefix: str,
                    seen: set[str]) -> Condition | None:
    m = f.mapping(raw, line, "condition")
    if m is None:
        return None
    f.keys(m, {"id", "text", "text_unmet", "text_unknown", "facts", "check", "all", "any",
               "not"}, "condition")
    cid = m.get("id")
    if not isinstance(cid, str | int) or not _COND_ID.match(str(cid)):
        f.problem(m.line, "condition: 'id' must be lower_case letters, digits and _")
        return None
    full_id = f"{prefix}{cid}"
    what = f"condition {full_id!r}"
    if full_id in seen:
        f.problem(m.line, f"{what}: id used twice")
    seen.add(full_id)
    text = f.text(m, "text", what)
    text_unmet = f.text(m, "text_unmet", what)
    text_unknown = f.text(m, "text_unknown", what, required=False) or f"待确认：{text}"
    forms = [k for k in ("check", "all", "any", "not") if k in m]
    if len(forms) != 1:
        f.problem(m.line, f"{what}: needs exactly one of 'check', 'all', 'any', 'not'")
        return None
    kind = forms[0]
    expr: Compiled | None = None
    children: list[Condition] = []
    if kind == "check":
        expr = _compile(f, m["check"], scope, m.line_of("check"), what)
        if expr is None:
            return None
        if expr.type not in ("bool", "any"):
            f.problem(m.line_of("check"), f"{what}: gives a {expr.type}, not true/false")
            return None
        written = set(expr.facts)
        base = set(expr.base_facts)
    else:
        items = m[kind]
        if kind == "not":
            items = LineList([items])
            items.line = m.line_of("not")
            items.lines = [m.line_of("not")]
        if not isinstance(items, LineList) or not items:
            f.problem(m.line_of(kind), f"{what}: {kind!r} needs a list of conditions")
            return None
        for i, item in enumerate(items):
            child = _read_condition(f, item, items.line_of(i), scope, f"{full_id}.", seen)
            if child is not None:
                children.append(child)
        if len(children) != len(items):
            return None
        written = set().union(*(c.facts for c in children))
        base = set().union(*(c.base_facts for c in children))
    if "facts" in m:
        declared = m["facts"]
        if not isinstance(declared, list) or not all(isinstance(x, str) for x in declared):
            f.problem(m.line_of("facts"), f"{what}: 'facts' must be a list of fact names")
        elif set(declared) != written:
            f.problem(m.line_of("facts"), f"{what}: 'facts' says {sorted(declared)} but the "
                      f"condition uses {sorted(written)}")
    return Condition(full_id, text, text_unmet, text_unknown, kind, expr, tuple(children),
                     tuple(sorted(written)), frozenset(base), m.line)


def _read_amount(f: _File, raw: Any, line: int, scope: Scope) -> AmountRule:
    if raw is None:
        return AmountRule((AmountCase(None, None, DEFAULT_AMOUNT_TEXT, line),))
    m = f.mapping(raw, line, "amount")
    if m is None:
        return AmountRule(())
    f.keys(m, {"value", "text", "unit", "cases"}, "amount")
    unit = f.text(m, "unit", "amount", required=False, default="元")
    if "cases" in m:
        if "value" in m or "text" in m:
            f.problem(m.line, "amount: give either 'cases' or 'value'/'text', not both")
        cases_raw = m["cases"]
        if not isinstance(cases_raw, LineList) or not cases_raw:
            f.problem(m.line_of("cases"), "amount: 'cases' must be a list")
            return AmountRule(())
        cases = [_amount_case(f, c, cases_raw.line_of(i), scope)
                 for i, c in enumerate(cases_raw)]
        return AmountRule(tuple(c for c in cases if c is not None), unit)
    case = _amount_case(f, m, m.line, scope, allow_when=False)
    return AmountRule((case,) if case else (), unit)


def _amount_case(f: _File, raw: Any, line: int, scope: Scope, *, allow_when: bool = True
                 ) -> AmountCase | None:
    m = f.mapping(raw, line, "amount case")
    if m is None:
        return None
    if allow_when:
        f.keys(m, {"when", "value", "text"}, "amount case")
    when = None
    if "when" in m:
        when = _compile(f, m["when"], scope, m.line_of("when"), "amount case 'when'")
        if when is None:
            return None
        if when.type not in ("bool", "any"):
            f.problem(m.line_of("when"), f"amount case 'when' gives a {when.type}, not "
                      "true/false")
            return None
    value = m.get("value")
    if value is not None:
        param = scope.params.get(value) if isinstance(value, str) else None
        if param is None:
            f.problem(m.line_of("value"), "amount: 'value' must name a parameter (dated "
                      "values with references) or be null when no figure is confirmed")
            return None
        if param.kind != "num":
            f.problem(m.line_of("value"), f"amount: parameter {value!r} is not a number")
    text = f.text(m, "text", "amount", required=False) or DEFAULT_AMOUNT_TEXT
    tline = m.line_of("text") if "text" in m else m.line
    try:
        fields = [fname for _lit, fname, _spec, _conv in string.Formatter().parse(text)
                  if fname is not None]
    except ValueError as exc:
        f.problem(tline, f"amount text: {exc} (write {{{{ and }}}} for literal braces)")
        return None
    unknown = [name for name in fields if name not in scope.params]
    for name in unknown:
        f.problem(tline, f"amount text quotes {{{name}}}, which is not a parameter")
    if not unknown:  # try it with each value the parameters ever had
        for name in fields:
            for entry in scope.params[name].values:
                if entry.value is None:
                    continue
                try:
                    text.format(**{n: (entry.value if n == name else _sample(scope, n))
                                   for n in fields})
                except (ValueError, TypeError, KeyError, IndexError) as exc:
                    f.problem(tline, f"amount text: cannot show {{{name}}} = "
                              f"{entry.value!r}: {exc}")
                    return None
    return AmountCase(when, value, text, m.line)


def _sample(scope: Scope, name: str) -> Any:
    """Some non-null value of parameter ``name`` (to test-format texts quoting it)."""
    return next((e.value for e in scope.params[name].values if e.value is not None), 0)


def _read_facts(f: _File, raw: Any, line: int, what: str) -> dict[str, Any]:
    m = f.mapping(raw, line, what)
    if m is None:
        return {}
    facts = {k: (v.isoformat() if isinstance(v, date) else
                 list(v) if isinstance(v, list) else v) for k, v in m.items()}
    for problem in normalize_facts(facts)[1]:
        name = problem.split(":", 1)[0]
        f.problem(m.line_of(name), f"{what}: {problem}")
    return facts


_EXPECT_KEYS = {"status", "likely", "missing", "amount", "refer_to_staff", "conditions"}


def _read_scenarios(f: _File, raw: Any, line: int, profiles: Mapping[str, dict[str, Any]],
                    condition_ids: set[str]) -> tuple[Scenario, ...]:
    if not isinstance(raw, LineList) or not raw:
        f.problem(line, "scenarios: a policy needs a list of scenarios (its tests)")
        return ()
    out: list[Scenario] = []
    names: set[str] = set()
    for i, item in enumerate(raw):
        m = f.mapping(item, raw.line_of(i), "scenario")
        if m is None:
            continue
        f.keys(m, {"name", "date", "profile", "facts", "unset", "declared", "expect"},
               "scenario")
        name = f.text(m, "name", "scenario")
        what = f"scenario {name!r}"
        if name in names:
            f.problem(m.line, f"{what}: name used twice")
        names.add(name)
        on = _as_date(m.get("date"))
        if on is None:
            f.problem(m.line_of("date"), f"{what}: 'date' must be YYYY-MM-DD")
            continue
        facts: dict[str, Any] = {}
        if "profile" in m:
            if m["profile"] not in profiles:
                f.problem(m.line_of("profile"), f"{what}: no profile {m['profile']!r} in "
                          f"{COMMON_FILE}")
            else:
                facts.update(profiles[m["profile"]])
        facts.update(_read_facts(f, m.get("facts", LineDict()), m.line_of("facts"), what))
        lists = {}
        for key in ("unset", "declared"):
            lists[key] = m.get(key) or []
            if not isinstance(lists[key], list) or \
                    not all(isinstance(x, str) for x in lists[key]):
                f.problem(m.line_of(key), f"{what}: {key!r} must be a list of fact names")
                lists[key] = []
        for key in lists["unset"]:
            facts.pop(key, None)
        sources = {k: "card" if k in CARD_FACTS else "central" for k in facts}
        for key in lists["declared"]:
            if key not in FACTS:
                f.problem(m.line_of("declared"), f"{what}: declared {key!r} is not a fact")
            sources[key] = "declared"
        expect = f.mapping(m.get("expect"), m.line_of("expect"), f"{what}: expect")
        if expect is None:
            continue
        f.keys(expect, _EXPECT_KEYS, f"{what}: expect")
        if expect.get("status") not in ("eligible", "ineligible", "needs_info"):
            f.problem(expect.line_of("status"), f"{what}: expect.status must be eligible, "
                      "ineligible or needs_info")
        for cid in expect.get("conditions", {}) or {}:
            if cid not in condition_ids:
                f.problem(expect.line_of("conditions"), f"{what}: no condition {cid!r}")
        out.append(Scenario(name, on, facts, sources, dict(expect), f.display, m.line))
    return tuple(out)


def _read_questions(f: _File, raw: Any) -> dict[str, QuestionSpec]:
    m = f.mapping(raw, 1, "questions")
    if m is None:
        return {}
    out: dict[str, QuestionSpec] = {}
    for order, (fact, spec_raw) in enumerate(m.items()):
        qline = m.line_of(fact)
        what = f"question {fact!r}"
        if fact not in FACTS:
            hint = "" if fact not in DERIVED else " (computed, ask for its base facts)"
            f.problem(qline, f"{what}: not a fact of the vocabulary{hint}")
            continue
        spec = f.mapping(spec_raw, qline, what)
        if spec is None:
            continue
        f.keys(spec, {"text", "kind", "options", "help", "years", "month", "day"}, what)
        text = f.text(spec, "text", what)
        kind = spec.get("kind")
        ftype = FACTS[fact]
        expected = {"bool": {"bool"}, "choice": {"str", "int", "bool"}, "when": {"date"},
                    "year": {"date"}, "multi": {"list"}, "policies": {"list"}}
        if kind not in expected:
            f.problem(spec.line_of("kind"), f"{what}: kind must be one of "
                      f"{', '.join(expected)}")
            continue
        if ftype.kind not in expected[kind] or (kind == "policies" and fact != "received"):
            f.problem(spec.line_of("kind"), f"{what}: a {kind!r} question cannot answer a "
                      f"{ftype.kind} fact")
            continue
        options: list[OptionSpec] = []
        raw_options = spec.get("options", LineList())
        if not isinstance(raw_options, LineList):
            f.problem(spec.line_of("options"), f"{what}: 'options' must be a list")
            raw_options = LineList()
        for i, opt_raw in enumerate(raw_options):
            opt = f.mapping(opt_raw, raw_options.line_of(i), f"{what}: option")
            if opt is None:
                continue
            f.keys(opt, {"label", "value", "months_ago"}, f"{what}: option")
            label = f.text(opt, "label", f"{what}: option")
            months_ago = opt.get("months_ago")
            if months_ago is not None and (kind != "when" or not isinstance(months_ago, int)):
                f.problem(opt.line, f"{what}: 'months_ago' is for 'when' questions, a number")
                continue
            value = opt.get("value")
            value = value.isoformat() if isinstance(value, date) else value
            if months_ago is None:
                problems = normalize_facts({fact: [value] if kind == "multi" else value})[1]
                if problems:
                    f.problem(opt.line, f"{what}: option {label!r}: {problems[0]}")
                    continue
            options.append(OptionSpec(label, value, months_ago))
        if kind in ("choice", "when", "multi") and len(options) < 2:
            f.problem(spec.line, f"{what}: a {kind!r} question needs at least two options")
        years = spec.get("years", [-10, 0])
        if not (isinstance(years, list) and len(years) == 2 and
                all(isinstance(y, int) for y in years) and years[0] <= years[1]):
            f.problem(spec.line_of("years"), f"{what}: 'years' is [from, to] relative to "
                      "the decision year, e.g. [-10, 1]")
            years = [-10, 0]
        out[fact] = QuestionSpec(fact, text, kind, tuple(options),
                                 f.text(spec, "help", what, required=False),
                                 (years[0], years[1]), int(spec.get("month", 7)),
                                 int(spec.get("day", 1)), order)
    return out


def _read_policy(f: _File, raw: Any, expected_id: str, shared: dict[str, Parameter],
                 definitions: dict[str, str], policy_ids: tuple[str, ...],
                 profiles: Mapping[str, dict[str, Any]]) -> Policy | None:
    m = f.mapping(raw, 1, "policy file")
    if m is None:
        return None
    f.keys(m, {"id", "name", "summary", "mode", "legal_basis", "source", "once", "parameters",
               "definitions", "conditions", "amount", "materials", "where", "deadline_text",
               "scenarios"}, "policy")
    pid = m.get("id")
    if pid != expected_id:
        f.problem(m.line_of("id"), f"policy 'id' must be {expected_id!r} (the file name), "
                  f"found {pid!r}")
        return None
    name = f.text(m, "name", "policy")
    summary = f.text(m, "summary", "policy")
    try:
        mode = Mode(str(m.get("mode")))
    except ValueError:
        f.problem(m.line_of("mode"), "policy: 'mode' must be auto (免申即享), confirm "
                  "(意愿确认) or apply (快申快享)")
        mode = Mode.APPLY
    legal_basis = f.text(m, "legal_basis", "policy")
    source = f.texts(m, "source", "policy")
    once = m.get("once", True)
    if not isinstance(once, bool):
        f.problem(m.line_of("once"), "policy: 'once' must be true or false")
        once = True
    params = dict(shared)
    own = _read_parameters(f, m.get("parameters", LineDict()), m.line_of("parameters"),
                           "parameters")
    for pname in own:
        if pname in shared:
            f.problem(own[pname].line, f"parameter {pname!r} is already defined in "
                      f"{COMMON_FILE}")
    params.update(own)
    defs = dict(definitions)
    own_defs = _read_definitions(f, m.get("definitions", LineDict()),
                                 m.line_of("definitions"))
    defs.update(own_defs)
    scope = Scope(FACTS, params, defs, frozenset(policy_ids))
    clashes = (set(params) | set(defs)) & (set(FACTS) | set(DERIVED))
    clashes |= set(params) & set(defs)
    for clash in sorted(clashes):
        f.problem(m.line, f"name {clash!r} is used for two things (fact, parameter or "
                  "definition)")
    if not clashes:  # check every definition, used or not, at its own line
        for dname in own_defs:
            _compile(f, dname, scope, m["definitions"].line_of(dname), f"definition {dname!r}")
    conditions: list[Condition] = []
    seen: set[str] = set()
    raw_conditions = m.get("conditions")
    if not isinstance(raw_conditions, LineList) or not raw_conditions:
        f.problem(m.line_of("conditions"), "policy: 'conditions' must be a non-empty list")
    else:
        for i, item in enumerate(raw_conditions):
            cond = _read_condition(f, item, raw_conditions.line_of(i), scope, "", seen)
            if cond is not None:
                conditions.append(cond)
    if once:
        check = compile_expression(f"not ('{expected_id}' in received)", scope)
        conditions.append(Condition(
            # the loader's own texts: in the catalogue (N_), shown translated on screen
            "not_received", N_("此前未享受过本项政策"), N_("您已享受过本项政策，不能重复享受"),
            "待确认：" + N_("此前是否已享受过本项政策"), "check", check, (), ("received",),
            frozenset({"received"}), m.line))
        seen.add("not_received")
    amount = _read_amount(f, m.get("amount"), m.line_of("amount"), scope)
    materials = f.texts(m, "materials", "policy")
    where_raw = f.mapping(m.get("where"), m.line_of("where"), "policy: where")
    where: dict[str, str] = {}
    if where_raw is not None:
        f.keys(where_raw, {"office", "how"}, "where")
        where = {"office": f.text(where_raw, "office", "where"),
                 "how": f.text(where_raw, "how", "where")}
    deadline_text = f.text(m, "deadline_text", "policy", required=False)
    scenarios = _read_scenarios(f, m.get("scenarios"), m.line_of("scenarios"), profiles,
                                seen)
    return Policy(expected_id, name, summary, mode, legal_basis, source, tuple(conditions),
                  params, amount, materials, where, deadline_text, scenarios, once, f.display)


def load_pack(directory: str | Path) -> RulePack:
    """Load and check the pack in ``directory``; :class:`PackError` lists what is wrong."""
    folder = Path(directory)
    if not folder.is_dir():
        raise PackError([Problem(str(folder), None, "not a folder")])
    files: dict[str, str | bytes] = {}
    for path in sorted(folder.glob("*.yaml")):
        files[path.name] = path.read_bytes()
    return load_pack_files(files, source=str(folder))


def load_pack_files(files: Mapping[str, str | bytes], *, source: str = "") -> RulePack:
    """Load a pack given as {file name: content}, e.g. as downloaded by the sync layer."""
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    digest = hashlib.sha256()
    prefix = f"{source.rstrip('/')}/" if source else ""
    for name in sorted(files):
        content = files[name]
        if "/" in name or "\\" in name or not name.endswith(".yaml"):
            problems.append(Problem(name, None, "pack files are plain *.yaml names"))
            continue
        raw = content.encode() if isinstance(content, str) else content
        digest.update(name.encode() + b"\0" + raw + b"\0")
        try:
            texts[name] = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(prefix + name, None, f"not UTF-8 text ({exc.reason})"))
    docs: dict[str, Any] = {}
    for name, text in texts.items():
        try:
            docs[name] = load_yaml(text, prefix + name)
        except PackError as exc:
            problems.extend(exc.problems)

    def file(name: str) -> _File:
        return _File(name, prefix + name, problems)

    if PACK_FILE not in texts:
        problems.append(Problem(prefix + PACK_FILE, None, "missing: every pack needs "
                                "pack.yaml (version, published, description, policies)"))
        raise PackError(problems)
    pf = file(PACK_FILE)
    meta = pf.mapping(docs.get(PACK_FILE), 1, "pack.yaml")
    if meta is None:
        raise PackError(problems)
    pf.keys(meta, {"version", "published", "description", "policies"}, "pack.yaml")
    version = meta.get("version")
    if not isinstance(version, str) or not version.strip():
        pf.problem(meta.line_of("version"), "'version' must be text, e.g. \"2026.1\" (quote "
                   "it so YAML does not read a number)")
        version = "?"
    published = _as_date(meta.get("published"))
    if published is None:
        pf.problem(meta.line_of("published"), "'published' must be a date YYYY-MM-DD")
        published = date.min
    description = pf.text(meta, "description", "pack.yaml")
    ids_raw = meta.get("policies")
    policy_ids: tuple[str, ...] = ()
    if not isinstance(ids_raw, LineList) or not ids_raw:
        pf.problem(meta.line_of("policies"), "'policies' must list the policy ids in order")
    else:
        for i, pid in enumerate(ids_raw):
            if not isinstance(pid, str) or not _ID.match(pid):
                pf.problem(ids_raw.line_of(i), f"policy id {pid!r}: lower-case letters, "
                           "digits and '-'")
            elif pid in policy_ids:
                pf.problem(ids_raw.line_of(i), f"policy {pid!r} listed twice")
            else:
                policy_ids += (pid,)
                if f"{pid}.yaml" not in texts:
                    pf.problem(ids_raw.line_of(i), f"policy {pid!r} has no file {pid}.yaml")
    for name in texts:
        if name not in (PACK_FILE, COMMON_FILE, QUESTIONS_FILE) and \
                name[:-5] not in policy_ids:
            file(name).problem(None, "not listed in pack.yaml 'policies' (list it or remove "
                               "the file)")

    shared: dict[str, Parameter] = {}
    definitions: dict[str, str] = {}
    profiles: dict[str, dict[str, Any]] = {}
    if COMMON_FILE in docs:
        cf = file(COMMON_FILE)
        common = cf.mapping(docs[COMMON_FILE], 1, COMMON_FILE)
        if common is not None:
            cf.keys(common, {"parameters", "definitions", "profiles"}, COMMON_FILE)
            shared = _read_parameters(cf, common.get("parameters", LineDict()),
                                      common.line_of("parameters"), "parameters")
            definitions = _read_definitions(cf, common.get("definitions", LineDict()),
                                            common.line_of("definitions"))
            raw_profiles = cf.mapping(common.get("profiles", LineDict()),
                                      common.line_of("profiles"), "profiles")
            for pname, pfacts in (raw_profiles or LineDict()).items():
                assert raw_profiles is not None
                profiles[pname] = _read_facts(cf, pfacts, raw_profiles.line_of(pname),
                                              f"profile {pname!r}")
            scope = Scope(FACTS, shared, definitions, frozenset(policy_ids))
            for dname in definitions:  # check each once here, with its own line
                _compile(cf, dname, scope, common["definitions"].line_of(dname),
                         f"definition {dname!r}")
    for required in REQUIRED_SHARED:
        if required not in shared:
            file(COMMON_FILE).problem(None, f"missing shared parameter {required!r} "
                                      "(working age needs it)")

    policies: list[Policy] = []
    for pid in policy_ids:
        name = f"{pid}.yaml"
        if name in docs:
            policy = _read_policy(file(name), docs[name], pid, shared, definitions,
                                  policy_ids, profiles)
            if policy is not None:
                policies.append(policy)

    questions: dict[str, QuestionSpec] = {}
    if QUESTIONS_FILE in docs:
        questions = _read_questions(file(QUESTIONS_FILE), docs[QUESTIONS_FILE])
    if problems:
        raise PackError(problems)
    return RulePack(version.strip(), published, description, tuple(policies), shared,
                    questions, profiles, source, digest.hexdigest())
