"""`python -m kiosk ...` is the same as the `kiosk` console script; it is also the frozen entry.

A windowed (no console) Windows build starts with ``sys.stdout``/``sys.stderr`` set to None,
and any library that writes a warning there would crash the kiosk; they are pointed at the
null device instead (reports go to files: ``self-test --out``, the log folder).
"""

import os
import sys

from kiosk.cli import main


def _ensure_streams() -> None:
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


if __name__ == "__main__":
    _ensure_streams()
    sys.exit(main())
