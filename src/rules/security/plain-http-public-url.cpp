// OBS810 plain-http-public-url: the public URL of a UI is http:// to a real host.
//
// Which variable holds the public URL is image knowledge (`public_url_env` in
// knowledge/images/*.yaml: Grafana, GlitchTip, PostHog).
#include <fmt/format.h>

#include "analysis/analysis.h"
#include "analysis/grafana.h"
#include "rules/rules.h"
#include "rules/security/common.h"

namespace obslint {

void CheckPlainHttpPublicUrl(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  for (const ComposeService& s : p.compose.services) {
    const ImageInfo* info = analysis->Image(s).Info();
    if (info == nullptr || info->public_url_env.empty()) continue;
    const std::string& key = info->public_url_env;
    const EnvVar* e = s.Env(key);
    if (info->config_kind == "grafana") {
      // Grafana: root_url of grafana.ini unless the variable overrides it.
      GrafanaSettingValue v = GrafanaSettingForEnv(p, s, key);
      if (v.opaque || !v.IsSet()) continue;
      if (v.from == GrafanaSettingValue::From::kIni) {
        e = nullptr;
        std::string url = v.value;
        if (!security::Lower(url).starts_with("http://")) continue;
        std::string host = security::HostOf(url);
        if (host.empty() || host.find('%') != std::string::npos ||
            security::IsLocalOrPrivateHost(host) || security::IsStackHost(p, host))
          continue;
        r.Report("OBS810", v.loc,
                 fmt::format("{} (service \"{}\") is a plain http:// URL for \"{}\": logins and "
                             "session cookies cross the network unencrypted",
                             DescribeSetting(v), s.name, host),
                 "serve it over HTTPS (a TLS-terminating reverse proxy) and use the https:// URL here");
        continue;
      }
    }
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
                         key, s.name, host),
             "serve it over HTTPS (a TLS-terminating reverse proxy) and use the https:// URL here");
  }
}

}  // namespace obslint
