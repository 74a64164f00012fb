#!/bin/sh
# One version everywhere (tools/version.sh check): CMakeLists.txt,
# meson.build, `obslint --version`, the image tag in action.yml and
# .pre-commit-hooks.yaml, the pre-commit `rev:` and workflow `uses:` in
# README.md and docs/*.md, the newest CHANGELOG.md entry. Then the checker
# must catch each kind of disagreement in a copy of the tree, so it cannot
# pass by reading nothing.
set -u
bin=$(readlink -f "$1")
src=$(readlink -f "${OBSLINT_SOURCE_DIR:-$(dirname "$0")/../..}")
checker=$src/tools/version.sh

fail=0
if ! sh "$checker" check --binary "$bin"; then
  echo "FAIL: the versions above disagree"
  fail=1
fi
version=$(sh "$checker")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
files="CMakeLists.txt meson.build action.yml .pre-commit-hooks.yaml README.md CHANGELOG.md docs"

# breaks DESCRIPTION FILE SED-EXPRESSION [CHECK-ARGS]: in a fresh copy of
# the files, one edit must make the check fail and name FILE.
breaks() {
  rm -rf "$tmp/tree"
  mkdir -p "$tmp/tree"
  # shellcheck disable=SC2086
  (cd "$src" && cp -R $files "$tmp/tree/")
  sed -i "$3" "$tmp/tree/$2"
  if cmp -s "$src/$2" "$tmp/tree/$2"; then
    echo "FAIL: test setup: '$3' changed nothing in $2"
    fail=1
    return
  fi
  shift 3
  if OBSLINT_VERSION_ROOT=$tmp/tree sh "$checker" check "$@" > "$tmp/out" 2>&1; then
    echo "FAIL: the check passed although $what"
    fail=1
  fi
}
v=$(printf '%s' "$version" | sed 's/\./\\./g')
what="meson.build says 9.9.9"; breaks "$what" meson.build "s/version : '$v'/version : '9.9.9'/"
what="action.yml's image is 9.9.9"; breaks "$what" action.yml "s|obslint/obslint:$v|obslint/obslint:9.9.9|"
what="the pre-commit image is 9.9.9"; breaks "$what" .pre-commit-hooks.yaml "s|obslint/obslint:$v|obslint/obslint:9.9.9|"
what="README's rev is v9.9.9"; breaks "$what" README.md "s|rev: v$v|rev: v9.9.9|"
what="README's uses is @v9.9.9"; breaks "$what" README.md "s|obslint/obslint@v$v|obslint/obslint@v9.9.9|"
what="docs/ci.md's uses is @v9.9.9"; breaks "$what" docs/ci.md "s|obslint/obslint@v$v|obslint/obslint@v9.9.9|"
what="docs/ci.md's .deb is 9.9.9"; breaks "$what" docs/ci.md "s|obslint_${v}_amd64|obslint_9.9.9_amd64|"
what="CHANGELOG's newest entry is 9.9.9"; breaks "$what" CHANGELOG.md "s|^## \[$v\]|## [9.9.9]|"
what="CMakeLists.txt moved on alone"; breaks "$what" CMakeLists.txt "s/VERSION $v/VERSION 9.9.9/"
what="README lost its pre-commit rev"; breaks "$what" README.md "/rev: v$v/d"
what="a release's entry is dated"; breaks "$what" CHANGELOG.md "s/^## \[$v\].*/## [$version] - 2026-12-01/" --tag v9.9.9
# The release workflow's checks: the tag names the version, the entry is dated.
if sh "$checker" check --tag v9.9.9 > "$tmp/out" 2>&1; then
  echo "FAIL: the check passed for tag v9.9.9"
  fail=1
fi
if ! grep -q "^## \[$v\] - [0-9]\{4\}-[0-9]\{2\}-[0-9]\{2\}$" "$src/CHANGELOG.md" &&
  sh "$checker" check --release > "$tmp/out" 2>&1; then
  echo "FAIL: --release passed although the $version entry has no date"
  fail=1
fi
# The binary's own answer counts: a build of another version disagrees.
printf '#!/bin/sh\necho "obslint 9.9.9"\n' > "$tmp/other"
chmod +x "$tmp/other"
if sh "$checker" check --binary "$tmp/other" > "$tmp/out" 2>&1; then
  echo "FAIL: the check passed with a binary that says 9.9.9"
  fail=1
fi

[ $fail -eq 0 ] || exit 1
echo "version: $version everywhere; each kind of disagreement is caught"
