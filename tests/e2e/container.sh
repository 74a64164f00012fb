#!/bin/sh
# The published image, built here from this build's static binary with
# podman exactly as the release builds it (packaging/Containerfile, FROM
# scratch; nothing is pulled), then used the three ways users meet it:
#  1. `podman run --rm -v <stack>:/src:ro,Z -w /src <image> .` gives the same
#     findings and exit status as the binary (and as any user, not only root);
#  2. the GitHub Action: the container started as the runner starts a Docker
#     action (workspace and file-command mounts, INPUT_* with hyphens, the
#     `args` of action.yml) annotates, writes SARIF, summary and outputs;
#  3. the pre-commit `obslint` hook (language: docker_image) with `docker`
#     pointing at podman: fails on a broken stack, passes once it is fixed.
# The image must stay under 10 MB and hold nothing but the binary.
#
# podman runs with its own configuration and storage under a temporary
# directory, so the test neither needs nor changes /etc/containers or the
# machine's images. Its containers.conf sets `default_ulimits = []`: Debian's
# default raises RLIMIT_NOFILE, which fails inside VMs and containers that
# cap it. Skips (77) only when podman is not installed or the binary is not
# static (another build configuration); a podman that is installed but
# cannot build or run the image fails the test.
set -u
bin=$(readlink -f "$1")
src=$(readlink -f "${OBSLINT_SOURCE_DIR:-$(dirname "$0")/../..}")

if readelf -l "$bin" 2>/dev/null | grep -q 'INTERP'; then
  echo "SKIP: $bin is dynamically linked; the FROM scratch image needs the static build (-DOBSLINT_STATIC=ON, as scripts/test.sh configures)"
  exit 77
fi
podman=$(command -v podman || true)
if [ -z "$podman" ]; then
  echo "SKIP: podman not found (Debian package podman; .ci/run installs it); the image was not built or run"
  exit 77
fi

version=$("$bin" --version | sed -n 's/^obslint //p')
case $(uname -m) in
  x86_64 | amd64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) arch=$(uname -m) ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/obslint-container.XXXXXX")
cat > "$tmp/containers.conf" <<'EOF'
[containers]
default_ulimits = []
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
export CONTAINERS_CONF="$tmp/containers.conf"
pod() {
  "$podman" --root "$tmp/storage" --runroot "$tmp/run" --storage-driver vfs "$@"
}
cleanup() {
  pod rm -a -f >/dev/null 2>&1
  pod rmi -a -f >/dev/null 2>&1
  # Rootless podman stores files under subordinate ids.
  if [ "$(id -u)" -ne 0 ]; then pod unshare rm -rf "$tmp/storage" >/dev/null 2>&1; fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

fail=0
check() {  # check DESCRIPTION COMMAND...
  what=$1
  shift
  if "$@"; then :; else
    echo "FAIL: $what"
    fail=1
  fi
}

# --- the image -------------------------------------------------------------
image=localhost/obslint-test:$version
mkdir -p "$tmp/context"
# Stripped, as the release ships it (.github/workflows/release.yml).
strip -o "$tmp/context/obslint-linux-$arch" "$bin" 2>/dev/null || cp "$bin" "$tmp/context/obslint-linux-$arch"
if ! pod build --quiet --network none -f "$src/packaging/Containerfile" \
     --build-arg "TARGETARCH=$arch" --build-arg "VERSION=$version" -t "$image" "$tmp/context" \
     > "$tmp/build.log" 2>&1; then
  echo "FAIL: podman build"
  cat "$tmp/build.log"
  exit 1
fi
size=$(pod image inspect --format '{{.Size}}' "$image")
echo "image: $image, $size bytes (binary $(wc -c < "$tmp/context/obslint-linux-$arch") bytes stripped)"
check "image under 10 MB (got $size bytes)" [ "$size" -lt 10000000 ]
cid=$(pod create "$image")
pod export "$cid" | tar -tvf - > "$tmp/layers" 2>&1
pod rm "$cid" >/dev/null
files=$(grep -v '^d' "$tmp/layers" | awk '{ print $NF }' | LC_ALL=C sort | tr '\n' ' ')
check "the image holds only the binary (got: $files)" [ "$files" = "usr/local/bin/obslint " ]
check "image version label" \
  [ "$(pod image inspect --format '{{index .Labels "org.opencontainers.image.version"}}' "$image")" = "$version" ]

# run_image OUTFILE PODMAN-RUN-ARGS... -- OBSLINT-ARGS: status in $status.
run_image() {
  outfile=$1
  shift
  status=0
  pod run --rm --network none "$@" > "$outfile" 2> "$tmp/stderr" || status=$?
}

# --- 1. the image lints like the binary ---------------------------------------
stack=$tmp/stack
cp -R "$src/examples/observability" "$stack"
want_status=0
(cd "$stack" && "$bin" .) > "$tmp/binary.txt" 2>&1 || want_status=$?
check "binary: the example has findings (exit $want_status)" [ "$want_status" -eq 1 ]
run_image "$tmp/image.txt" -v "$stack:/src:ro,Z" -w /src "$image" .
if [ "$status" -ne "$want_status" ]; then
  echo "FAIL: image exit $status, binary exit $want_status"
  cat "$tmp/stderr"
  fail=1
fi
check "image: the same findings as the binary" cmp -s "$tmp/image.txt" "$tmp/binary.txt"
[ $fail -eq 0 ] || diff -u "$tmp/binary.txt" "$tmp/image.txt" | head -30
(cd "$stack" && "$bin" --format json .) > "$tmp/binary.json" 2>&1
run_image "$tmp/image.json" -v "$stack:/src:ro,Z" -w /src --user 65534:65534 "$image" --format json .
check "image as an unprivileged user: the same JSON report (exit $status)" cmp -s "$tmp/image.json" "$tmp/binary.json"

# --- 2. the GitHub Action, started as the runner starts it --------------------
# action.yml's `args:` list, one item a line.
action_args=$(awk '
  /^runs:/ { runs = 1; next }
  runs && /^[^ #]/ { runs = 0 }
  runs && /^  args:/ { args = 1; next }
  args && /^    - / { sub(/^    - /, ""); print; next }
  args && /^  [^ ]/ { args = 0 }
' "$src/action.yml")
check "action.yml passes args (got \"$action_args\")" [ -n "$action_args" ]
ws=$tmp/workspace
fc=$tmp/file_commands
cp -R "$src/examples/observability" "$ws"
mkdir -p "$fc"
: > "$fc/step_summary"
: > "$fc/output"
(cd "$ws" && "$bin" --color never --format github .) > "$tmp/all.github"
total=$(grep -c '^::' "$tmp/all.github")
# shellcheck disable=SC2086  # one argument a line
run_image "$tmp/action.log" --workdir /github/workspace \
  -v "$ws:/github/workspace:Z" -v "$fc:/github/file_commands:Z" \
  -e GITHUB_ACTIONS=true -e GITHUB_WORKSPACE=/github/workspace \
  -e GITHUB_STEP_SUMMARY=/github/file_commands/step_summary -e GITHUB_OUTPUT=/github/file_commands/output \
  -e INPUT_PATH=. -e INPUT_CONFIG= -e 'INPUT_FAIL-LEVEL=warning' -e INPUT_ANNOTATIONS=true \
  -e 'INPUT_SARIF-FILE=reports/obslint.sarif' -e INPUT_SUMMARY=true -e INPUT_ARGS= \
  "$image" $action_args
cat "$tmp/stderr" >> "$tmp/action.log"
check "action: exit 1 at fail-level warning on the example (got $status)" [ "$status" -eq 1 ]
check "action: findings output = $total" grep -qx "findings=$total" "$fc/output"
check "action: sarif-file output" grep -qx "sarif-file=reports/obslint.sarif" "$fc/output"
check "action: SARIF written in the workspace" grep -q '"results"' "$ws/reports/obslint.sarif"
annotations=$(grep -c -E '^::(error|warning|notice) file=' "$tmp/action.log")
check "action: annotations capped at 10 per type (got $annotations)" \
  [ "$annotations" -ge 1 -a "$annotations" -le 30 ]
if [ "$total" -gt 10 ]; then
  check "action: cap notice" grep -q '^::notice title=obslint findings not annotated::' "$tmp/action.log"
fi
check "action: summary has the table" grep -q '^| Severity | Code | Location | Message |' "$fc/step_summary"
check "action: summary has the stack graph" grep -q '^```mermaid' "$fc/step_summary"
check "action: report in a log group" grep -q '^::group::obslint: ' "$tmp/action.log"

# --- 3. the pre-commit hook that runs the published image ---------------------
precommit_skipped=""
if ! command -v pre-commit >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo -n"; fi
  { $sudo apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends pre-commit
  } >/dev/null 2>&1
fi
hook_image=$(sed -n 's/^ *entry: \(ghcr\.io\/[^ ]*\)$/\1/p' "$src/.pre-commit-hooks.yaml" | head -n 1)
if ! command -v pre-commit >/dev/null 2>&1; then
  precommit_skipped="pre-commit not installable"
elif [ -z "$hook_image" ]; then
  echo "FAIL: no docker_image hook (entry: ghcr.io/...) in .pre-commit-hooks.yaml"
  fail=1
else
  # pre-commit runs `docker run --rm -u UID:GID -v $PWD:/src:rw,Z --workdir
  # /src <entry> [args]`: `docker` here is this test's podman.
  pod tag "$image" "$hook_image"
  mkdir -p "$tmp/shim"
  cat > "$tmp/shim/docker" <<EOF
#!/bin/sh
exec "$podman" --root "$tmp/storage" --runroot "$tmp/run" --storage-driver vfs "\$@"
EOF
  chmod +x "$tmp/shim/docker"
  (
    export PATH="$tmp/shim:$PATH"
    export PRE_COMMIT_HOME="$tmp/pre-commit-home" HOME="$tmp/home" XDG_CACHE_HOME="$tmp/cache"
    export GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1
    export GIT_AUTHOR_NAME=obslint-test GIT_AUTHOR_EMAIL=test@example.invalid
    export GIT_COMMITTER_NAME=obslint-test GIT_COMMITTER_EMAIL=test@example.invalid
    mkdir -p "$HOME" "$tmp/repo"
    git config --global --add safe.directory '*'
    cd "$tmp/repo" || exit 1
    git init -q .
    git config commit.gpgsign false
    printf 'services:\n  app:\n    image: registry.example.invalid/app:1.0\n    image: registry.example.invalid/app:1.1\n    networks: [monitoring]\n    mem_limit: 256m\n' > compose.yaml
    git add compose.yaml
    git commit -q -m broken
    status=0
    pre-commit try-repo "$src" obslint --all-files --color never > "$tmp/hook.txt" 2>&1 || status=$?
    ok=0
    [ "$status" -ne 0 ] || { echo "FAIL: docker_image hook passed on a broken stack"; ok=1; }
    for code in OBS102 OBS202; do
      grep -q "compose.yaml:[0-9]*:[0-9]*: error: .*\[$code\]" "$tmp/hook.txt" ||
        { echo "FAIL: docker_image hook output lacks $code"; ok=1; }
    done
    printf 'services:\n  app:\n    image: registry.example.invalid/app:1.1\n    networks: [monitoring]\n    mem_limit: 256m\nnetworks:\n  monitoring: {}\n' > compose.yaml
    git add compose.yaml
    git commit -q -m fixed
    status=0
    pre-commit try-repo "$src" obslint --all-files --color never >> "$tmp/hook.txt" 2>&1 || status=$?
    [ "$status" -eq 0 ] || { echo "FAIL: docker_image hook failed on the fixed stack"; ok=1; }
    grep -q '^obslint\.*Passed' "$tmp/hook.txt" || { echo "FAIL: docker_image hook not reported Passed"; ok=1; }
    [ $ok -eq 0 ] || cat "$tmp/hook.txt"
    exit $ok
  ) || fail=1
fi

if [ $fail -ne 0 ]; then
  echo "--- action log"
  cat "$tmp/action.log"
  exit 1
fi
if [ -n "$precommit_skipped" ]; then
  echo "SKIP (after the image and action checks passed): pre-commit docker_image hook not run: $precommit_skipped"
  exit 77
fi
echo "container: $image ($size bytes) lints like the binary, runs the action and the pre-commit hook"
