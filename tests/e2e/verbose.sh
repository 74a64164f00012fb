#!/bin/sh
# --verbose says on stderr what the key checks covered and what they skipped
# (and why), and changes nothing on stdout.
set -u
bin=$(readlink -f "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
cat > "$tmp/compose.yaml" <<'Y'
services:
  loki:
    image: grafana/loki:3.1.1
    command: ["-config.file=/etc/loki/loki.yaml"]
    volumes:
      - ./loki.yaml:/etc/loki/loki.yaml:ro
  old-loki:
    image: grafana/loki:2.4.2
    command: ["-config.file=/etc/loki/loki.yaml"]
    volumes:
      - ./loki.yaml:/etc/loki/loki.yaml:ro
Y
printf 'auth_enabled: false\nserver:\n  http_listen_port: 3100\n' > "$tmp/loki.yaml"
(cd "$tmp" && "$bin" --color never . > plain.out 2> plain.err)
(cd "$tmp" && "$bin" --color never -v . > verbose.out 2> verbose.err)
expect() {
  if ! grep -qxF "$1" "$tmp/verbose.err"; then
    echo "FAIL: stderr lacks: $1"
    sed 's/^/  /' "$tmp/verbose.err"
    fail=1
  fi
}
expect "obslint: keys checked: compose.yaml compose (Compose)"
expect "obslint: keys checked: loki.yaml config (Grafana Loki 3.1.1)"
expect "obslint: keys not checked: loki.yaml config (Grafana Loki 2.4.2): the loki key table covers 2.8.0 to 3.7.6, not this version"
if ! cmp -s "$tmp/plain.out" "$tmp/verbose.out"; then
  echo "FAIL: --verbose changed the report"
  fail=1
fi
if [ -s "$tmp/plain.err" ]; then
  echo "FAIL: without --verbose stderr is not empty"
  fail=1
fi
[ $fail -eq 0 ] && echo "verbose: ok"
exit $fail
