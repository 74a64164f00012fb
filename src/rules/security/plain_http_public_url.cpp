// OBS810 plain-http-public-url: the public URL of a UI is http:// to a real host.
//
// source: https://grafana.com/docs/grafana/latest/setup-grafana/configure-grafana/#root_url
// source: https://glitchtip.com/documentation/install (GLITCHTIP_DOMAIN: the public URL, with scheme)
#include <fmt/format.h>

#include "rules/rules.h"
#include "rules/security/common_env.h"

namespace obslint {

void CheckPlainHttpPublicUrl(const Project& p, const Knowledge& k, Reporter& r) {
  struct Setting {
    const char* family;
    const char* key;
  };
  static constexpr Setting kSettings[] = {{"grafana", "GF_SERVER_ROOT_URL"},
                                          {"glitchtip", "GLITCHTIP_DOMAIN"}};
  for (const ComposeService& s : p.compose.services) {
    std::string family = security::FamilyOf(k, s);
    for (const Setting& setting : kSettings) {
      if (family != setting.family) continue;
      const EnvVar* e = s.Env(setting.key);
      if (e == nullptr || !e->has_value) continue;
      // The value the service gets, and where it is written.
      std::string url = e->value.resolved;
      Location loc = e->value_loc;
      if (e->from_file.empty() && e->value.refs.size() == 1 && e->value.raw.starts_with("${")) {
        const std::string& var = e->value.refs[0].name;
        for (const EnvFile& env : p.env_files) {
          if (!env.is_project_env) continue;
          if (const EnvEntry* entry = env.Find(var); entry && entry->value == url) loc = entry->value_loc;
        }
      }
      if (!security::Lower(url).starts_with("http://")) continue;
      std::string host = security::HostOf(url);
      if (host.empty() || host.find('%') != std::string::npos ||
          security::IsLocalOrPrivateHost(host) || security::IsStackHost(p, host))
        continue;
      r.Report("OBS810", loc,
               fmt::format("`{}` of service \"{}\" is a plain http:// URL for \"{}\": logins and "
                           "session cookies cross the network unencrypted",
                           setting.key, s.name, host),
               "serve it over HTTPS (a TLS-terminating reverse proxy) and use the https:// URL here");
    }
  }
}

}  // namespace obslint
