"""What goes on each document, in what order: the content side of the layout engine.

Wording is for residents, many of them elderly: short lines, the number they will be asked
for printed large, and one clear "what next" with a place and a date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, ClassVar, Protocol, cast

from kiosk.documents.layout import Flow, PageSpec, render_pdf
from kiosk.documents.model import (
    ApplicationReceipt,
    CallbackSlip,
    Document,
    JobSlip,
    PolicyGuide,
    PrinterTestPage,
    RegistrationSlip,
    SignupSlip,
    Station,
    VisitSlip,
)
from kiosk.documents.privacy import PrivacyError

BRAND = "乐业西青"
MATCHMAKER_ROUTE = "请联系服务站就业红娘"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def qr_url(base_url: str, token: str) -> str:
    """``base_url + token``; the token must look opaque (it is checked, not trusted)."""
    if not _TOKEN.match(token):
        raise PrivacyError("QR token must be an opaque random string (8-64 URL-safe chars)")
    return base_url + token


def when(dt: datetime) -> str:
    return f"{dt.year}年{dt.month}月{dt.day}日 {dt:%H:%M}"


def _header(flow: Flow, title: str, station: Station) -> None:
    flow.text(f"{BRAND} · 就业服务", size=flow.spec.small, align="center")
    flow.title(title)
    flow.text(station.name, size=flow.spec.small, align="center")
    flow.rule(dashed=False)


def _footer(flow: Flow, station: Station, printed: datetime, extra: Sequence[str] = ()) -> None:
    flow.rule()
    small = flow.spec.small
    flow.text(station.name, size=small)
    flow.text(f"地址：{station.address}", size=small)
    if station.hours:
        flow.text(f"办公时间：{station.hours}", size=small)
    if station.phone:
        flow.text(f"服务站电话：{station.phone}", size=small)
    for line in extra:
        flow.text(line, size=small)
    flow.text(f"打印时间：{when(printed)}", size=small)


def _qr(flow: Flow, base_url: str, token: str | None, caption: str) -> None:
    if token:
        flow.space(flow.spec.body * 0.3)
        flow.qr(qr_url(base_url, token), caption)


def _number(flow: Flow, label: str, number: str) -> None:
    flow.text(label, size=flow.spec.small, align="center")
    flow.big(number)
    flow.space(flow.spec.body * 0.2)


def build_application(flow: Flow, d: ApplicationReceipt, base_url: str) -> None:
    _header(flow, "申请回执", d.station)
    _number(flow, "申请编号（查询时请报此号）", d.number)
    flow.fields([("申请人", d.name_masked), ("证件号", d.id_masked),
                 ("申请事项", d.policy_name), ("提交时间", when(d.submitted_at))])
    flow.rule()
    flow.heading(f"初步判断：{d.decision}")
    flow.bullets(d.reasons)
    flow.fields([("预计金额", d.amount or "以审核结果为准")])
    flow.heading("还需准备的材料")
    if d.materials_needed:
        flow.bullets(d.materials_needed, numbered=True)
    else:
        flow.text("无需补交材料")
    flow.heading("下一步")
    flow.text(d.where_to_go)
    flow.fields([("办理期限", d.deadline)])
    _qr(flow, base_url, d.token, "手机扫码查看办理进度")
    flow.text("以上为自助机初步判断，最终以人社部门审核结果为准。", size=flow.spec.small)
    _footer(flow, d.station, d.submitted_at, [f"规则版本：{d.rule_pack}"])


def build_job(flow: Flow, d: JobSlip, base_url: str) -> None:
    _header(flow, "职位信息", d.station)
    flow.text(d.title, size=flow.spec.big, bold=True, align="center")
    flow.space(flow.spec.body * 0.3)
    rows = [("用人单位", d.employer), ("薪资待遇", d.pay), ("工作地点", d.address)]
    if d.work_hours:
        rows.append(("工作时间", d.work_hours))
    if d.headcount:
        rows.append(("招聘人数", d.headcount))
    rows.append(("职位编号", d.job_number))
    flow.fields(rows)
    if d.requirements:
        flow.heading("岗位要求")
        flow.bullets(d.requirements)
    if d.benefits:
        flow.heading("福利待遇")
        flow.bullets(d.benefits)
    flow.rule()
    flow.heading("如何报名")
    flow.text(f"{MATCHMAKER_ROUTE}，或在自助机上点“我要报名”。")
    _qr(flow, base_url, d.token, "手机扫码查看职位详情")
    _footer(flow, d.station, d.printed_at)


def build_signup(flow: Flow, d: SignupSlip, base_url: str) -> None:
    _header(flow, "报名回执", d.station)
    _number(flow, "报名编号", d.number)
    rows = [("报名人", d.name_masked)]
    if d.phone_masked:
        rows.append(("联系电话", d.phone_masked))
    rows += [("报名职位", d.job_title), ("用人单位", d.employer), ("报名时间", when(d.signed_at))]
    flow.fields(rows)
    flow.rule()
    flow.heading("下一步")
    flow.text("服务站就业红娘将在3个工作日内与您电话联系，请保持电话畅通。")
    flow.text(f"如有疑问，{MATCHMAKER_ROUTE}。")
    _qr(flow, base_url, d.token, "手机扫码查看报名进度")
    _footer(flow, d.station, d.signed_at)


def build_registration(flow: Flow, d: RegistrationSlip, base_url: str) -> None:
    _header(flow, "求职登记回执", d.station)
    _number(flow, "登记编号", d.number)
    flow.fields([("登记人", d.name_masked), ("联系电话", d.phone_masked),
                 ("意向工种", "、".join(d.job_types) or "不限"),
                 ("意向行业", "、".join(d.industries) or "不限"),
                 ("意向地点", "、".join(d.towns) or "不限"),
                 ("期望薪资", d.salary or "面议"),
                 ("登记时间", when(d.registered_at))])
    if d.note:
        flow.fields([("备注", d.note)])
    flow.rule()
    flow.text("有合适的职位时，就业红娘会与您联系。登记信息有变化，可随时在自助机上修改。")
    _qr(flow, base_url, d.token, "手机扫码查看推荐职位")
    _footer(flow, d.station, d.registered_at)


def build_callback(flow: Flow, d: CallbackSlip, base_url: str) -> None:
    _header(flow, "呼叫回执", d.station)
    _number(flow, "呼叫编号", d.number)
    rows = [("称呼", d.name_masked)] if d.name_masked else []
    rows += [("回电号码", d.phone_masked), ("咨询事项", d.topic or "就业咨询"),
             ("方便时间", d.preferred_time or "工作时间均可"), ("呼叫时间", when(d.requested_at))]
    flow.fields(rows)
    flow.rule()
    flow.text("就业红娘已收到您的呼叫，将在工作时间内给您回电，请留意来电。")
    _qr(flow, base_url, d.token, "手机扫码查看处理情况")
    _footer(flow, d.station, d.requested_at)


def build_visit(flow: Flow, d: VisitSlip, base_url: str) -> None:
    _header(flow, "排队凭条", d.station)
    flow.text("您的号码", size=flow.spec.small, align="center")
    flow.text(d.queue_number, size=flow.spec.title * 1.8, bold=True, align="center")
    rows = [("办理事项", d.service), ("办理地点", d.where)]
    if d.name_masked:
        rows.insert(0, ("取号人", d.name_masked))
    if d.waiting is not None:
        rows.append(("前面等候", f"{d.waiting} 人"))
    rows.append(("取号时间", when(d.issued_at)))
    flow.fields(rows)
    flow.rule()
    flow.text("请留意叫号，过号请重新取号。")
    _qr(flow, base_url, d.token, "手机扫码查看排队进度")
    _footer(flow, d.station, d.issued_at)


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def build_guide(flow: Flow, d: PolicyGuide, base_url: str) -> None:
    flow.text(f"{BRAND} · {d.station.name}", size=flow.spec.small, align="center")
    flow.title(d.title)
    flow.rule(dashed=False)
    for i, policy in enumerate(d.policies, 1):
        name = str(policy.get("name") or "").strip()
        if not name:
            raise ValueError(f"policy guide entry {i} has no name")
        flow.space(flow.spec.body * 0.3)
        flow.text(f"{i}. {name}", size=flow.spec.big, bold=True, keep_with_next=True)
        if policy.get("summary"):
            flow.text(str(policy["summary"]))
        rows = []
        if policy.get("amount"):
            rows.append(("补贴标准", str(policy["amount"])))
        if rows:
            flow.fields(rows)
        conditions = _as_list(policy.get("conditions"))
        if conditions:
            flow.heading("申请条件")
            flow.bullets(conditions)
        materials = _as_list(policy.get("materials"))
        if materials:
            flow.heading("所需材料")
            flow.bullets(materials, numbered=True)
        office_rows = [("办理地点", str(policy.get("office") or d.station.address))]
        if policy.get("hours"):
            office_rows.append(("办理时间", str(policy["hours"])))
        if policy.get("phone"):
            office_rows.append(("咨询电话", str(policy["phone"])))
        flow.space(flow.spec.body * 0.3)
        flow.fields(office_rows)
        if policy.get("note"):
            flow.text(str(policy["note"]), size=flow.spec.small)
        flow.rule()
    _qr(flow, base_url, d.token, "手机扫码查看最新政策")
    _footer(flow, d.station, d.printed_at,
            ["本指南仅供参考，具体以人社部门最新规定为准。"])


def build_test_page(flow: Flow, d: PrinterTestPage, base_url: str) -> None:
    _header(flow, "打印测试页", d.station)
    spec = flow.spec
    rows = [("打印机", d.printer), ("纸宽", spec.width if spec.width == "a4" else
                                     f"{spec.width} mm")]
    if spec.dots:
        rows.append(("点数", f"{spec.dots} 点/行"))
    rows += list(d.extra.items())
    flow.fields(rows)
    flow.rule(dashed=False)
    flow.text("中文测试：乐业西青 就业红娘 一键申报", size=spec.title, bold=True, align="center")
    flow.text("字号测试 Aa 0123456789 ￥元", align="center")
    flow.text("左对齐", size=spec.small)
    flow.text("右对齐", size=spec.small, align="right")
    _qr(flow, base_url, d.token, "扫码应打开测试地址")
    flow.text("如能看清以上文字并扫出二维码，打印机工作正常。", size=spec.small)
    _footer(flow, d.station, d.printed_at)


_BUILDERS: dict[type[Any], Callable[[Flow, Any, str], None]] = {
    ApplicationReceipt: build_application,
    JobSlip: build_job,
    SignupSlip: build_signup,
    RegistrationSlip: build_registration,
    CallbackSlip: build_callback,
    VisitSlip: build_visit,
    PolicyGuide: build_guide,
    PrinterTestPage: build_test_page,
}

_TITLES = {"application": "申请回执", "job": "职位信息", "signup": "报名回执",
           "registration": "求职登记回执", "callback": "呼叫回执", "visit": "排队凭条",
           "guide": "办事指南", "test": "打印测试页"}


class BuildsItself(Protocol):
    """A document defined outside this module (e.g. kiosk.activities.slips) that lays itself
    out with this module's helpers; ``title`` names it on paper and in the PDF."""

    kind: ClassVar[str]
    title: ClassVar[str]

    def build(self, flow: Flow, base_url: str) -> None: ...


def render(doc: Document | BuildsItself, *, width: str = "80", qr_base_url: str,
           dots: int | None = None) -> bytes:
    """The document as PDF bytes for paper ``width`` ("80", "58", "a4").

    Raises :class:`~kiosk.documents.privacy.PrivacyError` if any text would print a full
    ID number or an unmasked mobile number, and ``ValueError`` for an unknown width.
    """
    spec = PageSpec.for_width(width, dots)
    builder = _BUILDERS.get(type(doc))
    if builder is None:
        own = cast(BuildsItself, doc)
        flow = Flow(spec, title_text=own.title)
        own.build(flow, qr_base_url)
        return render_pdf(flow, subject=f"{BRAND} {own.title}")
    flow = Flow(spec, title_text=_TITLES[doc.kind])
    builder(flow, doc, qr_base_url)
    return render_pdf(flow, subject=f"{BRAND} {_TITLES[doc.kind]}")
