#!/bin/sh
# Runs tools/keys/check.py on every hand-made file here against its table, at
# the version and root named on the file's first line ("# <Program> <version>
# ..., root <root>."), and compares with <file>.expected (or writes it with
# --update). The lead turns these cases into obslint fixtures.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
update=${1:-}
status=0
for dir in prometheus compose grafana; do
  for f in "$here/$dir"/*.y*ml; do
    head=$(head -n 1 "$f")
    version=$(printf '%s\n' "$head" | sed -E 's/^# [A-Za-z ]+ ([0-9]+\.[0-9]+\.[0-9]+).*/\1/')
    table_root=$(printf '%s\n' "$head" | sed -E 's/.*root ([a-z0-9-]+)\..*/\1/')
    out=$(cd "$here" && python3 "$root/tools/keys/check.py" "$root/knowledge/keys/$dir.yaml" \
      --root "$table_root" --version "$version" "$dir/$(basename "$f")" || true)
    if [ "$update" = "--update" ]; then
      printf '%s\n' "$out" > "$f.expected"
    elif [ "$(printf '%s\n' "$out")" != "$(cat "$f.expected")" ]; then
      echo "FAIL $dir/$(basename "$f")"; printf '%s\n' "$out"; status=1
    fi
  done
done
exit $status
