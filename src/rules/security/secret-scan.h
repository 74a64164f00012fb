// Shared by the secret rules OBS801-OBS803 (private to src/rules/security).
// One scan finds every value that holds a secret, with the exact span of the
// secret text, so the three rules agree on what a secret is and never report
// the same value twice, and the text output can mask exactly that span.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "knowledge/knowledge.h"
#include "knowledge/secret_matcher.h"
#include "model/project.h"

namespace obslint::security {

using obslint::SecretMatcher;

enum class Origin {
  kComposeLiteral,  // written in the compose file
  kComposeDefault,  // the default of ${VAR:-default} in the compose file
  kEnvFile,         // an entry of .env or of a service's env_file
  kGrafana,         // Grafana datasource provisioning
  kCollector,       // OpenTelemetry Collector config
  kGrafanaAlerting, // Grafana alerting provisioning: contact point settings
  kGrafanaIni,      // grafana.ini (the value Grafana uses, not overridden by GF_*)
};

// A service variable that takes its value from an env-file entry.
struct Consumer {
  const ComposeService* service = nullptr;
  std::string key;  // the service's variable (GF_SECURITY_ADMIN_PASSWORD)
};

struct SecretValue {
  std::string key;    // variable or config key as the user wrote it
  std::string value;  // the secret text itself (never printed)
  Location loc;       // exactly the secret text
  Origin origin = Origin::kComposeLiteral;
  const ComposeService* service = nullptr;  // compose origins
  std::string variable;                     // kComposeDefault: the ${VARIABLE}
  bool url_password = false;                // the password of a URL's userinfo
  std::vector<Consumer> consumers;          // kEnvFile: who reads the entry
  std::string context;       // kGrafanaAlerting: `contact point "oncall" (slack)`; kGrafanaIni: `[security]`
  std::string setting_env;   // kGrafanaIni: the GF_* variable of the setting
  // Other services the same written value reaches (a YAML anchor or an x-
  // extension merged into each); filled by OnePerPlace.
  std::vector<const ComposeService*> also;
};

// Every secret value of the stack, in file order.
std::vector<SecretValue> CollectSecrets(const Project& project, const SecretMatcher& matcher);

// One value per place it is written: values of several services at the same
// location (an anchor shared by gtweb, gtworker and migrate) become the first
// one, with the others in `also`. Order kept.
std::vector<SecretValue> OnePerPlace(std::vector<SecretValue> values);

// `service "web"`, or `services "web", "worker" and "migrate"` with `also`.
std::string Services(const SecretValue& v);

// The image's default credential that `v` re-states (GF_SECURITY_ADMIN_PASSWORD=admin,
// POSTGRES_PASSWORD=postgres), or nullopt. OBS801 reports these; OBS802/803 skip them.
struct DefaultMatch {
  const ComposeService* service = nullptr;
  std::string display;  // "Grafana"
  Credential credential;
};
std::optional<DefaultMatch> MatchesDefaultCredential(const SecretValue& v, const Project& p,
                                                    const Knowledge& k);

// Human description of where a secret sits: `SECRET_KEY` / `default of ${GLITCHTIP_SECRET_KEY}`.
std::string Describe(const SecretValue& v);

// Values that cannot be secrets even under a secret-like key: booleans,
// numbers, file paths (GF_SECURITY_ADMIN_PASSWORD__FILE-style indirections).
bool LooksLikeNonSecret(std::string_view value);

// Location of `length` bytes at `offset` inside a value whose text starts at
// `value_loc` (single-line, unescaped values only; otherwise `value_loc`).
Location SubSpan(const SourceFile* file, const Location& value_loc, std::string_view raw,
                 size_t offset, size_t length);

}  // namespace obslint::security
