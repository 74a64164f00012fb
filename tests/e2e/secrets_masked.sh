#!/bin/sh
# No output format may print a secret value. Lints tests/e2e/secrets (secrets
# in compose literals, ${VAR:-default}, .env, env_file, URL userinfo and
# Grafana provisioning) with every rule in every format and fails with the
# leaked string if one appears.
set -u
bin=$(readlink -f "${1:?usage: secrets_masked.sh OBSLINT}")
src=${OBSLINT_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
dir=$src/tests/e2e/secrets
secrets="admin Gr4fanaDbPassw0rdLeak S3cretPgPasswordLeak UrlPassw0rdLeak change-me-in-production-leak
your-api-token-here-leak SmtpPassw0rdLeak EnvFileSecretValueLeak changeme-web-leak DatasourcePassw0rdLeak
LokiUrlPassw0rdLeak your-password-here SlackHookTokenLeak CpUrlPassw0rdLeak WebhookPassw0rdLeak
PagerDutyKeyLeak TelegramB0tTokenLeak your-token-here-leak IniAdminPassw0rdLeak changeme-ini-leak
IniDbPassw0rd IniUrlPassw0rdLeak IniSmtpPassw0rdLeak"
status=0
for format in text json sarif github markdown; do
  out=$(cd "$dir" && "$bin" --color never --format "$format" . 2>&1)
  rc=$?
  if [ "$rc" -gt 1 ]; then
    echo "FAIL: --format $format exited $rc"
    printf '%s\n' "$out"
    status=1
    continue
  fi
  for s in $secrets; do
    if [ "$s" = admin ]; then
      # "admin" is also a user name; only `=admin`/`: admin` as a value is a
      # leak. SARIF embeds the rule docs, whose examples show it: skip there.
      [ "$format" = sarif ] && continue
      if printf '%s\n' "$out" | grep -Eq 'PASSWORD=admin|PASSWORD: ?admin'; then
        echo "FAIL: --format $format prints the secret value \"admin\""
        printf '%s\n' "$out" | grep -E 'PASSWORD=admin|PASSWORD: ?admin' | head -3
        status=1
      fi
      continue
    fi
    if printf '%s\n' "$out" | grep -Fq -- "$s"; then
      echo "FAIL: --format $format prints the secret \"$s\":"
      printf '%s\n' "$out" | grep -F -- "$s" | head -3
      status=1
    fi
  done
done
[ "$status" = 0 ] && echo "ok: no secret in any format"
exit "$status"
