"""Design tokens: every size, colour and spacing the screens use, in one place.

Sizes are pixels at a 1080×1920 (or 1920×1080) panel, chosen from the 适老化 figures in
shared/reference/kiosk-ui.md §3: body ≥ 28 px, headings ≥ 40 px, targets ≥ 96 px with ≥ 16 px
gaps, text contrast ≥ 7:1. 长辈模式 multiplies every text size by :data:`ELDER_SCALE`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

ELDER_SCALE = 1.3

# Colours: every text/background pair used on screen is ≥ 7:1 (checked by the UI audit test).
INK = "#1A1A1A"  # body text on PAPER: 16.1:1
INK_SOFT = "#3D3D3D"  # secondary text on PAPER: 10.4:1
PAPER = "#F5F7FA"
CARD = "#FFFFFF"
PRIMARY = "#0B4F8A"  # white on it: 8.5:1
PRIMARY_DARK = "#083A66"
PRIMARY_PRESSED = "#062C4E"
LINE = "#B8C2CC"
WARN_BG = "#FFF4D6"
WARN_INK = "#5C3D00"  # on WARN_BG: 9.5:1
ERROR_INK = "#8B1A1A"  # on white: 8.9:1
OK_INK = "#1B5E20"  # on white: 7.9:1

# Tiles: dark fills with white labels, each ≥ 7:1.
TILE_COLOURS = ("#0B4F8A", "#1B5E20", "#7A2E0E", "#4A148C", "#8B1A1A", "#004D40")


@dataclass(frozen=True)
class Tokens:
    body_px: int = 32
    small_px: int = 28  # the floor for any visible text
    heading_px: int = 48
    title_px: int = 56
    tile_px: int = 46
    tile_sub_px: int = 28
    button_px: int = 34
    target_px: int = 104  # minimum height of anything tappable
    gap_px: int = 20
    pad_px: int = 32
    radius_px: int = 18

    def scaled(self, factor: float) -> Tokens:
        """Text grows by ``factor``; targets and gaps grow a little so big text still fits."""
        return replace(
            self,
            body_px=round(self.body_px * factor),
            small_px=round(self.small_px * factor),
            heading_px=round(self.heading_px * factor),
            title_px=round(self.title_px * factor),
            tile_px=round(self.tile_px * factor),
            tile_sub_px=round(self.tile_sub_px * factor),
            button_px=round(self.button_px * factor),
            target_px=round(self.target_px * min(factor, 1.2)),
        )


MIN_TEXT_PX = Tokens().small_px
MIN_TARGET_PX = 96
MIN_GAP_PX = 16
MIN_CONTRAST = 7.0


def tokens_for(elder_mode: bool) -> Tokens:
    base = Tokens()
    return base.scaled(ELDER_SCALE) if elder_mode else base
