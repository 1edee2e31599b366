"""`kiosk screenshots --out DIR`: every screen rendered offscreen to PNG with demo data."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from kiosk.commands.common import load


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "screenshots", help="render every screen to PNG (offscreen, demo data)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--config", type=Path)
    parser.add_argument("--orientation", choices=["portrait", "landscape", "both"],
                        default=None, help="default: the configured orientation")
    parser.add_argument("--elder", action="store_true", help="长辈模式 (large text) as well")
    parser.add_argument("--language", choices=["zh", "en"], default="zh",
                        help="the residents' language to render (default: zh)")
    parser.set_defaults(func=run, demo=True)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    loaded = load(args)
    if loaded is None:
        return 2
    config, dirs = loaded
    from kiosk.app import build_services
    from kiosk.i18n import set_language
    from ui.launch import build_ui
    from ui.qt_app import apply_theme
    from ui.screenshots import save_screenshots

    orientations = ([config.display.orientation] if args.orientation is None else
                    ["portrait", "landscape"] if args.orientation == "both" else
                    [args.orientation])
    written: list[Path] = []
    set_language(args.language)  # before the screens are built: they take their texts then
    for orientation in orientations:
        config.display.orientation = orientation
        services = build_services(config, dirs)
        try:
            ui = build_ui(services)
            try:
                modes = [False, True] if args.elder else [config.display.elder_mode_default]
                for elder in modes:
                    apply_theme(ui.app, elder)
                    lang = "" if args.language == "zh" else f"-{args.language}"
                    tag = f"{orientation}{'-elder' if elder else ''}{lang}-"
                    written += save_screenshots(ui, args.out, prefix=tag)
            finally:
                ui.close()
        finally:
            services.close()
    for path in written:
        print(path)
    print(f"{len(written)} screenshots in {args.out}", file=sys.stderr)
    return 0
