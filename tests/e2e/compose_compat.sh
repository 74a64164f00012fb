#!/bin/sh
# obslint's Compose model equals docker-compose's on the fixtures where
# docker-compose v1 (1.29) supports the feature: extends (same file, file:,
# chains), -f/override merges, COMPOSE_FILE and COMPOSE_PROFILES from .env,
# --env-file, --profile, and which services start. !reset/!override and
# include (not in v1) are pinned by the golden compose-config outputs in
# tests/stacks/compose-reset-override and compose-include, per the Compose
# Specification. Skips (77) when docker-compose v1 is not installed.
set -u
bin=$(readlink -f "$1")
src=$(readlink -f "${OBSLINT_SOURCE_DIR:-$(dirname "$0")/../..}")
py=/usr/bin/python3
if [ ! -x /usr/bin/docker-compose ] || [ ! -x "$py" ]; then
  echo "skipped: /usr/bin/docker-compose (v1) not installed"
  exit 77
fi
exec "$py" "$src/tests/e2e/compose_compat.py" "$bin" "$src"
