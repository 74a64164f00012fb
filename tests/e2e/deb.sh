#!/bin/sh
# The Debian package: `cpack -G DEB` in the CMake build directory of the
# binary under test, its control data and contents, then a real `dpkg -i`
# and `dpkg -r` into a throwaway root (its own admin directory and log), so
# the test never touches the machine's dpkg database or waits on its lock.
# A static build's package depends on nothing.
set -u
bin=$(readlink -f "$1")
build=$(dirname "$bin")
src=$(readlink -f "${OBSLINT_SOURCE_DIR:-$(dirname "$0")/../..}")
[ -f "$build/CPackConfig.cmake" ] || { echo "SKIP: $build is not a CMake build directory (no CPackConfig.cmake)"; exit 77; }
for tool in cpack dpkg dpkg-deb; do
  command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not found"; exit 77; }
done

version=$("$bin" --version | sed -n 's/^obslint //p')
arch=$(dpkg --print-architecture)
static=0
readelf -l "$bin" 2>/dev/null | grep -q 'INTERP' || static=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
check() {  # check DESCRIPTION COMMAND...
  what=$1
  shift
  if "$@"; then :; else
    echo "FAIL: $what"
    fail=1
  fi
}

if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/out" > "$tmp/cpack.log" 2>&1; then
  echo "FAIL: cpack -G DEB"
  cat "$tmp/cpack.log"
  exit 1
fi
deb=$tmp/out/obslint_${version}_$arch.deb
[ -f "$deb" ] || { echo "FAIL: expected $deb"; ls "$tmp/out"; exit 1; }

dpkg-deb --info "$deb" > "$tmp/info"
dpkg-deb --contents "$deb" > "$tmp/contents"
field() { dpkg-deb --field "$deb" "$1"; }
check "Package: obslint (got $(field Package))" [ "$(field Package)" = obslint ]
check "Version: $version (got $(field Version))" [ "$(field Version)" = "$version" ]
check "Architecture: $arch (got $(field Architecture))" [ "$(field Architecture)" = "$arch" ]
check "has a Maintainer and a Description" sh -c "[ -n \"\$(dpkg-deb --field '$deb' Maintainer)\" ] && [ -n \"\$(dpkg-deb --field '$deb' Description)\" ]"
if [ "$static" -eq 1 ]; then
  check "static build: no Depends (got \"$(field Depends)\")" [ -z "$(field Depends)" ]
fi
check "contains /usr/bin/obslint, executable" grep -q -E '^-rwxr-xr-x .* \./usr/bin/obslint$' "$tmp/contents"
check "contains the man page" grep -q -E ' \./usr/share/man/man1/obslint\.1$' "$tmp/contents"
files=$(grep -c -v '/$' "$tmp/contents")
check "two files only (got $files)" [ "$files" -eq 2 ]

# dpkg -i into an empty root with its own database.
root=$tmp/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
: > "$root/var/lib/dpkg/status"
: > "$root/var/lib/dpkg/available"
force=""
[ "$(id -u)" -eq 0 ] || force="--force-not-root --force-script-chrootless"
# dpkg looks for ldconfig and start-stop-daemon on the PATH even when it has
# nothing to run; sbin is not on a non-root PATH.
export PATH="$PATH:/usr/sbin:/sbin"
# shellcheck disable=SC2086
dpk() { dpkg --root="$root" --log="$tmp/dpkg.log" $force "$@"; }
if dpk -i "$deb" > "$tmp/dpkg.out" 2>&1; then :; else
  echo "FAIL: dpkg -i"
  cat "$tmp/dpkg.out"
  exit 1
fi
check "dpkg says obslint $version is installed" \
  sh -c "dpkg --root='$root' -s obslint 2>/dev/null | grep -q '^Status: install ok installed' && dpkg --root='$root' -s obslint | grep -qx 'Version: $version'"
check "installed binary is the build's (stripped) and runs" \
  sh -c "'$root/usr/bin/obslint' --version | head -n 1 | grep -qx 'obslint $version'"
check "installed binary lints the example like the build's binary" \
  sh -c "cd '$src' && '$root/usr/bin/obslint' --format json examples/observability > '$tmp/installed.json'; \
         '$bin' --format json examples/observability > '$tmp/built.json'; \
         grep -q '\"code\": \"OBS' '$tmp/built.json' && cmp -s '$tmp/installed.json' '$tmp/built.json'"
check "man page installed" test -s "$root/usr/share/man/man1/obslint.1"
if dpk -r obslint > "$tmp/dpkg.out" 2>&1; then :; else
  echo "FAIL: dpkg -r"
  cat "$tmp/dpkg.out"
  fail=1
fi
check "dpkg -r removes the binary" test ! -e "$root/usr/bin/obslint"
check "dpkg -r removes the man page" test ! -e "$root/usr/share/man/man1/obslint.1"

[ $fail -eq 0 ] || exit 1
echo "deb: obslint_${version}_$arch.deb ($(wc -c < "$deb") bytes) installs, runs and removes cleanly"
