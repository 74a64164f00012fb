#!/bin/sh
# The generated docs are current: docs/rules.md (rule index) and obslint.1
# (man page) equal what tools/gen-docs.sh makes from this binary's rule table
# and --help and from rules/*.md. When it fails, run
#   sh tools/gen-docs.sh build/obslint
# and commit the result. Also checks the man page renders without groff
# warnings when man is installed.
set -u
bin=$(readlink -f "$1")
src=$(readlink -f "${OBSLINT_SOURCE_DIR:-$(dirname "$0")/../..}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for pair in rules:docs/rules.md man:obslint.1; do
  kind=${pair%%:*}
  file=${pair#*:}
  if ! sh "$src/tools/gen-docs.sh" "$bin" "$kind" > "$tmp/$kind"; then
    echo "FAIL: tools/gen-docs.sh $kind failed"
    fail=1
  elif [ ! -f "$src/$file" ]; then
    echo "FAIL: $file is missing; run: sh tools/gen-docs.sh build/obslint"
    fail=1
  elif ! diff -u "$src/$file" "$tmp/$kind" > "$tmp/$kind.diff"; then
    echo "FAIL: $file is stale; run: sh tools/gen-docs.sh build/obslint"
    head -40 "$tmp/$kind.diff"
    fail=1
  fi
done
# Every rule of the table is in the index and the man page.
for code in $("$bin" --list-rules | awk '{ print $1 }'); do
  grep -q "$code" "$tmp/rules" || { echo "FAIL: $code missing from the rule index"; fail=1; }
  grep -q "^\.BR $code " "$tmp/man" || { echo "FAIL: $code missing from the man page"; fail=1; }
done
if command -v man >/dev/null 2>&1 && command -v groff >/dev/null 2>&1; then
  warnings=$(MANWIDTH=80 man --warnings -l "$tmp/man" 2>&1 >/dev/null)
  if [ -n "$warnings" ]; then
    echo "FAIL: groff warnings in obslint.1:"
    printf '%s\n' "$warnings" | head -10
    fail=1
  fi
  MANWIDTH=80 man -l "$tmp/man" 2>/dev/null | grep -q '^RULES' ||
    { echo "FAIL: man page does not render"; fail=1; }
fi
[ $fail -eq 0 ] && echo "docs: docs/rules.md and obslint.1 are current"
exit $fail
