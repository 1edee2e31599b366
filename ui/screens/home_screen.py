"""Home: who we are, put your card here, and the six services as big tiles."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.session import Resident
from ui.screens.base import Navigator, Screen, label
from ui.theme.tokens import TILE_COLOURS
from ui.widgets.tile import Tile

SERVICES = (
    ("jobs", "找工作", "附近岗位 · 按条件找"),
    ("policies", "政策补贴", "免申即享 · 一键申报"),
    ("register", "求职登记", "登记求职意向 · 为您推荐"),
    ("callback", "呼叫就业红娘", "留下电话 · 专人回电"),
    ("guide", "办事指南", "政策条件 · 所需材料"),
    ("my_applications", "我的申请", "查看办理进度"),
)


class HomeScreen(Screen):
    name = "home"
    navigable = False
    tile_chosen = Signal(str)

    def __init__(self, nav: Navigator, *, landscape: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(nav, parent)
        self.greeting = label("您好，欢迎使用乐业西青自助服务", "Greeting",
                              align=Qt.AlignmentFlag.AlignCenter)
        self.identity = label("", "Body", align=Qt.AlignmentFlag.AlignCenter)
        self.identity.hide()
        self.card_prompt = label("请将身份证放在读卡区", "CardPrompt",
                                 align=Qt.AlignmentFlag.AlignCenter)
        self.card_hint = label("不用身份证也可以找工作、看政策", "Hint",
                               align=Qt.AlignmentFlag.AlignCenter)
        self.reader_notice = label("", "ErrorText", align=Qt.AlignmentFlag.AlignCenter)
        self.reader_notice.hide()
        intro = QVBoxLayout()
        intro.setSpacing(24)
        for widget in (self.greeting, self.identity, self.card_prompt, self.card_hint,
                       self.reader_notice):
            intro.addWidget(widget)
        # Portrait: the welcome above six tiles in 2 columns. Landscape has about 730 px of
        # height, too little for the welcome plus two rows of tiles in large text, so the
        # welcome goes to the left and the tiles to the right, in 2 columns × 3 rows.
        grid = QGridLayout()
        grid.setSpacing(24)
        columns = 2
        self.tiles: dict[str, Tile] = {}
        for i, (key, title, sub) in enumerate(SERVICES):
            tile = Tile(key, title, sub, TILE_COLOURS[i % len(TILE_COLOURS)])
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
        self.greeting.setText(f"您好，{resident.name_masked}")
        self.identity.setText(f"证件号码 {resident.id_masked}")
        self.identity.show()
        self.card_prompt.hide()
        self.card_hint.setText("请选择您要办理的业务；办完请点「退出」")
        self.tiles["policies"].set_texts("我能享受的政策", "为您逐项核对 · 一键申报")
        self.tiles["jobs"].set_texts("找工作", "为您推荐附近岗位")

    def show_reader_problem(self, text: str | None) -> None:
        self.reader_notice.setVisible(bool(text))
        self.reader_notice.setText(text or "")

    def clear_personal(self) -> None:
        self.greeting.setText("您好，欢迎使用乐业西青自助服务")
        self.identity.clear()
        self.identity.hide()
        self.card_prompt.show()
        self.card_hint.setText("不用身份证也可以找工作、看政策")
        for key, title, sub in SERVICES:
            self.tiles[key].set_texts(title, sub)

    def on_enter(self, **kwargs: Any) -> None:
        pass

    def tile_titles(self) -> list[str]:
        return [t.title_label.text() for t in self.tiles.values()]

    def greeting_text(self) -> str:
        return self.greeting.text()

    def all_text(self) -> str:
        return " ".join(w.text() for w in self.findChildren(QLabel))
