"""`kiosk-central ...`: serve, enrollment codes, imports, publishing, kiosks, revoke."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from central.cli import main
from central.db import Store
from central.streams import latest_seq, snapshot
from kiosk.jobs.generator import generate_catalogue
from kiosk.paths import resource

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'central.sqlite3'}"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_admin_commands(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
                        ) -> None:
    code, out, _ = run(capsys, "--db", db_url, "enroll-code", "--station", "XQ-YLQ-01")
    assert code == 0 and len(out.strip()) == 9 and out[4] == "-"
    jobs = tmp_path / "jobs.json"
    jobs.write_text(json.dumps(generate_catalogue(30), ensure_ascii=False), encoding="utf-8")
    assert run(capsys, "jobs", "import", str(jobs), "--db", db_url)[1] == \
        "jobs: 30 published, 0 unchanged\n"
    assert "0 published, 30 unchanged" in run(capsys, "jobs", "import", str(jobs),
                                              "--db", db_url)[1]
    people = tmp_path / "residents.json"
    people.write_text(json.dumps({"as_of": "2026-11-01", "residents": [
        {"id_number": "12011119900307002X", "hukou_rural": True}]}), encoding="utf-8")
    assert run(capsys, "--db", db_url, "residents", "import", str(people))[1] == \
        "residents: 1 imported\n"
    notes = tmp_path / "notes.json"
    notes.write_text(json.dumps([{"id": "n1", "version": 1, "title": "招聘会"}]),
                     encoding="utf-8")
    assert run(capsys, "--db", db_url, "publish", "announcements", str(notes))[0] == 0
    assert run(capsys, "--db", db_url, "policies", "publish", str(resource("policies")))[1] \
        == "policy pack rule-pack: version 1\n"
    broken = tmp_path / "pack"
    broken.mkdir()
    for f in resource("policies").glob("*.yaml"):
        (broken / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (broken / "pack.yaml").write_text("version: [", encoding="utf-8")
    code, _, err = run(capsys, "--db", db_url, "policies", "publish", str(broken))
    assert code == 1 and err.startswith("error: pack refused: pack.yaml")
    store = Store(db_url).open()
    assert [i["id"] for i in snapshot(store, "policy_packs", "", 10)["items"]] == ["rule-pack"]
    assert run(capsys, "--db", db_url, "retract", "announcements", "n1")[0] == 0
    assert run(capsys, "--db", db_url, "compact", "jobs", "--keep", "5")[0] == 0
    assert latest_seq(store, "jobs") > 0
    assert run(capsys, "--db", db_url, "kiosks")[1] == "no kiosks enrolled\n"
    code, _, err = run(capsys, "--db", db_url, "revoke", "nope")
    assert code == 1 and err == "error: no active kiosk nope\n"
    code, _, err = run(capsys, "--db", db_url, "jobs", "import", str(tmp_path / "missing.json"))
    assert code == 1 and "cannot be read" in err
    store.close()


def test_serve_on_port_zero_prints_its_url(db_url: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "central.cli", "serve", "--db", db_url,
                             "--port", "0"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("kiosk-central listening on http://127.0.0.1:")
        url = line.split()[-1]
        assert httpx.get(f"{url}/v1/health", timeout=10).json()["ok"] is True
    finally:
        proc.terminate()
        proc.wait(10)
    assert proc.returncode in (0, -15)  # uvicorn re-raises SIGTERM after a clean shutdown
