"""The 找工作 filters: what each can be set to, in residents' words, and the picker.

The main screen shows one button per filter saying what it is set to (行业：不限); tapping it
opens :class:`ChoiceOverlay` with that filter's chips, a page of at most six at a time. One
tap chooses and closes, so a filter costs two taps and no reading of a long list.

The tables are Chinese, marked for the catalogue; :func:`filter_specs` (called when a screen
is built or shown) gives them in the resident's language. Town names stay Chinese.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from kiosk.i18n import N_, tr
from kiosk.jobs.towns import load_towns, resolve_town, town_label
from kiosk.jobs.vocab import INDUSTRIES, JOB_TYPES
from ui.widgets.buttons import KioskButton
from ui.widgets.job_chips import PagedChips
from ui.widgets.overlay import Overlay

ANY = ""  # the value of 不限 in every filter
NEAR = "@near"  # the town filter's 离我近: the resident's (or the station's) town
ANY_TEXT = N_("不限")  # Chinese: show tr(ANY_TEXT)

SALARY_FLOORS: tuple[tuple[str, str], ...] = (
    ("3000", N_("3000元以上")), ("4000", N_("4000元以上")), ("5000", N_("5000元以上")),
    ("6000", N_("6000元以上")))
POSTED_WITHIN: tuple[tuple[str, str], ...] = (("3", N_("3天内")), ("7", N_("7天内")),
                                              ("30", N_("30天内")))
SORTS: tuple[tuple[str, str], ...] = (("newest", N_("最新")), ("salary", N_("薪资最高")),
                                      ("distance", N_("离我近")))


@dataclass(frozen=True)
class FilterSpec:
    key: str  # industry | town | job_type | salary | posted
    name: str  # what the button and the picker call it
    options: tuple[tuple[str, str], ...]  # (value, text), 不限 first
    title: str = ""  # the picker's heading; "" = 选择 + name


def filter_specs(near_town: str | None) -> tuple[FilterSpec, ...]:
    """Every filter with its options, in the resident's language; 离我近 only when there is
    a town to be near to."""
    any_ = (ANY, tr(ANY_TEXT))
    towns: list[tuple[str, str]] = [any_]
    if near_town:
        towns.append((NEAR, tr("离我近（{town}）").format(town=town_label(near_town))))
    towns += [(t.code, t.name) for t in load_towns()]

    def translated(options: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        return (any_, *((value, tr(text)) for value, text in options))

    return (
        FilterSpec("town", tr("街镇"), tuple(towns), tr("选择街镇")),
        FilterSpec("industry", tr("行业"), translated(list(INDUSTRIES.items())),
                   tr("选择行业")),
        FilterSpec("job_type", tr("类型"), translated(list(JOB_TYPES.items())),
                   tr("选择类型")),
        FilterSpec("salary", tr("月薪"), translated(SALARY_FLOORS), tr("选择月薪")),
        FilterSpec("posted", tr("发布"), translated(POSTED_WITHIN), tr("选择发布")),
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
        self.hint = QLabel(tr("点一下就选好了"))
        self.hint.setObjectName("Hint")
        self.hint.setWordWrap(True)
        self.chips = PagedChips((), allow_none=False)
        self.chips.changed.connect(self._picked)
        self.extra = KioskButton("")
        self.extra.clicked.connect(self._extra_tapped)
        self.cancel = KioskButton(tr("取消"))
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
        self.title.setText(spec.title or tr("选择{name}").format(name=spec.name))
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

    def dismiss(self) -> bool:
        """返回 while the picker is open: close it (the 返回 is used up); False when it is
        not open (返回 does what it does elsewhere)."""
        if not self.isVisible():
            return False
        self.close_picker()
        return True

    def close_picker(self) -> None:
        self._on_pick = self._on_extra = None
        self.hide()
