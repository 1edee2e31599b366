"""Building the application style sheet from the QSS template and the tokens."""

from __future__ import annotations

import dataclasses
import re

from kiosk.paths import resource
from ui.theme.tokens import Tokens

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def build_stylesheet(tokens: Tokens, template: str | None = None) -> str:
    """Fill ``{name}`` placeholders with token values (QSS braces are left alone)."""
    if template is None:
        template = resource("theme", "kiosk.qss").read_text(encoding="utf-8")
    values = {k: str(v) for k, v in dataclasses.asdict(tokens).items()}
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)
