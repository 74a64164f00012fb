#!/bin/sh
# tools/new-rule.sh adds a rule's registry row, declaration, source file, doc
# and fixture directories in code order, in a copy of the tree, and writes
# nothing when the code, the name or an argument is wrong.
#   sh tests/e2e/new_rule.sh OBSLINT   (the binary is not used)
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {  # DESCRIPTION COMMAND...
  what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}

mkdir -p "$tmp/rules" "$tmp/tests/fixtures"
cp -R "$src/src" "$tmp/src"
cp "$src/CMakeLists.txt" "$tmp/"
export OBSLINT_RULE_ROOT="$tmp"
tool="sh $src/tools/new-rule.sh"

$tool OBS213 restart-loop warning "service restarts forever on a config error" >"$tmp/out" 2>&1
check "adds OBS213" [ $? -eq 0 ]
# The row sits between OBS212 and OBS301, the declaration before OBS301's.
reg=$tmp/src/engine/registry.cpp
check "registry row in code order" sh -c "grep -n -e '{\"OBS212\"' -e '{\"OBS213\"' -e '{\"OBS301\"' '$reg' | cut -d'\"' -f2 | tr '\n' ' ' | grep -qx 'OBS212 OBS213 OBS301 '"
check "registry row complete" grep -q '{"OBS213", "restart-loop", Severity::kWarning, &CheckRestartLoop,' "$reg"
check "summary on the next line" sh -c "grep -A1 '{\"OBS213\"' '$reg' | tail -1 | grep -qx '     \"service restarts forever on a config error\"},'"
check "declaration" grep -q '^void CheckRestartLoop(const Project&, const Knowledge&, Reporter&);  // OBS213 (compose)$' "$tmp/src/rules/rules.h"
check "source file" grep -q '^void CheckRestartLoop(const Project& p, const Knowledge& k, Reporter& r) {$' "$tmp/src/rules/compose/restart-loop.cpp"
check "doc front matter" sh -c "head -6 '$tmp/rules/OBS213.md' | tr '\n' '|' | grep -qx -- '---|code: OBS213|name: restart-loop|severity: warning|tags: \[compose, correctness\]|since: [0-9.]*|'"
check "doc sections" sh -c "grep -c -e '^## What it does' -e '^## Why is this bad' -e '^## Example' -e '^## How to fix' '$tmp/rules/OBS213.md' | grep -qx 4"
check "fixture directories" [ -f "$tmp/tests/fixtures/OBS213/bad/compose.yaml" ] && [ -f "$tmp/tests/fixtures/OBS213/good/compose.yaml" ]

# A code after every other one goes before the end of the table.
$tool OBS906 forbidden-port error "a port policy forbids" >/dev/null 2>&1
check "last code before the end of the table" sh -c "grep -A2 '{\"OBS906\"' '$reg' | tail -1 | grep -qx '};'"

# The skeleton and the registry compile.
if command -v c++ >/dev/null 2>&1; then
  check "skeleton compiles" c++ -std=c++20 -fsyntax-only -I "$tmp/src" "$tmp/src/rules/compose/restart-loop.cpp"
  check "registry compiles" c++ -std=c++20 -fsyntax-only -I "$tmp/src" "$reg"
fi

# Refusals write nothing.
sum() { find "$tmp" -type f ! -name out -exec cksum {} + | sort; }
before=$(sum)
refuse() {  # EXPECTED-MESSAGE ARGS...
  expected=$1; shift
  $tool "$@" >/dev/null 2>"$tmp/out"
  status=$?
  check "refuses: $expected" sh -c "[ $status -eq 2 ] && grep -qF -- '$expected' '$tmp/out'"
}
refuse "OBS213 is taken" OBS213 other-name error "x"
refuse 'the name "restart-loop" is taken' OBS214 restart-loop error "x"
refuse '"OBS21" is not a rule code' OBS21 x-y error "x"
refuse '"RestartLoop" is not a kebab-case name' OBS214 RestartLoop error "x"
refuse 'severity "fatal" is not error, warning or note' OBS214 x-y fatal "x"
refuse 'usage:' OBS214 x-y error
check "refusals wrote nothing" [ "$before" = "$(sum)" ]
exit $fail
