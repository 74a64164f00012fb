#!/bin/sh
# scripts/install.sh against a fake release served by `python3 -m
# http.server` on 127.0.0.1 (no other network): the release holds this
# build's binary as obslint-linux-<arch> and a SHA256SUMS, laid out as
# GitHub serves releases (download/v<version>/..., latest/download/...).
# Checks the latest and a pinned version install the same bytes and run, and
# that a corrupted binary, a missing checksum line, an unknown version and a
# version mismatch install nothing and say why.
set -u
bin=$(readlink -f "$1")
src=$(readlink -f "${OBSLINT_SOURCE_DIR:-$(dirname "$0")/../..}")
script=$src/scripts/install.sh

python=$(command -v python3 || true)
if [ -z "$python" ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo -n"; fi
  echo "installing python3 (Debian package) for its http.server"
  { $sudo apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3
  } >/dev/null 2>&1
  python=$(command -v python3 || true)
  [ -n "$python" ] || { echo "SKIP: python3 not installable (needed for the local HTTP server)"; exit 77; }
fi

version=$("$bin" --version | sed -n 's/^obslint //p')
case $(uname -m) in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) echo "SKIP: no release binary is made for $(uname -m)"; exit 77 ;;
esac
asset=obslint-linux-$arch

tmp=$(mktemp -d)
server=""
cleanup() {
  [ -z "$server" ] || kill "$server" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# release DIR BINARY: a release directory with BINARY and its checksum.
release() {
  mkdir -p "$1"
  cp "$2" "$1/$asset"
  (cd "$1" && sha256sum "$asset" > SHA256SUMS)
}
www=$tmp/www
release "$www/download/v$version" "$bin"
release "$www/latest/download" "$bin"
# v0.0.1-corrupt: the checksum of the real binary, bytes flipped after.
release "$www/download/v0.0.1-corrupt" "$bin"
printf 'x' | dd of="$www/download/v0.0.1-corrupt/$asset" bs=1 seek=100 conv=notrunc 2>/dev/null
# v0.0.2-nosum: SHA256SUMS without this architecture's line.
release "$www/download/v0.0.2-nosum" "$bin"
echo "0000000000000000000000000000000000000000000000000000000000000000  obslint-linux-other" \
  > "$www/download/v0.0.2-nosum/SHA256SUMS"
# v9.9.9: a correct release whose binary says another version.
release "$www/download/v9.9.9" "$bin"

"$python" -u -m http.server --bind 127.0.0.1 --directory "$www" 0 > "$tmp/server.log" 2>&1 &
server=$!
port=""
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  port=$(sed -n 's/.* port \([0-9][0-9]*\).*/\1/p' "$tmp/server.log" | head -n 1)
  [ -n "$port" ] && break
  sleep 0.5
done
[ -n "$port" ] || { echo "FAIL: the local HTTP server did not start"; cat "$tmp/server.log"; exit 1; }
export OBSLINT_RELEASES_URL=http://127.0.0.1:$port

fail=0
check() {  # check DESCRIPTION COMMAND...
  what=$1
  shift
  if "$@"; then :; else
    echo "FAIL: $what"
    fail=1
  fi
}
# install ARGS...: runs the script; output in $tmp/out, status in $status.
install() {
  status=0
  sh "$script" "$@" > "$tmp/out" 2>&1 || status=$?
}

install -b "$tmp/latest"
check "latest: exit 0 (got $status)" [ "$status" -eq 0 ]
check "latest: the served binary installed" cmp -s "$bin" "$tmp/latest/obslint"
check "latest: installed binary runs" sh -c "'$tmp/latest/obslint' --version | head -n 1 | grep -qx 'obslint $version'"
check "latest: says the checksum was verified" grep -q "SHA-256 verified" "$tmp/out"

install -b "$tmp/pinned" "v$version"
check "v$version: exit 0 (got $status)" [ "$status" -eq 0 ]
check "v$version: installed" cmp -s "$bin" "$tmp/pinned/obslint"
install -b "$tmp/pinned2" "$version"
check "$version (no v): installed" cmp -s "$bin" "$tmp/pinned2/obslint"
check "$version: executable" test -x "$tmp/pinned2/obslint"

install -b "$tmp/corrupt" 0.0.1-corrupt
check "corrupted binary: fails (got $status)" [ "$status" -ne 0 ]
check "corrupted binary: says checksum mismatch" grep -q "checksum mismatch" "$tmp/out"
check "corrupted binary: nothing installed" test ! -e "$tmp/corrupt/obslint"

install -b "$tmp/nosum" 0.0.2-nosum
check "no checksum line: fails (got $status)" [ "$status" -ne 0 ]
check "no checksum line: says so" grep -q "lists no checksum for $asset" "$tmp/out"
check "no checksum line: nothing installed" test ! -e "$tmp/nosum/obslint"

install -b "$tmp/missing" 0.0.3
check "unknown version: fails (got $status)" [ "$status" -ne 0 ]
check "unknown version: says it cannot download" grep -q "cannot download" "$tmp/out"
check "unknown version: nothing installed" test ! -e "$tmp/missing/obslint"

install -b "$tmp/other" 9.9.9
check "version mismatch: fails (got $status)" [ "$status" -ne 0 ]
check "version mismatch: says so" grep -q "asked for 9.9.9" "$tmp/out"
check "version mismatch: nothing installed" test ! -e "$tmp/other/obslint"

# Over an existing install: replaced, no temporary file left behind.
install -b "$tmp/latest"
check "reinstall: exit 0" [ "$status" -eq 0 ]
check "reinstall: nothing left beside the binary" [ "$(ls -A "$tmp/latest")" = obslint ]

if [ $fail -ne 0 ]; then
  echo "--- last install output"
  cat "$tmp/out"
  exit 1
fi
echo "install: latest and pinned installs verified; corrupted, unlisted, unknown and mismatched releases refused"
