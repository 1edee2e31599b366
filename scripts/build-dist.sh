#!/usr/bin/env bash
# The one build command: set up, build the frozen kiosk (PyInstaller, build.spec), check what
# went into it, run the frozen self-test on it, and pack it for the technicians:
#   dist/kiosk/                              the onedir build (run dist/kiosk/kiosk)
#   dist/kiosk-<version>-linux-x86_64.tar.gz  unpacks to kiosk-<version>/ (with deploy/, DEPLOY.md)
#   dist/SHA256SUMS, dist/self-test.json, dist/build-figures.json
# Usage: bash scripts/build-dist.sh [--no-setup] [--dist DIR] [--work DIR]
#   --no-setup  skip scripts/setup.sh (the venv is already set up; CI's test uses it)
#   --dist/--work  output and PyInstaller work folders (default dist/ and build/pyinstaller/)
# Build on the oldest glibc you deploy to (Debian 12 builds run on Debian 12 and Ubuntu 22.04+
# only if they have at least the build machine's glibc): PyInstaller does not cross-build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

setup=1
dist="$root/dist"
work="$root/build/pyinstaller"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-setup) setup=0 ;;
    --dist) dist="$(mkdir -p "$2" && cd "$2" && pwd)"; shift ;;
    --work) work="$(mkdir -p "$2" && cd "$2" && pwd)"; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "build-dist: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

[ "$setup" = 1 ] && bash scripts/setup.sh test
py=.venv/bin/python
"$py" -c 'import PyInstaller' 2>/dev/null || {
  echo "build-dist: PyInstaller is not installed in .venv (run: bash scripts/setup.sh test)" >&2
  exit 1; }
version="$("$py" -c 'from kiosk import __version__; print(__version__)')"
arch="$(uname -m)"
name="kiosk-${version}-linux-${arch}"
app="$dist/kiosk"
now() { date +%s.%N; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1048576 }'; }

echo "build-dist: building kiosk $version with PyInstaller (about a minute on 2 cores)"
mkdir -p "$work"  # its log sits beside it: a fresh clone has no build/ folder yet
t0="$(now)"
"$py" -m PyInstaller --noconfirm --log-level WARN --distpath "$dist" --workpath "$work" \
  build.spec >"$work.log" 2>&1 || {
  tail -40 "$work.log" >&2
  echo "build-dist: PyInstaller failed; full log: $work.log" >&2
  exit 1; }
t1="$(now)"

# What must never ship: the central server, and the Qt Quick/QML/VirtualKeyboard/WebEngine
# stack the Qt hooks drag in (build.spec filters it; this catches a hook change).
bad="$(find "$app" \( -iname '*Quick*' -o -iname '*Qml*' -o -iname '*VirtualKeyboard*' \
  -o -iname '*WebEngine*' -o -path '*/central/*' \) -print | head -5)"
if [ -n "$bad" ]; then
  echo "build-dist: the build contains files it must not ship:" >&2
  echo "$bad" >&2
  exit 1
fi
"$py" - "$app/kiosk" <<'EOF'
import sys
from PyInstaller.archive.readers import CArchiveReader

exe = CArchiveReader(sys.argv[1])
modules = exe.open_embedded_archive("PYZ.pyz").toc
banned = ("central", "fastapi", "uvicorn", "pytest", "_pytest", "mypy", "PySide6.QtQuick")
found = sorted(m for m in modules if m.split(".")[0] in banned or m.startswith(banned))
if found:
    sys.exit("build-dist: bundled modules that must not ship: " + ", ".join(found[:10]))
EOF

echo "build-dist: frozen self-test"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
t2="$(now)"
if ! QT_QPA_PLATFORM=offscreen KIOSK_HOME="$home" timeout 120 "$app/kiosk" self-test --demo \
    --json --out "$dist/self-test.json" >"$home/self-test.out" 2>"$home/self-test.err"; then
  cat "$home/self-test.err" >&2
  "$py" -c 'import json,sys; r=json.load(open(sys.argv[1])); [print(f"  FAIL {c[\"name\"]}: {c[\"detail\"]}") for c in r["checks"] if not c["ok"]]' \
    "$dist/self-test.json" >&2 || true
  echo "build-dist: the frozen self-test failed (report: $dist/self-test.json)" >&2
  exit 1
fi
t3="$(now)"

rm -rf "$app/deploy"
cp -r deploy "$app/deploy"
cp docs/deploy.md "$app/DEPLOY.md"
archive="$dist/$name.tar.gz"
rm -f "$archive"
tar -C "$dist" --sort=name --owner=0 --group=0 --numeric-owner \
  --transform "flags=r;s,^kiosk,kiosk-${version}," -czf "$archive" kiosk
(cd "$dist" && sha256sum "$name.tar.gz" >SHA256SUMS)
t4="$(now)"

unpacked="$(du -sb "$app" | cut -f1)"
packed="$(stat -c %s "$archive")"
"$py" - "$dist/build-figures.json" "$version" "$archive" "$t0" "$t1" "$t2" "$t3" "$t4" \
  "$unpacked" "$packed" <<'EOF'
import json, sys
out, version, archive, t0, t1, t2, t3, t4, unpacked, packed = sys.argv[1:]
figures = {
    "version": version, "archive": archive,
    "build_s": round(float(t1) - float(t0), 1),
    "selftest_s": round(float(t3) - float(t2), 1),
    "pack_s": round(float(t4) - float(t3), 1),
    "dist_unpacked_mb": round(int(unpacked) / 2**20, 1),
    "dist_compressed_mb": round(int(packed) / 2**20, 1),
}
open(out, "w").write(json.dumps(figures, indent=2) + "\n")
EOF
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v e="$t4" 'BEGIN {
  printf "build-dist: built in %.0f s, self-test passed in %.1f s, packed in %.0f s\n",
         b - a, d - c, e - d }'
echo "build-dist: dist/kiosk $(mb "$unpacked") unpacked, $(basename "$archive") $(mb "$packed")"
echo "build-dist: $archive"
