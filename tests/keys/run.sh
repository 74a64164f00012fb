#!/bin/sh
# Hand-made configurations checked against the key tables (knowledge/keys/).
#
# Every tests/keys/<format>/<case>.yaml (or .yml) names its checks on lines
#   # check: --version 3.0.0 [--root rules | --collector]
# Each check runs tools/keys/check.py knowledge/keys/<format>.yaml with those
# arguments on the file, in the file's directory. <case>.expected holds, for
# each check line in order, that line and then the findings it prints.
#
#   sh tests/keys/run.sh            # compare; exit 1 on a difference
#   sh tests/keys/run.sh --update   # rewrite the .expected files
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
update=${1:-}
status=0
cases=0
for config in "$here"/*/*.yaml "$here"/*/*.yml; do
  [ -f "$config" ] || continue
  dir=$(dirname "$config")
  format=$(basename "$dir")
  name=$(basename "$config")
  expected="${config%.*}.expected"
  checks=$(sed -n 's/^# check: //p' "$config")
  if [ -z "$checks" ]; then
    echo "FAIL $format/$name: no '# check:' line"
    status=1
    continue
  fi
  actual=$(printf '%s\n' "$checks" | while IFS= read -r args; do
    echo "# check: $args"
    # shellcheck disable=SC2086  # the arguments are words
    (cd "$dir" && python3 "$root/tools/keys/check.py" "$root/knowledge/keys/$format.yaml" $args "$name")
    rc=$?
    [ $rc -le 1 ] || echo "check.py failed (exit $rc)"
  done)
  cases=$((cases + 1))
  if [ "$update" = "--update" ]; then
    printf '%s\n' "$actual" > "$expected"
  elif [ ! -f "$expected" ]; then
    echo "FAIL $format/$name: no $(basename "$expected")"
    status=1
  elif [ "$actual" != "$(cat "$expected")" ]; then
    echo "FAIL $format/$name"
    printf '%s\n' "$actual" | diff "$expected" - || true
    status=1
  fi
done
[ "$update" = "--update" ] || [ $status -ne 0 ] || echo "tests/keys: $cases cases as expected"
exit $status
