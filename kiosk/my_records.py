"""我的申请: everything one resident submitted at this kiosk, newest first, with its status.

A record's ``kind``, ``status`` and the kiosk's own titles are Chinese catalogue message ids
(marked with ``N_``); the screen shows them through ``tr`` in the resident's language. Data
(policy names, job titles, a status text written by the service centre) is not in the
catalogue and shows as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from kiosk.i18n import N_
from kiosk.store.engine import Database
from kiosk.store.models import Application, CallbackRequest, JobSignup, SeekerRegistration

APPLICATION_STATUS = {
    "submitted": N_("已提交，等待审核"),
    "received": N_("服务中心已收到"),
    "reviewing": N_("审核中"),
    "approved": N_("审核通过"),
    "rejected": N_("未通过审核"),
    "paid": N_("已发放"),
}
CALLBACK_STATUS = {"new": N_("等待回电"), "called": N_("已回电"), "reached": N_("已联系上"),
                   "done": N_("已推荐岗位")}


@dataclass(frozen=True)
class MyRecord:
    kind: str  # 政策申请 / 岗位报名 / 求职登记 / 呼叫红娘 (message ids: shown through tr)
    number: str
    title: str
    status: str
    created_at: datetime


def list_my_records(db: Database, resident_key: str, limit: int = 50) -> list[MyRecord]:
    out: list[MyRecord] = []
    with db.read() as s:
        for a in s.scalars(select(Application).where(Application.resident_key == resident_key)):
            status = a.status_text or APPLICATION_STATUS.get(a.status, a.status)
            out.append(MyRecord(N_("政策申请"), a.number, a.policy_name, status, a.created_at))
        for j in s.scalars(select(JobSignup).where(JobSignup.resident_key == resident_key)):
            out.append(MyRecord(N_("岗位报名"), j.number, f"{j.job_title}（{j.employer_name}）",
                                N_("已报名，3个工作日内联系您"), j.created_at))
        for r in s.scalars(select(SeekerRegistration)
                           .where(SeekerRegistration.resident_key == resident_key)):
            out.append(MyRecord(N_("求职登记"), r.number, N_("求职意向登记"), N_("已登记"),
                                r.created_at))
        for c in s.scalars(select(CallbackRequest)
                           .where(CallbackRequest.resident_key == resident_key)):
            out.append(MyRecord(N_("呼叫红娘"), c.number, c.topic or N_("请就业红娘回电"),
                                CALLBACK_STATUS.get(c.state, c.state), c.created_at))
    out.sort(key=lambda r: r.created_at, reverse=True)
    return out[:limit]
