"""一键申报: turning a decision into an application, queued for the server in one transaction.

The application row (what the resident sees under 我的申请 and on the receipt, masked) and
its outbox record (everything the server needs, the full ID number included) are written in
the same ``db.write()`` transaction: a power cut leaves both or neither, never a receipt
for something the server will not hear about. The check for an open application of the
same policy runs inside that transaction too, so two taps cannot both pass it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from kiosk.eligibility.engine import Decision, Status
from kiosk.i18n import tr
from kiosk.records import new_number, new_token
from kiosk.session import Resident
from kiosk.store.engine import Database
from kiosk.store.models import Application
from kiosk.store.outbox import enqueue

__all__ = [
    "CLOSED_STATUSES",
    "ApplicationError",
    "DuplicateApplicationError",
    "NotApplicableError",
    "list_applications",
    "open_application",
    "submit_application",
]

# Application.status values after which a new application for the same policy is allowed;
# anything else ("submitted", "received", "reviewing", ...) counts as still open.
CLOSED_STATUSES = frozenset({"approved", "rejected", "withdrawn", "cancelled", "closed",
                             "completed"})


class ApplicationError(Exception):
    """An application the kiosk refuses; ``message`` is for the resident, in their language
    (made with ``tr`` when raised), ``detail`` for the log."""

    def __init__(self, message: str, detail: str = "") -> None:
        self.message = message
        self.detail = detail or message
        super().__init__(self.detail)


class DuplicateApplicationError(ApplicationError):
    """The resident already has an open application for this policy."""

    def __init__(self, policy_name: str, existing_number: str) -> None:
        self.existing_number = existing_number
        super().__init__(
            tr("您已提交过“{policy}”的申请（编号 {number}），正在办理中，无需重复提交。")
            .format(policy=policy_name, number=existing_number),
            f"open application {existing_number} exists for this policy")


class NotApplicableError(ApplicationError):
    """The decision says the resident does not qualify, so there is nothing to submit."""


def open_application(db: Database, resident_key: str, policy_id: str) -> Application | None:
    """The resident's open application for ``policy_id``, if any."""
    with db.read() as session:
        return _open(session, resident_key, policy_id)


def _open(session: Any, resident_key: str, policy_id: str) -> Application | None:
    return session.scalars(
        select(Application)
        .where(Application.resident_key == resident_key,
               Application.policy_id == policy_id,
               Application.status.not_in(CLOSED_STATUSES))
        .order_by(Application.created_at.desc())
        .limit(1)).first()


def submit_application(db: Database, resident: Resident, decision: Decision,
                       station_code: str, *, declared: dict[str, Any] | None = None
                       ) -> Application:
    """Write the application and its outbox record together; returns the stored row.

    Refuses with :class:`NotApplicableError` when the decision is *ineligible* and with
    :class:`DuplicateApplicationError` when an application for the same policy is still
    open. ``declared``: the facts the resident declared on screen (sent for staff to check).
    """
    if not resident.key:
        raise ValueError("resident has no pseudonym key (Services.resident_from_card sets it)")
    if decision.status is Status.INELIGIBLE:
        raise NotApplicableError(
            tr("根据现有信息，您暂不符合“{policy}”的条件，如有疑问请咨询工作人员。").format(
                policy=decision.name or decision.policy),
            f"decision for {decision.policy} is ineligible")
    snapshot = decision.to_json()
    now = datetime.now(UTC)
    with db.write() as session:
        existing = _open(session, resident.key, decision.policy)
        if existing is not None:
            raise DuplicateApplicationError(decision.name or decision.policy, existing.number)
        row = Application(
            number=new_number("application", station_code),
            token=new_token(),
            created_at=now,
            resident_key=resident.key,
            name_masked=resident.name_masked,
            id_masked=resident.id_masked,
            policy_id=decision.policy,
            policy_name=decision.name or decision.policy,
            decision=json.dumps(snapshot, ensure_ascii=False, sort_keys=True),
            rule_pack=decision.rule_pack,
            status="submitted",
            status_text="已提交，等待审核",
        )
        session.add(row)
        session.flush()  # the row's id goes into the outbox body
        enqueue(session, "application", record_id=row.id, body={
            "application_id": row.id,
            "number": row.number,
            "token": row.token,
            "station_code": station_code,
            "submitted_at": now.isoformat(),
            "policy": decision.policy,
            "policy_name": row.policy_name,
            "mode": str(decision.mode),
            "rule_pack": decision.rule_pack,
            "decision": snapshot,
            "declared": dict(declared or {}),
            "resident": {
                "resident_key": resident.key,
                "id_number": resident.id_number,
                "name": resident.name,
                "gender": resident.gender,
                "birth_date": resident.birth_date.isoformat() if resident.birth_date else None,
                "card_type": resident.card_type,
            },
        })
    return row


def list_applications(db: Database, resident_key: str) -> list[Application]:
    """The resident's applications, newest first (for 我的申请)."""
    with db.read() as session:
        return list(session.scalars(
            select(Application)
            .where(Application.resident_key == resident_key)
            .order_by(Application.created_at.desc(), Application.id.desc())))
