"""`kiosk policies check|test|lint`: exit codes, JSON shape, one-line errors."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.commands import policies
from kiosk.paths import resource

SHIPPED = resource("policies")
FACTS = {
    "gender": "female", "birth_date": "1981-03-15", "hukou_tianjin": True,
    "owns_contracted_farmland": False, "employment_status": "unemployed",
    "unemployment_registered_on": "2026-03-01", "ui_contribution_months": 60,
    "difficulty_certified_on": None, "able_to_work": True, "willing_to_work": True,
    "received": [],
}


def run(*argv: str) -> int:
    """The policies command alone, parsed the way kiosk.cli parses it."""
    parser = argparse.ArgumentParser(prog="kiosk")
    policies.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["policies", *argv])
    return int(args.func(args))


@pytest.fixture
def facts_file(tmp_path: Path) -> Path:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(FACTS), encoding="utf-8")
    return path


def test_check_json_lists_a_decision_per_policy(facts_file: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert run("check", "--facts", str(facts_file), "--date", "2026-11-26", "--json") == 0
    decisions = json.loads(capsys.readouterr().out)
    assert len(decisions) == 9
    for d in decisions:
        assert {"policy", "status", "likely", "amount", "reasons", "missing", "rule_pack",
                "decided_on"} <= set(d)
        assert d["status"] in ("eligible", "ineligible", "needs_info")
        assert d["decided_on"] == "2026-11-26"
    by_id = {d["policy"]: d for d in decisions}
    assert by_id["difficulty-recognition"]["status"] == "eligible"
    assert by_id["difficulty-recognition"]["likely"] is False


def test_check_with_sources_marks_likely(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "wrapped.json"
    path.write_text(json.dumps({"facts": FACTS, "sources": {"able_to_work": "declared"}}),
                    encoding="utf-8")
    assert run("check", "--facts", str(path), "--date", "2026-11-26", "--json") == 0
    by_id = {d["policy"]: d for d in json.loads(capsys.readouterr().out)}
    assert by_id["difficulty-recognition"]["likely"] is True


def test_check_table_is_readable_chinese(facts_file: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert run("check", "--facts", str(facts_file), "--date", "2026-11-26") == 0
    out = capsys.readouterr().out
    assert "政策预判（规则包 2026.1，判断日期 2026-11-26）" in out
    assert "就业困难人员认定  [快申快享]  符合条件" in out
    assert "✓ 4050人员" in out and "金额：500元" in out


@pytest.mark.parametrize(("content", "message"), [
    (None, "file not found"),
    ("{\n  \"gender\": \"female\",,\n}", ":2: not valid JSON"),
    ("[1, 2]", "expected a JSON object"),
    (json.dumps({"birth_date": "1981-02-30"}), "birth_date: must be a date"),
    (json.dumps({"shoe_size": 42}), "shoe_size: not a fact of the vocabulary"),
    (json.dumps({"age": 42}), "age: is computed by the engine"),
    (json.dumps({"facts": {}, "sources": {"gender": "rumour"}}), "sources.gender"),
    (json.dumps({"facts": {}, "extra": 1}), "unexpected key(s) extra"),
])
def test_check_bad_facts_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          content: str | None, message: str) -> None:
    path = tmp_path / "facts.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert run("check", "--facts", str(path)) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_check_bad_date(facts_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("check", "--facts", str(facts_file), "--date", "26/11/2026") == 2
    assert "expected YYYY-MM-DD" in capsys.readouterr().err


def test_lint_and_test_pass_on_the_shipped_pack(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("lint") == 0
    assert "9 policies" in capsys.readouterr().out
    assert run("test", str(SHIPPED)) == 0
    out = capsys.readouterr().out
    assert "0 failed, 0 conditions not covered" in out


def test_lint_reports_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "p"
    shutil.copytree(SHIPPED, pack)
    path = pack / "startup-subsidy.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "check: business_employees_insured >= 1", "check: business_employes_insured >= 1"),
        encoding="utf-8")
    assert run("lint", str(pack)) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"{path}:")
    assert "unknown name 'business_employes_insured'" in err[0]
    assert run("check", "--facts", str(tmp_path / "none.json")) == 2  # facts first
    capsys.readouterr()


def test_test_fails_listing_mismatches(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "p"
    shutil.copytree(SHIPPED, pack)
    path = pack / "graduate-assistance.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "expect: {status: needs_info, missing: [graduation_date]}",
        "expect: {status: eligible}"), encoding="utf-8")
    assert run("test", str(pack)) == 1
    err = capsys.readouterr().err
    assert f"{path}:" in err
    assert "scenario '毕业时间未知': status expected eligible, got needs_info" in err
    assert "1 failed" in err


def test_missing_pack_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run("lint", str(tmp_path / "nowhere")) == 1
    assert "not a folder" in capsys.readouterr().err


def test_through_the_real_entry_point(facts_file: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "policies", "check", "--facts", str(facts_file),
         "--date", "2026-11-26", "--json"],
        capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert {d["policy"] for d in json.loads(result.stdout)} >= {"difficulty-recognition"}
