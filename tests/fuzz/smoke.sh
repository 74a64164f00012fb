#!/bin/sh
# Fuzz smoke test: a bounded libFuzzer run seeded from tests/fixtures and
# examples. New inputs go to a temporary directory, never into the tree;
# a crash input is kept in tests/fuzz/crashes/ for the regression suite.
#   smoke.sh FUZZER SOURCE_DIR [RUNS] [SECONDS]
set -u
bin=$1
src=$2
runs=${3:-3000}
secs=${4:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/new" "$work/seed"
# Seeds: every YAML/.env file of the fixtures and the example stack.
find "$src/tests/fixtures" "$src/examples" "$src/tests/fuzz/crashes" -type f \
  \( -name '*.yaml' -o -name '*.yml' -o -name '.env' -o -name '*.env' -o -name 'crash-*' \) 2>/dev/null |
  head -400 | while read -r f; do cp "$f" "$work/seed/$(echo "$f" | md5sum | cut -c1-16)"; done
"$bin" -runs="$runs" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -max_len=16384 \
  -artifact_prefix="$work/" -print_final_stats=0 "$work/new" "$work/seed" 2>"$work/log"
status=$?
if [ $status -ne 0 ]; then
  tail -40 "$work/log"
  mkdir -p "$src/tests/fuzz/crashes"
  for c in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
    [ -f "$c" ] && cp "$c" "$src/tests/fuzz/crashes/" && echo "kept $(basename "$c") in tests/fuzz/crashes/"
  done
  exit 1
fi
grep -E "Done [0-9]+ runs" "$work/log" | tail -1
exit 0
