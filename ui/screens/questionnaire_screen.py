"""补充信息: one tap-to-answer question per screen, chosen to settle the most policies.

After every answer the policies are decided again and the next most useful question is
asked (kiosk.eligibility.questions), so a resident answers only what still matters. "不清楚"
is always allowed: that fact is not asked again this visit. Answers are the resident's own
word — stored in the session with source ``declared`` and forgotten on 退出.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QWidget

from kiosk.app import Services
from kiosk.eligibility import Question
from kiosk.i18n import N_, tr
from ui.ops import KioskOps
from ui.screens.base import Navigator, Screen, label
from ui.widgets.buttons import KioskButton
from ui.widgets.chip_grid import pages_of
from ui.widgets.discard import clear_layout
from ui.widgets.policy_card import show_text
from ui.widgets.policy_text import option_label, question_text
from ui.widgets.policy_visit import PolicyCheck, PolicyVisit

PAGE_SIZE = 6  # at most six answers visible at once


class QuestionnaireScreen(Screen):
    name = "questionnaire"
    title = N_("补充信息")
    needs_identity = True

    def __init__(self, nav: Navigator, services: Services, ops: KioskOps, visit: PolicyVisit,
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self._services = services
        self._ops = ops
        self._visit = visit
        self._landscape = services.config.display.orientation == "landscape"
        # Portrait: one answer per row, six at most; landscape: two columns, four at most.
        self._columns, self._page_size = (2, 4) if self._landscape else (1, PAGE_SIZE)
        self._generation = 0
        self._busy = False
        self._answered_here = 0
        self._question: Question | None = None
        self._page = 0
        self._chosen: set[int] = set()
        self.option_buttons: dict[int, KioskButton] = {}

        self.question = label("", "Heading")
        self.help = label("", "Hint")
        self.status = label("")
        self._options = QWidget()
        self._grid = QGridLayout(self._options)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(20)
        self._grid.setVerticalSpacing(20)
        self.prev_button = KioskButton(tr("上一页"))
        self.next_button = KioskButton(tr("更多选项"))
        self.page_label = label("", "Hint", wrap=False)
        for button in (self.prev_button, self.next_button):  # hidden ones keep their place
            policy = button.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            button.setSizePolicy(policy)
        self.prev_button.clicked.connect(lambda: self._turn(-1))
        self.next_button.clicked.connect(lambda: self._turn(1))
        self._pager = QWidget()
        pager = QHBoxLayout(self._pager)
        pager.setContentsMargins(0, 0, 0, 0)
        pager.setSpacing(20)
        pager.addStretch(1)
        pager.addWidget(self.prev_button)
        pager.addWidget(self.page_label)
        pager.addWidget(self.next_button)
        pager.addStretch(1)

        self.unsure_button = KioskButton(tr("不清楚"))
        self.confirm_button = KioskButton(tr("都没有"), role="primary")
        self.results_button = KioskButton(tr("查看结果"))
        self.unsure_button.clicked.connect(self._on_unsure)
        self.confirm_button.clicked.connect(self._on_confirm_multiple)
        self.results_button.clicked.connect(self._on_results)

        for widget in (self.question, self.help, self.status, self._options):
            self.content.addWidget(widget)
        if self._landscape:  # little height: everything but the answers on one row
            row = QHBoxLayout()
            row.setSpacing(20)
            for widget in (self.results_button, self.unsure_button):
                row.addWidget(widget)
            row.addWidget(self._pager, 1)
            row.addWidget(self.confirm_button)
            self.content.addLayout(row)
            self.content.addStretch(1)
        else:
            answers = QHBoxLayout()
            answers.setSpacing(20)
            answers.addWidget(self.unsure_button)
            answers.addStretch(1)
            answers.addWidget(self.confirm_button)
            leave = QHBoxLayout()
            leave.addWidget(self.results_button)
            leave.addStretch(1)
            self.content.addWidget(self._pager)
            self.content.addLayout(answers)
            self.content.addStretch(1)
            self.content.addLayout(leave)
        self._show_question(None)

    # -- navigation ----------------------------------------------------------------------
    def on_enter(self, **kwargs: Any) -> None:
        self._answered_here = 0  # answered or skipped since entering
        self._show_question(None)
        self._say(tr("正在为您准备问题…"))
        self._check()

    def _check(self) -> None:
        """Decide again with every answer so far and fetch the next question."""
        self._generation += 1
        if self._visit.recheck(self._services, self._ops, lambda: self._generation,
                               self._on_check, self._on_failure):
            self._busy = True

    def _on_check(self, check: PolicyCheck) -> None:
        self._busy = False
        if check.question is None and self._answered_here:
            self.nav.back()  # nothing left to ask: straight to the updated results
            return
        self._show_question(check.question)
        if check.question is None:
            self._say(tr("目前没有需要您在本机回答的问题了。还需核实的信息，"
                         "请咨询服务站工作人员。"))

    def _on_failure(self, exc: BaseException) -> None:
        self._busy = False
        if self._services.session.resident is None:
            return
        self._say(tr("暂时无法继续提问，请点“查看结果”，或咨询服务站工作人员。"))

    # -- the question --------------------------------------------------------------------
    def _say(self, text: str) -> None:
        show_text(self.status, text)

    def _show_question(self, question: Question | None) -> None:
        """One question; its number is in the title (the step indicator: 第 N 题)."""
        self._question = question
        self._page = 0
        self._chosen.clear()
        self._say("")
        has = question is not None
        for widget in (self.question, self._options, self.unsure_button):
            widget.setVisible(has)
        self.confirm_button.setVisible(bool(question and question.multiple))
        if question is None:
            self.show_title()
            self.question.setText("")
            self.help.hide()
            self._pager.hide()
            clear_layout(self._grid)
            self.option_buttons.clear()
            return
        self.title_label.setText(tr("{title} · 第 {n} 题").format(title=tr(self.title),
                                                                  n=self._visit.asked + 1))
        self.question.setText(question_text(question))
        self.help.setText(question.help)
        self.help.setVisible(bool(question.help))
        self.unsure_button.setText(tr(question.unsure_label))
        self._fill_page()

    def _fill_page(self) -> None:
        question = self._question
        clear_layout(self._grid)
        self.option_buttons.clear()
        if question is None:
            return
        pages = pages_of(len(question.options), self._page_size)
        self._page = max(0, min(self._page, len(pages) - 1))
        for n, index in enumerate(pages[self._page]):
            option = question.options[index]
            button = KioskButton(option_label(question, option),
                                 role="chip" if question.multiple else "")
            if question.multiple:
                button.setCheckable(True)
                button.setChecked(index in self._chosen)
                button.toggled.connect(lambda on, i=index: self._on_toggle(i, on))
            else:
                button.clicked.connect(lambda _=False, i=index: self._on_option(i))
            self._grid.addWidget(button, n // self._columns, n % self._columns)
            self.option_buttons[index] = button
        self._pager.setVisible(len(pages) > 1)
        self.prev_button.setVisible(self._page > 0)
        self.next_button.setVisible(self._page < len(pages) - 1)
        self.page_label.setText(tr("第 {page}/{pages} 页").format(page=self._page + 1,
                                                                 pages=len(pages)))
        self._update_confirm()

    def _turn(self, step: int) -> None:
        self._page += step
        self._fill_page()

    def _update_confirm(self) -> None:
        count = len(self._chosen)
        self.confirm_button.setText(tr("确定（已选 {n} 项）").format(n=count) if count
                                    else tr("都没有"))

    # -- answers -------------------------------------------------------------------------
    def _on_option(self, index: int) -> None:
        if self._busy or self._question is None:
            return
        self._record(self._question.answer(index))

    def _on_toggle(self, index: int, on: bool) -> None:
        if on:
            self._chosen.add(index)
        else:
            self._chosen.discard(index)
        self._update_confirm()

    def _on_confirm_multiple(self) -> None:
        if self._busy or self._question is None:
            return
        self._record(self._question.answer(*sorted(self._chosen)))

    def _on_unsure(self) -> None:
        if self._busy or self._question is None:
            return
        self._visit.skip.add(self._question.fact)
        self._visit.asked += 1
        self._answered_here += 1
        self._check()

    def _record(self, answers: dict[str, Any]) -> None:
        """The resident's word for this visit only: source ``declared``."""
        if self._services.session.resident is None:
            return
        self._services.session.add_facts(answers, "declared")
        self._visit.asked += 1
        self._answered_here += 1
        self._check()

    def _on_results(self) -> None:
        self.nav.back()

    @property
    def loading(self) -> bool:
        """The next question is being chosen (the screenshot walk waits for it)."""
        return self._busy

    def screenshot_states(self) -> Iterator[str]:
        """The first question as the resident meets it."""
        if self._services.session.resident is not None:
            yield "question"

    def clear_personal(self) -> None:
        self._generation += 1
        self._busy = False
        self._answered_here = 0
        self._show_question(None)
