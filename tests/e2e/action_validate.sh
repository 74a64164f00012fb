#!/bin/sh
# Validates action.yml and every workflow under .github/workflows/ (plus the
# example workflows in docs/, extracted) against GitHub's schemas with
# @action-validator/cli, including that each `uses: ./` and glob points at
# something real. The validator is installed with npm into a cache, as
# tests/e2e/sarif_validate.sh does; skips (77) only when npm/node are missing
# or the package cannot be installed (offline).
#   sh tests/e2e/action_validate.sh /path/to/obslint   (OBSLINT_SOURCE_DIR = repo root)
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "${OBSLINT_SOURCE_DIR:-$(dirname "$0")/../..}" && pwd)
version=${OBSLINT_ACTION_VALIDATOR_VERSION:-0.6.0}

command -v node >/dev/null 2>&1 || { echo "SKIP: node not found"; exit 77; }

find_tool() {
  for dir in "$@"; do
    tool=$dir/node_modules/.bin/action-validator
    [ -x "$tool" ] && { echo "$tool"; return 0; }
  done
  return 1
}
caches="${HOME:+$HOME/.cache/obslint/action-validator-$version} $(dirname "$bin")/action-validator-$version"
# shellcheck disable=SC2086  # $caches is a list
tool=$(find_tool $caches)
if [ -z "$tool" ]; then
  command -v npm >/dev/null 2>&1 || { echo "SKIP: npm not found"; exit 77; }
  for dir in $caches; do
    mkdir -p "$dir" 2>/dev/null || continue
    if npm install --silent --no-audit --no-fund --prefix "$dir" \
         "@action-validator/cli@$version" "@action-validator/core@$version" >"$dir/npm.log" 2>&1; then
      tool=$(find_tool "$dir") && break
    fi
    echo "npm install into $dir failed:"; tail -5 "$dir/npm.log"
  done
fi
[ -n "$tool" ] || { echo "SKIP: could not install @action-validator/cli (offline?)"; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/obslint-actionval.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# Example workflows in the docs: every ```yaml block that has `jobs:`.
for doc in "$src"/docs/*.md "$src"/README.md; do
  [ -f "$doc" ] || continue
  awk -v out="$work/$(basename "$doc" .md)" '
    /^```ya?ml[[:space:]]*$/ { inblock = 1; n++; buf = ""; next }
    inblock && /^```[[:space:]]*$/ {
      inblock = 0
      if (buf ~ /(^|\n)jobs:/) { f = out "-" n ".yml"; printf "%s", buf > f; close(f) }
      next
    }
    inblock { buf = buf $0 "\n" }
  ' "$doc"
done

fail=0
checked=0
# The validator resolves `uses: ./` and paths against the working directory.
cd "$src" || exit 1
# The `attestations` permission (artifact attestations, 2024) is newer than
# the schema bundled in action-validator 0.6.0, the latest on npm; upstream
# fixed it after that release (mpalmer/action-validator#75). So a file that
# sets it is validated with those lines, and only those, removed.
attest_line='^[[:space:]]+attestations:[[:space:]]*(read|write|none)[[:space:]]*(#.*)?$'
mkdir -p "$work/attest"
for f in action.yml .github/workflows/*.yml .github/workflows/*.yaml "$work"/*.yml; do
  [ -f "$f" ] || continue
  checked=$((checked + 1))
  target=$f
  if grep -q -E "$attest_line" "$f"; then
    target=$work/attest/$(basename "$f")
    grep -v -E "$attest_line" "$f" > "$target"
  fi
  if out=$("$tool" "$target" 2>&1); then
    echo "ok   $f"
  else
    echo "FAIL $f"
    printf '%s\n' "$out" | head -40
    fail=1
  fi
done
# The validator must still reject a broken action (guards against a tool
# that accepts everything).
sed 's/using: docker/using: dockr/' action.yml > "$work/action.yml"
if "$tool" "$work/action.yml" >/dev/null 2>&1; then
  echo "FAIL: the validator accepted an action with runs.using: dockr"
  fail=1
fi
[ "$checked" -ge 2 ] || { echo "FAIL: expected action.yml and at least one workflow"; exit 1; }
exit $fail
