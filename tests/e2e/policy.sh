#!/bin/sh
# The seed stack with a policy that enables self-hosted PostHog (and so Umami):
# OBS901 and OBS902 disappear; without the policy both are reported.
set -u
bin=$(readlink -f "${1:?usage: policy.sh OBSLINT}")
src=${OBSLINT_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -d "$src/examples/observability" ] || exit 77
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R "$src/examples/observability" "$tmp/stack"
mkdir "$tmp/.git"  # stop the upward .obslint.yaml search here
before=$(cd "$tmp" && "$bin" --color never --select OBS9 stack 2>&1)
echo "$before" | grep -q '\[OBS901\]' || { echo "FAIL: no OBS901 without a policy"; echo "$before"; exit 1; }
cat > "$tmp/stack/.obslint.yaml" <<'YAML'
policy:
  analytics:
    enabled: true
    types: [web, product]
    provider: posthog
    hosting: self-hosted
YAML
after=$(cd "$tmp" && "$bin" --color never --select OBS9 stack 2>&1)
rc=$?
if echo "$after" | grep -q '\[OBS90[12]\]'; then
  echo "FAIL: OBS901/OBS902 with a policy enabling self-hosted PostHog:"; echo "$after"; exit 1
fi
[ "$rc" = 0 ] || { echo "FAIL: exit $rc"; echo "$after"; exit 1; }
echo "ok"
