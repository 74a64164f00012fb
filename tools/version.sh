#!/bin/sh
# One version everywhere. The version is the one in CMakeLists.txt's
# project(); every other place that names it must agree:
#   meson.build, `obslint --version`, the image tag in action.yml and
#   .pre-commit-hooks.yaml, the pre-commit `rev:`, the `uses:`, the image
#   tags and .deb names in README.md and docs/*.md, the newest entry of
#   CHANGELOG.md.
#
#   sh tools/version.sh                    print the version
#   sh tools/version.sh check [--binary OBSLINT] [--tag vX.Y.Z] [--release]
#                                          list every disagreement, exit 1 if any
#   sh tools/version.sh notes [VERSION]    print VERSION's CHANGELOG entry
#
# --tag also requires the tag to name the version; --release requires the
# CHANGELOG entry to carry a date (the release workflow uses both).
# OBSLINT_VERSION_ROOT points at another tree (tests/e2e/version.sh checks
# that a broken copy fails).
set -eu
root=${OBSLINT_VERSION_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"

version=$(sed -n 's/^project(obslint VERSION \([0-9][0-9.]*\).*/\1/p' CMakeLists.txt | head -n 1)
if [ -z "$version" ]; then
  echo "version: no 'project(obslint VERSION x.y.z' in CMakeLists.txt" >&2
  exit 2
fi

cmd=${1:-print}
[ $# -eq 0 ] || shift

# The CHANGELOG heading of a version: "## [0.2.0] - 2026-12-01".
changelog_heading() {
  grep -E "^## \[$1\]" CHANGELOG.md 2>/dev/null | head -n 1
}

case $cmd in
  print)
    echo "$version"
    exit 0
    ;;
  notes)
    want=${1:-$version}
    awk -v v="$want" '
      index($0, "## [" v "]") == 1 { on = 1; next }
      on && /^## \[/ { exit }
      on && /^\[[^]]*\]: / { exit }
      on { print }
    ' CHANGELOG.md | sed -e '/./,$!d'
    exit 0
    ;;
  check) ;;
  *)
    echo "usage: version.sh [print | check [--binary B] [--tag T] [--release] | notes [V]]" >&2
    exit 2
    ;;
esac

binary=""
tag=""
release=0
while [ $# -gt 0 ]; do
  case $1 in
    --binary) binary=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    --release) release=1; shift ;;
    *) echo "version.sh check: unknown argument $1" >&2; exit 2 ;;
  esac
done

fail=0
problem() {
  echo "version mismatch: $* (CMakeLists.txt says $version)"
  fail=1
}

# expect PLACE FOUND: FOUND must be the version.
expect() {
  if [ -z "$2" ]; then
    problem "$1: no version found"
  elif [ "$2" != "$version" ]; then
    problem "$1 says $2"
  fi
}

expect meson.build "$(sed -n "s/^project('obslint', *'cpp', *version *: *'\([^']*\)'.*/\1/p" meson.build | head -n 1)"

if [ -n "$binary" ]; then
  expect "$binary --version" "$("$binary" --version 2>/dev/null | sed -n 's/^obslint \(.*\)$/\1/p')"
fi

# every FILE PATTERN KIND: each match of PATTERN (an ERE) in FILE names the
# version after what KIND (image, uses, rev, deb) puts before it. Sets
# $found to the number of matches. No process per match: this runs often.
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
every() {
  found=0
  grep -n -o -E "$2" "$1" > "$tmp" 2>/dev/null || true
  while IFS= read -r hit; do
    found=$((found + 1))
    value=${hit#*:}
    case $3 in
      image) value=${value##*:} ;;
      uses) value=${value##*@v} ;;
      rev) value=${value##*[[:space:]]v} ;;
      deb) value=${value#obslint_}; value=${value%%_*} ;;
    esac
    [ "$value" = "$version" ] || problem "$1:${hit%%:*}: ${hit#*:}"
  done < "$tmp"
}

image='ghcr\.io/obslint/obslint:[0-9A-Za-z._-]+'

every action.yml "image: docker://$image" image
[ "$found" -eq 1 ] || problem "action.yml: expected one 'image: docker://ghcr.io/obslint/obslint:<version>', found $found"
every .pre-commit-hooks.yaml "entry: $image" image
[ "$found" -ge 1 ] || problem ".pre-commit-hooks.yaml: no hook runs ghcr.io/obslint/obslint:<version>"

for doc in README.md docs/*.md; do
  [ -f "$doc" ] || continue
  every "$doc" "$image" image
  every "$doc" 'obslint/obslint@v[0-9A-Za-z._-]+' uses
  uses_found=$found
  every "$doc" 'obslint_[0-9][0-9A-Za-z.+~]*_(amd64|arm64)\.deb' deb
  every "$doc" 'rev:[[:space:]]+v[0-9A-Za-z._-]+' rev
  rev_found=$found
  if [ "$doc" = README.md ]; then
    [ "$rev_found" -ge 1 ] || problem "README.md: the pre-commit snippet has no 'rev: v<version>'"
    [ "$uses_found" -ge 1 ] || problem "README.md: the workflow snippet has no 'uses: obslint/obslint@v<version>'"
  fi
done

heading=$(grep -E '^## \[[0-9]' CHANGELOG.md 2>/dev/null | head -n 1 || true)
newest=$(echo "$heading" | sed -n 's/^## \[\([^]]*\)\].*/\1/p')
expect "CHANGELOG.md's newest entry" "$newest"
if [ "$release" -eq 1 ]; then
  echo "$(changelog_heading "$version")" | grep -q -E "^## \[$version\] - [0-9]{4}-[0-9]{2}-[0-9]{2}$" ||
    problem "CHANGELOG.md: the $version entry has no release date (## [$version] - YYYY-MM-DD)"
fi
if [ -n "$tag" ] && [ "$tag" != "v$version" ]; then
  problem "the tag is $tag, expected v$version"
fi

[ $fail -eq 0 ] && echo "version $version everywhere"
exit $fail
