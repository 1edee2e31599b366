"""Demo documents with realistic (invented, already masked) content.

Used by ``kiosk receipt sample``, the tests and the benchmark, so the sample a technician
prints is the same one the tests read back.
"""

from __future__ import annotations

from datetime import datetime

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

SAMPLE_KINDS = ("application", "job", "signup", "registration", "callback", "visit", "guide")
SAMPLE_TOKEN = "Zq3xT8kLm2Vw9Rb4"  # fixed so a test can decode it from the printed QR

DEMO_STATION = Station(
    name="西青区杨柳青镇就业红娘服务站",
    address="天津市西青区杨柳青镇光明路12号 社区党群服务中心一楼",
    hours="周一至周五 9:00-12:00, 13:30-17:00",
    phone="022-27391234",
)

DEMO_POLICIES: list[dict[str, object]] = [
    {
        "name": "灵活就业人员社会保险补贴",
        "summary": "就业困难人员灵活就业后缴纳社会保险的，按实际缴费的一定比例给予补贴。",
        "amount": "按实际缴纳基本养老、医疗保险费的2/3给予补贴，最长3年",
        "conditions": ["持《就业创业证》的就业困难人员", "已在本区以灵活就业身份参保缴费",
                       "男性年满50周岁、女性年满40周岁的，可享受至退休"],
        "materials": ["居民身份证", "《就业创业证》", "灵活就业登记材料",
                      "本人社会保障卡（银行账户）"],
        "office": "西青区人力资源和社会保障局就业服务窗口（西青区政务服务中心二楼）",
        "hours": "周一至周五 9:00-17:00",
        "phone": "022-27392000",
    },
    {
        "name": "一次性创业补贴",
        "summary": "首次创办小微企业或从事个体经营，正常经营1年以上的，给予一次性创业补贴。",
        "amount": "10000元",
        "conditions": ["毕业5年内高校毕业生、就业困难人员、返乡创业农民工等",
                       "在本区登记注册并正常经营满1年", "带动就业1人以上并为其缴纳社会保险"],
        "materials": ["居民身份证", "营业执照", "经营场所证明", "社保缴费证明"],
        "office": "镇（街）便民服务中心就业社保窗口",
    },
]


def sample(kind: str, *, now: datetime | None = None, token: str = SAMPLE_TOKEN) -> Document:
    """One demo document of ``kind`` (see :data:`SAMPLE_KINDS`, plus "test")."""
    now = now or datetime(2026, 11, 26, 14, 5)
    st = DEMO_STATION
    if kind == "application":
        return ApplicationReceipt(
            number="SQ-YLQ01-261126-4F7K", name_masked="李*兰", id_masked="120111********1234",
            policy_name="灵活就业人员社会保险补贴", decision="初步符合申请条件",
            reasons=["年龄符合：女性年满40周岁", "已在本区以灵活就业身份参保",
                     "持有《就业创业证》（就业困难人员）"],
            amount=None, materials_needed=["灵活就业登记材料（服务站可协助填写）",
                                           "本人社会保障卡（银行账户）"],
            where_to_go="请于办理期限内携带以上材料，到西青区政务服务中心二楼人社窗口办理。",
            deadline="2026年12月10日前", station=st, submitted_at=now,
            rule_pack="xq-2026.11-r3", token=token)
    if kind == "job":
        return JobSlip(
            job_number="ZW-20261126-0815", title="仓储物流分拣员",
            employer="天津西青某某物流有限公司", pay="4500-6000元/月（计件）",
            address="西青区杨柳青镇工业园区柳霞路8号", station=st, printed_at=now, token=token,
            work_hours="早8:00-晚17:30，月休4天", headcount="20人",
            requirements=["年龄18-50周岁，身体健康", "能适应站立工作，有仓库经验者优先"],
            benefits=["缴纳五险", "免费工作餐", "提供宿舍"])
    if kind == "signup":
        return SignupSlip(number="BM-YLQ01-261126-8HQ3", name_masked="王*",
                          phone_masked="138****5678", job_title="仓储物流分拣员",
                          employer="天津西青某某物流有限公司",
                          station=st, signed_at=now, token=token)
    if kind == "registration":
        return RegistrationSlip(
            number="DJ-YLQ01-261126-2MWA", name_masked="张*华", phone_masked="139****0021",
            job_types=["保洁", "仓库管理", "门卫"], industries=["物流", "物业服务"],
            towns=["杨柳青镇", "中北镇"], salary="3500元/月以上", station=st,
            registered_at=now, token=token, note="希望离家近，可接受倒班")
    if kind == "callback":
        return CallbackSlip(number="HJ-YLQ01-261126-6TPX", phone_masked="137****4410",
                            name_masked="赵*", topic="灵活就业社保补贴怎么申请",
                            preferred_time="工作日上午", station=st, requested_at=now,
                            token=token)
    if kind == "visit":
        return VisitSlip(queue_number="A023", service="政策咨询", where="服务站一号窗口",
                         station=st, issued_at=now, waiting=3, token=token)
    if kind == "guide":
        return PolicyGuide(policies=DEMO_POLICIES, station=st, printed_at=now, token=token)
    if kind == "test":
        return PrinterTestPage(station=st, printer="demo", printed_at=now, token=token)
    raise ValueError(f"unknown document kind {kind!r}; one of {', '.join(SAMPLE_KINDS)}")
