"""A demo kiosk and the reference central server end to end, over loopback HTTP.

What the running kiosk wires together (kiosk.background.start_sync): a submission committed
at the kiosk wakes the worker and reaches the server exactly once; a resident's facts arrive
at identification; a policy pack published centrally goes into force at the kiosk, and a
broken one is refused while the last good pack stays.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from central import auth
from central.facts import import_facts
from central.models import Received
from central.policies import publish_pack
from central.server import ServerThread
from central.testing import running_central
from kiosk.background import start_sync
from kiosk.jobs.submissions import request_callback
from kiosk.paths import resource
from kiosk.store.models import OutboxRecord
from kiosk.sync import enroll_kiosk
from ui.launch import build_ui

ID = "120111197403150032"


@pytest.fixture
def central(tmp_path: Path) -> Iterator[tuple[Any, ServerThread]]:
    with running_central(tmp_path / "central") as pair:
        yield pair


@pytest.fixture
def kiosk(central: tuple[Any, ServerThread], make_services: Any) -> Any:
    store, server = central
    services = make_services()
    code = auth.issue_enroll_code(store, services.config.station.code)
    enroll_kiosk(services.db, services.dirs.data, server.url, code,
                 services.config.station.code)
    assert start_sync(services) is not None
    return services


def _received(store: Any, kind: str) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.count()).select_from(Received)
                            .where(Received.kind == kind)) or 0)


def test_submission_reaches_the_server_once(central: tuple[Any, ServerThread], kiosk: Any,
                                            qtbot: QtBot) -> None:
    store, _server = central
    row = request_callback(kiosk.db, None, "13812345678", "今天上午", "找工作",
                           kiosk.config.station.code)

    def acked() -> bool:
        with kiosk.db.read() as s:
            return s.scalar(select(OutboxRecord.state)
                            .where(OutboxRecord.kind == "callback_request")) == "acked"

    qtbot.waitUntil(acked, timeout=10_000)  # the commit nudged the worker: no timer wait
    assert _received(store, "callback_request") == 1
    assert row.number


class _Card:
    id_number = ID
    name = "王建国"
    card_type = "resident"
    gender = "男"
    birth_date = date(1974, 3, 15)
    address = "天津市西青区杨柳青镇"
    valid_to = None

    def is_expired(self, on: date) -> bool:
        return False


def test_central_facts_arrive_at_identification(central: tuple[Any, ServerThread],
                                                kiosk: Any, qtbot: QtBot) -> None:
    store, _server = central
    import_facts(store, [{"id_number": ID, "hukou_tianjin": True,
                          "employment_status": "unemployed"}], as_of="2026-11-01")
    ui = build_ui(kiosk)
    try:
        ui.window.on_card(_Card())
        session = kiosk.session
        qtbot.waitUntil(lambda: session.facts.get("employment_status") == "unemployed",
                        timeout=10_000)
        assert session.fact_sources["hukou_tianjin"] == "central"
        ui.window.end_session()
        assert session.facts == {}
    finally:
        ui.close()
        ui.window.deleteLater()


def test_published_pack_goes_into_force(
        central: tuple[Any, ServerThread], kiosk: Any, qtbot: QtBot, tmp_path: Path) -> None:
    store, _server = central
    pack = tmp_path / "pack"
    shutil.copytree(resource("policies"), pack)
    text = (pack / "pack.yaml").read_text(encoding="utf-8")
    old = kiosk.policies.current.version
    (pack / "pack.yaml").write_text(text.replace(f"version: \"{old}\"", 'version: "2099.1"')
                                    .replace(f"version: {old}", 'version: "2099.1"'),
                                    encoding="utf-8")
    publish_pack(store, pack)
    kiosk.sync.nudge()
    qtbot.waitUntil(lambda: kiosk.policies.current.version == "2099.1", timeout=15_000)


def test_a_cached_pack_that_fails_validation_keeps_the_last_good_one(make_services: Any) -> None:
    """Defence in depth: even if a broken pack reached the local cache, it is not put in
    force (the sync layer already refuses it on pull)."""
    import json

    from kiosk.background import PackUpdater
    from kiosk.store.models import SyncEntity

    services = make_services()
    good = services.policies.current.version
    files = {p.name: p.read_text(encoding="utf-8") for p in resource("policies").glob("*.yaml")}
    files["pack.yaml"] = files["pack.yaml"].replace(f'version: "{good}"', 'version: "2099.9"')
    first = next(name for name in files if name not in ("pack.yaml", "common.yaml",
                                                        "questions.yaml"))
    files[first] = files[first] + "\nconditions: [this is: not: valid\n"
    with services.db.write() as s:
        s.add(SyncEntity(stream="policy_packs", id="rule-pack", version=99,
                         data=json.dumps({"files": files})))
    PackUpdater(services)()
    assert services.policies.current.version == good
