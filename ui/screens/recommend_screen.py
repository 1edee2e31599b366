"""为您推荐: jobs ranked for the resident's 求职登记, each with the reasons it was chosen.

The reasons come from :func:`kiosk.jobs.matching.recommend` in plain Chinese (离您家近：杨柳青镇,
薪资符合期望…) and are shown on every card, because a resident trusts a list they can check
against what they asked for. The list is shown a few jobs at a time with 上一页/下一页 rather
than as a long scrolling list: fewer things to read at once, and no dragging for people
who find it hard. Without a registration there is nothing to match against, so the screen
invites them to register (a few taps) instead of guessing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kiosk.app import Services, today
from kiosk.i18n import N_, tr
from kiosk.jobs.matching import Recommendation, SeekerPreferences, recommend
from kiosk.jobs.submissions import latest_registration
from kiosk.jobs.towns import town_label
from kiosk.jobs.vocab import industry_label, job_type_label
from ui.ops import KioskOps
from ui.screens.base import Navigator, Screen, label, large_text
from ui.widgets.buttons import KioskButton
from ui.widgets.card_prompt import card_prompt_page
from ui.widgets.discard import clear_layout, discard
from ui.widgets.flow import FlowLayout
from ui.widgets.policy_card import CARD_MARGINS, button_row

log = logging.getLogger(__name__)

LIMIT = 20
DETAIL_SCREEN = "job_detail"
REASON_MARK = "√ "


class Found(NamedTuple):
    """What the worker found: the registration's wishes and the ranked jobs."""

    prefs: SeekerPreferences
    recommendations: list[Recommendation]


def wishes_line(prefs: SeekerPreferences) -> str:
    """您登记的意向, in one line: 全职 · 制造业产业链 · 杨柳青镇 · 5000元/月以上 (in the
    resident's language; town names stay Chinese)."""
    comma = tr("、")
    parts = [comma.join(job_type_label(c, translate=True) for c in prefs.job_types)
             or tr("工作类型不限"),
             comma.join(industry_label(c, translate=True) for c in prefs.industries)
             or tr("行业不限"),
             comma.join(town_label(c) for c in prefs.towns) or tr("地点不限"),
             tr("{amount}元/月以上").format(amount=prefs.expected_salary)
             if prefs.expected_salary else tr("薪资不限")]
    return " · ".join(parts)


class RecommendationCard(QFrame):
    """One recommended job: what, who, where, how much — and why it was picked."""

    def __init__(self, rec: Recommendation, *, on_open: Callable[[str], None] | None,
                 wide: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        job = rec.job
        self.job_id = job.id
        row = QHBoxLayout(self)
        row.setContentsMargins(*CARD_MARGINS)
        row.setSpacing(20)
        texts = QVBoxLayout()
        texts.setSpacing(8)
        texts.addWidget(label(job.title, "Heading"))
        pay = f"{job.salary_text} · {job.job_type_label}"
        where = f"{job.employer_name} · {job.town_label}"
        if wide:  # a landscape line holds both
            texts.addWidget(label(f"{pay} · {where}"))
        else:
            texts.addWidget(label(pay))
            texts.addWidget(label(where, "Hint"))
        # One label per reason, flowing: a reason never breaks in the middle of its words.
        self.reasons = QWidget()
        flow = FlowLayout(self.reasons, spacing=8)
        for reason in rec.reasons or [tr("符合您登记的意向")]:
            flow.addWidget(label(REASON_MARK + reason + "　", "OkText", wrap=False))
        texts.addWidget(self.reasons)
        row.addLayout(texts, 1)
        self.open_button: KioskButton | None = None
        if on_open is not None:
            self.open_button = KioskButton(tr("查看详情"))
            self.open_button.clicked.connect(lambda: on_open(self.job_id))
            row.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignVCenter)

    def reason_texts(self) -> list[str]:
        return [w.text().removeprefix(REASON_MARK).strip()
                for w in self.reasons.findChildren(QLabel)]


def _height_for(card: QWidget, width: int) -> int:
    layout = card.layout()
    if layout is not None and layout.hasHeightForWidth():
        return layout.totalHeightForWidth(width)
    return card.sizeHint().height()


class RecommendScreen(Screen):
    name = "recommend"
    title = N_("为您推荐")

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps,
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self._services = services
        self._ops = ops
        self._landscape = services.config.display.orientation == "landscape"
        self._generation = 0
        self._found: list[Recommendation] = []
        self._all_cards: list[RecommendationCard] = []
        self._pages: list[range] = []
        self._page = 0
        self.loading = False  # a background read is on its way (screenshots wait for it)
        self.cards: list[RecommendationCard] = []  # the cards on the current page

        # -- without a card ----------------------------------------------------------------
        self.card_invite = card_prompt_page(
            label(tr("读卡后，本机会按您的求职登记为您推荐合适的岗位。")))

        # -- not registered yet ------------------------------------------------------------
        self.register_invite = QWidget()
        box = QVBoxLayout(self.register_invite)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(24)
        box.addWidget(label(tr("您还没有做求职登记"), "Heading"))
        box.addWidget(label(tr("告诉我们您想找什么样的工作：工作类型、行业、地点和工资，"
                               "点几下就好。登记后，本机马上为您推荐合适的岗位，"
                               "就业红娘也会帮您留意。")))
        self.register_button = KioskButton(tr("去求职登记"), role="primary")
        self.register_button.clicked.connect(lambda: self.nav.show_screen("register"))
        box.addLayout(button_row(self.register_button))
        box.addStretch(1)

        # -- results -----------------------------------------------------------------------
        self.results = QWidget()
        box = QVBoxLayout(self.results)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(20)
        self.summary = label("", "Body")
        self.wishes = label("", "Hint")
        self._list = QWidget()
        self._grid = QGridLayout(self._list)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(20)
        self.jobs_button = KioskButton(tr("看看全部岗位"))
        self.jobs_button.clicked.connect(lambda: self.nav.show_screen("jobs"))
        self._empty = QWidget()
        self._empty.setLayout(button_row(self.jobs_button))
        self._empty.layout().setContentsMargins(0, 0, 0, 0)  # type: ignore[union-attr]
        self.change_button = KioskButton(tr("修改登记"))
        self.change_button.clicked.connect(
            lambda: self.nav.show_screen("register", restart=True))
        self.prev_button = KioskButton(tr("上一页"))
        self.next_button = KioskButton(tr("下一页"))
        self.page_label = label("", "Hint", wrap=False, align=Qt.AlignmentFlag.AlignCenter)
        self.prev_button.clicked.connect(lambda: self._show_page(self._page - 1))
        self.next_button.clicked.connect(lambda: self._show_page(self._page + 1))
        for button in (self.prev_button, self.next_button):  # the row does not jump about
            policy = button.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            button.setSizePolicy(policy)
        if self._landscape:  # one row above the jobs: 1080 px leave little for a second
            top = QHBoxLayout()
            top.setSpacing(20)
            texts = QVBoxLayout()
            texts.setSpacing(8)
            texts.addWidget(self.summary)
            texts.addWidget(self.wishes)
            top.addLayout(texts, 1)
            controls: tuple[QWidget, ...] = (self.change_button, self.prev_button,
                                             self.page_label, self.next_button)
            for widget in controls:
                top.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
            box.addLayout(top)
            box.addWidget(self._list, 1)
            box.addWidget(self._empty)
        else:
            bottom = QHBoxLayout()
            bottom.setSpacing(20)
            bottom.addWidget(self.change_button)
            bottom.addStretch(1)
            bottom.addWidget(self.prev_button)
            bottom.addWidget(self.page_label)
            bottom.addWidget(self.next_button)
            box.addWidget(self.summary)
            box.addWidget(self.wishes)
            box.addWidget(self._list, 1)
            box.addWidget(self._empty)
            box.addLayout(bottom)

        self.status = label("", "Body")
        self.content.addWidget(self.status)
        for widget in (self.card_invite, self.register_invite, self.results):
            self.content.addWidget(widget, 1)
        self._show_part(None)

    # -- entering ------------------------------------------------------------------------
    def on_enter(self, **kwargs: Any) -> None:
        self._clear()
        if self._services.session.resident is None:
            self._show_part(self.card_invite)
            return
        self._load()

    def _load(self, prefs: SeekerPreferences | None = None) -> None:
        """Read the resident's registration and rank jobs for it on the worker; ``prefs``
        ranks for given wishes instead (the screenshots use it; nothing is written)."""
        resident = self._services.session.resident
        if resident is None:
            return
        self._generation += 1
        generation = self._generation
        services = self._services
        key = resident.key
        age = resident.age(today())
        self._set_status(tr("正在为您挑选岗位，请稍候…"))
        self.loading = True

        def work() -> Found | None:
            wishes = prefs
            if wishes is None:
                row = latest_registration(services.db, key)
                if row is None:
                    return None
                wishes = SeekerPreferences.from_json(row.preferences)
            with services.db.read() as s:
                return Found(wishes, recommend(s, wishes, age, limit=LIMIT, today=today()))

        def still_here() -> bool:
            return generation == self._generation and services.session.resident is resident

        def done(found: Found | None) -> None:
            if not still_here():
                return
            self.loading = False
            self._set_status("")
            if found is None:
                self._show_part(self.register_invite)
            else:
                self._show_found(found)

        def failed(exc: BaseException) -> None:
            if not still_here():
                return
            self.loading = False
            log.error("recommendations failed", exc_info=exc)
            self._set_status(tr("暂时无法为您推荐岗位，请稍后再试，或到“找工作”看看全部岗位。"))

        self._ops.run(work).success(done).failure(failed)

    def _show_found(self, found: Found) -> None:
        self._show_part(self.results)
        self._found = list(found.recommendations)
        if self._found and self._landscape:  # one line: the height goes to the jobs
            self.summary.setText(tr("按您的登记挑选了 {n} 个岗位，最合适的在前。").format(
                n=len(self._found)))
        elif self._found:
            self.summary.setText(tr("按您的求职登记，为您挑选了 {n} 个岗位，最合适的排在前面。")
                                 .format(n=len(self._found)))
        else:
            self.summary.setText(tr("暂时没有符合您意向的岗位。可以修改求职登记放宽条件，"
                                    "或看看全部岗位；有合适的岗位，就业红娘也会联系您。"))
        self.wishes.setText(tr("您登记的意向：{wishes}").format(wishes=wishes_line(found.prefs)))
        self._empty.setVisible(not self._found)
        self._list.setVisible(bool(self._found))
        self._paginate()
        self._show_page(0)

    # -- pages -----------------------------------------------------------------------------
    # A page holds as many cards as fit the room left on screen, measured with the text size
    # in force (长辈模式 and the orientation change it a lot), so nothing is ever cut off.

    @property
    def pages(self) -> int:
        return len(self._pages)

    @property
    def page(self) -> int:
        return self._page

    def _columns(self) -> int:
        """Two cards side by side on a landscape screen with normal text, else one."""
        return 2 if self._landscape and not large_text(self) else 1

    def changeEvent(self, event: QEvent) -> None:
        """长辈模式 switched on or off: pages again, from the first job the resident was
        looking at."""
        super().changeEvent(event)
        if (event.type() == QEvent.Type.StyleChange and getattr(self, "_pages", None)
                and self._found):
            first = self._pages[self._page].start
            self._paginate()
            self._show_page(next(i for i, p in enumerate(self._pages) if first in p))

    def _paginate(self) -> None:
        """Split the jobs into pages that fit the list's height (one job per page at least)."""
        columns = self._columns()
        self._make_cards(columns)
        height, width = self._room()
        gap = self._grid.spacing()
        column_width = (width - gap * (columns - 1)) // columns
        self._pages = []
        first, used = 0, 0
        for row_start in range(0, len(self._all_cards), columns):
            row = self._all_cards[row_start:row_start + columns]
            row_height = max(_height_for(card, column_width) for card in row)
            needed = row_height if row_start == first else used + gap + row_height
            if row_start > first and needed > height:
                self._pages.append(range(first, row_start))
                first, needed = row_start, row_height
            used = needed
        self._pages.append(range(first, len(self._all_cards)))

    def _room(self) -> tuple[int, int]:
        """Height and width the cards may take: the list's share of the screen with no card
        in it (the layout is brought up to date first)."""
        clear_layout(self._grid)
        for card in self._all_cards:
            card.hide()
        for layout in (self.layout(), self.results.layout()):
            if layout is not None:
                layout.activate()
        return self._list.height(), self._list.width()

    def _make_cards(self, columns: int) -> None:
        self._drop_cards()
        on_open = self._open if self._can_open() else None
        wide = self._landscape and columns == 1
        self._all_cards = [RecommendationCard(rec, on_open=on_open, wide=wide)
                           for rec in self._found]
        for card in self._all_cards:
            card.setParent(self._list)
            card.hide()
            card.ensurePolished()

    def _drop_cards(self) -> None:
        clear_layout(self._grid)
        for card in self._all_cards:
            discard(card)
        self._all_cards = []
        self.cards = []

    def _show_page(self, page: int) -> None:
        self._page = max(0, min(page, len(self._pages) - 1))
        clear_layout(self._grid)
        for card in self._all_cards:
            card.hide()
        columns = self._columns()
        for column in range(2):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)
        shown = self._pages[self._page]
        self.cards = [self._all_cards[i] for i in shown]
        for n, card in enumerate(self.cards):
            self._grid.addWidget(card, n // columns, n % columns)
            card.show()
        rows = (len(self.cards) + columns - 1) // columns
        for row in range(rows + 1):  # the cards keep their height; the space goes below
            self._grid.setRowStretch(row, 1 if row == rows else 0)
        many = len(self._pages) > 1
        self.prev_button.setVisible(many and self._page > 0)
        self.next_button.setVisible(many and self._page < len(self._pages) - 1)
        which = (f"{shown.start + 1}-{shown.stop}" if len(shown) > 1
                 else f"{shown.start + 1}")
        self.page_label.setText(tr("第 {which} 个\n共 {n} 个").format(
            which=which, n=len(self._found)) if many else "")

    def _can_open(self) -> bool:
        """The job detail screen is built by the jobs flow; until it exists, no button."""
        screens = getattr(self.nav, "screens", None)
        return screens is None or DETAIL_SCREEN in screens

    def _open(self, job_id: str) -> None:
        self.nav.show_screen(DETAIL_SCREEN, job_id=job_id)

    # -- helpers ---------------------------------------------------------------------------
    def _show_part(self, part: QWidget | None) -> None:
        for widget in (self.card_invite, self.register_invite, self.results):
            widget.setVisible(widget is part)

    def _set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _clear(self) -> None:
        self._generation += 1
        self.loading = False
        self._set_status("")
        self.summary.setText("")
        self.wishes.setText("")
        self._found = []
        self._pages = []
        self._page = 0
        self._drop_cards()
        self._show_part(None)

    def clear_personal(self) -> None:
        self._clear()

    def shown_recommendations(self) -> Sequence[Recommendation]:
        """Everything found for the resident (all pages), best first."""
        return list(self._found)

    def screenshot_states(self) -> Iterator[str]:
        """The invitation (the demo resident has not registered; the walker lets the lookup
        arrive before it looks), then results for sample wishes (nothing is written)."""
        yield "invite"
        self._clear()
        self._load(SeekerPreferences(job_types=("fulltime",), industries=("manufacturing",),
                                     towns=("yangliuqing",), home_town="yangliuqing",
                                     expected_salary=5000, education="senior"))
        yield "results"
        self._show_page(self.pages - 1)
        yield "results_last_page"
        self._clear()
