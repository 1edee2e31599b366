"""The station health model: each device and service, its cause in words and its fix."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from drivers.printer.base import Paper, PrinterStatus
from drivers.printer.simulator import PrinterSimulator
from kiosk.station_status import (
    ACTION_ENROLL,
    ACTION_QUEUE,
    ACTION_SYNC_NOW,
    ACTION_TEST_PRINT,
    ACTION_TEST_READER,
    FAULT,
    OK,
    UNKNOWN,
    WARN,
    QueueSnapshot,
    ReaderState,
    _from_outbox,
    check_station,
    clock_health,
    disk_health,
    printer_health,
    problem_records,
    queue_health,
    queue_snapshot,
    reader_health,
    requeue,
)
from kiosk.store.models import OutboxRecord
from kiosk.store.outbox import enqueue

Usage = namedtuple("Usage", "total used free")
PLENTY = Usage(10 * 1024**3, 0, 10 * 1024**3)


@pytest.fixture
def printer_sim() -> Iterator[PrinterSimulator]:
    sim = PrinterSimulator("tcp", paper="out")
    sim.start()
    yield sim
    sim.stop()


def _check(services: Any, reader: ReaderState | None = None, **kwargs: Any) -> Any:
    return check_station(services.config, services.db, services.dirs.data,
                         reader or ReaderState("simulated", "ok"),
                         check_printer=services.printing.check,
                         disk_usage=kwargs.pop("disk_usage", lambda _p: PLENTY), **kwargs)


def test_healthy_demo_kiosk(make_services: Any) -> None:
    health = _check(make_services())
    assert [i.key for i in health.items] == ["reader", "printer", "network", "queue", "disk",
                                             "clock"]
    assert health.get("reader").state == OK
    assert health.get("printer").state == OK  # PDF folder
    assert health.get("queue").state == OK and "全部记录都已发送" in health.get("queue").cause
    assert health.get("disk").state == OK
    assert health.can_serve


def test_unplugged_reader_is_red_with_its_cause() -> None:
    item = reader_health(ReaderState("serial", "fault",
                                     "cannot open /dev/ttyUSB0: No such file or directory"))
    assert item.state == FAULT and item.symbol == "✖" and item.state_word == "故障"
    assert "找不到读卡器" in item.cause and "USB" in item.cause
    assert item.action == ACTION_TEST_READER and item.action_label == "测试读卡"
    assert "/dev/ttyUSB0" in item.detail
    silent = reader_health(ReaderState("serial", "fault", "no answer to SAM status on x"))
    assert silent.state == FAULT and "安全模块" in silent.cause
    timeout = reader_health(ReaderState("serial", "fault", "read timeout on /dev/ttyS0"))
    assert "没有回应" in timeout.cause
    assert reader_health(ReaderState("none")).state == UNKNOWN
    assert reader_health(ReaderState("simulated", "starting")).state == UNKNOWN


def test_paper_out_on_a_real_tcp_printer(make_services: Any,
                                        printer_sim: PrinterSimulator) -> None:
    services = make_services(f'[printer]\nbackend = "escpos-tcp"\nhost = "127.0.0.1"\n'
                             f'tcp_port = {printer_sim.port}\nstatus_timeout_s = 0.3\n')
    health = _check(services)
    printer = health.get("printer")
    assert printer.state == FAULT and "缺纸" in printer.cause
    assert printer.action == ACTION_TEST_PRINT and printer.action_label == "打印测试页"
    assert "paper out" in printer.detail
    printer_sim.set_paper("low")
    assert _check(services).get("printer").state == WARN
    printer_sim.set_paper("ok")
    assert _check(services).get("printer").state == OK


def test_printer_words() -> None:
    assert printer_health("none", None).state == UNKNOWN
    assert printer_health("escpos-tcp", PrinterStatus(online=False, detail="refused")
                          ).state == FAULT
    cover = printer_health("escpos-serial", PrinterStatus(online=True, paper=Paper.OK,
                                                          cover_open=True))
    assert cover.state == FAULT and "盖" in cover.cause
    silent = printer_health("escpos-tcp", PrinterStatus())
    assert silent.state == UNKNOWN and "无法确认" in silent.cause


def test_offline_kiosk_says_not_enrolled(make_services: Any) -> None:
    health = _check(make_services())
    network = health.get("network")
    assert network.state == WARN and "未登记到中心服务器" in network.cause
    assert network.action == ACTION_ENROLL
    assert health.get("clock").state == UNKNOWN


def _age(services: Any, record_id: str, hours: float) -> None:
    with services.db.write() as s:
        s.execute(update(OutboxRecord).where(OutboxRecord.id == record_id).values(
            created_local=datetime.now(UTC) - timedelta(hours=hours)))


def test_queue_backlog_and_rejected_records(make_services: Any) -> None:
    services = make_services()
    with services.db.write() as s:
        ids = [enqueue(s, "application", {"n": i}).id for i in range(120)]
    _age(services, ids[0], 30)
    queue = queue_snapshot(services.db, services.config)
    assert queue.pending == 120 and queue.pending_by_kind == {"application": 120}
    assert queue.oldest_pending_age_s is not None and queue.oldest_pending_age_s > 24 * 3600
    item = queue_health(queue)
    assert item.state == WARN and "超过 24 小时" in item.cause and "120 条待发送" in item.cause
    assert "30 小时" in item.cause
    assert item.action == ACTION_ENROLL  # not enrolled: sending needs enrollment first

    with services.db.write() as s:
        s.execute(update(OutboxRecord).where(OutboxRecord.id.in_(ids[:3])).values(
            state="rejected", last_error="invalid: bad schema"))
    item = queue_health(queue_snapshot(services.db, services.config))
    assert item.state == FAULT and "3 条记录被中心服务器退回" in item.cause
    assert item.action == ACTION_QUEUE
    problems = problem_records(services.db)
    assert [p.id for p in problems] == ids[:3] and problems[0].last_error.startswith("invalid")
    assert requeue(services.db, [p.id for p in problems]) == 3
    with services.db.read() as s:
        states = set(s.scalars(select(OutboxRecord.state)))
    assert states == {"pending"}


def test_outbox_fallback_matches_the_sync_layer(make_services: Any) -> None:
    """Without kiosk.sync the dashboard reads the same counts from the outbox itself."""
    services = make_services()
    with services.db.write() as s:
        for i in range(5):
            enqueue(s, "rating" if i % 2 else "audit", {"n": i})
    fallback = _from_outbox(services.db, services.config)
    assert fallback.pending == 5 and fallback.pending_by_kind == {"audit": 3, "rating": 2}
    assert not fallback.enrolled and fallback.source == "outbox"
    via_sync = queue_snapshot(services.db, services.config)
    assert via_sync.pending_by_kind == fallback.pending_by_kind


def test_enrolled_kiosk_with_the_server_down(make_services: Any, tmp_path: Path) -> None:
    testing = pytest.importorskip("central.testing")
    services = make_services()
    with testing.running_central(tmp_path / "central") as (store, server):
        url = server.url
        code = testing.auth.issue_enroll_code(store, services.config.station.code)
        from kiosk.sync import enroll_kiosk

        enroll_kiosk(services.db, services.dirs.data, url, code, services.config.station.code)
    services.config.sync.server_url = url
    engine = testing.sync_engine(services.db, services.dirs.data.parent,
                                 config=services.config.sync)
    engine.run_once()  # the server is gone now
    health = _check(services, engine=engine)
    network = health.get("network")
    assert network.state == WARN and "连不上中心服务器" in network.cause
    assert network.action == "reconnect" and network.action_label == "重新连接"


def test_disk_thresholds(make_services: Any) -> None:
    assert disk_health(5 * 1024**3).state == OK
    low = disk_health(700 * 1024**2)
    assert low.state == WARN and "700 MB" in low.cause
    full = disk_health(50 * 1024**2)
    assert full.state == FAULT and "几乎已满" in full.cause
    health = _check(make_services(), disk_usage=lambda _p: Usage(1, 1, 10 * 1024**2))
    assert not health.can_serve and "存储" in (health.maintenance_reason or "")


def test_clock_offset() -> None:
    assert clock_health(QueueSnapshot(enrolled=True, clock_offset_s=12.0)).state == OK
    slow = clock_health(QueueSnapshot(enrolled=True, clock_offset_s=-420.0))
    assert slow.state == WARN and "慢 7 分钟" in slow.cause
    assert slow.action == ACTION_SYNC_NOW


def test_maintenance_banner_rule(make_services: Any) -> None:
    """Residents are told the kiosk cannot serve only when no way round is left."""
    services = make_services('[printer]\nbackend = "escpos-tcp"\nhost = "127.0.0.1"\n'
                             'tcp_port = 9\nstatus_timeout_s = 0.2\n')  # nothing listens
    broken_reader = ReaderState("serial", "fault", "cannot open /dev/ttyUSB0")
    both = _check(services, broken_reader)
    assert both.get("printer").state == FAULT and both.get("reader").state == FAULT
    assert not both.can_serve and "读卡器和打印机" in (both.maintenance_reason or "")
    reader_only = _check(make_services(), broken_reader)
    assert reader_only.can_serve and reader_only.get("reader").state == FAULT
