"""Settings changed at the kiosk: validated by the config's rules, written, audited, synced."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.config import load_config
from kiosk.settings import (
    RESTART,
    SETTINGS,
    SettingsError,
    change_pin,
    change_setting,
    enroll,
    flush_audit_log,
    pin_matches,
    validate,
)
from kiosk.store.models import AuditEntry, OutboxRecord


def _audit_outbox(db: Any) -> list[dict[str, Any]]:
    with db.read() as s:
        rows = s.scalars(select(OutboxRecord).where(OutboxRecord.kind == "audit")
                         .order_by(OutboxRecord.local_seq)).all()
        return [json.loads(r.body) for r in rows]


@pytest.mark.parametrize(("key", "value", "message"), [
    ("session.idle_timeout_s", 5, "session.idle_timeout_s: must be between 15 and 900"),
    ("display.orientation", "upside-down", "display.orientation: must be one of portrait"),
    ("reader.baud", 12345, "reader.baud: must be one of 9600"),
    ("printer.width", "72", "printer.width: must be one of 80, 58, a4"),
    ("printer.dots", 50, "printer.dots: must be between 200 and 2000"),
    ("display.elder_mode_default", "yes", "display.elder_mode_default: expected true or false"),
    ("sync.server_url", "lexy.example", "sync.server_url: must start with https://"),
    ("admin.pin_hash", "x", "admin.pin_hash: 不能在本机修改"),
])
def test_bad_values_are_refused_with_the_keys_message(make_services: Any, key: str,
                                                      value: Any, message: str) -> None:
    services = make_services()
    before = services.config.session.idle_timeout_s
    with pytest.raises(SettingsError, match=message.replace(".", r"\.")):
        change_setting(services.config, key, value, db=services.db,
                       config_file=services.dirs.config_file)
    assert not services.dirs.config_file.exists()
    assert services.config.session.idle_timeout_s == before
    assert _audit_outbox(services.db) == []


def test_good_value_is_applied_written_and_audited(make_services: Any) -> None:
    services = make_services()  # a demo kiosk: demo = true must not reach the file
    path = services.dirs.config_file
    change = change_setting(services.config, "session.idle_timeout_s", 120, db=services.db,
                            config_file=path)
    assert (change.old, change.new, change.changed) == (60, 120, True)
    assert services.config.session.idle_timeout_s == 120
    on_disk = load_config(path)
    assert on_disk.session.idle_timeout_s == 120 and not on_disk.demo
    change_setting(services.config, "station.name", " 西青区中北镇就业红娘服务站 ",
                   db=services.db, config_file=path)
    assert load_config(path).station.name == "西青区中北镇就业红娘服务站"
    assert load_config(path).session.idle_timeout_s == 120  # earlier change kept
    with services.db.read() as s:
        audits = s.scalars(select(AuditEntry).where(AuditEntry.action == "setting_changed")
                           .order_by(AuditEntry.at)).all()
    assert json.loads(audits[0].detail) == {
        "key": "session.idle_timeout_s", "old": 60, "new": 120}
    assert all(a.actor == "admin" for a in audits)
    sent = _audit_outbox(services.db)
    assert [b["detail"]["key"] for b in sent] == ["session.idle_timeout_s", "station.name"]
    assert sent[1]["detail"]["old"] == "西青区杨柳青镇就业红娘服务站"
    unchanged = change_setting(services.config, "station.name", "西青区中北镇就业红娘服务站",
                               db=services.db, config_file=path)
    assert not unchanged.changed and len(_audit_outbox(services.db)) == 2


def test_restart_settings_say_so(make_services: Any) -> None:
    services = make_services()
    change = change_setting(services.config, "reader.baud", 9600, db=services.db,
                            config_file=services.dirs.config_file)
    assert change.effect == RESTART and change.label == "读卡器波特率"
    assert {s.key for s in SETTINGS} >= {"station.name", "station.community",
                                         "display.orientation", "session.idle_timeout_s",
                                         "display.elder_mode_default", "reader.port",
                                         "reader.baud", "printer.backend", "printer.width",
                                         "printer.dots", "sync.server_url"}
    assert validate(services.config, "printer.width", 58) == "58"  # the config's coercion


def test_unwritable_config_file_changes_nothing(make_services: Any, tmp_path: Path) -> None:
    services = make_services()
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    with pytest.raises(SettingsError, match="配置文件写不进去"):
        change_setting(services.config, "session.idle_timeout_s", 90, db=services.db,
                       config_file=blocker / "kiosk.toml")
    assert services.config.session.idle_timeout_s == 60
    with services.db.read() as s:
        assert s.scalars(select(AuditEntry)).all() == []
    assert _audit_outbox(services.db) == []


def test_broken_config_file_is_not_overwritten(make_services: Any) -> None:
    services = make_services()
    path = services.dirs.config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[printer]\nwidth = 72\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"printer\.width"):
        change_setting(services.config, "session.idle_timeout_s", 90, db=services.db,
                       config_file=path)
    assert path.read_text(encoding="utf-8") == "[printer]\nwidth = 72\n"


def test_pin_change_on_the_pad(make_services: Any) -> None:
    services = make_services()
    admin = services.admin
    with pytest.raises(SettingsError, match="原密码不正确"):
        change_pin(admin, services.db, "111111", "24681357", "24681357")
    with pytest.raises(SettingsError, match="两次输入"):
        change_pin(admin, services.db, "123456", "24681357", "24681358")
    with pytest.raises(SettingsError, match="6 至 8 位"):
        change_pin(admin, services.db, "123456", "1234", "1234")
    assert admin.uses_factory_pin() and admin.locked_for() == 0  # no lock-out from these
    change_pin(admin, services.db, "123456", "24681357", "24681357")
    assert not admin.uses_factory_pin() and pin_matches(admin, "24681357")
    assert [b["action"] for b in _audit_outbox(services.db)] == ["admin_pin_changed"]


def test_admin_log_in_and_out_reach_the_outbox_once(make_services: Any) -> None:
    services = make_services()
    assert services.admin.check("123456").ok
    services.admin.log_exit("idle")
    assert flush_audit_log(services.db) == 2
    assert flush_audit_log(services.db) == 0
    sent = _audit_outbox(services.db)
    assert [b["action"] for b in sent] == ["admin_login", "admin_logout"]
    assert sent[1]["detail"] == {"reason": "idle"}


def test_enrollment_needs_a_server_address(make_services: Any) -> None:
    services = make_services()
    with pytest.raises(SettingsError, match="请先设置中心服务器地址"):
        enroll(services.config, services.db, services.dirs.data, "K7QM3XPA")


def test_enrollment_with_a_real_server(make_services: Any, tmp_path: Path) -> None:
    testing = pytest.importorskip("central.testing")
    services = make_services()
    with testing.running_central(tmp_path / "central") as (store, server):
        change_setting(services.config, "sync.server_url", server.url, db=services.db,
                       config_file=services.dirs.config_file)
        with pytest.raises(SettingsError, match="登记码无效"):
            enroll(services.config, services.db, services.dirs.data, "ZZZZ-ZZZZ")
        code = testing.auth.issue_enroll_code(store, services.config.station.code)
        kiosk_id = enroll(services.config, services.db, services.dirs.data, code.lower())
    assert kiosk_id
    actions = [b["action"] for b in _audit_outbox(services.db)]
    assert actions == ["setting_changed", "kiosk_enrolled"]
