"""一键申报 on a real SQLite file: the application row and its outbox record in one
transaction, no second open application, nothing written when anything fails."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from kiosk.eligibility import Decision, RulePack, Status, evaluate, load_pack
from kiosk.eligibility.apply import (
    DuplicateApplicationError,
    NotApplicableError,
    list_applications,
    open_application,
    submit_application,
)
from kiosk.identity import check_character
from kiosk.paths import resource
from kiosk.session import Resident
from kiosk.store.engine import Database
from kiosk.store.models import Application, OutboxRecord

ON = date(2026, 11, 26)
ID17 = "12011119810315002"
ID_NUMBER = ID17 + check_character(ID17)
STATION = "XQ-YLQ-01"
FACTS = {
    "gender": "female", "birth_date": "1981-03-15", "hukou_tianjin": True,
    "owns_contracted_farmland": False, "employment_status": "unemployed",
    "unemployment_registered_on": "2026-03-01", "ui_contribution_months": 60,
    "difficulty_certified_on": None, "able_to_work": True, "willing_to_work": True,
    "received": [], "wants_to_start_business": True, "business_registered_on": None,
    "completed_entrepreneurship_training_on": None,
}


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack(resource("policies"))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "k.db").open()
    yield database
    database.close()


@pytest.fixture
def resident() -> Resident:
    return Resident(id_number=ID_NUMBER, name="李秀兰", card_type="resident", gender="female",
                    birth_date=date(1981, 3, 15), key="k" * 32)


def decision_for(pack: RulePack, policy: str, **changes: object) -> Decision:
    facts = {**FACTS, **changes}
    sources = {"able_to_work": "declared", "willing_to_work": "declared"}
    return {d.policy: d for d in evaluate(pack, facts, sources, ON)}[policy]


def counts(db: Database) -> tuple[int, int]:
    with db.read() as s:
        return (s.scalar(select(func.count()).select_from(Application)) or 0,
                s.scalar(select(func.count()).select_from(OutboxRecord)) or 0)


def test_submit_writes_application_and_outbox_together(pack: RulePack, db: Database,
                                                       resident: Resident) -> None:
    decision = decision_for(pack, "difficulty-recognition")
    assert decision.status is Status.ELIGIBLE and decision.likely
    app = submit_application(db, resident, decision, STATION,
                             declared={"able_to_work": True, "willing_to_work": True})
    assert app.number.startswith("SQ-YLQ01-") and app.token
    assert (app.policy_id, app.rule_pack, app.status) == ("difficulty-recognition",
                                                          pack.version, "submitted")
    assert (app.name_masked, app.id_masked) == ("李*兰", ID_NUMBER[:6] + "********"
                                                + ID_NUMBER[-4:])
    assert Decision.from_json(json.loads(app.decision)) == decision
    assert ID_NUMBER not in app.decision  # the local row never holds the full number

    with db.read() as s:
        record = s.scalars(select(OutboxRecord)).one()
        stored = s.get(Application, app.id)
    assert stored is not None and stored.number == app.number
    assert (record.kind, record.state) == ("application", "pending")
    body = json.loads(record.body)
    assert body["application_id"] == app.id and body["number"] == app.number
    assert body["resident"]["id_number"] == ID_NUMBER and body["resident"]["name"] == "李秀兰"
    assert body["policy"] == "difficulty-recognition" and body["rule_pack"] == pack.version
    assert body["decision"]["status"] == "eligible" and body["decision"]["likely"] is True
    assert body["declared"] == {"able_to_work": True, "willing_to_work": True}
    assert body["station_code"] == STATION


def test_second_open_application_is_refused(pack: RulePack, db: Database,
                                            resident: Resident) -> None:
    decision = decision_for(pack, "entrepreneurship-training")
    first = submit_application(db, resident, decision, STATION)
    with pytest.raises(DuplicateApplicationError) as info:
        submit_application(db, resident, decision, STATION)
    assert info.value.existing_number == first.number
    assert first.number in info.value.message and "无需重复提交" in info.value.message
    assert counts(db) == (1, 1)
    # another policy, or another resident, is fine
    submit_application(db, resident, decision_for(pack, "difficulty-recognition"), STATION)
    other = Resident(id_number="110101199003070014", name="王强", card_type="resident",
                     gender="male", birth_date=date(1990, 3, 7), key="o" * 32)
    submit_application(db, other, decision, STATION)
    assert counts(db) == (3, 3)


def test_a_closed_application_allows_a_new_one(pack: RulePack, db: Database,
                                               resident: Resident) -> None:
    decision = decision_for(pack, "entrepreneurship-training")
    first = submit_application(db, resident, decision, STATION)
    with db.write() as s:
        row = s.get(Application, first.id)
        assert row is not None
        row.status = "rejected"
    assert open_application(db, resident.key, decision.policy) is None
    second = submit_application(db, resident, decision, STATION)
    assert open_application(db, resident.key, decision.policy).number == second.number  # type: ignore[union-attr]


def test_ineligible_decision_is_not_submitted(pack: RulePack, db: Database,
                                              resident: Resident) -> None:
    decision = decision_for(pack, "difficulty-recognition", hukou_tianjin=False)
    assert decision.status is Status.INELIGIBLE
    with pytest.raises(NotApplicableError) as info:
        submit_application(db, resident, decision, STATION)
    assert "暂不符合" in info.value.message and "ineligible" in str(info.value)
    assert counts(db) == (0, 0)


def test_needs_info_decision_can_be_submitted_for_staff_review(pack: RulePack, db: Database,
                                                               resident: Resident) -> None:
    decision = {d.policy: d for d in evaluate(
        pack, {k: v for k, v in FACTS.items() if k != "hukou_tianjin"}, {}, ON)}[
        "difficulty-recognition"]
    assert decision.status is Status.NEEDS_INFO
    app = submit_application(db, resident, decision, STATION)
    assert json.loads(app.decision)["missing"] == ["hukou_tianjin"]


def test_nothing_is_written_when_the_outbox_write_fails(pack: RulePack, db: Database,
                                                        resident: Resident) -> None:
    with db.write() as s:
        s.execute(text("DROP TABLE outbox"))
    with pytest.raises(Exception, match="outbox"):
        submit_application(db, resident, decision_for(pack, "difficulty-recognition"),
                           STATION)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Application)) == 0


def test_two_simultaneous_taps_give_one_application(pack: RulePack, db: Database,
                                                    resident: Resident) -> None:
    decision = decision_for(pack, "difficulty-recognition")
    start = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []
    lock = threading.Lock()

    def tap() -> None:
        start.wait()
        try:
            submit_application(db, resident, decision, STATION)
            result = "ok"
        except DuplicateApplicationError:
            result = "duplicate"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=tap, name=f"tap-{i}") for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["duplicate", "ok"]
    assert counts(db) == (1, 1)


def test_list_applications_newest_first(pack: RulePack, db: Database,
                                        resident: Resident) -> None:
    assert list_applications(db, resident.key) == []
    first = submit_application(db, resident, decision_for(pack, "difficulty-recognition"),
                               STATION)
    second = submit_application(db, resident, decision_for(pack, "entrepreneurship-training"),
                                STATION)
    listed = list_applications(db, resident.key)
    assert [a.number for a in listed] == [second.number, first.number]
    assert listed[0].policy_name == "创业培训（“马兰花”计划）补贴"
    assert list_applications(db, "x" * 32) == []


def test_resident_without_key_is_a_programming_error(pack: RulePack, db: Database) -> None:
    anonymous = Resident(id_number=ID_NUMBER, name="李秀兰", card_type="resident",
                         gender="female", birth_date=date(1981, 3, 15))
    with pytest.raises(ValueError, match="pseudonym"):
        submit_application(db, anonymous, decision_for(pack, "difficulty-recognition"),
                           STATION)
