#!/usr/bin/env bash
# Set up (first run) and run every check: ruff, mypy, then the whole pytest suite (which also
# runs the import-layer contracts). Extra arguments go to pytest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
if [ -z "${KIOSK_TEST_PG_URL:-}" ] && [ -x scripts/pg-test-server.sh ]; then
  # A throwaway PostgreSQL for the sync tests that only fail on a real server.
  if url="$(bash scripts/pg-test-server.sh start 2>/dev/null)"; then
    export KIOSK_TEST_PG_URL="$url"
    trap 'bash scripts/pg-test-server.sh stop >/dev/null 2>&1 || true' EXIT
  else
    echo "test: PostgreSQL could not be started; tests marked 'postgres' will be skipped"
  fi
fi
echo "test: ruff"
.venv/bin/ruff check .
echo "test: mypy"
packages=(kiosk drivers ui)
[ -f central/__init__.py ] && packages+=(central)
.venv/bin/mypy "${packages[@]}"
echo "test: pytest"
.venv/bin/python -m pytest "$@"
