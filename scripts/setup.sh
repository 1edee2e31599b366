#!/usr/bin/env bash
# Sets up everything the kiosk needs on a Debian/Ubuntu machine with Python 3.11+:
# the Qt runtime libraries, (for `test`) the PDF/QR/database tools the tests use, and a
# virtual environment in .venv with the project installed editable.
# Usage: scripts/setup.sh run|test   — idempotent; a second run takes a second or two.
set -euo pipefail
mode="${1:-run}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Qt needs these to open a window (xcb) even when it renders offscreen (fontconfig, EGL).
qt_pkgs=(libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0
         libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
         libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xfixes0 libx11-xcb1
         libpulse0)  # libpulse0: QtTextToSpeech (朗读) will not load without it
test_pkgs=(poppler-utils zbar-tools postgresql cups printer-driver-cups-pdf)
want=("${qt_pkgs[@]}")
[ "$mode" = test ] && want+=("${test_pkgs[@]}")
[ "$mode" = run ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && want+=(xvfb)
python3 -m venv --help >/dev/null 2>&1 || want+=(python3-venv)
python3 -c 'import ensurepip' >/dev/null 2>&1 || want+=(python3-venv)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

py="${PYTHON:-python3}"
"$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "setup: Python 3.11 or newer is needed (found $("$py" --version))" >&2; exit 1; }
[ -x .venv/bin/python ] || "$py" -m venv .venv
stamp=".venv/.setup-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages into .venv (first run takes a few minutes)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[dev]" --config-settings editable_mode=compat
  rm -f .venv/.setup-*; touch "$stamp"
fi
