"""`kiosk jobs generate|import|search|purge`: files in, database out, one-line errors."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.commands import jobs as jobs_command
from kiosk.jobs.catalogue import live_count
from kiosk.paths import kiosk_dirs
from kiosk.store.engine import Database


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="kiosk")
    jobs_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["jobs", *argv])
    return int(args.func(args))


def live(path: Path) -> int:
    db = Database(path).open()
    try:
        with db.read() as s:
            return live_count(s)
    finally:
        db.close()


def test_registered_with_the_kiosk_cli() -> None:
    assert "kiosk.commands.jobs" in cli.COMMAND_MODULES


def test_generate_then_import_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "jobs.json"
    assert run("generate", "--count", "150", "--seed", "9", "--out", str(out)) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "lexy-jobs" and len(data["jobs"]) == 150 and data["seed"] == 9
    db = tmp_path / "k.db"
    assert run("import", str(out), "--db", str(db)) == 0
    assert "150 added or updated" in capsys.readouterr().out
    assert run("import", str(out), "--db", str(db)) == 0
    assert "0 added or updated" in capsys.readouterr().out
    assert live(db) == 150
    assert run("search", "保洁", "--db", str(db), "--limit", "3") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("jobs") and 1 <= len(lines) <= 4
    assert run("purge", "--db", str(db)) == 0
    assert "removed 0" in capsys.readouterr().out


def test_import_defaults_to_the_kiosk_database(tmp_path: Path) -> None:
    out = tmp_path / "jobs.json"
    run("generate", "--count", "20", "--out", str(out), "--today", "2026-05-01")
    assert run("import", str(out)) == 0
    assert kiosk_dirs().database.exists()  # under the test's KIOSK_HOME


def test_a_bad_file_imports_nothing_and_says_why(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "k.db"
    good = tmp_path / "jobs.json"
    run("generate", "--count", "30", "--out", str(good))
    data = json.loads(good.read_text(encoding="utf-8"))
    data["jobs"][17]["town"] = "火星"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert run("import", str(bad), "--db", str(db)) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "nothing imported" in err and "#17" in err and "town" in err
    assert live(db) == 0
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    for path in (tmp_path / "broken.json", tmp_path / "missing.json"):
        assert run("import", str(path), "--db", str(db)) == 1
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and str(path) in err
    (tmp_path / "other.json").write_text('{"format": "something-else", "jobs": []}')
    assert run("import", str(tmp_path / "other.json"), "--db", str(db)) == 1
    assert "format" in capsys.readouterr().err


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("generate", "--count", "-1", "--out", str(tmp_path / "x.json")) == 1
    assert "--count" in capsys.readouterr().err
    assert run("search", "x", "--town", "月球", "--db", str(tmp_path / "k.db")) == 1
    assert "月球" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run("generate", "--out", "x.json", "--today", "tomorrow")
    assert run() == 2
