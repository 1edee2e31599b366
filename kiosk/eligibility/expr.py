"""The condition language: a small expression grammar over facts, compiled once at load.

Examples a policy officer writes::

    hukou_tianjin
    gender == 'female' and age >= 40
    months_since(unemployment_registered_on) >= long_term_months
    education_level in ['junior_college', 'bachelor', 'master', 'doctor']
    has_any(difficulty_categories, ['4050', 'single_parent'])
    today >= date(year(graduation_date) - 1, 7, 1)

Evaluation is three-valued (Kleene): a missing fact is *unknown* and unknown spreads through
comparisons; ``and`` is false as soon as one side is false, ``or`` true as soon as one side
is true, whatever the unknown side would be. A fact that is known to be ``null`` ("none")
never satisfies a comparison: ``months_since(null) >= 12`` is false, so write rules in the
positive form (``x >= 12``), not ``not (x < 12)``.

Each compiled node is a closure returning ``(value, declared, missing)``: ``value`` may be
:data:`UNKNOWN`, in which case ``missing`` names the base facts (or ``parameter:NAME``) it
waits for; ``declared`` says whether the value rests on a fact the resident declared, which
makes a decision "likely" rather than certain. For ``and``/``or`` the least-declared
sufficient support is chosen, so a central record outranks a declaration that says the same.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from kiosk.eligibility.dates import add_months, age_on, months_between
from kiosk.eligibility.facts import DERIVED, FactType
from kiosk.eligibility.params import UNAVAILABLE, Parameter

__all__ = [
    "EMPTY",
    "UNKNOWN",
    "Compiled",
    "Context",
    "ExprError",
    "Result",
    "Scope",
    "compile_expression",
]


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()
EMPTY: frozenset[str] = frozenset()
Result = tuple[Any, bool, frozenset[str]]
Fn = Callable[["Context"], Result]


class ExprError(ValueError):
    """A condition that does not parse or type-check; ``column`` is 1-based in the text."""

    def __init__(self, message: str, column: int | None = None) -> None:
        self.column = column
        super().__init__(message if column is None else f"{message} (column {column})")


class Context:
    """One evaluation: facts (normalised), which were declared, the date, parameter cache."""

    __slots__ = ("_cache", "declared", "facts", "on", "shared")

    def __init__(self, facts: Mapping[str, Any], declared: frozenset[str], on: date,
                 shared: Mapping[str, Parameter]) -> None:
        self.facts = facts
        self.declared = declared
        self.on = on
        self.shared = shared  # pack-wide parameters (working age needs them)
        self._cache: dict[Any, Any] = {}

    def param(self, p: Parameter) -> Any:
        key = id(p)
        try:
            return self._cache[key]
        except KeyError:
            value = self._cache[key] = p.value_on(self.on)
            return value

    def derived(self, name: str, compute: Callable[[Context], Result]) -> Result:
        try:
            result: Result = self._cache[name]
        except KeyError:
            result = self._cache[name] = compute(self)
        return result


# ---------------------------------------------------------------------------------- derived

def _age(ctx: Context) -> Result:
    try:
        birth = ctx.facts["birth_date"]
    except KeyError:
        return UNKNOWN, False, frozenset({"birth_date"})
    declared = "birth_date" in ctx.declared
    if birth is None:
        return None, declared, EMPTY
    return age_on(birth, ctx.on), declared, EMPTY


def _retirement_date(ctx: Context, birth: date, table: str) -> date | None:
    months = ctx.shared[table].value_on(birth)  # keyed by birth date: the cohort's age
    if months is UNAVAILABLE:
        return None
    return add_months(birth, int(months))


def _working_age(ctx: Context) -> Result:
    """16 (a parameter) up to the statutory retirement date of the person's birth cohort.

    Men and women retire at different ages; when gender is unknown the answer is still
    known if both tables agree (young or old enough either way).
    """
    try:
        birth = ctx.facts["birth_date"]
    except KeyError:
        return UNKNOWN, False, frozenset({"birth_date"})
    declared = "birth_date" in ctx.declared
    if birth is None:
        return None, declared, EMPTY
    minimum = ctx.param(ctx.shared["working_age_min"])
    if minimum is UNAVAILABLE:
        return UNKNOWN, False, frozenset({"parameter:working_age_min"})
    if age_on(birth, ctx.on) < minimum:
        return False, declared, EMPTY
    ends: dict[str, date | None] = {
        g: _retirement_date(ctx, birth, f"retirement_age_months_{g}")
        for g in ("male", "female")
    }
    gender = ctx.facts.get("gender", UNKNOWN)
    if gender in ends:
        end = ends[gender]
        if end is None:
            return UNKNOWN, False, frozenset({f"parameter:retirement_age_months_{gender}"})
        return ctx.on < end, declared or "gender" in ctx.declared, EMPTY
    known = [e for e in ends.values() if e is not None]
    if len(known) == 2 and all(ctx.on < e for e in known):
        return True, declared, EMPTY
    if len(known) == 2 and all(ctx.on >= e for e in known):
        return False, declared, EMPTY
    if gender is UNKNOWN:
        return UNKNOWN, False, frozenset({"gender"})
    return None, declared or "gender" in ctx.declared, EMPTY  # gender known to be null


_DERIVED_FNS: dict[str, Callable[[Context], Result]] = {"age": _age,
                                                        "working_age": _working_age}
_DERIVED_TYPES = {"age": "num", "working_age": "bool"}


# ---------------------------------------------------------------------------------- parsing

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>\d+(?:\.\d+)?)
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,|\+|-)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
""", re.VERBOSE)

_KEYWORDS = {"and", "or", "not", "in", "true", "false", "null", "today"}


@dataclass(frozen=True)
class _Tok:
    kind: str  # num str op name kw end
    text: str
    col: int


def _tokens(source: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if m is None:
            raise ExprError(f"unexpected character {source[pos]!r}", pos + 1)
        kind = m.lastgroup or ""
        text = m.group()
        if kind != "ws":
            if kind == "name" and text in _KEYWORDS:
                kind = "kw"
            out.append(_Tok(kind, text, pos + 1))
        pos = m.end()
    out.append(_Tok("end", "", len(source) + 1))
    return out


@dataclass(frozen=True)
class _Node:
    col: int


@dataclass(frozen=True)
class _Lit(_Node):
    value: Any


@dataclass(frozen=True)
class _Name(_Node):
    name: str


@dataclass(frozen=True)
class _List(_Node):
    items: tuple[_Node, ...]


@dataclass(frozen=True)
class _Call(_Node):
    fn: str
    args: tuple[_Node, ...]


@dataclass(frozen=True)
class _Not(_Node):
    operand: _Node


@dataclass(frozen=True)
class _Neg(_Node):
    operand: _Node


@dataclass(frozen=True)
class _Bin(_Node):
    op: str
    left: _Node
    right: _Node


@dataclass(frozen=True)
class _Bool(_Node):
    op: str  # and / or
    items: tuple[_Node, ...]


class _Parser:
    def __init__(self, source: str) -> None:
        self.toks = _tokens(source)
        self.i = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def accept(self, text: str) -> bool:
        tok = self.peek()
        if tok.kind in ("op", "kw") and tok.text == text:
            self.i += 1
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.accept(text):
            tok = self.peek()
            found = repr(tok.text) if tok.kind != "end" else "end of condition"
            raise ExprError(f"expected {text!r}, found {found}", tok.col)

    def parse(self) -> _Node:
        if self.peek().kind == "end":
            raise ExprError("empty condition", 1)
        node = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            raise ExprError(f"unexpected {tok.text!r}", tok.col)
        return node

    def or_(self) -> _Node:
        col = self.peek().col
        items = [self.and_()]
        while self.accept("or"):
            items.append(self.and_())
        return items[0] if len(items) == 1 else _Bool(col, "or", tuple(items))

    def and_(self) -> _Node:
        col = self.peek().col
        items = [self.not_()]
        while self.accept("and"):
            items.append(self.not_())
        return items[0] if len(items) == 1 else _Bool(col, "and", tuple(items))

    def not_(self) -> _Node:
        tok = self.peek()
        if tok.kind == "kw" and tok.text == "not":
            self.take()
            return _Not(tok.col, self.not_())
        return self.comparison()

    def comparison(self) -> _Node:
        left = self.additive()
        tok = self.peek()
        if tok.kind == "op" and tok.text in ("==", "!=", "<", "<=", ">", ">="):
            self.take()
            return _Bin(tok.col, tok.text, left, self.additive())
        if tok.kind == "kw" and tok.text == "in":
            self.take()
            return _Bin(tok.col, "in", left, self.additive())
        if tok.kind == "kw" and tok.text == "not" and self.toks[self.i + 1].text == "in":
            self.i += 2
            return _Not(tok.col, _Bin(tok.col, "in", left, self.additive()))
        return left

    def additive(self) -> _Node:
        node = self.unary()
        while self.peek().kind == "op" and self.peek().text in ("+", "-"):
            tok = self.take()
            node = _Bin(tok.col, tok.text, node, self.unary())
        return node

    def unary(self) -> _Node:
        tok = self.peek()
        if tok.kind == "op" and tok.text == "-":
            self.take()
            return _Neg(tok.col, self.unary())
        return self.primary()

    def primary(self) -> _Node:
        tok = self.take()
        if tok.kind == "num":
            return _Lit(tok.col, float(tok.text) if "." in tok.text else int(tok.text))
        if tok.kind == "str":
            return _Lit(tok.col, tok.text[1:-1])
        if tok.kind == "kw" and tok.text in ("true", "false", "null"):
            return _Lit(tok.col, {"true": True, "false": False, "null": None}[tok.text])
        if tok.kind == "kw" and tok.text == "today":
            return _Name(tok.col, "today")
        if tok.kind == "name":
            if self.accept("("):
                args: list[_Node] = []
                if not self.accept(")"):
                    args.append(self.or_())
                    while self.accept(","):
                        args.append(self.or_())
                    self.expect(")")
                return _Call(tok.col, tok.text, tuple(args))
            return _Name(tok.col, tok.text)
        if tok.kind == "op" and tok.text == "(":
            node = self.or_()
            self.expect(")")
            return node
        if tok.kind == "op" and tok.text == "[":
            items: list[_Node] = []
            if not self.accept("]"):
                items.append(self.or_())
                while self.accept(","):
                    items.append(self.or_())
                self.expect("]")
            return _List(tok.col, tuple(items))
        found = repr(tok.text) if tok.kind != "end" else "end of condition"
        raise ExprError(f"unexpected {found}", tok.col)


# --------------------------------------------------------------------------------- compiling

@dataclass(frozen=True)
class Compiled:
    """A checked, compiled expression and what it depends on."""

    fn: Fn
    type: str  # bool num str date list null any
    facts: frozenset[str] = EMPTY  # fact names as written (derived ones included)
    base_facts: frozenset[str] = EMPTY  # supplied facts it can wait for (derived expanded)
    params: frozenset[str] = EMPTY
    allowed: frozenset[str] | None = None  # enum values of a str/list expression
    literal: Any = UNKNOWN  # the value, when the node is a literal (for checks)
    source: str = ""


@dataclass
class Scope:
    """What names mean while compiling one policy's expressions."""

    facts: Mapping[str, FactType]
    params: Mapping[str, Parameter]
    definitions: Mapping[str, str]  # name -> expression source (compiled on demand)
    policy_ids: frozenset[str] = EMPTY
    _compiled_defs: dict[str, Compiled] = field(default_factory=dict)
    _compiling: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        return [*self.facts, *DERIVED, *self.params, *self.definitions, "today"]


def compile_expression(source: str, scope: Scope) -> Compiled:
    """Parse, check and compile ``source``; :class:`ExprError` on any problem."""
    if not isinstance(source, str):
        raise ExprError("a condition must be text")
    node = _Parser(source).parse()
    compiled = _compile(node, scope)
    return Compiled(compiled.fn, compiled.type, compiled.facts, compiled.base_facts,
                    compiled.params, compiled.allowed, compiled.literal, source)


def _node(fn: Fn, kind: str, parts: list[Compiled]) -> Compiled:
    """A compiled node depending on everything its operands depend on."""
    return Compiled(fn, kind,
                    frozenset().union(*(p.facts for p in parts)),
                    frozenset().union(*(p.base_facts for p in parts)),
                    frozenset().union(*(p.params for p in parts)))


def _lit(value: Any) -> Compiled:
    kind = ("null" if value is None else "bool" if isinstance(value, bool)
            else "num" if isinstance(value, int | float) else "str")
    result: Result = (value, False, EMPTY)
    return Compiled(lambda ctx: result, kind, literal=value)


def _compile(node: _Node, scope: Scope) -> Compiled:
    if isinstance(node, _Lit):
        return _lit(node.value)
    if isinstance(node, _Name):
        return _name(node, scope)
    if isinstance(node, _List):
        return _list(node, scope)
    if isinstance(node, _Call):
        return _call(node, scope)
    if isinstance(node, _Not):
        return _not(node, scope)
    if isinstance(node, _Neg):
        return _neg(node, scope)
    if isinstance(node, _Bool):
        return _bool(node, scope)
    if isinstance(node, _Bin):
        return _bin(node, scope)
    raise ExprError("unsupported expression", node.col)  # pragma: no cover


def _name(node: _Name, scope: Scope) -> Compiled:
    name = node.name
    if name == "today":
        return Compiled(lambda ctx: (ctx.on, False, EMPTY), "date")
    if name in scope.facts:
        ftype = scope.facts[name]
        missing = frozenset({name})

        def fact(ctx: Context) -> Result:
            try:
                return ctx.facts[name], name in ctx.declared, EMPTY
            except KeyError:
                return UNKNOWN, False, missing

        kind = {"int": "num"}.get(ftype.kind, ftype.kind)
        return Compiled(fact, kind, frozenset({name}), frozenset({name}),
                        allowed=ftype.allowed if name != "received" else scope.policy_ids)
    if name in DERIVED:
        compute = _DERIVED_FNS[name]
        return Compiled(lambda ctx: ctx.derived(name, compute), _DERIVED_TYPES[name],
                        frozenset({name}), frozenset(DERIVED[name]))
    if name in scope.params:
        param = scope.params[name]
        missing = frozenset({f"parameter:{name}"})

        def parameter(ctx: Context) -> Result:
            value = ctx.param(param)
            if value is UNAVAILABLE:
                return UNKNOWN, False, missing
            return value, False, EMPTY

        return Compiled(parameter, param.kind, params=frozenset({name}))
    if name in scope.definitions:
        return _definition(name, node.col, scope)
    hint = difflib.get_close_matches(name, scope.names(), n=1)
    suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
    raise ExprError(f"unknown name {name!r}{suggestion}", node.col)


def _definition(name: str, col: int, scope: Scope) -> Compiled:
    if name in scope._compiled_defs:
        return scope._compiled_defs[name]
    if name in scope._compiling:
        chain = " -> ".join([*scope._compiling[scope._compiling.index(name):], name])
        raise ExprError(f"definitions refer to each other in a circle: {chain}", col)
    scope._compiling.append(name)
    try:
        compiled = compile_expression(scope.definitions[name], scope)
    except ExprError as exc:
        raise ExprError(f"in definition {name!r}: {exc}", col) from None
    finally:
        scope._compiling.pop()
    scope._compiled_defs[name] = compiled
    return compiled


def _list(node: _List, scope: Scope) -> Compiled:
    items = [_compile(item, scope) for item in node.items]
    for item, sub in zip(items, node.items, strict=True):
        if item.literal is UNKNOWN:
            raise ExprError("a list may hold only literal values", sub.col)
    value = frozenset(item.literal for item in items)
    result: Result = (value, False, EMPTY)
    return Compiled(lambda ctx: result, "list", literal=value)


def _not(node: _Not, scope: Scope) -> Compiled:
    inner = _compile(node.operand, scope)
    _require(inner, "bool", node.operand.col, "'not'")
    fn = inner.fn

    def negate(ctx: Context) -> Result:
        value, declared, missing = fn(ctx)
        if value is UNKNOWN:
            return value, declared, missing
        return not value, declared, EMPTY

    return _node(negate, "bool", [inner])


def _neg(node: _Neg, scope: Scope) -> Compiled:
    inner = _compile(node.operand, scope)
    _require(inner, "num", node.operand.col, "'-'")
    fn = inner.fn

    def negative(ctx: Context) -> Result:
        value, declared, missing = fn(ctx)
        if value is UNKNOWN or value is None:
            return value, declared, missing
        return -value, declared, EMPTY

    return _node(negative, "num", [inner])


def _bool(node: _Bool, scope: Scope) -> Compiled:
    parts = [_compile(item, scope) for item in node.items]
    for part, item in zip(parts, node.items, strict=True):
        _require(part, "bool", item.col, f"'{node.op}'")
    fns = tuple(p.fn for p in parts)
    fn = _kleene(fns, node.op == "and")
    return _node(fn, "bool", parts)


def kleene_results(results: list[Result], conjunction: bool) -> Result:
    """Kleene and/or over evaluated operands, choosing the least-declared support.

    ``and``: false if any operand is false (declared only if every false one is), else
    unknown if any is unknown (waiting for the union of their facts), else true (declared
    if any is). ``or`` is the dual. Null counts as false.
    """
    decisive = not conjunction  # the value that settles the result on its own
    decisive_declared: list[bool] = []
    missing: set[str] = set()
    declared_any = False
    for value, declared, need in results:
        if value is UNKNOWN:
            missing |= need
            continue
        truth = bool(value)
        if truth is decisive:
            decisive_declared.append(declared)
        declared_any = declared_any or declared
    if decisive_declared:
        return decisive, all(decisive_declared), EMPTY
    if missing:
        return UNKNOWN, False, frozenset(missing)
    return conjunction, declared_any, EMPTY


def _kleene(fns: tuple[Fn, ...], conjunction: bool) -> Fn:
    def combine(ctx: Context) -> Result:
        return kleene_results([f(ctx) for f in fns], conjunction)

    return combine


_ORDER = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
          ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def _bin(node: _Bin, scope: Scope) -> Compiled:
    left = _compile(node.left, scope)
    right = _compile(node.right, scope)
    op = node.op
    merged = [left, right]
    if op in ("==", "!="):
        _check_equality(left, right, node)
        return _node(_binary(left.fn, right.fn, _equals(op == "=="), nulls="value"), "bool",
                     merged)
    if op in _ORDER:
        if not ({left.type, right.type} <= {"num", "any"} or
                {left.type, right.type} <= {"date", "any"}):
            raise ExprError(f"'{op}' compares numbers with numbers or dates with dates, "
                            f"not {left.type} with {right.type}", node.col)
        compare = _ORDER[op]
        return _node(_binary(left.fn, right.fn, compare, nulls="false"), "bool", merged)
    if op == "in":
        _check_in(left, right, node)
        return _node(_binary(left.fn, right.fn, lambda a, b: a in b, nulls="false"), "bool", merged)
    # + and -: numbers only
    _require(left, "num", node.left.col, f"'{op}'")
    _require(right, "num", node.right.col, f"'{op}'")
    arith = (lambda a, b: a + b) if op == "+" else (lambda a, b: a - b)
    return _node(_binary(left.fn, right.fn, arith, nulls="null"), "num", merged)


def _equals(positive: bool) -> Callable[[Any, Any], bool]:
    if positive:
        return lambda a, b: a == b
    return lambda a, b: a != b


def _binary(lf: Fn, rf: Fn, op: Callable[[Any, Any], Any], *, nulls: str) -> Fn:
    """Apply ``op`` unless an operand is unknown (-> unknown). A null operand is passed to
    ``op`` (``nulls="value"``: == and !=), makes the result false (``"false"``: orderings
    and ``in``) or null (``"null"``: arithmetic)."""
    null_result = False if nulls == "false" else None
    nulls_pass = nulls == "value"

    def apply(ctx: Context) -> Result:
        a, ad, am = lf(ctx)
        b, bd, bm = rf(ctx)
        if a is UNKNOWN or b is UNKNOWN:
            return UNKNOWN, False, am | bm
        if not nulls_pass and (a is None or b is None):
            return null_result, ad or bd, EMPTY
        return op(a, b), ad or bd, EMPTY

    return apply


def _check_equality(left: Compiled, right: Compiled, node: _Bin) -> None:
    types = {left.type, right.type} - {"any", "null"}
    if len(types) > 1 and types != {"num"}:
        raise ExprError(f"'{node.op}' compares {left.type} with {right.type}", node.col)
    for this, other in ((left, right), (right, left)):
        if this.allowed is not None and isinstance(other.literal, str) and \
                other.literal not in this.allowed:
            raise ExprError(f"{other.literal!r} is not a possible value here; expected one of "
                            f"{', '.join(sorted(this.allowed))}", node.col)


def _check_in(left: Compiled, right: Compiled, node: _Bin) -> None:
    if right.type not in ("list", "any"):
        raise ExprError(f"'in' needs a list on its right, not {right.type}", node.col)
    if left.type in ("list", "bool"):
        raise ExprError(f"'in' tests one value, not a {left.type}", node.col)
    if left.allowed is not None and isinstance(right.literal, frozenset):
        bad = sorted(str(v) for v in right.literal if v not in left.allowed)
        if bad:
            raise ExprError(f"{', '.join(map(repr, bad))} not possible values; expected one "
                            f"of {', '.join(sorted(left.allowed))}", node.col)
    if right.allowed is not None and isinstance(left.literal, str) and \
            left.literal not in right.allowed:
        raise ExprError(f"{left.literal!r} is not a possible value; expected one of "
                        f"{', '.join(sorted(right.allowed))}", node.col)


def _require(part: Compiled, kind: str, col: int, what: str) -> None:
    if part.type not in (kind, "any"):
        raise ExprError(f"{what} needs a {kind} value, not {part.type}", col)


# --------------------------------------------------------------------------------- functions

def _span(unit: Callable[[date, date], int], reverse: bool = False
          ) -> Callable[[Fn], Fn]:
    def build(fn: Fn) -> Fn:
        def span(ctx: Context) -> Result:
            value, declared, missing = fn(ctx)
            if value is UNKNOWN or value is None:
                return value, declared, missing
            if reverse:
                return unit(ctx.on, value), declared, EMPTY
            return unit(value, ctx.on), declared, EMPTY

        return span

    return build


_SPANS: dict[str, Callable[[Fn], Fn]] = {
    "months_since": _span(months_between),
    "years_since": _span(lambda a, b: months_between(a, b) // 12),
    "days_since": _span(lambda a, b: (b - a).days),
    "months_until": _span(months_between, reverse=True),
    "days_until": _span(lambda a, b: (b - a).days, reverse=True),
}

_FUNCTIONS_HELP = ("months_since(d), months_until(d), years_since(d), days_since(d), "
                   "days_until(d), months_between(d1, d2), year(d), date(y, m, d), "
                   "has_any(list, [..]), "
                   "has_all(list, [..]), count(list)")


def _call(node: _Call, scope: Scope) -> Compiled:
    args = [_compile(a, scope) for a in node.args]
    merged = args
    fn_name = node.fn

    def arity(n: int) -> None:
        if len(args) != n:
            raise ExprError(f"{fn_name}() takes {n} argument(s), got {len(args)}", node.col)

    if fn_name in _SPANS:
        arity(1)
        _require(args[0], "date", node.args[0].col, f"{fn_name}()")
        return _node(_SPANS[fn_name](args[0].fn), "num", merged)
    if fn_name == "months_between":
        arity(2)
        for a, sub in zip(args, node.args, strict=True):
            _require(a, "date", sub.col, "months_between()")
        return _node(_binary(args[0].fn, args[1].fn, months_between, nulls="null"), "num", merged)
    if fn_name == "year":
        arity(1)
        _require(args[0], "date", node.args[0].col, "year()")
        return _node(_map1(args[0].fn, lambda d: d.year), "num", merged)
    if fn_name == "count":
        arity(1)
        _require(args[0], "list", node.args[0].col, "count()")
        return _node(_map1(args[0].fn, len), "num", merged)
    if fn_name == "date":
        arity(3)
        for a, sub in zip(args, node.args, strict=True):
            _require(a, "num", sub.col, "date()")
        if all(isinstance(a.literal, int) for a in args):
            try:
                date(*(int(a.literal) for a in args))
            except ValueError as exc:
                raise ExprError(f"date(): {exc}", node.col) from None
        return _node(_make_date(args[0].fn, args[1].fn, args[2].fn), "date", merged)
    if fn_name in ("has_any", "has_all"):
        arity(2)
        _require(args[0], "list", node.args[0].col, f"{fn_name}()")
        _require(args[1], "list", node.args[1].col, f"{fn_name}()")
        if not isinstance(args[1].literal, frozenset):
            raise ExprError(f"{fn_name}()'s second argument must be a list of values",
                            node.args[1].col)
        wanted = args[1].literal
        if args[0].allowed is not None:
            bad = sorted(str(v) for v in wanted if v not in args[0].allowed)
            if bad:
                raise ExprError(f"{', '.join(map(repr, bad))} not possible values; expected "
                                f"one of {', '.join(sorted(args[0].allowed))}",
                                node.args[1].col)
        test = ((lambda v: not wanted.isdisjoint(v)) if fn_name == "has_any"
                else (lambda v: wanted <= v))
        return _node(_map1(args[0].fn, test, null_value=False), "bool", merged)
    raise ExprError(f"unknown function {fn_name!r}; functions are {_FUNCTIONS_HELP}",
                    node.col)


def _map1(fn: Fn, op: Callable[[Any], Any], null_value: Any = None) -> Fn:
    def apply(ctx: Context) -> Result:
        value, declared, missing = fn(ctx)
        if value is UNKNOWN:
            return value, declared, missing
        if value is None:
            return null_value, declared, EMPTY
        return op(value), declared, EMPTY

    return apply


def _make_date(yf: Fn, mf: Fn, df: Fn) -> Fn:
    def make(ctx: Context) -> Result:
        parts = [yf(ctx), mf(ctx), df(ctx)]
        missing = frozenset().union(*(p[2] for p in parts))
        if missing:
            return UNKNOWN, False, missing
        declared = any(p[1] for p in parts)
        if any(p[0] is None for p in parts):
            return None, declared, EMPTY
        try:
            return date(*(int(p[0]) for p in parts)), declared, EMPTY
        except ValueError:  # e.g. 29 February of a computed common year
            return None, declared, EMPTY

    return make
