// OBS802 placeholder-secret: a secret that still holds its placeholder.
#include <fmt/format.h>

#include "model/redact.h"
#include "rules/rules.h"
#include "rules/security/secret-scan.h"

namespace obslint {

void CheckPlaceholderSecret(const Project& p, const Knowledge& k, Reporter& r) {
  using security::Origin;
  const security::SecretMatcher& matcher = security::SecretMatcher::For(k.Secrets());
  // Filtered first (a shared value may be a default credential for one
  // service only), then one finding per place.
  std::vector<security::SecretValue> found;
  for (security::SecretValue& v : security::CollectSecrets(p, matcher)) {
    if (!matcher.IsPlaceholder(v.value)) continue;
    if (security::MatchesDefaultCredential(v, p, k)) continue;  // OBS801 says it better
    found.push_back(std::move(v));
  }
  for (const security::SecretValue& v : security::OnePerPlace(std::move(found))) {
    std::string masked = MaskSecret(v.value);
    std::string message, help;
    switch (v.origin) {
      case Origin::kComposeDefault:
        message = fmt::format(
            "the default of `${{{}}}` in `{}` of {} is a placeholder (\"{}\"); a deploy "
            "without .env runs with it",
            v.variable, v.key, security::Services(v), masked);
        help = fmt::format("drop the default so a missing value stops the deploy "
                           "(`${{{}:?set {}}}`) and set a generated value in .env or a secret",
                           v.variable, v.variable);
        break;
      case Origin::kComposeLiteral:
        message = fmt::format("{} of {} is a placeholder (\"{}\")", security::Describe(v),
                              security::Services(v), masked);
        help = "generate a value (e.g. `openssl rand -hex 32`), keep it in an unversioned .env or a "
               "Compose secret, and reference it as `${VAR:?}`";
        break;
      case Origin::kEnvFile: {
        std::string users;
        for (const auto& c : v.consumers) {
          if (users.find("\"" + c.service->name + "\"") != std::string::npos) continue;
          users += (users.empty() ? "" : ", ") + fmt::format("\"{}\"", c.service->name);
        }
        message = fmt::format("{} is a placeholder (\"{}\"){}", security::Describe(v), masked,
                              users.empty() ? "" : fmt::format(", used by service {}", users));
        help = "replace it with a generated value (e.g. `openssl rand -hex 32`) before deploying";
        break;
      }
      case Origin::kGrafana:
        message = fmt::format("{} of a Grafana datasource is a placeholder (\"{}\")",
                              security::Describe(v), masked);
        help = "set the real credential through an environment variable (`$__env{VAR}` or `${VAR}`)";
        break;
      case Origin::kGrafanaAlerting:
        message = fmt::format("{} is a placeholder (\"{}\")", security::Describe(v), masked);
        help = "set the real credential through an environment variable (`$VAR` / `${VAR}`, which "
               "Grafana expands in provisioning files)";
        break;
      case Origin::kGrafanaIni:
        message = fmt::format("{} is a placeholder (\"{}\"), and {} does not override "
                              "it with `{}`",
                              security::Describe(v), masked, security::Services(v), v.setting_env);
        help = fmt::format("set `{}` from a secret (or read the value with `$__file{{...}}`)",
                           v.setting_env);
        break;
      case Origin::kCollector:
        message = fmt::format("{} in the collector config is a placeholder (\"{}\")",
                              security::Describe(v), masked);
        help = "read the real credential from the environment: `${env:VAR}`";
        break;
    }
    r.Report("OBS802", v.loc, std::move(message), std::move(help));
  }
}

}  // namespace obslint
