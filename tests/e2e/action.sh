#!/bin/sh
# Runs the GitHub Action's entrypoint (`obslint github-action`, the image's
# entrypoint with action.yml's args) as the runner would, with a simulated
# GITHUB_* environment and INPUT_* variables spelled as the runner spells
# them (INPUT_FAIL-LEVEL keeps its hyphen) in an otherwise empty environment
# and working directory, as in the FROM scratch image. Checks annotations
# (most severe first, at most 10 per type, the cap notice), the SARIF file,
# the step summary (counts, table, Mermaid stack graph), the outputs and the
# exit status for each fail-level. tests/e2e/container.sh runs the same
# entrypoint inside the image.
set -u
bin=$(readlink -f "$1")
src=$(readlink -f "${OBSLINT_SOURCE_DIR:-$(dirname "$0")/../..}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail=0
check() {  # check DESCRIPTION COMMAND...
  what=$1
  shift
  if "$@"; then :; else
    echo "FAIL: $what"
    fail=1
  fi
}

json_ok() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["runs"][0]["results"] else 1)' "$1"
  elif command -v node >/dev/null 2>&1; then
    node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1]));process.exit(d.runs[0].results.length?0:1)' "$1"
  else
    grep -q '"results"' "$1"
  fi
}

# run_action WORKSPACE [VAR=VALUE...]: the entrypoint with a fresh runner env;
# output in $tmp/log, status in $status.
run_action() {
  ws=$1
  shift
  : > "$tmp/summary"
  : > "$tmp/output"
  status=0
  (cd / && env -i GITHUB_ACTIONS=true \
    GITHUB_WORKSPACE="$ws" GITHUB_STEP_SUMMARY="$tmp/summary" GITHUB_OUTPUT="$tmp/output" \
    INPUT_PATH=. INPUT_CONFIG= INPUT_ANNOTATIONS=true INPUT_SUMMARY=true INPUT_ARGS= \
    "$@" "$bin" github-action) > "$tmp/log" 2>&1 || status=$?
}

output() { sed -n "s/^$1=//p" "$tmp/output"; }

# --- 1. the bundled example stack ------------------------------------------
cp -r "$src/examples/observability" "$tmp/example"
(cd "$tmp/example" && "$bin" --color never --format github .) > "$tmp/all.txt"
expected=$(grep -c '^::' "$tmp/all.txt")
run_action "$tmp/example" 'INPUT_FAIL-LEVEL=none' 'INPUT_SARIF-FILE=reports/obslint.sarif'
check "example: exit 0 with fail-level none (got $status)" [ "$status" -eq 0 ]
check "example: at least one finding" [ "$expected" -gt 0 ]
check "example: findings output = $expected" [ "$(output findings)" = "$expected" ]
check "example: sarif-file output (hyphenated input read)" \
  [ "$(output sarif-file)" = reports/obslint.sarif ]
check "example: SARIF written, valid JSON with results" json_ok "$tmp/example/reports/obslint.sarif"
annotated=$(grep -c -E '^::(error|warning|notice) file=' "$tmp/log")
min10() { if [ "$1" -gt 10 ]; then echo 10; else echo "$1"; fi; }
e=$(grep -c '^::error ' "$tmp/all.txt")
w=$(grep -c '^::warning ' "$tmp/all.txt")
n=$(grep -c '^::notice ' "$tmp/all.txt")
if [ "$e" -gt 10 ] || [ "$w" -gt 10 ] || [ "$n" -gt 10 ]; then
  # Capped: one notice slot goes to the notice saying what was left out.
  want=$(($(min10 "$e") + $(min10 "$w") + $(min10 "$n")))
  [ "$n" -ge 10 ] && want=$((want - 1))
  check "example: cap notice present" grep -q '^::notice title=obslint findings not annotated::' "$tmp/log"
else
  want=$expected
fi
check "example: $want annotations, got $annotated" [ "$annotated" -eq "$want" ]
for type in error warning notice; do
  n=$(grep -c "^::$type file=" "$tmp/log")
  check "example: at most 10 ::$type annotations (got $n)" [ "$n" -le 10 ]
done
# Most severe first: no error after a warning or notice, no warning after a notice.
order=$(sed -n 's/^::\(error\|warning\|notice\) file=.*/\1/p' "$tmp/log" | uniq | tr '\n' ' ')
case "$order" in
  "" | "error " | "warning " | "notice " | "error warning " | "error notice " | \
    "warning notice " | "error warning notice ") ;;
  *) echo "FAIL: annotations not most severe first: $order"; fail=1 ;;
esac
check "example: annotation paths relative to the workspace" \
  sh -c "! grep '^::[a-z]* file=/' '$tmp/log'"
check "example: full report in a log group" grep -q '^::group::obslint: ' "$tmp/log"
check "example: summary has the heading" grep -q '^## obslint' "$tmp/summary"
check "example: summary has the findings table" \
  grep -q '^| Severity | Code | Location | Message |' "$tmp/summary"
errors=$(output errors)
warnings=$(output warnings)
notes=$(output notes)
check "example: errors+warnings+notes = findings" \
  [ $((errors + warnings + notes)) -eq "$expected" ]
# The summary line counts by severity, e.g. "3 errors, 1 warning and 2 notes".
for pair in "$errors:error" "$warnings:warning" "$notes:note"; do
  n=${pair%%:*}
  word=${pair#*:}
  [ "$n" -eq 0 ] && continue
  [ "$n" -gt 1 ] && word=${word}s
  check "example: summary counts \"$n $word\"" grep -q "$n $word" "$tmp/summary"
done
# The stack graph, exactly as `obslint graph` draws it, in a Mermaid block.
(cd "$tmp/example" && "$bin" graph --format mermaid .) > "$tmp/graph"
check "example: summary has the stack graph" grep -q '^### Stack graph$' "$tmp/summary"
check "example: the graph is obslint graph's, in a mermaid block" \
  sh -c "sed -n '/^\`\`\`mermaid\$/,/^\`\`\`\$/p' '$tmp/summary' | sed '1d;\$d' | cmp -s - '$tmp/graph'"
check "example: summary points to the SARIF file" grep -q 'SARIF: `reports/obslint.sarif`' "$tmp/summary"
check "example: outputs are the five of action.yml" \
  [ "$(sed 's/=.*//' "$tmp/output" | tr '\n' ' ')" = "findings errors warnings notes sarif-file " ]
check "example: final line gives counts and fail-level" \
  grep -q "^obslint: $errors errors\?, $warnings warnings\?, $notes notes\? (fail-level: none)$" "$tmp/log"

# fail-level decides the exit status; both spellings of the input work.
run_action "$tmp/example" INPUT_FAIL_LEVEL=note
check "example: fail-level note (underscore form) fails (got $status)" [ "$status" -eq 1 ]
run_action "$tmp/example" 'INPUT_FAIL-LEVEL=bogus'
check "example: bad fail-level is exit 2 (got $status)" [ "$status" -eq 2 ]
check "example: bad fail-level explained" grep -q '^::error title=obslint::fail-level must be' "$tmp/log"
run_action "$tmp/example" 'INPUT_FAIL-LEVEL=none' INPUT_ANNOTATIONS=maybe
check "bad annotations input is exit 2 (got $status)" [ "$status" -eq 2 ]
check "bad annotations input explained" grep -q '^::error title=obslint::annotations must be true or false' "$tmp/log"
run_action "$tmp/example" INPUT_FAIL_LEVEL=error
check "example: fail-level error fails on the errors (got $status)" [ "$status" -eq 1 ]
run_action "$tmp/example" 'INPUT_FAIL-LEVEL=none' INPUT_ANNOTATIONS=false INPUT_SUMMARY=false
check "annotations=false: no annotation" sh -c "! grep -q '^::[a-z]* file=' '$tmp/log'"
check "summary=false: summary untouched" [ ! -s "$tmp/summary" ]
check "default sarif-file" [ "$(output sarif-file)" = obslint.sarif ]
check "default sarif-file written" json_ok "$tmp/example/obslint.sarif"

# --- 2. a stack with more findings than GitHub shows ------------------------
mkdir -p "$tmp/many"
cat > "$tmp/many/compose.yaml" <<'EOF'
services:
  app:
    image: grafana/grafana:11.2.0
EOF
i=1
while [ $i -le 14 ]; do
  echo "UNUSED_VARIABLE_$i=value" >> "$tmp/many/.env"
  i=$((i + 1))
done
# Only OBS601 (unused .env variable, a note), whatever other rules exist.
total=$("$bin" --color never --format github --select OBS601 "$tmp/many" | grep -c '^::notice ')
run_action "$tmp/many" 'INPUT_FAIL-LEVEL=warning' 'INPUT_ARGS=--select OBS601'
check "many: $total >= 14 notices found" [ "$total" -ge 14 ]
check "many: fail-level warning passes on notes only (got $status)" [ "$status" -eq 0 ]
notices=$(grep -c '^::notice file=' "$tmp/log")
check "many: 9 finding notices + the cap notice (got $notices)" [ "$notices" -eq 9 ]
hidden=$((total - 9))
check "many: cap notice says $hidden are not annotated and where they are" \
  grep -q "^::notice title=obslint findings not annotated::.* $hidden findings of $total are not annotated.*job summary.*obslint.sarif" "$tmp/log"
check "many: cap notice comes before the finding notices" \
  sh -c "grep -E '^::notice' '$tmp/log' | head -n 1 | grep -q 'not annotated'"
check "many: findings output" [ "$(output findings)" = "$total" ]

# --- 3. several stacks, and a clean one ---------------------------------------
mkdir -p "$tmp/two"
cp -r "$tmp/many" "$tmp/two/a"
cp -r "$tmp/many" "$tmp/two/b"
rm -f "$tmp/two/b/.env"
run_action "$tmp/two" 'INPUT_FAIL-LEVEL=warning' 'INPUT_ARGS=--select OBS601' 'INPUT_PATH=a b'
check "two stacks: exit 0 (got $status)" [ "$status" -eq 0 ]
check "two stacks: findings of a only ($total)" [ "$(output findings)" = "$total" ]
check "two stacks: a graph per stack" \
  sh -c "grep -q '^### Stack graph: \`a\`\$' '$tmp/summary' && grep -q '^### Stack graph: \`b\`\$' '$tmp/summary'"
run_action "$tmp/two/b" 'INPUT_FAIL-LEVEL=note' 'INPUT_ARGS=--select OBS601'
check "clean stack: exit 0 at fail-level note (got $status)" [ "$status" -eq 0 ]
check "clean stack: findings=0" [ "$(output findings)" = 0 ]
check "clean stack: summary says no findings" grep -q '^No findings\.$' "$tmp/summary"
check "clean stack: no annotation" sh -c "! grep -q '^::[a-z]* file=' '$tmp/log'"

# --- 4. obslint refusing the command line is not hidden ----------------------
run_action "$tmp/example" 'INPUT_FAIL-LEVEL=none' 'INPUT_ARGS=--select NOSUCHRULE'
check "bad args: exit 2 (got $status)" [ "$status" -eq 2 ]
check "bad args: error annotation" grep -q '^::error title=obslint::obslint exited with status 2' "$tmp/log"

if [ $fail -ne 0 ]; then
  echo "--- last action log"
  cat "$tmp/log"
  exit 1
fi
echo "action: all checks passed"
