#!/bin/sh
# The static binary (-DOBSLINT_STATIC=ON, as scripts/test.sh builds it):
#  - `file` and `ldd` say it is statically linked, and it has no program
#    interpreter and no dynamic section;
#  - it runs in an empty root (chroot into a directory holding only the
#    binary and the example stack: no /lib, /etc, /proc, /tmp, /dev) and prints exactly the
#    golden output of tests/stacks/seed (the output every build must give,
#    the dynamic Meson build included), and the same JSON, SARIF, GitHub and
#    Markdown reports and stack graph as outside the empty root.
# Skips (77) when the binary is dynamic (another build configuration) or
# when this machine lets no one enter a root directory (no root, no user
# namespaces); tests/e2e/container.sh runs it in an empty image as well.
set -u
bin=$(readlink -f "$1")
src=$(readlink -f "${OBSLINT_SOURCE_DIR:-$(dirname "$0")/../..}")

if readelf -l "$bin" 2>/dev/null | grep -q 'INTERP'; then
  echo "SKIP: $bin is dynamically linked; configure with -DOBSLINT_STATIC=ON (scripts/test.sh does)"
  exit 77
fi

fail=0
check() {  # check DESCRIPTION COMMAND...
  what=$1
  shift
  if "$@"; then :; else
    echo "FAIL: $what"
    fail=1
  fi
}

# --- what the tools say ---------------------------------------------------
if command -v file >/dev/null 2>&1; then
  what=$(file -b "$bin")
  echo "file: $what"
  case $what in
    *"statically linked"* | *"static-pie linked"*) ;;
    *) echo "FAIL: file does not say statically linked"; fail=1 ;;
  esac
else
  echo "note: file(1) not installed; readelf and ldd decide"
fi
ldd_out=$(ldd "$bin" 2>&1)
echo "ldd: $ldd_out"
case $ldd_out in
  *"not a dynamic executable"* | *"statically linked"*) ;;
  *) echo "FAIL: ldd lists shared libraries"; fail=1 ;;
esac
check "readelf: no dynamic section" sh -c "readelf -d '$bin' 2>&1 | grep -q 'There is no dynamic section'"

# --- an empty root ---------------------------------------------------------
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
root=$tmp/root
mkdir -p "$root/examples"
cp "$bin" "$root/obslint"
cp -R "$src/examples/observability" "$root/examples/observability"
# Outside the root: the same layout. Both runs name the stack
# examples/observability from the top directory (chroot starts in /).
out=$tmp/outside
mkdir -p "$out/examples"
cp -R "$src/examples/observability" "$out/examples/observability"

# in_root ARGS...: the binary run with / = $root (chroot needs root; others
# enter a user namespace where they are root).
if [ "$(id -u)" -eq 0 ]; then
  in_root() { chroot "$root" /obslint "$@"; }
else
  in_root() { unshare --user --map-root-user --root="$root" /obslint "$@"; }
fi
probe=$(in_root --version 2>&1)
case $probe in
  "obslint "*) ;;
  chroot:* | unshare:*) echo "SKIP: cannot enter an empty root here: $probe"; exit 77 ;;
  *) echo "FAIL: the static binary does not run in an empty root: $probe"; exit 1 ;;
esac
check "nothing but the binary and the stack in the root" \
  [ "$(cd "$root" && find . ! -type d ! -path './examples/*' | LC_ALL=C sort)" = "./obslint" ]

# The golden output of the example (tests/stacks/seed runs it as
# ../../../examples/observability; here it is examples/observability).
args=examples/observability
golden_args=$(cat "$src/tests/stacks/seed/args")
check "the golden test lints ../../../$args (got $golden_args)" [ "$golden_args" = "../../../$args" ]
sed "s|\.\./\.\./\.\./$args|$args|g" "$src/tests/stacks/seed/expected.txt" > "$tmp/expected"
actual=$(NO_COLOR=1 in_root --color never $args 2>&1; echo "exit: $?")
if [ "$actual" != "$(cat "$tmp/expected")" ]; then
  echo "FAIL: in the empty root the example's output differs from tests/stacks/seed/expected.txt"
  printf '%s\n' "$actual" > "$tmp/actual"
  diff -u "$tmp/expected" "$tmp/actual" | head -40
  fail=1
fi

# Every format, and the graph, inside and outside the empty root.
for format in json sarif github markdown; do
  in_root --format "$format" $args > "$tmp/in.$format" 2>&1
  (cd "$out" && "$bin" --format "$format" $args) > "$tmp/out.$format" 2>&1
  if [ "$format" = sarif ]; then
    # The one difference allowed: SARIF's base URI is the working directory.
    sed -i -e "s|file://$out/|file:///|g" "$tmp/out.$format"
  fi
  check "$format: the same report inside and outside the empty root" cmp -s "$tmp/in.$format" "$tmp/out.$format"
  check "$format: not empty" test -s "$tmp/in.$format"
done
in_root graph --format mermaid $args > "$tmp/in.graph" 2>&1
(cd "$out" && "$bin" graph --format mermaid $args) > "$tmp/out.graph" 2>&1
check "graph: the same inside and outside the empty root" cmp -s "$tmp/in.graph" "$tmp/out.graph"
check "graph: not empty" grep -q '^graph' "$tmp/in.graph"

[ $fail -eq 0 ] || exit 1
echo "static: statically linked ($(wc -c < "$bin") bytes); in an empty root the example gives the golden output and the same reports"
