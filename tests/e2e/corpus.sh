#!/bin/sh
# Runs obslint over every real stack in ../shared/corpus: it must never crash
# (exit 0 or 1 only, never 2 or 3), and its findings must equal the ones
# pinned in tests/corpus/<stack>.txt, one per line:
#
#   CODE path:line  true|false  reason      (a finding at warning or error)
#   CODE path:line                          (a note)
#
# (paths relative to the stack). Every warning and error carries the verdict
# of a reviewer who did not write the rule and read only the stack and the
# rule's doc: true, or false with the reason it cannot be fixed yet. The test
# prints the false-alarm rate over all verdicts and fails at 2 % or more, or
# when a warning has no verdict. Skips (77) when ../shared/corpus is absent.
#   UPDATE=1 sh tests/e2e/corpus.sh build/obslint
# rewrites the pins, keeping the verdicts of findings that stay; new warnings
# come without a verdict and fail the test until someone reviews them.
set -u
bin=$(readlink -f "$1")
src=${OBSLINT_SOURCE_DIR:-$(dirname "$0")/../..}
corpus=$src/../shared/corpus
if [ ! -d "$corpus" ]; then
  echo "skipped: $corpus not present"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
: > "$tmp/verdicts"
upstream=$src/tests/corpus/upstream-files.txt
for dir in "$corpus"/*/; do
  name=$(basename "$dir")
  # Files the stack's repository has but the corpus did not copy
  # (tests/corpus/upstream-files.txt): lint a copy where they exist.
  if grep -q "^$name " "$upstream"; then
    rm -rf "$tmp/stack"
    cp -R "$dir" "$tmp/stack"
    grep "^$name " "$upstream" | while read -r _ path; do
      mkdir -p "$tmp/stack/$(dirname "$path")"
      : > "$tmp/stack/$path"
    done
    dir=$tmp/stack
  fi
  out=$(cd "$dir" && "$bin" --color never . 2>&1)
  code=$?
  if [ $code -ge 2 ]; then
    echo "FAIL $name: exit $code"
    echo "$out" | tail -5
    fail=$((fail + 1))
    continue
  fi
  # First line of each finding: "path:line:col: severity: message [CODE]".
  printf '%s\n' "$out" |
    sed -n 's/^\([^ :][^:]*\):\([0-9][0-9]*\):[0-9][0-9]*: \([a-z]*\): .*\[\(OBS[0-9]*\)\]$/\4 \1:\2 \3/p
            s/^\([^ :][^:]*\): \([a-z]*\): .*\[\(OBS[0-9]*\)\]$/\3 \1 \2/p' | LC_ALL=C sort > "$tmp/actual"
  pin=$src/tests/corpus/$name.txt
  [ -f "$pin" ] || : > "$tmp/empty"
  [ -f "$pin" ] || pin=$tmp/empty
  # Pair each finding with the first unused pin line of the same key; print
  # "K key" (kept, with its pin line), "N key sev" (new), "G key" (gone).
  awk -v pinfile="$pin" '
    BEGIN {
      while ((getline line < pinfile) > 0) {
        if (line == "") continue
        split(line, f, " "); key = f[1] " " f[2]
        n[key]++; pins[key, n[key]] = line
      }
    }
    {
      key = $1 " " $2; used[key]++
      if (used[key] <= n[key]) print "K\t" $3 "\t" pins[key, used[key]]
      else print "N\t" $3 "\t" key
    }
    END {
      for (k in n) for (i = used[k] + 1; i <= n[k]; i++) print "G\t-\t" pins[k, i]
    }' "$tmp/actual" > "$tmp/paired"
  if [ "${UPDATE:-}" = 1 ]; then
    grep -v "^G" "$tmp/paired" | cut -f3 | grep -v "^$" | LC_ALL=C sort > "$src/tests/corpus/$name.txt"
    [ -s "$src/tests/corpus/$name.txt" ] || printf '\n' > "$src/tests/corpus/$name.txt"
  elif grep -q '^[NG]' "$tmp/paired"; then
    echo "FAIL $name: findings differ from tests/corpus/$name.txt"
    grep '^N' "$tmp/paired" | cut -f3 | sed 's/^/+/' | head -20
    grep '^G' "$tmp/paired" | cut -f3 | sed 's/^/-/' | head -20
    fail=$((fail + 1))
    continue
  fi
  # Verdicts of the findings at warning or above.
  awk -F'\t' -v stack="$name" '$2 == "warning" || $2 == "error" {
      split($3, f, " "); v = (f[3] == "true" || f[3] == "false") ? f[3] : "none"
      print v "\t" stack "\t" $3 }' "$tmp/paired" >> "$tmp/verdicts"
  pass=$((pass + 1))
done
t=$(grep -c '^true' "$tmp/verdicts")
f=$(grep -c '^false' "$tmp/verdicts")
u=$(grep -c '^none' "$tmp/verdicts")
echo "corpus: $pass stacks passed, $fail failed"
grep '^false' "$tmp/verdicts" | cut -f2- | sed 's/^/  false alarm (pinned): /'
grep '^none' "$tmp/verdicts" | cut -f2- | sed 's/^/  no verdict: /' | head -40
# Rate in tenths of a percent, integer arithmetic only.
total=$((t + f))
rate=0
[ $total -gt 0 ] && rate=$(( (f * 1000 + total / 2) / total ))
echo "corpus: $total warnings and errors reviewed: $t true, $f false; false-alarm rate $((rate / 10)).$((rate % 10)) % (goal < 2 %); $u without a verdict"
[ "${UPDATE:-}" = 1 ] && exit 0
[ $fail -eq 0 ] && [ $u -eq 0 ] && [ $rate -lt 20 ]
