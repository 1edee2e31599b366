#!/bin/sh
# What lexy-kiosk.service runs on tty1: cage (a Wayland kiosk compositor) with the kiosk as
# its only client; when the kiosk exits, cage exits and systemd starts both again.
# Site settings come from /etc/default/lexy-kiosk (deploy/lexy-kiosk.default):
#   KIOSK_ROTATE  0, 90, 180 or 270: turn the picture for a panel mounted the other way
#   KIOSK_ARGS    extra arguments for `kiosk run`, e.g. "--config /etc/lexy-kiosk/kiosk.toml"
set -eu
if [ -r /etc/default/lexy-kiosk ]; then . /etc/default/lexy-kiosk; fi
app="$(cd "$(dirname "$0")/.." && pwd)/kiosk"
export KIOSK_HOME="${KIOSK_HOME:-/var/lib/lexy-kiosk}"
rotate="${KIOSK_ROTATE:-0}"
case "$rotate" in
  0|90|180|270) ;;
  *) echo "kiosk-session: KIOSK_ROTATE must be 0, 90, 180 or 270, got '$rotate'" >&2; exit 2 ;;
esac

if [ "${1:-}" = "--inside-cage" ]; then
  # cage 0.1.5+ has no -r; it rotates through wlr-randr (wlr-output-management) instead.
  if [ "$rotate" != 0 ] && [ "${KIOSK_ROTATED_BY_CAGE:-0}" = 0 ]; then
    if command -v wlr-randr >/dev/null 2>&1; then
      for output in $(wlr-randr | awk '/^[^ ]/ { print $1 }'); do
        wlr-randr --output "$output" --transform "$rotate" || true
      done
    else
      echo "kiosk-session: cannot rotate: install wlr-randr" >&2
    fi
  fi
  # shellcheck disable=SC2086  # KIOSK_ARGS is a list of words on purpose
  exec "$app" run ${KIOSK_ARGS:-}
fi

# cage 0.1.4 (Debian 12) rotates with -r (90 degrees per -r) and has no output management.
flags="-d"
if [ "$rotate" != 0 ] && cage -h 2>&1 | grep -q -- '-r.*Rotate'; then
  n=$((rotate / 90))
  while [ "$n" -gt 0 ]; do flags="$flags -r"; n=$((n - 1)); done
  export KIOSK_ROTATED_BY_CAGE=1
fi
# shellcheck disable=SC2086
exec cage $flags -- "$0" --inside-cage
