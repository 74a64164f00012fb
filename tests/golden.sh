#!/bin/sh
# Golden test: runs the real obslint binary in a fixture directory and
# compares its output (and exit code) with expected.txt beside it.
#   tests/golden.sh OBSLINT DIR        compare
#   UPDATE=1 tests/golden.sh OBSLINT DIR   rewrite expected.txt (review the diff!)
# DIR/args holds the command-line arguments; without it a fixture under
# tests/fixtures/OBSnnn/ runs `--select OBSnnn .`, so a fixture pins its own rule.
set -u
bin=$(readlink -f "$1")
dir=$2
cd "$dir" || exit 2
if [ -f args ]; then
  args=$(cat args)
else
  code=$(basename "$(dirname "$PWD")")
  args="--select $code ."
fi
# shellcheck disable=SC2086
actual=$(NO_COLOR=1 "$bin" --color never $args 2>&1; echo "exit: $?")
if [ "${UPDATE:-}" = 1 ]; then
  printf '%s\n' "$actual" > expected.txt
  echo "updated $dir/expected.txt"
  exit 0
fi
if [ ! -f expected.txt ]; then
  echo "missing $dir/expected.txt; actual output:"
  printf '%s\n' "$actual"
  exit 1
fi
expected=$(cat expected.txt)
if [ "$actual" != "$expected" ]; then
  echo "output differs from $dir/expected.txt"
  printf '%s\n' "$actual" > /tmp/obslint-golden-actual.$$
  diff -u expected.txt /tmp/obslint-golden-actual.$$
  rm -f /tmp/obslint-golden-actual.$$
  exit 1
fi
exit 0
