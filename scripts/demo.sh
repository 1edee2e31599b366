#!/usr/bin/env bash
# Set up (first run) and start the kiosk in demo mode: demo data, simulated card reader,
# receipts written as PDF files, no server. Extra arguments go to `kiosk run`
# (e.g. --config FILE, or --fullscreen for the locked-down kiosk view).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh run
args=(--demo --windowed)
for a in "$@"; do [ "$a" = "--fullscreen" ] && args=(--demo) || args+=("$a"); done
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  # No screen attached (a server or CI box): run on a virtual X display so the kiosk really
  # starts; look at it with `.venv/bin/kiosk screenshots --out shots/`.
  echo "demo: no display found, starting the kiosk on a virtual X display (:99)"
  Xvfb :99 -screen 0 1920x1920x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  trap 'kill $xvfb_pid 2>/dev/null || true' EXIT
  export DISPLAY=:99
  for _ in $(seq 50); do [ -e /tmp/.X11-unix/X99 ] && break; sleep 0.1; done
fi
echo "demo: starting the kiosk (staff menu: tap the station name 5 times, PIN 123456)"
.venv/bin/kiosk run "${args[@]}"
