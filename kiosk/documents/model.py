"""What each printed document says, as plain data (no rendering, no database rows).

Callers fill these with already-masked personal data (kiosk.identity.mask_*); the renderer
refuses any full ID number or unmasked mobile number anyway. ``token`` is the opaque random
part of the QR URL (kiosk.records.new_token), never a name, number or ID.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar


@dataclass(frozen=True)
class Station:
    """The service station printed at the foot of every document."""

    name: str
    address: str
    hours: str = ""
    phone: str = ""  # the station's landline; a mobile number would be refused


@dataclass(frozen=True)
class ApplicationReceipt:
    """申请回执: proof of a policy application and what the resident must do next."""

    kind: ClassVar[str] = "application"
    number: str
    name_masked: str
    id_masked: str
    policy_name: str
    decision: str  # the judgement shown on screen, e.g. "初步符合申请条件"
    reasons: Sequence[str]
    amount: str | None  # e.g. "每月 1,200 元"; None prints "以审核结果为准"
    materials_needed: Sequence[str]
    where_to_go: str
    deadline: str  # e.g. "2026年12月10日前"
    station: Station
    submitted_at: datetime
    rule_pack: str
    token: str


@dataclass(frozen=True)
class JobSlip:
    """职位信息: one job, with the station as the only contact route (no employer phone)."""

    kind: ClassVar[str] = "job"
    job_number: str
    title: str
    employer: str
    pay: str
    address: str
    station: Station
    printed_at: datetime
    token: str
    work_hours: str = ""
    headcount: str = ""
    requirements: Sequence[str] = ()
    benefits: Sequence[str] = ()


@dataclass(frozen=True)
class SignupSlip:
    """报名回执: the resident signed up for a job; the matchmaker calls within 3 working days."""

    kind: ClassVar[str] = "signup"
    number: str
    name_masked: str
    job_title: str
    employer: str
    station: Station
    signed_at: datetime
    token: str
    phone_masked: str = ""


@dataclass(frozen=True)
class RegistrationSlip:
    """求职登记回执: what the resident is looking for, as registered."""

    kind: ClassVar[str] = "registration"
    number: str
    name_masked: str
    phone_masked: str
    job_types: Sequence[str]
    industries: Sequence[str]
    towns: Sequence[str]
    salary: str
    station: Station
    registered_at: datetime
    token: str
    note: str = ""


@dataclass(frozen=True)
class CallbackSlip:
    """呼叫回执: the station's matchmaker will call the resident back."""

    kind: ClassVar[str] = "callback"
    number: str
    phone_masked: str
    topic: str
    preferred_time: str
    station: Station
    requested_at: datetime
    token: str
    name_masked: str = ""


@dataclass(frozen=True)
class VisitSlip:
    """排队凭条: a queue number for an in-person service at the station."""

    kind: ClassVar[str] = "visit"
    queue_number: str
    service: str
    where: str
    station: Station
    issued_at: datetime
    waiting: int | None = None
    token: str | None = None
    name_masked: str = ""


@dataclass(frozen=True)
class PolicyGuide:
    """办事指南 (normally A4): for each policy its conditions, materials and office.

    ``policies`` are simple dicts: ``name`` (required), ``summary``, ``amount``,
    ``conditions`` (list), ``materials`` (list), ``office``, ``hours``, ``phone``, ``note``.
    """

    kind: ClassVar[str] = "guide"
    policies: Sequence[Mapping[str, Any]]
    station: Station
    printed_at: datetime
    title: str = "就业创业政策办事指南"
    token: str | None = None


@dataclass(frozen=True)
class PrinterTestPage:
    """打印测试页: what a technician prints to check width, darkness, QR and the cutter."""

    kind: ClassVar[str] = "test"
    station: Station
    printer: str
    printed_at: datetime
    token: str
    extra: Mapping[str, str] = field(default_factory=dict)


Document = (ApplicationReceipt | JobSlip | SignupSlip | RegistrationSlip | CallbackSlip
            | VisitSlip | PolicyGuide | PrinterTestPage)

KINDS: dict[str, type[Any]] = {cls.kind: cls for cls in (
    ApplicationReceipt, JobSlip, SignupSlip, RegistrationSlip, CallbackSlip, VisitSlip,
    PolicyGuide, PrinterTestPage)}
