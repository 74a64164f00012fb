#!/bin/sh
# Installs a released obslint: downloads the static Linux binary and the
# release's SHA256SUMS, verifies the binary's SHA-256 and installs it.
#
#   curl -fsSL https://raw.githubusercontent.com/obslint/obslint/main/scripts/install.sh | sh
#   sh install.sh [-b BINDIR] [VERSION]
#
#   VERSION   0.2.0 or v0.2.0; default: the latest release
#   -b DIR    where to put `obslint`; default /usr/local/bin when writable,
#             else ~/.local/bin
#
# Release assets (.github/workflows/release.yml): obslint-linux-x86_64,
# obslint-linux-aarch64 and SHA256SUMS under
#   <base>/download/v<VERSION>/   or   <base>/latest/download/
# with <base> = https://github.com/obslint/obslint/releases, or
# $OBSLINT_RELEASES_URL (a mirror; tests/e2e/install.sh serves a fake release
# on 127.0.0.1). The attestation of a binary can be checked as well:
#   gh attestation verify obslint-linux-x86_64 --repo obslint/obslint
# POSIX sh; needs curl or wget, and sha256sum.
set -eu

base=${OBSLINT_RELEASES_URL:-https://github.com/obslint/obslint/releases}
base=${base%/}
bindir=""
version=""

say() { printf 'obslint install: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

while [ $# -gt 0 ]; do
  case $1 in
    -b) [ $# -ge 2 ] || die "-b needs a directory"; bindir=$2; shift 2 ;;
    -h | --help) sed -n '2,21p' "$0" 2>/dev/null | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [ -z "$version" ] || die "one version only"; version=${1#v}; shift ;;
  esac
done

case $(uname -s) in
  Linux) ;;
  *) die "releases hold Linux binaries only; on $(uname -s), build from source (README.md)" ;;
esac
case $(uname -m) in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) die "no release binary for $(uname -m) (x86_64 and aarch64 only); build from source (README.md)" ;;
esac
asset=obslint-linux-$arch

if [ -n "$version" ]; then
  case $version in
    *[!0-9A-Za-z.+-]* | "") die "not a version: $version" ;;
  esac
  url=$base/download/v$version
else
  url=$base/latest/download
fi

if [ -z "$bindir" ]; then
  if [ -w /usr/local/bin ]; then bindir=/usr/local/bin; else bindir=$HOME/.local/bin; fi
fi

if command -v curl >/dev/null 2>&1; then
  fetch() { curl -fsSL --retry 2 -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
  fetch() { wget -q -O "$2" "$1"; }
else
  die "needs curl or wget"
fi
if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
else
  die "needs sha256sum (coreutils) to verify the download"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/obslint-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

say "downloading $url/$asset"
fetch "$url/$asset" "$tmp/$asset" || die "cannot download $url/$asset (no such release or architecture?)"
fetch "$url/SHA256SUMS" "$tmp/SHA256SUMS" || die "cannot download $url/SHA256SUMS"

# SHA256SUMS lines: "<hex>  <file>" (sha256sum's format, `*` for binary mode).
want=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/SHA256SUMS")
[ -n "$want" ] || die "SHA256SUMS lists no checksum for $asset"
got=$(sha256 "$tmp/$asset")
if [ "$got" != "$want" ]; then
  die "checksum mismatch for $asset: expected $want, got $got; nothing installed"
fi
say "SHA-256 verified: $got"

chmod 0755 "$tmp/$asset"
installed=$("$tmp/$asset" --version 2>/dev/null) || die "the downloaded binary does not run here"
installed=$(printf "%s\n" "$installed" | head -n 1)  # line 2: the knowledge date
if [ -n "$version" ] && [ "$installed" != "obslint $version" ]; then
  die "asked for $version, the download says \"$installed\"; nothing installed"
fi
mkdir -p "$bindir" || die "cannot create $bindir"
# Copy next to the target and rename: an obslint running from $bindir is
# never overwritten in place.
cp "$tmp/$asset" "$bindir/.obslint.new.$$" || die "cannot write to $bindir (try -b DIR)"
mv -f "$bindir/.obslint.new.$$" "$bindir/obslint"
say "installed $installed to $bindir/obslint"
case ":$PATH:" in
  *":$bindir:"*) ;;
  *) say "note: $bindir is not on your PATH" ;;
esac
