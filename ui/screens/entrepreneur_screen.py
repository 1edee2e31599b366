"""创业服务: the 创业项目库 and 创业导师库 browsed by touch, and 预约导师.

Two libraries on one screen (a pair of chips switches between them): 小而美 projects with what
they cost to start, their risk and the skills they need, filtered by industry and by how much
the resident could put in; and mentors by field, with their experience and when they are
available. 预约导师 asks the station to arrange a meeting (card, phone, what about, when).
The third library — talent — is the resident's own 求职登记 / 创业意向, one tap away.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

from PySide6.QtWidgets import QButtonGroup, QWidget

from kiosk.activities.catalogue import ActivityCatalogue
from kiosk.activities.model import Mentor, Project, Submitted
from kiosk.activities.slips import mentor_slip
from kiosk.activities.submissions import DEFAULT_TOPIC, request_mentor
from kiosk.app import Services
from kiosk.i18n import N_, tr
from kiosk.jobs.towns import resolve_town, town_label
from kiosk.session import Resident
from ui.ops import KioskOps
from ui.receipt_flow import ReceiptFlow
from ui.screens.activity_flow import (
    ANY_TIME,
    ActivityDetailScreen,
    ActivityFlowScreen,
    ActivityListScreen,
    ChipStep,
)
from ui.screens.base import Navigator, Screen
from ui.widgets.activity_cards import ItemCard, fields_card, mark_chosen, text_card
from ui.widgets.activity_text import INVESTMENT_CHOICES, investment_text, shorten, vocab
from ui.widgets.buttons import KioskButton
from ui.widgets.flow import FlowLayout
from ui.widgets.job_filters import ANY, ANY_TEXT, ChoiceOverlay, FilterSpec

log = logging.getLogger(__name__)

PROJECTS, MENTORS = "projects", "mentors"
# (value, Chinese words): the words are what is submitted and printed; chips show tr(words)
TOPICS = (("选项目", N_("选什么创业项目")), ("开店", N_("开店选址和装修")),
          ("资金", N_("贷款和创业补贴")), ("经营", N_("经营管理和记账")),
          ("网店", N_("网店和直播带货")), ("其他", N_("其他问题")))
TIMES = (("工作日上午", N_("工作日上午")), ("工作日下午", N_("工作日下午")), ("周末", N_("周末")),
         ("都可以", N_("都可以")))
MENTOR_CONSENT = N_("点“确认预约”后，您的姓名、身份证号、手机号码和想咨询的内容将提交给西青区"
                    "就业服务机构，由服务站联系您和导师约定见面，不会直接把您的电话给导师。")


def project_url(base_url: str, project_id: str) -> str:
    return f"{base_url}project/{project_id}"


def mentor_town(mentor: Mentor) -> str:
    code = resolve_town(mentor.town) if mentor.town else None
    return town_label(code) if code else mentor.town


def industry_and_risk(p: Project) -> str:
    """餐饮 · 风险低: a project's tag (the industry is content; the risk is vocabulary)."""
    return tr("{industry} · 风险{risk}").format(industry=p.industry, risk=vocab(p.risk))


def mentor_heading(m: Mentor) -> str:
    return f"{m.name} · {m.title}"


class EntrepreneurScreen(ActivityListScreen):
    name = "entrepreneur"
    title = N_("创业服务")

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps,
                 catalogue: ActivityCatalogue, parent: QWidget | None = None) -> None:
        super().__init__(nav, services, ops, catalogue, parent)
        self.library = PROJECTS
        self.industry = ANY
        self.budget = ANY
        self.field = ANY
        self.industries: list[str] = []
        self.fields: list[str] = []
        self.items: list[Any] = []
        # One row of controls where it fits (landscape): the two libraries as chips, their
        # filters, and the talent library's entry; portrait wraps them into two rows.
        self.tab_chips: dict[str, KioskButton] = {}
        tabs = QButtonGroup(self)  # exclusive: one library is always shown
        for value, text in ((PROJECTS, N_("创业项目库")), (MENTORS, N_("创业导师库"))):
            chip = KioskButton(tr(text), role="chip")
            chip.setCheckable(True)
            chip.setChecked(value == self.library)
            chip.clicked.connect(partial(self.show_library, value))
            tabs.addButton(chip)
            self.tab_chips[value] = chip
        self.talent_button = KioskButton(tr("登记创业意向"))
        self.talent_button.clicked.connect(
            lambda: self.nav.show_screen("register", startup=True))
        self.industry_button = KioskButton("")
        self.industry_button.clicked.connect(self._pick_industry)
        self.budget_button = KioskButton("")
        self.budget_button.clicked.connect(self._pick_budget)
        self.field_button = KioskButton("")
        self.field_button.clicked.connect(self._pick_field)
        self.clear_button = KioskButton(tr("清除条件"))
        self.clear_button.clicked.connect(self.clear_filters)
        controls = QWidget()
        flow = FlowLayout(controls)
        for button in (*self.tab_chips.values(), self.industry_button, self.budget_button,
                       self.field_button, self.clear_button, self.talent_button):
            flow.addWidget(button)
        self.content.addWidget(controls)
        self.content.addWidget(self.list, 1)
        self.picker = ChoiceOverlay(self)
        self._sync_controls()

    # -- entering --------------------------------------------------------------------------
    def on_enter(self, **kwargs: Any) -> None:
        """``library``: projects | mentors (a project page's 找导师 opens the mentors)."""
        self.picker.close_picker()
        library = kwargs.get("library")
        if library in (PROJECTS, MENTORS):
            self.library = str(library)
        self._sync_controls()
        self._load()

    def _load(self) -> None:
        catalogue, library = self._catalogue, self.library
        industry, budget, field = self.industry or None, self.budget, self.field or None

        def work() -> tuple[list[Any], list[str], list[str]]:
            if library == PROJECTS:
                items: list[Any] = catalogue.projects(
                    industry=industry, max_investment=int(budget) if budget else None)
            else:
                items = catalogue.mentors(field=field)
            return items, catalogue.project_industries(), catalogue.mentor_fields()

        def done(result: tuple[list[Any], list[str], list[str]]) -> None:
            self.items, self.industries, self.fields = result
            self.show_list()

        self.load(work, done, library, N_("信息暂时无法读取，请稍后再试。"))

    def show_list(self) -> None:
        self.list.clear()
        if not self.items:
            self.list.show_status(tr("没有找到符合条件的内容。可以点“清除条件”看看全部。"))
            return
        count = tr("共 {n} 个项目") if self.library == PROJECTS else tr("共 {n} 位导师")
        self.list.show_status(count.format(n=len(self.items)))
        for item in self.items:
            self.list.add(self._project_card(item) if self.library == PROJECTS
                          else self._mentor_card(item))

    def _project_card(self, p: Project) -> ItemCard:
        hints = [shorten(tr("需要：{skills}").format(skills=tr("、").join(p.skills)), 40)] \
            if p.skills else []
        return ItemCard(p.title, tags=[(industry_and_risk(p), "OkText")],
                        lines=[tr("投资：{amount} · 回本：{payback}").format(
                            amount=investment_text(p.investment_min, p.investment_max),
                            payback=p.payback)],
                        hints=hints,
                        on_open=partial(self.nav.show_screen, "project_detail", item_id=p.id),
                        wide=self._wide)

    def _mentor_card(self, m: Mentor) -> ItemCard:
        return ItemCard(mentor_heading(m), tags=[(m.field, "OkText")],
                        lines=[tr("从业{years}年 · {availability}").format(
                            years=m.experience_years, availability=m.availability)],
                        hints=[shorten(m.bio, 40)],
                        on_open=partial(self.nav.show_screen, "mentor_detail", item_id=m.id),
                        wide=self._wide)

    # -- choosing --------------------------------------------------------------------------
    def show_library(self, library: str) -> None:
        """创业项目库 or 创业导师库 (the chips)."""
        self.library = library
        self._sync_controls()
        self._load()

    def _ask(self, spec: FilterSpec, current: str, attr: str) -> None:
        def picked(value: str) -> None:
            setattr(self, attr, value)
            self._sync_controls()
            self._load()

        self.picker.ask(spec, current, picked)

    def _pick_industry(self) -> None:
        options = ((ANY, tr(ANY_TEXT)), *((i, i) for i in self.industries))
        self._ask(FilterSpec("industry", tr("行业"), options, tr("选择行业")), self.industry,
                  "industry")

    def _pick_budget(self) -> None:
        options = tuple((value, tr(text)) for value, text in INVESTMENT_CHOICES)
        self._ask(FilterSpec("budget", tr("能投入的资金"), options, tr("选择能投入的资金")),
                  self.budget, "budget")

    def _pick_field(self) -> None:
        options = ((ANY, tr(ANY_TEXT)), *((f, f) for f in self.fields))
        self._ask(FilterSpec("field", tr("导师擅长的领域"), options, tr("选择导师擅长的领域")),
                  self.field, "field")

    def clear_filters(self) -> None:
        self.industry = self.budget = self.field = ANY
        self._sync_controls()
        self._load()

    def _sync_controls(self) -> None:
        projects = self.library == PROJECTS
        for value, chip in self.tab_chips.items():
            chip.setChecked(value == self.library)
        budget = dict(INVESTMENT_CHOICES).get(self.budget, ANY_TEXT)
        self.industry_button.setText(tr("行业：{value}").format(
            value=self.industry or tr(ANY_TEXT)))
        self.budget_button.setText(tr("资金：{value}").format(value=tr(budget)))
        self.field_button.setText(tr("领域：{value}").format(value=self.field or tr(ANY_TEXT)))
        self.industry_button.setVisible(projects)
        self.budget_button.setVisible(projects)
        self.field_button.setVisible(not projects)
        for button, value in ((self.industry_button, self.industry),
                              (self.budget_button, self.budget),
                              (self.field_button, self.field)):
            mark_chosen(button, bool(value))
        chosen = (self.industry or self.budget) if projects else self.field
        self.clear_button.setVisible(bool(chosen))

    def step_back(self) -> bool:
        return self.picker.dismiss()

    def clear_personal(self) -> None:
        super().clear_personal()
        self.picker.close_picker()
        self.industry = self.budget = self.field = ANY
        self.library = PROJECTS
        self.items = []
        self._read = False
        self.list.clear()
        self._sync_controls()

    def screenshot_states(self) -> Iterator[str]:
        """Projects, a picker, the mentors; leaves a project open for the detail screen."""
        yield "projects"
        self._pick_budget()
        yield "picker"
        self.picker.close_picker()
        self.show_library(MENTORS)
        yield "mentors"
        mentor = self.items[0].id if self.items else ""
        self.show_library(PROJECTS)
        yield "projects_again"
        if self.items:
            self.nav.show_screen("project_detail", item_id=self.items[0].id)
        if mentor:
            self.nav.show_screen("mentor_detail", item_id=mentor)
            self.nav.back()


class ProjectDetailScreen(ActivityDetailScreen):
    name = "project_detail"
    title = N_("创业项目")
    nothing_text = N_("请先在“创业服务”中选一个项目。")
    gone_text = N_("这个项目已经下架了，请看看其他项目。")
    failed_text = N_("项目信息暂时无法打开，请稍后再试。")
    qr_caption = N_("手机扫码\n保存这个项目")

    mentor_button: KioskButton
    training_button: KioskButton

    def make_buttons(self) -> list[KioskButton]:
        self.mentor_button = KioskButton(tr("找创业导师聊聊"), role="primary")
        self.mentor_button.clicked.connect(
            lambda: self.nav.show_screen("entrepreneur", library=MENTORS))
        self.training_button = KioskButton(tr("看看创业培训"))
        self.training_button.clicked.connect(lambda: self.nav.show_screen("training"))
        return [self.mentor_button, self.training_button]

    @property
    def project(self) -> Project | None:
        project: Project | None = self.current
        return project

    def read(self, item_id: str) -> Project | None:
        project: Project | None = self._catalogue.project(item_id)
        return project

    def present(self, found: Project) -> None:
        p = found
        rows = self.body.list
        rows.add(text_card(p.title, tag=industry_and_risk(p)))
        rows.add(fields_card(tr("项目概况"), [
            (tr("投资"), investment_text(p.investment_min, p.investment_max)),
            (tr("风险"), vocab(p.risk)), (tr("回本周期"), p.payback),
            (tr("需要的技能"), tr("、").join(p.skills) or tr("不限"))]))
        if p.description:
            rows.add(text_card(tr("项目介绍"), p.description))
        rows.add(text_card(tr("想做这个项目？"),
                           tr("可以先参加免费的“马兰花”创业培训，找创业导师聊一聊；"
                              "符合条件的还可以申请创业担保贷款和一次性创业补贴。")))
        self.body.set_qr(project_url(self._services.config.receipts.qr_base_url, p.id))


class MentorDetailScreen(ActivityDetailScreen):
    name = "mentor_detail"
    title = N_("创业导师")
    nothing_text = N_("请先在“创业服务”的导师库中选一位导师。")
    gone_text = N_("这位导师暂时不在导师库中了，请看看其他导师。")
    failed_text = N_("导师信息暂时无法打开，请稍后再试。")

    book_button: KioskButton

    def make_buttons(self) -> list[KioskButton]:
        self.book_button = KioskButton(tr("预约导师"), role="primary")
        self.book_button.clicked.connect(self._book)
        return [self.book_button]

    @property
    def mentor(self) -> Mentor | None:
        mentor: Mentor | None = self.current
        return mentor

    def read(self, item_id: str) -> Mentor | None:
        mentor: Mentor | None = self._catalogue.mentor(item_id)
        return mentor

    def present(self, found: Mentor) -> None:
        m = found
        rows = self.body.list
        rows.add(text_card(mentor_heading(m), tag=tr("擅长：{field}").format(field=m.field)))
        info = [(tr("擅长领域"), m.field),
                (tr("从业经验"), tr("{years}年").format(years=m.experience_years)),
                (tr("什么时候有空"), m.availability)]
        if m.town:
            info.append((tr("常在"), mentor_town(m)))
        rows.add(fields_card(tr("导师信息"), info))
        if m.bio:
            rows.add(text_card(tr("导师介绍"), m.bio))
        rows.add(text_card(tr("怎么预约"),
                           tr("点“预约导师”，留下电话和想咨询的事情。服务站会在3个工作日内"
                              "联系您，约好和导师见面的时间地点。导师咨询免费。")))

    def _book(self) -> None:
        if self.mentor is not None:
            self.nav.show_screen("mentor_request", item_id=self.mentor.id)

    def screenshot_states(self) -> Iterator[str]:
        if self.mentor is not None:
            self._book()
        yield from ()


class MentorRequestScreen(ActivityFlowScreen):
    name = "mentor_request"
    title = N_("预约导师")
    detail_screen = "mentor_detail"
    print_kind = "mentor_request"
    submit_text = N_("确认预约")
    lead_text = N_("预约")
    extra_steps = (
        ChipStep("topic", N_("咨询内容"), N_("您想和导师聊什么？"),
                 N_("可以多选；不选也可以，见面时再说。"), TOPICS, exclusive=False,
                 empty=DEFAULT_TOPIC),
        ChipStep("time", N_("方便时间"), N_("什么时候方便见面？"), N_("选一项；不选就是都可以。"),
                 TIMES, empty=ANY_TIME),
    )

    def load(self, item_id: str) -> Mentor | None:
        mentor: Mentor | None = self._catalogue.mentor(item_id)
        return mentor

    def item_title(self) -> str:
        mentor: Mentor | None = self.item
        return f"{mentor.name}（{mentor.field}）" if mentor else ""

    def nothing_text(self) -> str:
        return tr("请先在“创业服务”的导师库中选一位导师")

    def phone_reason(self) -> str:
        return tr("服务站会用这个号码联系您约见面时间，不会把您的号码给导师。")

    def summary_heading(self) -> str:
        return tr("预约导师")

    def item_rows(self, item: Any) -> Sequence[tuple[str, str]]:
        mentor: Mentor = item
        return [(tr("导师"), mentor_heading(mentor)), (tr("擅长"), mentor.field),
                (tr("导师有空"), mentor.availability)]

    def consent_text(self) -> str:
        return tr(MENTOR_CONSENT)

    def _topic(self, choices: dict[str, str]) -> str:
        return choices.get("topic") or DEFAULT_TOPIC

    def _time(self, choices: dict[str, str]) -> str:
        return choices.get("time") or ANY_TIME

    def submit(self, resident: Resident, phone: str, item: Any, choices: dict[str, str]
               ) -> Submitted:
        return request_mentor(self._services.db, resident, item, phone, self._topic(choices),
                              self._time(choices), self._services.config.station.code)

    def slip(self, submitted: Submitted, resident: Resident, item: Any, phone: str,
             choices: dict[str, str]) -> Any:
        return mentor_slip(submitted, resident, item, self._services.station, phone=phone,
                           topic=self._topic(choices), preferred_time=self._time(choices))

    def done_texts(self, submitted: Submitted, item: Any) -> tuple[str, str]:
        mentor: Mentor = item
        return (tr("预约已提交"),
                tr("服务站会在3个工作日内给您打电话，约好和{mentor}导师见面的时间和地点。"
                   "可以先想一想您的创业想法或遇到的问题。").format(mentor=mentor.name))


def entrepreneur_screens(nav: Navigator, services: Services, ops: KioskOps,
                         receipts: ReceiptFlow, catalogue: ActivityCatalogue) -> list[Screen]:
    return [EntrepreneurScreen(nav, services, ops, catalogue),
            ProjectDetailScreen(nav, services, ops, catalogue),
            MentorDetailScreen(nav, services, ops, catalogue),
            MentorRequestScreen(nav, services, ops, receipts, catalogue)]
