#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests marked `postgres` (two kiosks racing on the
# same ids; change_log commit order). Prints the URL to put in KIOSK_TEST_PG_URL; the tests
# skip without it.
#   url=$(scripts/pg-test-server.sh start)    # or just: scripts/pg-test-server.sh
#   scripts/pg-test-server.sh stop
# It listens on 127.0.0.1 only, trusts local connections, runs with fsync off (test data
# only), and runs as the `postgres` user (PostgreSQL refuses to run as root). Folder:
# $PG_TEST_DIR (default /tmp/lexy-pg-test); port: $PG_TEST_PORT (default: a free one).
set -euo pipefail
action="${1:-start}"
dir="${PG_TEST_DIR:-/tmp/lexy-pg-test}"

bindir=""
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir="$(pg_config --bindir)"
fi
if [ -z "$bindir" ]; then
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "pg-test-server: PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi

as_pg() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$action" in
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    exit 0 ;;
  start) ;;
  *) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac

if [ -f "$dir/url" ] && [ -f "$dir/data/postmaster.pid" ] \
   && as_pg "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  cat "$dir/url"; exit 0   # already running
fi
rm -rf "$dir"
mkdir -p "$dir/data" "$dir/socket"
port="${PG_TEST_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
[ "$(id -u)" = 0 ] && { id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres; chown -R postgres "$dir"; }
as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
  || { echo "pg-test-server: initdb failed, see $dir/initdb.log" >&2; exit 1; }
as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
  -o "-h 127.0.0.1 -p $port -k $dir/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null || { echo "pg-test-server: server did not start, see $dir/server.log" >&2; exit 1; }
as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres lexy_test
url="postgresql://postgres@127.0.0.1:$port/lexy_test"
echo "$url" > "$dir/url"
echo "$url"
