"""求职登记: what work the resident is looking for, picked step by step, then 为您推荐.

One question per step, answered by tapping (never typing, except the phone number on the
keypad), at most six chips on screen at a time with 更多 for the rest. 返回 goes back one
step and keeps every choice. The confirmation restates everything before it is sent;
:func:`kiosk.jobs.submissions.register_seeker` then writes the registration and its outbox
record in one transaction on the worker, the receipt is printed through the window's
:class:`~ui.receipt_flow.ReceiptFlow`, and the resident is offered the jobs recommended for
them. A resident who registered before starts from their last choices.

Everything on screen is in the resident's language (kiosk.i18n); the values sent (codes,
skills) and the printed slip stay Chinese, so the tables here are Chinese marked with N_().
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.app import Services
from kiosk.documents.model import RegistrationSlip
from kiosk.i18n import N_, tr
from kiosk.identity import mask_phone
from kiosk.jobs.errors import SubmissionError, ValidationError
from kiosk.jobs.matching import MAX_SKILLS, SeekerPreferences
from kiosk.jobs.submissions import latest_registration, register_seeker
from kiosk.jobs.towns import load_towns, resolve_town, town_label
from kiosk.jobs.vocab import (
    EDUCATION,
    INDUSTRIES,
    JOB_TYPES,
    date_text,
    industry_label,
    job_type_label,
)
from kiosk.session import Resident
from ui.ops import KioskOps
from ui.receipt_flow import ReceiptFlow
from ui.screens.base import Navigator, Screen, label
from ui.widgets.buttons import KioskButton
from ui.widgets.card_prompt import card_prompt_page
from ui.widgets.chip_grid import PagedChips, chip_page, fit_landscape_pages
from ui.widgets.fields import fields_grid
from ui.widgets.phone_entry import PhoneEntry, grouped
from ui.widgets.policy_card import card_frame, show_text
from ui.widgets.scroll import ScrollColumn
from ui.widgets.step_header import StepHeader, phone_header

log = logging.getLogger(__name__)

STEP_KEYS = ("types", "industries", "towns", "salary", "education", "skills", "phone",
             "confirm", "done")
STEP_NAMES = [N_("工作类型"), N_("行业"), N_("地点"), N_("月薪"), N_("学历"), N_("技能"),
              N_("电话"), N_("确认"), N_("完成")]
CHOICE_STEPS = ("types", "industries", "towns", "salary", "education", "skills")

SALARIES = (3000, 4000, 5000, 6000, 8000)
ANY_SALARY = "any"
# The person's own education: "学历不限" is a job's wording, not a person's.
PERSON_EDUCATION = {**EDUCATION, "none": N_("小学及以下")}

#: skills people in each sector commonly have, offered as chips (the resident may pick none)
#: (Chinese values: they travel in the registration; chips show tr(skill))
COMMON_SKILLS: dict[str, tuple[str, ...]] = {
    "manufacturing": (
        N_("流水线操作"), N_("焊工"), N_("电工"), N_("叉车"),
        N_("数控车床"), N_("质量检验"), N_("设备维修")),
    "rnd_it": (
        N_("电脑操作"), N_("办公软件"), N_("编程开发"), N_("网络维护"),
        N_("CAD制图"), N_("数据录入")),
    "business": (
        N_("办公软件"), N_("会计出纳"), N_("文秘"), N_("销售"),
        N_("客服"), N_("人事行政")),
    "culture_tourism": (
        N_("导游讲解"), N_("酒店服务"), N_("餐饮服务"), N_("年画手工艺"),
        N_("摄影"), N_("活动策划")),
    "culture_education": (
        N_("课后辅导"), N_("幼儿照护"), N_("书法美术"), N_("音乐舞蹈"),
        N_("体育教练"), N_("图书管理")),
    "elderly_health": (
        N_("养老护理"), N_("护理员"), N_("家政保洁"), N_("做饭"),
        N_("康复按摩"), N_("育婴")),
    "new_retail": (
        N_("收银"), N_("理货"), N_("销售导购"), N_("直播带货"),
        N_("仓库管理"), N_("配送")),
    "urban_agriculture": (
        N_("种植"), N_("养殖"), N_("农机驾驶"), N_("大棚管理"),
        N_("农产品销售"), N_("园林绿化")),
    "digital_economy": (
        N_("电脑操作"), N_("直播带货"), N_("网店运营"), N_("数据标注"),
        N_("短视频剪辑"), N_("客服")),
    "logistics_platform": (
        N_("C1驾驶证"), N_("B2/A2驾驶证"), N_("叉车"), N_("快递分拣"),
        N_("外卖骑手"), N_("仓库管理")),
    "community_service": (
        N_("保洁"), N_("保安"), N_("绿化养护"), N_("水电维修"),
        N_("做饭"), N_("照顾老人")),
}
GENERAL_SKILLS = (N_("C1驾驶证"), N_("电脑操作"), N_("电工"), N_("焊工"),
                  N_("保洁"), N_("做饭"), N_("照顾老人"), N_("收银"))

QUESTIONS: dict[str, tuple[str, str]] = {
    "types": (N_("您想找哪种工作？"), N_("可以多选；不选就是哪种都可以。")),
    "industries": (N_("您想在哪些行业工作？"), N_("可以多选；不选就是行业不限。")),
    "towns": (N_("您想在哪里上班？"), N_("可以多选；不选就是西青区内哪里都可以。")),
    "salary": (N_("您希望每月工资至少多少？"), N_("选一项；不选就是“不限”。")),
    "education": (N_("您的最高学历是？"), N_("身份证上没有学历，请您选一下，用来推荐您能报名的"
                                            "岗位。不想填可以不选。")),
    "skills": (N_("您会哪些技能？"), N_("按您选的行业列出了常见技能，可以多选，也可以不选。")),
    "phone": (N_("请留下您的手机号码"), N_("就业红娘会用这个号码联系您，请输入您本人的手机号码。")),
    "confirm": (N_("请核对您的求职登记"), N_("确认无误后点“确认提交”；要修改请点“返回”。")),
    "done": (N_("登记成功"), ""),
}
CONSENT_NOTE = N_("点“确认提交”后，以上信息连同您的姓名、身份证号将提交给西青区就业服务机构，"
                  "仅用于为您推荐岗位和联系您，并为您打印回执。")
#: 创业意向: offered with the kinds of work; the 创业 libraries' 登记创业意向 opens this screen
#: with it chosen. It is not a job type (no job has it), so it travels as ``startup``.
STARTUP = "startup"
STARTUP_TEXT = N_("想自己创业")
RETRY_TEXT = N_("提交没有成功，您选的内容都还在。请再点一次“确认提交”；如仍不行，请咨询工作人员。")


class Previous(NamedTuple):
    """The resident's last registration, read on the worker (plain values, no ORM rows)."""

    registered_at: datetime
    preferences: dict[str, Any]
    phone: str


class Registered(NamedTuple):
    number: str
    token: str
    created_at: datetime


def home_town_of(resident: Resident) -> str | None:
    """The Xiqing town on the card's address, if the resident lives in the district."""
    address = resident.card_address or ""
    if "西青" not in address:
        return None
    for town in load_towns():
        if town.full_name in address or town.name in address:
            return town.code
    return None


def _language(translate: bool) -> Callable[[str], str]:
    return tr if translate else str


def salary_label(salary: int | None, *, translate: bool = False) -> str:
    """Chinese for the slip; ``translate`` for the screen."""
    t = _language(translate)
    return t(N_("{amount}元/月以上")).format(amount=salary) if salary else t(N_("不限"))


def skills_for(industries: Sequence[str]) -> list[str]:
    """Chips for the chosen sectors (the commonest general skills when none is chosen)."""
    found: list[str] = []
    for code in industries or ():
        found += [s for s in COMMON_SKILLS.get(code, ()) if s not in found]
    return found[:MAX_SKILLS] if found else list(GENERAL_SKILLS)


def joined(labels: Sequence[str], empty: str = N_("不限"), *, translate: bool = False) -> str:
    """``labels`` listed (、 in Chinese); ``empty`` when there are none, translated with
    ``translate`` (the labels come as they are)."""
    t = _language(translate)
    return t(N_("、")).join(labels) if labels else t(empty)


class RegisterScreen(Screen):
    name = "register"
    title = N_("求职登记")

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps,
                 receipts: ReceiptFlow, parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self._services = services
        self._ops = ops
        self._receipts = receipts
        landscape = services.config.display.orientation == "landscape"
        self._landscape = landscape
        self._station_town = resolve_town(services.config.station.town)
        self._generation = 0
        self._busy = False
        self._touched = False  # the resident has tapped a choice in this visit
        self._wants_startup = False  # came by 登记创业意向
        self._owner: str | None = None  # resident_key the choices belong to
        self._home_town: str | None = None
        self._step = 0
        self._phone = ""
        self._done: Registered | None = None
        self.loading = False  # a background read is on its way (screenshots wait for it)

        # -- without a card ----------------------------------------------------------------
        self.invite = card_prompt_page(
            label(tr("求职登记需要先读身份证。读卡后，点几下就能登记您想找的工作，"
                     "本机会按您的意向为您推荐岗位，就业红娘也会与您联系。")),
            label(tr("不方便读卡？可以点首页的“呼叫就业红娘”留下电话，"
                     "或到服务台请工作人员帮您登记。"), "Hint"))
        self.content.addWidget(self.invite)

        # -- the flow ----------------------------------------------------------------------
        self.flow = QWidget()
        flow = QVBoxLayout(self.flow)
        flow.setContentsMargins(0, 0, 0, 0)
        flow.setSpacing(20)
        self.note = label("", "OkText")  # 上次登记 …: shown while prefilled choices are on
        self.note.hide()
        self._header = StepHeader([tr(step) for step in STEP_NAMES], extra=[self.note])
        self.steps = self._header.steps
        self.question = self._header.question
        self.hint = self._header.hint
        flow.addWidget(self._header)

        columns = 3 if landscape else 2
        def shown(table: dict[str, str]) -> list[tuple[str, str]]:
            return [(code, tr(text)) for code, text in table.items()]

        self.pickers: dict[str, PagedChips] = {
            "types": PagedChips([*shown(JOB_TYPES), (STARTUP, tr(STARTUP_TEXT))],
                                columns=columns),
            "industries": PagedChips(shown(INDUSTRIES), columns=columns),
            "towns": PagedChips(((t.code, t.name) for t in load_towns()), columns=columns),
            "salary": PagedChips([(str(s), salary_label(s, translate=True)) for s in SALARIES]
                                 + [(ANY_SALARY, tr("不限"))], exclusive=True, columns=columns),
            "education": PagedChips(shown(PERSON_EDUCATION), exclusive=True,
                                    columns=columns),
            "skills": PagedChips(((s, tr(s)) for s in GENERAL_SKILLS), columns=columns),
        }
        self.pages: dict[str, QWidget] = {}
        for key, picker in self.pickers.items():
            picker.tapped.connect(self._on_tapped)
            self.pages[key] = chip_page(picker)

        self.phone = PhoneEntry(N_("下一步"), landscape=landscape,
                                header=phone_header(tr(self.title),
                                                    [tr(step) for step in STEP_NAMES],
                                                    STEP_KEYS.index("phone"),
                                                    *map(tr, QUESTIONS["phone"]))
                                if landscape else None)
        self.phone.accepted.connect(self._on_phone)
        self.pages["phone"] = self.phone

        self._summary = ScrollColumn()
        self.pages["confirm"] = self._summary
        self._done_page = ScrollColumn(bar_room=0)
        self.pages["done"] = self._done_page

        for page in self.pages.values():
            page.hide()
            flow.addWidget(page, 1)

        self.status = label("", "ErrorText")
        self.status.hide()
        flow.addWidget(self.status)
        self.next_button = KioskButton(tr("下一步"), role="primary")
        self.next_button.clicked.connect(self._on_next)
        self.recommend_button = KioskButton(tr("查看为您推荐的岗位"), role="primary")
        self.recommend_button.clicked.connect(lambda: self.nav.show_screen("recommend"))
        self.change_button = KioskButton(tr("修改登记"))
        self.change_button.clicked.connect(self._restart)
        self.home_button = KioskButton(tr("回到首页"))
        self.home_button.clicked.connect(self.nav.home)
        self._buttons = QWidget()
        row = QHBoxLayout(self._buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(20)
        if landscape:  # beside 下一步: on a 1080 px screen there is no room for another row
            for picker in self.pickers.values():
                row.addWidget(picker.take_pager())
        row.addStretch(1)
        for button in (self.home_button, self.change_button, self.recommend_button,
                       self.next_button):
            row.addWidget(button)
        flow.addWidget(self._buttons)
        self.content.addWidget(self.flow, 1)
        self._reset()
        self._show_invite(True)

    # -- entering ------------------------------------------------------------------------
    def on_enter(self, **kwargs: Any) -> None:
        """``restart=True`` starts again from the first step (keeping the choices);
        ``startup=True`` (登记创业意向) does that with 想自己创业 chosen."""
        resident = self._services.session.resident
        self._show_invite(resident is None)
        if resident is None:
            return
        self._fit_pages()
        if self._owner != resident.key:  # someone new: their own defaults, then their past
            self._reset()
            self._owner = resident.key
            self._home_town = home_town_of(resident)
            default = self._home_town or self._station_town
            self.pickers["towns"].set_selected([default] if default else [])
            self._load_previous(resident)
        if kwargs.get("startup"):
            self._wants_startup = True  # also when their last registration arrives later
            types = self.pickers["types"]
            if STARTUP not in types.selected():
                types.set_selected([*types.selected(), STARTUP])
            self._restart()
        elif kwargs.get("restart"):
            self._restart()
        elif self._done is not None:
            self._go(STEP_KEYS.index("done"))
        else:
            self._go(self._step)  # back from elsewhere: where they were

    def _load_previous(self, resident: Resident) -> None:
        services = self._services
        generation = self._generation
        key = resident.key

        def work() -> Previous | None:
            row = latest_registration(services.db, key)
            if row is None:
                return None
            at = row.created_at if row.created_at.tzinfo else row.created_at.replace(
                tzinfo=UTC)
            return Previous(at, json.loads(row.preferences or "{}"), row.phone)

        def done(previous: Previous | None) -> None:
            if generation != self._generation or self._owner != key:
                return  # the resident left, or another came
            self.loading = False
            if previous is not None and not self._touched and self._step == 0:
                self._apply_previous(previous)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.loading = False
            log.warning("could not read the last registration: %s", type(exc).__name__)

        self.loading = True
        self._ops.run(work).success(done).failure(failed)

    def _apply_previous(self, previous: Previous) -> None:
        """Start from what they registered last time, and say so."""
        prefs = previous.preferences
        startup = bool(prefs.get("startup")) or self._wants_startup
        self.pickers["types"].set_selected([*(prefs.get("job_types") or ()),
                                            *([STARTUP] if startup else [])])
        self.pickers["industries"].set_selected(prefs.get("industries") or ())
        if prefs.get("towns"):
            self.pickers["towns"].set_selected(prefs["towns"])
        salary = prefs.get("expected_salary")
        self.pickers["salary"].set_selected([str(salary) if salary else ANY_SALARY])
        if prefs.get("education"):
            self.pickers["education"].set_selected([prefs["education"]])
        self._offer_skills([s for s in prefs.get("skills") or () if isinstance(s, str)])
        self._phone = previous.phone
        self.phone.set_digits(previous.phone)
        local = previous.registered_at.astimezone()
        self.note.setText(tr("您在{date}登记过，下面是上次的选择，可以直接修改后重新提交。")
                          .format(date=date_text(local.date())))
        self.note.setVisible(self._step < STEP_KEYS.index("confirm"))

    # -- moving between steps --------------------------------------------------------------
    def step_back(self) -> bool:
        """返回 inside the flow: one step back, choices kept. False when there is no step to
        go back to (the first step, the card prompt, or after submitting) — then 返回 leaves
        the screen as usual."""
        if (self._busy or self._done is not None or self._step == 0
                or self._services.session.resident is None or not self.flow.isVisible()):
            return False
        self._go(self._step - 1)
        return True

    def _go(self, step: int) -> None:
        self._step = step
        key = STEP_KEYS[step]
        question, hint = (tr(text) if text else "" for text in QUESTIONS[key])
        if key == "towns" and self._home_town:
            hint = tr("已为您选上您家所在的{town}；可以多选。").format(
                town=town_label(self._home_town))
        self._header.show_step(step, question, hint,
                               hint_shown=not (self._landscape and key == "confirm"))
        own_header = self._landscape and key == "phone"  # the keypad needs the full height
        self._header.setVisible(not own_header)
        self.title_label.setVisible(not own_header)
        self.note.setVisible(bool(self.note.text()) and key in (*CHOICE_STEPS, "phone"))
        show_text(self.status, "", "ErrorText")
        if key == "skills":
            self._offer_skills(self.pickers["skills"].selected())
        if key == "phone":
            self.phone.set_digits(self._phone)
        if key == "confirm":
            self._fill_summary()
        for name, page in self.pages.items():
            page.setVisible(name == key)
        done = key == "done"
        self.next_button.setVisible(key in CHOICE_STEPS or key == "confirm")
        self.next_button.setText(tr("确认提交") if key == "confirm" else tr("下一步"))
        self.next_button.setEnabled(True)
        for button in (self.recommend_button, self.change_button, self.home_button):
            button.setVisible(done)
        self._buttons.setVisible(key != "phone")

    def _on_next(self) -> None:
        key = STEP_KEYS[self._step]
        if key == "confirm":
            self._submit()
        elif key in CHOICE_STEPS:
            self._go(self._step + 1)

    def _on_phone(self, digits: str) -> None:
        self._phone = digits
        self._go(STEP_KEYS.index("confirm"))

    def _on_tapped(self) -> None:
        self._touched = True

    def _restart(self) -> None:
        """修改登记: a new registration from the first step, starting from these choices."""
        self._done = None
        self._go(0)

    def _offer_skills(self, keep: Sequence[str]) -> None:
        offered = skills_for(self.pickers["industries"].selected())
        extra = [s for s in keep if s not in offered]  # chosen before the sectors changed
        self.pickers["skills"].set_options((s, tr(s)) for s in offered + extra)
        self.pickers["skills"].set_selected(keep)

    # -- what will be sent -----------------------------------------------------------------
    def wishes(self) -> SeekerPreferences:
        salary = self.pickers["salary"].selected()
        education = self.pickers["education"].selected()
        types = self.pickers["types"].selected()
        return SeekerPreferences(
            job_types=tuple(t for t in types if t != STARTUP),
            industries=tuple(self.pickers["industries"].selected()),
            towns=tuple(self.pickers["towns"].selected()),
            home_town=self._home_town,
            expected_salary=int(salary[0]) if salary and salary[0] != ANY_SALARY else None,
            education=education[0] if education else None,
            skills=tuple(self.pickers["skills"].selected()),
            startup=STARTUP in types,
        )

    @staticmethod
    def _rows(wishes: SeekerPreferences, *, translate: bool) -> list[tuple[str, str]]:
        """What was chosen, row by row: ``translate`` for the screen, Chinese for the slip."""
        t = _language(translate)
        unset = N_("未填写")
        education = PERSON_EDUCATION.get(wishes.education or "", unset)
        return [
            (t(N_("工作类型")), joined([job_type_label(c, translate=translate)
                                       for c in wishes.job_types], translate=translate)),
            (t(N_("行业")), joined([industry_label(c, translate=translate)
                                   for c in wishes.industries], translate=translate)),
            (t(N_("工作地点")), joined([town_label(c) for c in wishes.towns],
                                       translate=translate)),
            (t(N_("期望月薪")), salary_label(wishes.expected_salary, translate=translate)),
            (t(N_("学历")), t(education)),
            (t(N_("技能")), joined([t(s) for s in wishes.skills], unset, translate=translate)),
            (t(N_("创业意向")), t(N_("有，想了解创业扶持") if wishes.startup else unset)),
        ]

    def _fill_summary(self) -> None:
        self._summary.clear()
        resident = self._services.session.resident
        if resident is None:
            return
        wishes = self.wishes()
        contact = [(tr("登记人"), resident.name_masked), (tr("手机号码"), grouped(self._phone))]
        note = label(tr(CONSENT_NOTE), "Hint")
        rows = self._rows(wishes, translate=True)
        if self._landscape:  # one card, two pairs a row: it all fits without scrolling
            card, box = card_frame()
            box.addWidget(fields_grid(rows + contact, pairs_per_row=2, spacing=16))
            self._summary.add(card)
            self._summary.add(note)
            return
        wish_card, box = card_frame()
        box.addWidget(label(tr("求职意向"), "Heading"))
        box.addWidget(fields_grid(rows, spacing=16))
        contact_card, box = card_frame()
        box.addWidget(label(tr("联系方式"), "Heading"))
        box.addWidget(fields_grid(contact, spacing=16))
        for widget in (wish_card, contact_card, note):
            self._summary.add(widget)

    # -- submitting ------------------------------------------------------------------------
    def _submit(self) -> None:
        resident = self._services.session.resident
        if self._busy or resident is None:
            return
        self._busy = True
        self._generation += 1
        generation = self._generation
        services = self._services
        wishes = self.wishes()
        phone = self._phone
        station_code = services.config.station.code
        self.next_button.setEnabled(False)
        show_text(self.status, tr("正在提交，请稍候…"), "Body")

        def work() -> Registered:
            row = register_seeker(services.db, resident, wishes, phone, station_code)
            return Registered(row.number, row.token, row.created_at)

        def still_here() -> bool:
            return generation == self._generation and services.session.resident is resident

        def done(registered: Registered) -> None:
            if not still_here():
                return  # stored; the resident left, so no receipt lies on the tray for others
            self._busy = False
            self._done = registered
            self._show_done(registered, wishes, phone)
            self._receipts.print(self._slip(registered, wishes, phone, resident),
                                 kind="registration", ref_number=registered.number,
                                 token=registered.token)

        def failed(exc: BaseException) -> None:
            if not still_here():
                return
            self._busy = False
            self.next_button.setEnabled(True)
            if isinstance(exc, ValidationError) and exc.field == "phone":
                self._go(STEP_KEYS.index("phone"))
                self.phone._show_error(exc.message)
            elif isinstance(exc, SubmissionError):
                log.warning("registration refused: %s", exc)
                show_text(self.status, exc.message, "ErrorText")
            else:
                log.error("registration not stored", exc_info=exc)
                show_text(self.status, tr(RETRY_TEXT), "ErrorText")

        self._ops.run(work).success(done).failure(failed)

    def _slip(self, registered: Registered, wishes: SeekerPreferences, phone: str,
              resident: Resident) -> RegistrationSlip:
        # the slip stays Chinese (an official paper), whatever the screen's language
        note = "；".join(f"{name}：{value}" for name, value in
                        self._rows(wishes, translate=False)[4:] if value != "未填写")
        at = registered.created_at
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        return RegistrationSlip(
            number=registered.number, name_masked=resident.name_masked,
            phone_masked=mask_phone(phone),
            job_types=[job_type_label(c) for c in wishes.job_types],
            industries=[industry_label(c) for c in wishes.industries],
            towns=[town_label(c) for c in wishes.towns],
            salary=salary_label(wishes.expected_salary) if wishes.expected_salary else "",
            station=self._services.station, registered_at=at.astimezone(),
            token=registered.token, note=note)

    def _show_done(self, registered: Registered, wishes: SeekerPreferences, phone: str) -> None:
        self._done_page.clear()
        frame, box = card_frame()
        box.addWidget(label(tr("您的求职登记已提交"), "Heading"))
        box.addWidget(fields_grid([(tr("登记编号"), registered.number),
                                   (tr("联系电话"), mask_phone(phone))], spacing=16))
        box.addWidget(label(tr("就业红娘会按您的意向为您留意合适的岗位，有合适的会打电话给您，"
                               "请保持电话畅通。")))
        self._done_page.add(frame)
        self._done_page.add(label(tr("现在就可以看看本机为您推荐的岗位。"
                                     "登记的内容有变化，随时可以点“修改登记”。")))
        self.note.setText("")
        self._go(STEP_KEYS.index("done"))

    # -- helpers ---------------------------------------------------------------------------
    def _reset(self) -> None:
        self._generation += 1
        self._busy = False
        self._touched = False
        self._wants_startup = False
        self._owner = None
        self._home_town = None
        self._phone = ""
        self._done = None
        self.loading = False
        for picker in self.pickers.values():
            picker.clear()
            picker.show_page(0)
        self.pickers["skills"].set_options((s, tr(s)) for s in GENERAL_SKILLS)
        self.phone.clear()
        self.note.setText("")
        self._summary.clear()
        self._done_page.clear()
        self._go(0)

    def _fit_pages(self) -> None:
        if self._landscape:
            fit_landscape_pages(self, self.pickers.values())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange and hasattr(self, "pickers"):
            self._fit_pages()

    def _show_invite(self, invite: bool) -> None:
        self.invite.setVisible(invite)
        self.flow.setVisible(not invite)

    def clear_personal(self) -> None:
        self._reset()
        self._show_invite(True)

    # -- screenshots -----------------------------------------------------------------------
    def screenshot_states(self) -> Iterator[str]:
        """Every step with sample choices (nothing is written), for review and the audit."""
        self.pickers["types"].set_selected(["fulltime", "parttime"])
        self.pickers["industries"].set_selected(["manufacturing", "logistics_platform"])
        self.pickers["salary"].set_selected(["5000"])
        self.pickers["education"].set_selected(["senior"])
        for step, key in enumerate(STEP_KEYS[1:7], start=1):
            if key == "skills":
                self._offer_skills(["叉车", "电工"])
            self._go(step)
            yield key
        self.pickers["towns"].show_page(1)
        self._go(STEP_KEYS.index("towns"))
        yield "towns_more"
        self._go(STEP_KEYS.index("phone"))
        self.phone.type_digits("1281234")
        self.phone.keypad.buttons["下一步"]._last_click = 0.0
        self.phone.press("下一步")
        yield "phone_error"
        self._phone = "13812345678"
        self._go(STEP_KEYS.index("confirm"))
        yield "confirm"
        sample = Registered("DJ-YLQ01-261126-2MWA", "sample", datetime.now(UTC))
        self._done = sample
        self._show_done(sample, self.wishes(), self._phone)
        yield "done"
        self._reset()
