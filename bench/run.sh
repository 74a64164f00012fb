#!/bin/sh
# Benchmarks obslint beside its peers with hyperfine, in one run:
#   - examples/observability: obslint (all rules, SARIF), dclint (npm, single
#     compose file linter), docker-compose config -q (Debian, v1)
#   - obslint alone on every stack of ../shared/corpus, one call
#   - 1,000 stacks in one call with --jobs 1 and --jobs 2
#   - a generated 3 MB compose file
# Peers are installed on first use into bench/.cache (npm) or with apt-get.
# Usage: sh bench/run.sh [path/to/obslint]   (default build/obslint)
set -eu
cd "$(dirname "$0")/.."
bin=$(readlink -f "${1:-build/obslint}")
cache=bench/.cache
mkdir -p "$cache"
command -v hyperfine >/dev/null || OBSLINT_EXTRA_PACKAGES="hyperfine" sh scripts/deps.sh
command -v docker-compose >/dev/null || OBSLINT_EXTRA_PACKAGES="docker-compose" sh scripts/deps.sh || true
if [ ! -x "$cache/node_modules/.bin/dclint" ] && command -v npm >/dev/null; then
  npm install --silent --prefix "$cache" dclint >/dev/null 2>&1 || true
fi
dclint=$(readlink -f "$cache/node_modules/.bin/dclint" 2>/dev/null || true)
seed=examples/observability
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "obslint: $("$bin" --version)"
[ -n "$dclint" ] && echo "dclint: $("$dclint" --version 2>/dev/null | head -1)"
command -v docker-compose >/dev/null && echo "docker-compose: $(docker-compose version --short 2>/dev/null)"

set -- hyperfine --warmup 3 --min-runs 20 -N --ignore-failure --export-markdown "$work/seed.md" \
  -n "obslint (all rules, SARIF)" "$bin --format sarif $seed"
[ -n "$dclint" ] && set -- "$@" -n "dclint (compose file only)" "$dclint $seed/docker-compose.yml"
command -v docker-compose >/dev/null && set -- "$@" -n "docker-compose config -q" \
  "docker-compose --project-directory $seed -f $seed/docker-compose.yml config -q"
"$@"

if [ -d ../shared/corpus ]; then
  hyperfine --warmup 2 --min-runs 10 -N --ignore-failure --export-markdown "$work/corpus.md" \
    -n "obslint, $(ls ../shared/corpus | wc -l) corpus stacks, one call" "$bin --jobs 2 $(ls -d ../shared/corpus/*/ | tr '\n' ' ')"
fi

# 1,000 stacks: copies of the seed stack.
for i in $(seq 1 1000); do cp -r "$seed" "$work/s$i"; done
hyperfine --warmup 1 --min-runs 5 -N --ignore-failure --export-markdown "$work/thousand.md" \
  -n "1,000 stacks, --jobs 1" "$bin --jobs 1 --format json --output /dev/null $(for i in $(seq 1 1000); do printf '%s ' "$work/s$i"; done)" \
  -n "1,000 stacks, --jobs 2" "$bin --jobs 2 --format json --output /dev/null $(for i in $(seq 1 1000); do printf '%s ' "$work/s$i"; done)"

# 3 MB compose file.
mkdir -p "$work/big"
{
  echo "services:"
  i=0
  while [ $i -lt 22500 ]; do
    printf '  svc%d:\n    image: "nginx:1.25"\n    environment:\n      A: "%d"\n    ports: ["%d:80"]\n    networks: [n]\n    volumes: ["d%d:/data"]\n' $i $i $((10000 + i)) $((i % 10))
    i=$((i + 1))
  done
  echo "networks: {n: {}}"
  echo "volumes:"
  for v in 0 1 2 3 4 5 6 7 8 9; do echo "  d$v: {}"; done
} > "$work/big/compose.yaml"
echo "generated compose file: $(wc -c < "$work/big/compose.yaml") bytes"
hyperfine --warmup 1 --min-runs 5 -N --ignore-failure --export-markdown "$work/big.md" \
  -n "3 MB compose file" "$bin --format json --output /dev/null $work/big"

echo; echo "peak memory (KiB):"
for args in "--format sarif $seed" "--format json --output /dev/null $work/big"; do
  /usr/bin/time -f "  %M  obslint $args" "$bin" $args >/dev/null 2>"$work/t" || true
  tail -1 "$work/t"
done
echo
cat "$work"/seed.md "$work"/corpus.md "$work"/thousand.md "$work"/big.md 2>/dev/null
