// OBS803 hardcoded-secret: a real secret written into the compose file.
#include <fmt/format.h>

#include "model/redact.h"
#include "rules/rules.h"
#include "rules/security/secret-scan.h"

namespace obslint {

void CheckHardcodedSecret(const Project& p, const Knowledge& k, Reporter& r) {
  using security::Origin;
  const security::SecretMatcher& matcher = security::SecretMatcher::For(k.Secrets());
  // Filtered first (a shared value may be a default credential for one
  // service only), then one finding per place.
  std::vector<security::SecretValue> found;
  for (security::SecretValue& v : security::CollectSecrets(p, matcher)) {
    if (v.origin != Origin::kComposeLiteral && v.origin != Origin::kComposeDefault &&
        v.origin != Origin::kGrafanaAlerting)
      continue;
    if (matcher.IsPlaceholder(v.value) || security::MatchesDefaultCredential(v, p, k)) continue;
    found.push_back(std::move(v));
  }
  for (const security::SecretValue& v : security::OnePerPlace(std::move(found))) {
    std::string weak = matcher.IsWeak(v.value) ? ", and it is easy to guess" : "";
    std::string masked = MaskSecret(v.value);
    std::string message, help;
    if (v.origin == Origin::kGrafanaAlerting) {
      // Contact point settings: the provisioning file is in version control.
      message = fmt::format("{} is a literal secret (\"{}\") in an alerting provisioning file{}",
                            security::Describe(v), masked, weak);
      help = "write `${VAR}` instead (Grafana expands environment variables in provisioning files) "
             "and pass VAR to the Grafana service from an unversioned .env or a secret; rotate "
             "the secret, it is in version control";
    } else if (v.origin == Origin::kComposeDefault) {
      message = fmt::format(
          "{} of {} is a literal secret (\"{}\") in the compose file{}; a deploy "
          "without .env uses it",
          security::Describe(v), security::Services(v), masked, weak);
      help = fmt::format("drop the default (`${{{}:?}}`) and set the value in an unversioned .env "
                         "or a Compose secret; rotate it, it is in version control",
                         v.variable);
    } else if (v.url_password) {
      message = fmt::format("{} of {} is a literal password (\"{}\") in the compose "
                            "file{}",
                            security::Describe(v), security::Services(v), masked, weak);
      help = "build the URL from a variable (`postgres://user:${DB_PASSWORD}@host/db`) set in an "
             "unversioned .env or a Compose secret; rotate the password, it is in version control";
    } else {
      message = fmt::format("`{}` of {} is a literal secret (\"{}\") in the compose "
                            "file{}",
                            v.key, security::Services(v), masked, weak);
      help = fmt::format("reference it as `${{{}:?}}` and set it in an unversioned .env or a "
                         "Compose secret (or `{}_FILE` where the image supports it); rotate it, "
                         "it is in version control",
                         v.key, v.key);
    }
    r.Report("OBS803", v.loc, std::move(message), std::move(help));
  }
}

}  // namespace obslint
