"""`kiosk policies ...`: check a resident's facts, test and lint a rule pack.

For policy officers and technicians: ``lint`` and ``test`` are what to run before a pack is
published (the kiosk refuses packs that fail either); ``check`` shows what the kiosk would
decide for a facts file, as a Chinese table or as the contract's JSON.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "policies", help="eligibility rule pack: check facts, run scenarios, lint")
    psub = parser.add_subparsers(dest="policies_command", metavar="ACTION")

    check = psub.add_parser("check", help="decide every policy for a facts file")
    check.add_argument("--facts", type=Path, required=True,
                       help='JSON: the facts vocabulary, or {"facts": {...}, "sources": {...}}')
    check.add_argument("--date", help="decision date YYYY-MM-DD (default: today)")
    check.add_argument("--json", action="store_true", help="print the decisions as JSON")
    check.add_argument("--pack", type=Path, help="rule pack folder (default: bundled pack)")
    check.set_defaults(func=_check)

    test = psub.add_parser("test", help="run every scenario of a pack")
    test.add_argument("dir", nargs="?", type=Path, help="rule pack folder (default: bundled)")
    test.set_defaults(func=_test)

    lint = psub.add_parser("lint", help="validate a pack (file:line: problem)")
    lint.add_argument("dir", nargs="?", type=Path, help="rule pack folder (default: bundled)")
    lint.set_defaults(func=_lint)

    parser.set_defaults(func=lambda args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _pack_dir(path: Path | None) -> Path:
    from kiosk.paths import resource

    return path if path is not None else resource("policies")


def _fail(message: str, code: int = EXIT_FAIL) -> int:
    print(message, file=sys.stderr)
    return code


def _load(path: Path | None) -> Any:
    """The pack, or an exit code after printing every problem as file:line: problem."""
    from kiosk.eligibility import PackError, load_pack

    try:
        return load_pack(_pack_dir(path))
    except PackError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_FAIL


def _read_facts(path: Path) -> tuple[dict[str, Any], dict[str, str]] | str:
    """(facts, sources) from the file, or a one-line message naming the problem."""
    import json

    from kiosk.eligibility import check_facts

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"{path}: file not found"
    except (OSError, UnicodeDecodeError) as exc:
        return f"{path}: cannot read ({exc})"
    except json.JSONDecodeError as exc:
        return f"{path}:{exc.lineno}: not valid JSON ({exc.msg})"
    if not isinstance(data, dict):
        return f"{path}: expected a JSON object of facts"
    if "facts" in data and isinstance(data["facts"], dict):
        facts, sources = data["facts"], data.get("sources") or {}
        extra = set(data) - {"facts", "sources"}
        if extra:
            return f"{path}: unexpected key(s) {', '.join(sorted(extra))} beside facts/sources"
        if not isinstance(sources, dict):
            return f"{path}: 'sources' must be an object of fact: card|central|declared"
    else:
        facts, sources = data, {}
    problems = check_facts(facts, sources)
    if problems:
        return f"{path}: {problems[0]}" + (f" (and {len(problems) - 1} more)"
                                           if len(problems) > 1 else "")
    return facts, sources


def _check(args: argparse.Namespace) -> int:
    import json
    from datetime import date

    from kiosk.eligibility import evaluate

    try:
        on = date.fromisoformat(args.date) if args.date else date.today()
    except ValueError:
        return _fail(f"--date {args.date!r}: expected YYYY-MM-DD", EXIT_USAGE)
    read = _read_facts(args.facts)
    if isinstance(read, str):
        return _fail(read, EXIT_USAGE)
    pack = _load(args.pack)
    if isinstance(pack, int):
        return pack
    facts, sources = read
    decisions = evaluate(pack, facts, sources, on)
    if args.json:
        print(json.dumps([d.to_json() for d in decisions], ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"政策预判（规则包 {pack.version}，判断日期 {on.isoformat()}）")
    for d in decisions:
        amount = f"{d.amount}{pack.policy(d.policy).amount.unit}" if d.amount is not None \
            else d.amount_text
        print(f"\n{d.name}  [{d.mode_text}]  {d.status_text}")
        print(f"  金额：{amount}")
        for reason in d.reasons:
            mark = {True: "✓", False: "✗", None: "?"}[reason.result]
            indent = "    " * reason.condition.count(".")
            print(f"  {indent}{mark} {reason.text}")
        if d.missing:
            print(f"  需补充：{', '.join(d.missing)}")
        if d.refer_to_staff:
            print("  请咨询工作人员（政策标准待更新）")
    return EXIT_OK


def _test(args: argparse.Namespace) -> int:
    from kiosk.eligibility import run_scenarios

    pack = _load(args.dir)
    if isinstance(pack, int):
        return pack
    report = run_scenarios(pack)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    summary = (f"rule pack {pack.version}: {len(pack.policies)} policies, "
               f"{report.scenarios} scenarios, {len(report.failures)} failed, "
               f"{len(report.uncovered)} conditions not covered both ways")
    if not report.ok:
        return _fail(summary)
    print(summary)
    return EXIT_OK


def _lint(args: argparse.Namespace) -> int:
    pack = _load(args.dir)
    if isinstance(pack, int):
        return pack
    print(f"rule pack {pack.version} ({pack.published.isoformat()}): "
          f"{len(pack.policies)} policies, {len(pack.questions)} questions: OK")
    return EXIT_OK
