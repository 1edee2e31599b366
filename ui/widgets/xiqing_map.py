"""A schematic map of Xiqing's towns and streets, drawn with QPainter (no map server).

It draws the shipped outlines (kiosk.jobs.towns: Voronoi cells of approximate centres, not
legal boundaries — screens must say so, see :data:`SCHEMATIC_NOTE`) and puts on each town a
label with its name and a number (open jobs for 找工作, registered seekers for the admin
screen). A finger hits a label or anywhere inside a town; ``town_tapped`` carries the town
code. Nothing is told by colour alone: every number is written, the chosen town carries a ✓
and a heavy border.

Labels start at their town's centre and are pushed apart until none overlap (the centres of
西营门街, 赤龙南街 and 中北镇 are close together); a label pushed off its town gets a leader
line to the town's centre. Text size and colour come from the theme (object name "Body"),
so 长辈模式 enlarges the labels and the layout follows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.i18n import N_, tr
from kiosk.jobs.towns import Town, load_towns
from ui.theme.tokens import CARD, LINE, MIN_TARGET_PX, PRIMARY

SCHEMATIC_NOTE = N_("示意图：街镇位置和边界为示意，不代表实际行政区划。")  # show tr(...)
#: the count line of a label when the unit is a template (a Chinese msgid with {n})
JOBS_UNIT = N_("{n}个岗位")
LABEL_PAD_X = 16
LABEL_PAD_Y = 8
LABEL_GAP = 10
MARGIN = 16
CALLOUT_GAP = 40
MAX_LABEL_COVER = 0.4  # labels on the towns may hide at most this share of the map
NEAR_TAP_PX = 80  # a tap this close to a town's centre still counts for that town
_TINTS = (26, 52, 78)  # alpha of PRIMARY over the card colour: neighbours look different


class XiqingMap(QWidget):
    """``XiqingMap(counts, unit="人")``; ``set_counts({town: n})``; ``town_tapped(code)``.

    ``unit`` follows each number ("人" → 12人), or is a catalogue message with ``{n}``
    (:data:`JOBS_UNIT`, the default), translated when the label is drawn. Town names stay
    Chinese."""

    town_tapped = Signal(str)

    def __init__(self, counts: Mapping[str, int] | None = None, *, unit: str = JOBS_UNIT,
                 towns: Sequence[Town] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Body")  # text size and ink from the theme
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(300, 300)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.towns: tuple[Town, ...] = tuple(towns) if towns is not None else load_towns()
        self.unit = unit
        self.counts: dict[str, int] | None = dict(counts) if counts is not None else None
        self.selected: str | None = None
        self._polys: dict[str, QPolygonF] = {}
        self._anchors: dict[str, QPointF] = {}
        self._boxes: dict[str, QRectF] = {}
        self._map_rect = QRectF()
        self._one_line = False  # labels as 「name  count」 in one line (crowded callouts)
        self._dirty = True
        self._update_accessible()

    # -- data ----------------------------------------------------------------------------
    def set_counts(self, counts: Mapping[str, int] | None) -> None:
        self.counts = dict(counts) if counts is not None else None
        self._dirty = True
        self._update_accessible()
        self.update()

    def set_selected(self, code: str | None) -> None:
        self.selected = code
        self._dirty = True  # the ✓ widens the label
        self.update()

    def label_lines(self, code: str) -> list[str]:
        """What a town's label says (tests and the screen reader read the same words)."""
        town = next(t for t in self.towns if t.code == code)
        name = f"✓ {town.name}" if code == self.selected else town.name
        if self.counts is None:
            return [name]
        n = self.counts.get(code, 0)
        if "{n}" in self.unit:
            return [name, tr(self.unit).format(n=n)]
        return [name, f"{n}{tr(self.unit)}"]

    def _update_accessible(self) -> None:
        parts = [" ".join(self.label_lines(t.code)) for t in self.towns]
        self.setAccessibleName(tr("西青区街镇示意图：{towns}").format(
            towns=tr("，").join(parts)))  # the comma between towns

    # -- geometry ------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(720, 820)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._dirty = True
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._dirty = True
            self.update()
        super().changeEvent(event)

    def _name_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def _layout(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        bounds = QRectF(self.rect())
        self._project(bounds.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN))
        self._one_line = False
        self._boxes = {t.code: self._label_box(t.code, self._anchors[t.code], one_line=False)
                       for t in self.towns}
        label_area = sum(b.width() * b.height() for b in self._boxes.values())
        map_area = self._map_rect.width() * self._map_rect.height()
        if label_area <= MAX_LABEL_COVER * map_area and _separate(self._boxes, bounds):
            return
        for one_line, min_h in ((False, MIN_TARGET_PX), (True, MIN_TARGET_PX), (True, 0)):
            if self._callouts(bounds, one_line=one_line, min_h=min_h):
                return  # too crowded inside: labels beside the map
        # Nothing fits (a very small widget): labels on the towns, overlapping as little as
        # the relaxation managed; the outlines still take taps.
        self._project(bounds.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN))
        self._one_line = False
        self._boxes = {t.code: self._label_box(t.code, self._anchors[t.code], one_line=False)
                       for t in self.towns}
        _separate(self._boxes, bounds)

    def _project(self, area: QRectF) -> None:
        """Fit the outlines into ``area`` (aspect kept, centred)."""
        points = [p for t in self.towns for p in t.outline] or [(t.lon, t.lat) for t in self.towns]
        lat0 = math.radians(sum(lat for _, lat in points) / len(points))
        kx = math.cos(lat0)  # a degree of longitude is shorter than one of latitude here
        xs = [lon * kx for lon, _ in points]
        ys = [-lat for _, lat in points]
        width, height = max(xs) - min(xs) or 1.0, max(ys) - min(ys) or 1.0
        scale = max(1e-6, min(area.width() / width, area.height() / height))
        ox = area.left() + (area.width() - width * scale) / 2 - min(xs) * scale
        oy = area.top() + (area.height() - height * scale) / 2 - min(ys) * scale

        def project(lon: float, lat: float) -> QPointF:
            return QPointF(ox + lon * kx * scale, oy - lat * scale)

        self._polys = {t.code: QPolygonF([project(x, y) for x, y in t.outline])
                       for t in self.towns}
        self._anchors = {t.code: _area_centre(self._polys[t.code]) if t.outline
                         else project(t.lon, t.lat) for t in self.towns}
        self._map_rect = QRectF(ox + min(xs) * scale, oy + min(ys) * scale, width * scale,
                                height * scale)

    def _label_box(self, code: str, centre: QPointF, *, one_line: bool,
                   min_h: float = 0) -> QRectF:
        name_metrics, metrics = QFontMetrics(self._name_font()), QFontMetrics(self.font())
        lines = self.label_lines(code)
        if one_line:
            w = name_metrics.horizontalAdvance(lines[0] + "  ") + sum(
                metrics.horizontalAdvance(line) for line in lines[1:])
            h = name_metrics.height()
        else:
            w = max([name_metrics.horizontalAdvance(lines[0]),
                     *(metrics.horizontalAdvance(line) for line in lines[1:])])
            h = name_metrics.height() + metrics.height() * (len(lines) - 1)
        box = QRectF(0, 0, w + 2 * LABEL_PAD_X, max(min_h, h + 2 * LABEL_PAD_Y))
        box.moveCenter(centre)
        return box

    def _callouts(self, bounds: QRectF, *, one_line: bool, min_h: float) -> bool:
        """Labels in a column on each side of the map, in the order of their towns from north
        to south, joined to them by leader lines. False when they do not fit."""
        sizes = {t.code: self._label_box(t.code, QPointF(), one_line=one_line, min_h=min_h)
                 for t in self.towns}
        side_w = max(b.width() for b in sizes.values()) + CALLOUT_GAP
        area = bounds.adjusted(side_w + MARGIN, MARGIN, -side_w - MARGIN, -MARGIN)
        if area.width() < bounds.width() * 0.25:
            return False
        self._project(area)
        ordered = sorted(self.towns, key=lambda t: self._anchors[t.code].x())
        half = (len(ordered) + 1) // 2
        columns = {"left": ordered[:half], "right": ordered[half:]}
        boxes: dict[str, QRectF] = {}
        for side, towns in columns.items():
            towns = sorted(towns, key=lambda t: self._anchors[t.code].y())
            needed = sum(sizes[t.code].height() for t in towns) + LABEL_GAP * (len(towns) - 1)
            if needed > bounds.height() - 2 * MARGIN:
                return False
            ys = _spread([self._anchors[t.code].y() - sizes[t.code].height() / 2 for t in towns],
                         [sizes[t.code].height() for t in towns],
                         bounds.top() + MARGIN, bounds.bottom() - MARGIN)
            for town, y in zip(towns, ys, strict=True):
                box = QRectF(sizes[town.code])
                x = (self._map_rect.left() - CALLOUT_GAP - box.width() if side == "left"
                     else self._map_rect.right() + CALLOUT_GAP)
                box.moveTopLeft(QPointF(x, y))
                boxes[town.code] = box
        self._boxes = boxes
        self._one_line = one_line
        return True

    # -- input ---------------------------------------------------------------------------
    def town_at(self, pos: QPointF) -> str | None:
        """The town a finger at ``pos`` means: its label, else the outline it is inside,
        else a centre within :data:`NEAR_TAP_PX`."""
        self._layout()
        for code, box in reversed(self._boxes.items()):
            if box.adjusted(-LABEL_GAP / 2, -LABEL_GAP / 2, LABEL_GAP / 2,
                            LABEL_GAP / 2).contains(pos):
                return code
        for code, poly in self._polys.items():
            if poly.containsPoint(pos, Qt.FillRule.OddEvenFill):
                return code
        near = [(math.dist((pos.x(), pos.y()), (a.x(), a.y())), code)
                for code, a in self._anchors.items()]
        distance, code = min(near) if near else (math.inf, "")
        return code if distance <= NEAR_TAP_PX else None

    def label_rect(self, code: str) -> QRectF:
        self._layout()
        return QRectF(self._boxes.get(code, QRectF()))

    def town_point(self, code: str) -> QPointF:
        """A point inside the town's outline (its area centre)."""
        self._layout()
        return QPointF(self._anchors.get(code, QPointF()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            code = self.town_at(event.position())
            if code is not None:
                self.town_tapped.emit(code)
        super().mouseReleaseEvent(event)

    # -- painting ------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        self._layout()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        ink = self.palette().color(QPalette.ColorRole.WindowText)
        primary, card = QColor(PRIMARY), QColor(CARD)
        for i, town in enumerate(self.towns):
            fill = QColor(primary)
            fill.setAlpha(150 if town.code == self.selected else _TINTS[i % len(_TINTS)])
            p.setBrush(card)
            p.setPen(Qt.PenStyle.NoPen)
            p.drawPolygon(self._polys[town.code])
            p.setBrush(fill)
            p.setPen(QPen(QColor(LINE), 3))
            p.drawPolygon(self._polys[town.code])
        if self.selected in self._polys:  # its border on top of the neighbours' borders
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(primary, 8))
            p.drawPolygon(self._polys[self.selected])
        name_font, font = self._name_font(), self.font()
        name_h, line_h = QFontMetrics(name_font).height(), QFontMetrics(font).height()
        for town in self.towns:
            box, anchor = self._boxes[town.code], self._anchors[town.code]
            chosen = town.code == self.selected
            if not box.contains(anchor):  # pushed away: show where it belongs
                p.setPen(QPen(ink, 2))
                p.drawLine(anchor, _nearest_on(box, anchor))
                p.setBrush(ink)
                p.drawEllipse(anchor, 6, 6)
            p.setPen(QPen(primary, 5 if chosen else 2))
            p.setBrush(primary if chosen else card)
            p.drawRoundedRect(box, 12, 12)
            text_colour = card if chosen else ink
            lines = self.label_lines(town.code)
            inner = box.adjusted(LABEL_PAD_X, LABEL_PAD_Y, -LABEL_PAD_X, -LABEL_PAD_Y)
            p.setPen(text_colour)
            p.setFont(name_font)
            if self._one_line:
                align = Qt.AlignmentFlag.AlignVCenter
                p.drawText(inner, align | Qt.AlignmentFlag.AlignLeft, lines[0])
                p.setFont(font)
                p.drawText(inner, align | Qt.AlignmentFlag.AlignRight, " ".join(lines[1:]))
                continue
            p.drawText(QRectF(inner.left(), inner.top(), inner.width(), name_h),
                       Qt.AlignmentFlag.AlignCenter, lines[0])
            y = inner.top() + name_h
            p.setFont(font)
            for line in lines[1:]:
                p.drawText(QRectF(inner.left(), y, inner.width(), line_h),
                           Qt.AlignmentFlag.AlignCenter, line)
                y += line_h
        p.end()


def _area_centre(poly: QPolygonF) -> QPointF:
    """The area centroid of a simple polygon (its vertex mean when degenerate)."""
    pts = [poly.at(i) for i in range(poly.count())]
    a = cx = cy = 0.0
    for p1, p2 in zip(pts, pts[1:] + pts[:1], strict=True):
        cross = p1.x() * p2.y() - p2.x() * p1.y()
        a += cross
        cx += (p1.x() + p2.x()) * cross
        cy += (p1.y() + p2.y()) * cross
    if abs(a) < 1e-9:
        n = max(1, len(pts))
        return QPointF(sum(p.x() for p in pts) / n, sum(p.y() for p in pts) / n)
    return QPointF(cx / (3 * a), cy / (3 * a))


def _separate(boxes: dict[str, QRectF], bounds: QRectF, rounds: int = 300) -> bool:
    """Push overlapping labels apart (along the axis of least overlap), inside ``bounds``;
    False when some still overlap after ``rounds``."""
    codes = list(boxes)
    for _ in range(rounds):
        moved = False
        for i, a in enumerate(codes):
            for b in codes[i + 1:]:
                ra, rb = boxes[a], boxes[b]
                dx = min(ra.right(), rb.right()) - max(ra.left(), rb.left()) + LABEL_GAP
                dy = min(ra.bottom(), rb.bottom()) - max(ra.top(), rb.top()) + LABEL_GAP
                if dx <= 0 or dy <= 0:
                    continue
                moved = True
                if dx < dy:
                    step = dx / 2 + 0.5
                    sign = -1 if ra.center().x() < rb.center().x() else 1
                    ra.translate(sign * step, 0)
                    rb.translate(-sign * step, 0)
                else:
                    step = dy / 2 + 0.5
                    sign = -1 if ra.center().y() < rb.center().y() else 1
                    ra.translate(0, sign * step)
                    rb.translate(0, -sign * step)
        for box in boxes.values():
            box.moveLeft(min(max(box.left(), bounds.left()), bounds.right() - box.width()))
            box.moveTop(min(max(box.top(), bounds.top()), bounds.bottom() - box.height()))
        if not moved:
            return True
    return False


def _spread(tops: list[float], heights: list[float], low: float, high: float) -> list[float]:
    """Tops as close to the wanted ones as possible, in order, LABEL_GAP apart, in range."""
    out: list[float] = []
    for top in tops:
        out.append(max(top, out[-1] + heights[len(out) - 1] + LABEL_GAP if out else low))
    over = (out[-1] + heights[-1] - high) if out else 0.0
    if over > 0:  # pushed past the bottom: shift up from the bottom, keeping the gaps
        limit = high
        for i in range(len(out) - 1, -1, -1):
            out[i] = min(out[i], limit - heights[i])
            limit = out[i] - LABEL_GAP
    return out


def _nearest_on(box: QRectF, point: QPointF) -> QPointF:
    return QPointF(min(max(point.x(), box.left()), box.right()),
                   min(max(point.y(), box.top()), box.bottom()))
