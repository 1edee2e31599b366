"""The deployment files in deploy/ and the technician's guide stay usable and true.

Each file is checked with the tool that will read it where this machine has it (systemd's
own unit verifier, the kiosk's config parser, an XML parser, the shell), and the guide's
commands are checked against the real command line.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kiosk.cli import build_parser
from kiosk.config import parse_config

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
GUIDE = ROOT / "docs" / "deploy.md"


def test_example_config_is_a_valid_station_config() -> None:
    config = parse_config((DEPLOY / "kiosk.toml").read_text(encoding="utf-8"),
                          source="deploy/kiosk.toml")
    assert not config.demo
    assert (config.reader.kind, config.reader.port) == ("serial", "/dev/lexy-idcard")
    assert config.printer.port == "/dev/lexy-printer"
    assert config.admin.pin_hash == ""  # set per kiosk with `admin set-pin`


@pytest.mark.parametrize("unit", ["lexy-kiosk.service", "lexy-kiosk-x11.service"])
def test_systemd_units_verify(unit: str, tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    text = (DEPLOY / unit).read_text(encoding="utf-8")
    assert re.search(r"^Restart=on-failure$", text, re.MULTILINE)  # 退出到桌面 (0) stays down
    assert re.search(r"^StartLimitIntervalSec=0$", text, re.MULTILINE)
    # verify checks every directive; the program itself only exists on a kiosk
    copy = tmp_path / unit
    copy.write_text(re.sub(r"^ExecStart=.*$", "ExecStart=/bin/true", text, flags=re.MULTILINE),
                    encoding="utf-8")
    proc = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0 and not (proc.stdout + proc.stderr).strip(), proc.stderr


_UDEV_PAIR = re.compile(r'^[A-Z_]+(\{[^}]+\})?(==|!=|\+=|=)"[^"]*"$')


def test_udev_rules_are_well_formed() -> None:
    lines = [ln for ln in (DEPLOY / "99-lexy-kiosk.rules").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert lines
    for line in lines:
        pairs = [p.strip() for p in line.split(", ")]
        assert all(_UDEV_PAIR.match(p) for p in pairs), line
        assert any("==" in p for p in pairs) and any(re.search(r"[^=!]=\"", p) for p in pairs)
    text = "\n".join(lines)
    assert 'SYMLINK+="lexy-idcard"' in text and 'SYMLINK+="lexy-printer"' in text
    assert 'GROUP="dialout"' in text and 'GROUP="lp"' in text


def test_windows_task_restarts_the_kiosk() -> None:
    ns = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
    task = ET.parse(DEPLOY / "lexy-kiosk-task.xml").getroot()
    assert task.tag == f"{{{ns['t']}}}Task"
    settings = task.find("t:Settings", ns)
    assert settings is not None
    assert settings.findtext("t:MultipleInstancesPolicy", namespaces=ns) == "IgnoreNew"
    assert settings.findtext("t:ExecutionTimeLimit", namespaces=ns) == "PT0S"
    count = settings.findtext("t:RestartOnFailure/t:Count", namespaces=ns)
    assert count is not None and 1 <= int(count) <= 255  # unsignedByte in the schema
    command = task.findtext("t:Actions/t:Exec/t:Command", namespaces=ns)
    assert command is not None and command.endswith("kiosk.exe")
    assert task.find("t:Triggers/t:LogonTrigger/t:Repetition", ns) is not None


@pytest.mark.parametrize("script", ["kiosk-session.sh", "lexy-kiosk"])
def test_scripts_are_executable_posix_sh(script: str) -> None:
    path = DEPLOY / script
    assert os.access(path, os.X_OK)
    assert path.read_text().startswith("#!/bin/sh\n")
    subprocess.run(["sh", "-n", str(path)], check=True, timeout=30)


def _fake_cage(tmp_path: Path, help_text: str) -> dict[str, str]:
    """A `cage` that prints its arguments: shows how kiosk-session.sh starts the real one."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(parents=True)
    cage = bin_dir / "cage"
    cage.write_text(f'#!/bin/sh\n[ "$1" = -h ] && {{ printf "{help_text}"; exit 0; }}\n'
                    'echo "cage $*"\n')
    cage.chmod(0o755)
    return dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}")


@pytest.mark.skipif(Path("/etc/default/lexy-kiosk").exists(),
                    reason="this machine has a real /etc/default/lexy-kiosk")
def test_session_script_rotates_with_cage_r(tmp_path: Path) -> None:
    env = _fake_cage(tmp_path, r" -r\t Rotate the output 90 degrees clockwise\n")
    script = str(DEPLOY / "kiosk-session.sh")
    out = subprocess.run(["sh", script], env=dict(env, KIOSK_ROTATE="180"),
                         capture_output=True, text=True, timeout=30, check=True).stdout
    assert out.strip() == f"cage -d -r -r -- {script} --inside-cage"
    # a newer cage without -r: no flags; wlr-randr turns the output from inside
    env = _fake_cage(tmp_path / "new", r" -d\t Don't draw client side decorations\n")
    out = subprocess.run(["sh", script], env=dict(env, KIOSK_ROTATE="90"),
                         capture_output=True, text=True, timeout=30, check=True).stdout
    assert out.strip() == f"cage -d -- {script} --inside-cage"
    bad = subprocess.run(["sh", script], env=dict(env, KIOSK_ROTATE="45"),
                         capture_output=True, text=True, timeout=30)
    assert bad.returncode == 2 and "KIOSK_ROTATE must be 0, 90, 180 or 270" in bad.stderr


def _subcommands() -> dict[str, set[str]]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    result: dict[str, set[str]] = {}
    for name, child in sub.choices.items():  # type: ignore[union-attr]
        nested = [a for a in child._actions if a.choices and a.dest != "help"
                  and isinstance(a.choices, dict)]
        result[name] = set(nested[0].choices) if nested else set()
    return result


def test_every_command_in_the_guide_exists() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    commands = _subcommands()
    used = re.findall(r"(?:lexy-kiosk|kiosk-cli\.exe|/kiosk|`kiosk) ([a-z][a-z-]*)"
                      r"(?: ([a-z-]+))?", guide)
    assert len(used) >= 10
    for command, action in used:
        assert command in commands, f"`{command}` is not a kiosk command"
        if commands[command] and action and not action.startswith("-"):
            assert action in commands[command], f"`{command} {action}` does not exist"


def test_guide_and_deploy_folder_match() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    for path in DEPLOY.iterdir():
        assert path.name in guide, f"deploy/{path.name} is not explained in docs/deploy.md"
    for name in set(re.findall(r"deploy/([\w.-]+\.[\w]+)", guide)):
        assert (DEPLOY / name).exists(), f"docs/deploy.md names a missing deploy/{name}"
    for link in re.findall(r"\]\(([\w.-]+\.md)\)", guide):
        assert (GUIDE.parent / link).is_file(), link
