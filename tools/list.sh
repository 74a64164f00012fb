#!/bin/sh
# Lists source files for meson.build (Meson has no globbing). CMake globs the
# same sets itself, so both builds always compile the same files.
set -eu
what=$1
cd "$2"
case $what in
  sources) find src -name '*.cpp' ! -path src/cli/main.cpp ! -path 'src/static/*' | LC_ALL=C sort ;;
  tests) find tests -maxdepth 1 -name '*_test.cpp' | LC_ALL=C sort ;;
  fixtures) cd tests/fixtures 2>/dev/null && for d in OBS*/*/; do [ -d "$d" ] && echo "${d%/}"; done || true ;;
  stacks) cd tests/stacks 2>/dev/null && for d in */; do [ -d "$d" ] && echo "${d%/}"; done || true ;;
  e2e) cd tests/e2e 2>/dev/null && ls *.sh 2>/dev/null | LC_ALL=C sort || true ;;
  embed-inputs) { find knowledge -name '*.yaml'; ls rules/*.md 2>/dev/null; } | LC_ALL=C sort; [ -f schemas/obslint-config.schema.json ] && echo schemas/obslint-config.schema.json || true ;;
  embed-args)
    for f in $(find knowledge -name '*.yaml' | LC_ALL=C sort); do
      case $f in
        knowledge/keys/*) echo "${f%.yaml}.keys=$PWD/$f:keys" ;;
        *) echo "${f%.yaml}.json=$PWD/$f:json" ;;
      esac; done
    for f in $(ls rules/*.md 2>/dev/null | LC_ALL=C sort); do
      echo "rules/$(basename "$f")=$PWD/$f"; done
    [ -f schemas/obslint-config.schema.json ] && echo "schemas/obslint-config.schema.json=$PWD/schemas/obslint-config.schema.json" || true ;;
esac
