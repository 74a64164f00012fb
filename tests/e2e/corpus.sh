#!/bin/sh
# Runs obslint over every real stack in ../shared/corpus: it must never crash
# (exit 0 or 1 only, never 2 or 3), and its findings must equal the reviewed
# ones pinned in tests/corpus/<stack>.txt ("CODE path:line" per finding,
# paths relative to the stack). Skips (77) when ../shared/corpus is absent.
#   UPDATE=1 sh tests/e2e/corpus.sh build/obslint   rewrites the pins (review the diff!)
set -u
bin=$(readlink -f "$1")
src=${OBSLINT_SOURCE_DIR:-$(dirname "$0")/../..}
corpus=$src/../shared/corpus
if [ ! -d "$corpus" ]; then
  echo "skipped: $corpus not present"
  exit 77
fi
pass=0
fail=0
for dir in "$corpus"/*/; do
  name=$(basename "$dir")
  out=$(cd "$dir" && "$bin" --color never . 2>&1)
  code=$?
  if [ $code -ge 2 ]; then
    echo "FAIL $name: exit $code"
    echo "$out" | tail -5
    fail=$((fail + 1))
    continue
  fi
  # First line of each finding: "path:line:col: severity: message [CODE]".
  actual=$(printf '%s\n' "$out" |
    sed -n 's/^\([^ :][^:]*\):\([0-9][0-9]*\):[0-9][0-9]*: [a-z]*: .*\[\(OBS[0-9]*\)\]$/\3 \1:\2/p
            s/^\([^ :][^:]*\): [a-z]*: .*\[\(OBS[0-9]*\)\]$/\2 \1/p' | LC_ALL=C sort)
  pin=$src/tests/corpus/$name.txt
  if [ "${UPDATE:-}" = 1 ]; then
    printf '%s\n' "$actual" > "$pin"
  elif [ -f "$pin" ] && [ "$actual" != "$(cat "$pin")" ]; then
    echo "FAIL $name: findings differ from tests/corpus/$name.txt"
    printf '%s\n' "$actual" | diff -u "$pin" - | head -40
    fail=$((fail + 1))
    continue
  fi
  pass=$((pass + 1))
done
echo "corpus: $pass passed, $fail failed"
[ $fail -eq 0 ]
