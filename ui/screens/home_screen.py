"""Home: who we are, put your card here, and the six services as big tiles."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.i18n import N_, tr
from kiosk.session import Resident
from ui.screens.base import Navigator, Screen, label
from ui.theme.tokens import TILE_COLOURS
from ui.widgets.attract_loop import AttractLoop, EntryTile
from ui.widgets.tile import Tile

# Texts here are marked for the catalogue (N_) and translated where shown (tr): these tables
# are built at import, before anyone chose a language.
ACTIVITIES_ENTRY = ("activities", N_("招聘活动 · 培训 · 创业"))
#: the entry's lines (text, theme role); landscape's are small: its column is narrow
ENTRY_LINES = ((N_("招聘活动"), "TileTitle"), (N_("培训 · 创业"), "TileSub"),
               (N_("点这里看全部 ›"), "TileSub"))
ENTRY_LINES_LANDSCAPE = ((N_("招聘活动"), "TileSub"), (N_("培训 · 创业"), "TileSub"),
                         (N_("点这里 ›"), "TileSub"))
SERVICES = (
    ("jobs", N_("找工作"), N_("附近岗位 · 按条件找")),
    ("policies", N_("政策补贴"), N_("免申即享 · 一键申报")),
    ("register", N_("求职登记"), N_("登记求职意向 · 为您推荐")),
    ("callback", N_("呼叫就业红娘"), N_("留下电话 · 专人回电")),
    ("guide", N_("办事指南"), N_("政策条件 · 所需材料")),
    ("my_applications", N_("我的申请"), N_("查看办理进度")),
)
WELCOME = N_("您好，欢迎使用乐业西青自助服务")
CARD_PROMPT = N_("请将身份证放在读卡区")
CARD_HINT = N_("不用身份证也可以找工作、看政策")


class HomeScreen(Screen):
    name = "home"
    navigable = False
    tile_chosen = Signal(str)

    def __init__(self, nav: Navigator, *, landscape: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self.greeting = label(tr(WELCOME), "Greeting", align=Qt.AlignmentFlag.AlignCenter)
        self.identity = label("", "Body", align=Qt.AlignmentFlag.AlignCenter)
        self.identity.hide()
        self.card_prompt = label(tr(CARD_PROMPT), "CardPrompt",
                                 align=Qt.AlignmentFlag.AlignCenter)
        self.card_hint = label(tr(CARD_HINT), "Hint", align=Qt.AlignmentFlag.AlignCenter)
        self._resident: Resident | None = None
        self.reader_notice = label("", "ErrorText", align=Qt.AlignmentFlag.AlignCenter)
        self.reader_notice.hide()
        # Today's events and the district's notices, turning by themselves (below the card
        # prompt, never over it), and beside them the way to all of it (招聘会, 直播, 培训,
        # 创业, 公告): below the six tiles there is no height left for it.
        self.attract = AttractLoop()
        self._entry_lines = ENTRY_LINES_LANDSCAPE if landscape else ENTRY_LINES
        self.activities_button = EntryTile([(tr(t), role) for t, role in self._entry_lines])
        self.activities_button.clicked.connect(
            lambda: self.tile_chosen.emit(ACTIVITIES_ENTRY[0]))
        intro = QVBoxLayout()
        intro.setSpacing(24)
        for widget in (self.greeting, self.identity, self.card_prompt, self.card_hint,
                       self.reader_notice):
            intro.addWidget(widget)
        panel = QHBoxLayout()
        panel.setSpacing(24)
        panel.addWidget(self.attract, 1)
        panel.addWidget(self.activities_button)
        intro.addLayout(panel)
        # Portrait: the welcome above six tiles in 2 columns. Landscape has about 730 px of
        # height, too little for the welcome plus two rows of tiles in large text, so the
        # welcome goes to the left and the tiles to the right, in 2 columns × 3 rows.
        grid = QGridLayout()
        grid.setSpacing(24)
        columns = 2
        self.tiles: dict[str, Tile] = {}
        for i, (key, title, sub) in enumerate(SERVICES):
            tile = Tile(key, tr(title), tr(sub), TILE_COLOURS[i % len(TILE_COLOURS)])
            tile.activated.connect(self.tile_chosen)
            grid.addWidget(tile, i // columns, i % columns)
            self.tiles[key] = tile
        if landscape:
            intro.insertStretch(0, 1)
            intro.addStretch(1)
            row = QHBoxLayout()
            row.setSpacing(40)
            row.addLayout(intro, 2)
            row.addLayout(grid, 3)
            self.content.addLayout(row, 1)
        else:
            self.content.addLayout(intro)
            self.content.addLayout(grid, 1)

    def show_resident(self, resident: Resident) -> None:
        """您好，李*兰 — masked, and the tiles speak to them."""
        self._resident = resident
        self.greeting.setText(tr("您好，{name}").format(name=resident.name_masked))
        self.identity.setText(tr("证件号码 {id}").format(id=resident.id_masked))
        self.identity.show()
        self.card_prompt.hide()
        self.card_hint.setText(tr("请选择您要办理的业务；办完请点「退出」"))
        self.tiles["policies"].set_texts(tr("我能享受的政策"), tr("为您逐项核对 · 一键申报"))
        self.tiles["jobs"].set_texts(tr("找工作"), tr("为您推荐附近岗位"))
        self.attract.set_paused(True)

    def show_reader_problem(self, text: str | None) -> None:
        self.reader_notice.setVisible(bool(text))
        self.reader_notice.setText(text or "")

    def clear_personal(self) -> None:
        self._resident = None
        self.greeting.setText(tr(WELCOME))
        self.identity.clear()
        self.identity.hide()
        self.card_prompt.setText(tr(CARD_PROMPT))
        self.card_prompt.show()
        self.card_hint.setText(tr(CARD_HINT))
        for key, title, sub in SERVICES:
            self.tiles[key].set_texts(tr(title), tr(sub))
        self.attract.set_paused(False)

    def retranslate(self) -> None:
        """The language changed: every text again, keeping who is identified."""
        resident = self._resident
        self.clear_personal()
        self.activities_button.set_lines([(tr(t), role) for t, role in self._entry_lines])
        self.attract.refresh()
        if resident is not None:
            self.show_resident(resident)

    def on_enter(self, **kwargs: Any) -> None:
        self.attract.refresh()

    def tile_titles(self) -> list[str]:
        return [t.title_label.text() for t in self.tiles.values()]

    def greeting_text(self) -> str:
        return self.greeting.text()

    def all_text(self) -> str:
        return " ".join(w.text() for w in self.findChildren(QLabel))
