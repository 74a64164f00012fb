#!/bin/sh
# The pre-commit hook as a user meets it: a throwaway git repository holding a
# broken stack runs Debian's `pre-commit try-repo <this repo> obslint-system`.
# It must fail with obslint's findings, be skipped when only unrelated files
# change (the hook's `files:` pattern), and pass once the stack is fixed.
# try-repo clones this repository, so it tests the committed
# .pre-commit-hooks.yaml. Installs pre-commit with apt-get when missing;
# skips (77) only when that is impossible. Needs no network otherwise.
set -u
bin=$(readlink -f "$1")
src=$(readlink -f "${OBSLINT_SOURCE_DIR:-$(dirname "$0")/../..}")

if ! command -v pre-commit >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo -n"; fi
  echo "installing pre-commit (Debian package)"
  { $sudo apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends pre-commit
  } >/dev/null 2>&1
  command -v pre-commit >/dev/null 2>&1 || { echo "SKIP: pre-commit not installable"; exit 77; }
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Nothing may touch the user's pre-commit cache, git config or home.
export PRE_COMMIT_HOME="$tmp/pre-commit-home"
export HOME="$tmp/home"
export XDG_CACHE_HOME="$tmp/cache"
export GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=obslint-test GIT_AUTHOR_EMAIL=test@example.invalid
export GIT_COMMITTER_NAME=obslint-test GIT_COMMITTER_EMAIL=test@example.invalid
export NO_COLOR=1
mkdir -p "$HOME" "$tmp/bin"
ln -s "$bin" "$tmp/bin/obslint"
export PATH="$tmp/bin:$PATH"
# A fresh CI clone is owned by root, the runner may not be: let git read it.
git config --global --add safe.directory '*'

repo=$tmp/repo
mkdir -p "$repo/grafana/provisioning/datasources"
cd "$repo" || exit 1
git init -q .
git config user.name obslint-test
git config user.email test@example.invalid
git config commit.gpgsign false

# Broken: a duplicate key (OBS102) and an undeclared network (OBS202). The
# image is one obslint knows nothing about, so only these two rules speak.
cat > compose.yaml <<'EOF'
services:
  app:
    image: registry.example.invalid/app:1.0
    image: registry.example.invalid/app:1.1
    networks: [monitoring]
    mem_limit: 256m
EOF
echo "# stack" > README.md
git add compose.yaml README.md
git commit -q -m broken

fail=0
# Every hook of the manifest is valid, the image and source hooks included
# (tests/e2e/container.sh runs the image hook through podman; the source hook
# needs a registry for its Debian build stage).
if ! pre-commit validate-manifest "$src/.pre-commit-hooks.yaml" > "$tmp/out" 2>&1; then
  echo "FAIL: .pre-commit-hooks.yaml is not a valid manifest"
  cat "$tmp/out"
  fail=1
fi
for id in obslint obslint-system obslint-source; do
  grep -q "^-   id: $id\$" "$src/.pre-commit-hooks.yaml" || { echo "FAIL: no hook $id"; fail=1; }
done
try() {  # try ARGS...: runs the hook, output in $tmp/out, status in $status
  status=0
  pre-commit try-repo "$src" obslint-system --color never "$@" > "$tmp/out" 2>&1 || status=$?
}

try --all-files
if [ "$status" -eq 0 ]; then
  echo "FAIL: hook passed on a broken stack"
  fail=1
fi
for code in OBS102 OBS202; do
  grep -q "compose.yaml:[0-9]*:[0-9]*: error: .*\[$code\]" "$tmp/out" ||
    { echo "FAIL: hook output lacks the $code finding"; fail=1; }
done
grep -q '^obslint\.*Failed' "$tmp/out" || { echo "FAIL: hook not reported as Failed"; fail=1; }
[ -z "${VERBOSE:-}" ] || cat "$tmp/out"
[ $fail -eq 0 ] || { cat "$tmp/out"; exit 1; }

# Only an unrelated file staged: `files:` keeps the hook from running.
echo "more" >> README.md
git add README.md
try
if [ "$status" -ne 0 ] || ! grep -q '^obslint\.*(no files to check)Skipped' "$tmp/out"; then
  echo "FAIL: hook ran (or failed) although no stack file changed"
  cat "$tmp/out"
  exit 1
fi
git commit -q -m readme

# Fixed: the hook passes.
cat > compose.yaml <<'EOF'
services:
  app:
    image: registry.example.invalid/app:1.1
    networks: [monitoring]
    mem_limit: 256m
networks:
  monitoring: {}
EOF
git add compose.yaml
git commit -q -m fixed
try --all-files
if [ "$status" -ne 0 ] || ! grep -q '^obslint\.*Passed' "$tmp/out"; then
  echo "FAIL: hook did not pass on the fixed stack (exit $status)"
  cat "$tmp/out"
  exit 1
fi
echo "precommit: try-repo fails on the broken stack, skips unrelated changes, passes when fixed"
