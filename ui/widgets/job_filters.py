"""The 找工作 filters: what each can be set to, in residents' words, and the picker.

The main screen shows one button per filter saying what it is set to (行业：不限); tapping it
opens :class:`ChoiceOverlay` with that filter's chips, a page of at most six at a time. One
tap chooses and closes, so a filter costs two taps and no reading of a long list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from kiosk.jobs.towns import load_towns, resolve_town, town_label
from kiosk.jobs.vocab import INDUSTRIES, JOB_TYPES
from ui.widgets.buttons import KioskButton
from ui.widgets.job_chips import PagedChips
from ui.widgets.overlay import Overlay

ANY = ""  # the value of 不限 in every filter
NEAR = "@near"  # the town filter's 离我近: the resident's (or the station's) town
ANY_TEXT = "不限"

SALARY_FLOORS: tuple[tuple[str, str], ...] = (
    ("3000", "3000元以上"), ("4000", "4000元以上"), ("5000", "5000元以上"),
    ("6000", "6000元以上"))
POSTED_WITHIN: tuple[tuple[str, str], ...] = (("3", "3天内"), ("7", "7天内"), ("30", "30天内"))
SORTS: tuple[tuple[str, str], ...] = (("newest", "最新"), ("salary", "薪资最高"),
                                      ("distance", "离我近"))


@dataclass(frozen=True)
class FilterSpec:
    key: str  # industry | town | job_type | salary | posted
    name: str  # what the button and the picker call it
    options: tuple[tuple[str, str], ...]  # (value, text), 不限 first


def filter_specs(near_town: str | None) -> tuple[FilterSpec, ...]:
    """Every filter with its options; 离我近 only when there is a town to be near to."""
    towns: list[tuple[str, str]] = [(ANY, ANY_TEXT)]
    if near_town:
        towns.append((NEAR, f"离我近（{town_label(near_town)}）"))
    towns += [(t.code, t.name) for t in load_towns()]
    return (
        FilterSpec("town", "街镇", tuple(towns)),
        FilterSpec("industry", "行业", ((ANY, ANY_TEXT), *INDUSTRIES.items())),
        FilterSpec("job_type", "类型", ((ANY, ANY_TEXT), *JOB_TYPES.items())),
        FilterSpec("salary", "月薪", ((ANY, ANY_TEXT), *SALARY_FLOORS)),
        FilterSpec("posted", "发布", ((ANY, ANY_TEXT), *POSTED_WITHIN)),
    )


def town_from_address(address: str) -> str | None:
    """The Xiqing town or street named in a card address (天津市西青区杨柳青镇… → yangliuqing).

    Full names are tried first so that 西营门街道 is not read as a shorter name inside it.
    """
    if not address:
        return None
    towns = load_towns()
    for town in towns:
        if town.full_name in address:
            return town.code
    for town in towns:
        if town.name in address:
            return town.code
    return None


def near_town(card_address: str | None, station_town: str) -> str | None:
    """离我近 means the resident's town when the card says it, else the station's town."""
    own = town_from_address(card_address or "")
    return own or (resolve_town(station_town) if station_town else None)


class ChoiceOverlay(Overlay):
    """选择行业 / 选择街镇…: a page of chips, one tap picks and closes; 取消 keeps it as it
    was. ``extra`` adds one more way to choose (在地图上选)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("Heading")
        self.title.setWordWrap(True)
        self.hint = QLabel("点一下就选好了")
        self.hint.setObjectName("Hint")
        self.hint.setWordWrap(True)
        self.chips = PagedChips((), allow_none=False)
        self.chips.changed.connect(self._picked)
        self.extra = KioskButton("")
        self.extra.clicked.connect(self._extra_tapped)
        self.cancel = KioskButton("取消")
        self.cancel.clicked.connect(self.close_picker)
        row = QHBoxLayout()
        row.setSpacing(24)
        row.addWidget(self.extra)
        row.addStretch(1)
        row.addWidget(self.cancel)
        self.body.addWidget(self.title)
        self.body.addWidget(self.hint)
        self.body.addWidget(self.chips)
        self.body.addLayout(row)
        self.body.setAlignment(self.chips, Qt.AlignmentFlag.AlignTop)
        self._on_pick: Callable[[str], None] | None = None
        self._on_extra: Callable[[], None] | None = None
        self.key = ""

    def ask(self, spec: FilterSpec, current: str, on_pick: Callable[[str], None], *,
            extra: tuple[str, Callable[[], None]] | None = None) -> None:
        self.key = spec.key
        self.title.setText(f"选择{spec.name}")
        self.chips.set_options(spec.options)
        self.chips.set_value(current or ANY)
        self._on_pick = on_pick
        self._on_extra = extra[1] if extra else None
        self.extra.setText(extra[0] if extra else "")
        self.extra.setVisible(extra is not None)
        self.open()

    def options(self) -> Sequence[str]:
        """The values on the page shown now (tests tap them)."""
        return self.chips.visible_values()

    def _picked(self, value: str) -> None:
        callback = self._on_pick
        self.close_picker()
        if callback is not None:
            callback(value)

    def _extra_tapped(self) -> None:
        callback = self._on_extra
        self.close_picker()
        if callback is not None:
            callback()

    def close_picker(self) -> None:
        self._on_pick = self._on_extra = None
        self.hide()
