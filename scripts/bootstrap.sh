#!/bin/sh
# README command 1: install what is missing, build obslint, lint the bundled
# example stack. The example is broken on purpose, so findings (exit 1) are
# the expected result here.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DOBSLINT_STATIC=ON >/dev/null
cmake --build build --target obslint
echo "+ build/obslint examples/observability"
status=0
build/obslint examples/observability || status=$?
if [ "$status" -ge 2 ]; then
  echo "obslint failed with exit code $status" >&2
  exit "$status"
fi
echo "(exit $status: the example stack is broken on purpose; see README.md)"
