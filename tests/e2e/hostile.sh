#!/bin/sh
# Hostile inputs, generated at test time: each must give a finding or exit 2
# with a clear message -- never a crash, a hang or exit 3 -- and stay under
# 256 MiB of memory and 10 s (sanitizer builds: their own, larger bounds).
set -u
bin=$(readlink -f "$1")
work=$(mktemp -d)
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT
pass=0
fail=0
# Sanitizer builds inflate memory (shadow memory); the 256 MiB bound applies
# to normal builds only.
limit=262144
seconds=10
if grep -q __asan_init "$bin" 2>/dev/null; then limit=4194304; seconds=120; fi

# check NAME EXPECTED_CODES PATTERN DIR [ARGS...]: runs obslint in DIR.
check() {
  name=$1; codes=$2; pattern=$3; dir=$4; shift 4
  if [ -x /usr/bin/time ]; then
    out=$(cd "$dir" && timeout "$seconds" /usr/bin/time -f 'MAXRSS %M' "$bin" --color never "$@" 2>&1)
  else
    out=$(cd "$dir" && timeout "$seconds" "$bin" --color never "$@" 2>&1)
  fi
  code=$?
  rss=$(printf '%s\n' "$out" | sed -n 's/^MAXRSS \([0-9]*\)$/\1/p')
  ok=1
  case " $codes " in *" $code "*) ;; *) ok=0; echo "FAIL $name: exit $code (want $codes)";; esac
  if ! printf '%s\n' "$out" | grep -q -- "$pattern"; then ok=0; echo "FAIL $name: output lacks '$pattern'"; fi
  if [ -n "$rss" ] && [ "$rss" -gt "$limit" ]; then ok=0; echo "FAIL $name: peak RSS ${rss} KiB > 256 MiB"; fi
  if [ $ok = 1 ]; then pass=$((pass + 1)); echo "ok   $name (exit $code${rss:+, ${rss} KiB})"; else fail=$((fail + 1)); printf '%s\n' "$out" | head -8; fi
}

new() { d=$work/$1; mkdir -p "$d"; echo "$d"; }

# Billion laughs: aliases are shared, never expanded.
d=$(new bomb)
{
  echo 'x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
  prev=a
  for n in b c d e f g h i; do
    printf 'x-%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n' $n $n $prev $prev $prev $prev $prev $prev $prev $prev $prev
    prev=$n
  done
  echo 'services:'
  echo '  app:'
  echo '    image: nginx:1.25'
  echo '    labels: *i'
  echo '    environment:'
  echo '      <<: {A: "1"}'
} > "$d/compose.yaml"
check alias-bomb "0 1" "" "$d" .

# 10,000-deep nesting: refused before the parser's recursion gets deep.
d=$(new deep)
{ echo 'services:'; echo '  app:'; echo '    image: nginx:1.25'; printf '    labels: '; i=0; while [ $i -lt 10000 ]; do printf '['; i=$((i+1)); done; i=0; while [ $i -lt 10000 ]; do printf ']'; i=$((i+1)); done; echo; } > "$d/compose.yaml"
check deep-nesting "1" "OBS101" "$d" .

d=$(new deepmap)
{ echo 'services:'; i=0; ind=''; while [ $i -lt 3000 ]; do echo "${ind}  k$i:"; ind="$ind "; i=$((i+1)); done; } > "$d/compose.yaml"
check deep-block-nesting "1" "OBS101" "$d" .

# 100 MB config: over the size cap, never read into memory.
d=$(new huge)
printf 'services:\n  app:\n    image: nginx:1.25\n    env_file: big.env\n' > "$d/compose.yaml"
head -c 104857600 /dev/zero | tr '\0' 'A' > "$d/big.env"
check huge-file "1" "too large" "$d" .

# Invalid UTF-8, binary, empty.
d=$(new utf8)
printf 'services:\n  app:\n    image: "nginx:1.25\377\376"\n' > "$d/compose.yaml"
check invalid-utf8 "1" "not valid UTF-8" "$d" .
d=$(new binary)
printf 'services:\n  app:\n    image: nginx:1.25\n    env_file: blob.env\n' > "$d/compose.yaml"
head -c 4096 /dev/urandom > "$d/blob.env"; printf '\0' >> "$d/blob.env"
check binary-file "1" "OBS10" "$d" .
d=$(new empty)
: > "$d/compose.yaml"
check empty-file "0 1" "" "$d" .

# Symlink loop, symlink and bind mount pointing outside the root.
d=$(new loop)
ln -s b "$d/a"; ln -s a "$d/b"
printf 'services:\n  app:\n    image: nginx:1.25\n    env_file: a\n' > "$d/compose.yaml"
check symlink-loop "1" "symbolic link loop" "$d" .
d=$(new outside)
mkdir -p "$work/secret"; echo 'TOKEN=x' > "$work/secret/.env"
ln -s ../secret/.env "$d/linked.env"
printf 'services:\n  app:\n    image: nginx:1.25\n    env_file: linked.env\n' > "$d/compose.yaml"
check symlink-outside "1" "outside the stack root" "$d" .
d=$(new outside-mount)
mkdir -p "$work/elsewhere"; printf 'receivers: {}\n' > "$work/elsewhere/config.yaml"
printf 'services:\n  otel:\n    image: otel/opentelemetry-collector-contrib:0.92.0\n    command: ["--config=/etc/otel/config.yaml"]\n    volumes:\n      - ../elsewhere:/etc/otel:ro\n' > "$d/compose.yaml"
check mount-outside "0 1" "" "$d" .
if printf '%s' "$(cd "$d" && "$bin" --format json . 2>&1)" | grep -q '"elsewhere/config.yaml'; then
  fail=$((fail + 1)); echo "FAIL mount-outside: a file outside the root was read"
fi

# FIFO and device files are never opened (opening a FIFO would hang).
d=$(new fifo)
mkfifo "$d/pipe.env"
printf 'services:\n  app:\n    image: nginx:1.25\n    env_file: [pipe.env, /dev/zero]\n' > "$d/compose.yaml"
check fifo "1" "not a regular file" "$d" .

# Permission denied (meaningless as root: root reads everything).
if [ "$(id -u)" -ne 0 ]; then
  d=$(new perm)
  printf 'A=1\n' > "$d/locked.env"; chmod 000 "$d/locked.env"
  printf 'services:\n  app:\n    image: nginx:1.25\n    env_file: locked.env\n' > "$d/compose.yaml"
  check permission-denied "1" "permission denied" "$d" .
fi

# 10,000 services.
d=$(new many)
{ echo 'services:'; i=0; while [ $i -lt 10000 ]; do printf '  s%d:\n    image: nginx:1.25\n    depends_on: [s%d]\n' $i $(( (i + 1) % 10000 )); i=$((i+1)); done; } > "$d/compose.yaml"
check ten-thousand-services "1" "OBS208" "$d" .

# A compose file that includes itself.
d=$(new include)
printf 'include:\n  - compose.yaml\nservices:\n  app:\n    image: nginx:1.25\n' > "$d/compose.yaml"
check self-include "0 1" "" "$d" .

# Bad command lines: exit 2 with a message.
check missing-path "2" "no such file" "$work" does-not-exist
d=$(new nostack)
check no-stack "2" "no compose file" "$d" .
check bad-format "2" "format" "$work" --format xml .

echo "hostile: $pass passed, $fail failed"
[ $fail -eq 0 ]
