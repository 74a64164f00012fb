#!/bin/sh
# Baselines: accepted findings are matched by code, file and the offending
# line's content, so they survive line shifts; a changed line is reported
# again; fixed findings simply drop out.
set -u
bin=$(readlink -f "$1")
src=${OBSLINT_SOURCE_DIR:-$(dirname "$0")/../..}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src/examples/observability" "$work/stack"
chmod -R u+w "$work/stack"
cd "$work/stack" || exit 1
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=$((fail + 1)); fi; }

"$bin" --color never --write-baseline ../baseline.json . >/dev/null 2>&1
check "write-baseline exits 0 and writes the file" '[ $? -eq 0 ] && [ -s ../baseline.json ]'

"$bin" --color never --baseline ../baseline.json . > ../out1.txt 2>&1
check "everything accepted: exit 0, no findings" '[ $? -eq 0 ] && grep -q "^no findings" ../out1.txt'

# Shift every line of the compose file down by two.
{ printf '# moved\n# again\n'; cat docker-compose.yml; } > ../c.yml && mv ../c.yml docker-compose.yml
"$bin" --color never --baseline ../baseline.json . > ../out2.txt 2>&1
check "line shifts keep findings accepted" '[ $? -eq 0 ] && grep -q "^no findings" ../out2.txt'

# Change one offending line: that finding is new again, the rest stay accepted.
sed -i 's/image: posthog\/posthog:latest/image: posthog\/posthog:latest # changed/' docker-compose.yml
"$bin" --color never --baseline ../baseline.json . > ../out3.txt 2>&1
check "a changed line is reported again" 'grep -q "docker-compose.yml:220:12: .*OBS807" ../out3.txt'
check "only the findings of the two changed lines are reported" '[ "$(grep -c "^[^ ].*: \(error\|warning\|note\): " ../out3.txt)" -eq 4 ]'

# A missing baseline file is a command-line error.
"$bin" --color never --baseline ../nope.json . > ../out4.txt 2>&1
check "missing baseline: exit 2 with a message" '[ $? -eq 2 ] && grep -qi "baseline" ../out4.txt'

echo "baseline: $((6 - fail)) passed, $fail failed"
[ $fail -eq 0 ]
