// OBS801 default-credentials: an image's well-known login left in place.
#include <fmt/format.h>

#include "analysis/analysis.h"
#include "analysis/grafana.h"
#include "model/redact.h"
#include "rules/rules.h"
#include "rules/security/secret-scan.h"

namespace obslint {
namespace {

using security::Origin;

Location ServiceLoc(const ComposeService& s) {
  return s.image.text.present ? s.image.text.loc : s.name_loc;
}

// The image reads its settings from a mounted config file or a path set by
// the environment: the password may be set there, so an unset variable proves nothing.
bool MayConfigureElsewhere(const ComposeService& s, const ImageInfo& info) {
  for (const VolumeMount& m : s.volumes) {
    if (!info.default_config_path.empty() && m.target == info.default_config_path) return true;
    if (m.target.ends_with(".ini")) return true;
  }
  if (!info.config_flag.empty() && s.Flag(info.config_flag.substr(info.config_flag.find_first_not_of('-'))))
    return true;
  for (const EnvVar& e : s.environment)
    if (e.key == "GF_PATHS_CONFIG") return true;
  return false;
}

}  // namespace

void CheckDefaultCredentials(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  // Values that re-state a default password, wherever they are written.
  const security::SecretMatcher& matcher = security::SecretMatcher::For(k.Secrets());
  for (const security::SecretValue& v : security::CollectSecrets(p, matcher)) {
    auto m = security::MatchesDefaultCredential(v, p, k);
    if (!m) continue;
    std::string who = m->credential.user.empty() ? "" : fmt::format(" of user `{}`", m->credential.user);
    std::string message;
    switch (v.origin) {
      case Origin::kComposeDefault:
        message = fmt::format(
            "the default of `${{{}}}` in `{}` of service \"{}\" is {}'s well-known default password{} "
            "(\"{}\"); a deploy without .env logs in with it",
            v.variable, v.key, m->service->name, m->display, who, MaskSecret(v.value));
        break;
      case Origin::kEnvFile:
        message = fmt::format(
            "`{}` sets {}'s password{} to its well-known default (\"{}\"), used by service \"{}\"",
            v.key, m->display, who, MaskSecret(v.value), m->service->name);
        break;
      case Origin::kGrafanaIni:
        message = fmt::format(
            "{} keeps {}'s well-known default password{} (\"{}\"), and service \"{}\" does not "
            "override it with `{}`",
            security::Describe(v), m->display, who, MaskSecret(v.value), m->service->name,
            v.setting_env);
        break;
      default:
        message = fmt::format(
            "`{}` of service \"{}\" keeps {}'s well-known default password{} (\"{}\")", v.key,
            m->service->name, m->display, who, MaskSecret(v.value));
        break;
    }
    std::string help = m->credential.help.empty()
                           ? "generate a strong password and pass it through a secret or an unversioned .env"
                           : m->credential.help;
    Finding& f = r.Report("OBS801", v.loc, std::move(message), std::move(help));
    if (v.origin == Origin::kEnvFile) {
      if (const EnvVar* e = m->service->Env(m->credential.password_env); e && e->from_file.empty())
        f.related.push_back({e->value_loc, "the service reads it here"});
    }
  }

  // Credentials that apply because nothing changes them.
  for (const ComposeService& s : p.compose.services) {
    const ImageInfo* info = analysis->Image(s).Info();
    if (!info) continue;
    for (const Credential& c : info->default_credentials) {
      if (c.password_env.empty()) {
        // No setting changes it (Umami's first-start admin): a reminder.
        Severity sev = Severity::kError;
        if (!c.severity.empty()) ParseSeverity(c.severity, sev);
        std::string user = c.user.empty() ? "an administrator" : fmt::format("`{}`", c.user);
        Finding& f = r.Report("OBS801", sev, ServiceLoc(s),
                 fmt::format("service \"{}\": {} creates the login {} with a documented default "
                             "password on first start, and no setting changes it",
                             s.name, info->display, user),
                 c.help.empty() ? "log in once and change the password" : c.help);
        f.span_is_not_a_value = true;
        continue;
      }
      if (!c.unset_means_default) continue;
      // Grafana: the setting may come from grafana.ini as well (one merged view).
      const GrafanaIni* ini = nullptr;
      if (info->config_kind == "grafana") {
        if (!GrafanaConfigKnown(p, s) || GrafanaSettingForEnv(p, s, c.password_env).IsSet()) continue;
        ini = GrafanaIniOf(p, s);
      } else {
        if (s.Env(c.password_env) || s.Env(c.password_env + "__FILE") || s.Env(c.password_env + "_FILE"))
          continue;
        if (MayConfigureElsewhere(s, *info)) continue;
      }
      // Legacy pair that also sets the root login (MinIO: MINIO_ACCESS_KEY/MINIO_SECRET_KEY).
      std::string prefix = c.password_env.substr(0, c.password_env.find('_') + 1);
      if (!prefix.empty() && prefix != "GF_" && s.Env(prefix + "SECRET_KEY")) continue;
      std::string user = c.user.empty() ? "" : fmt::format(" `{}`", c.user);
      std::string unset = ini == nullptr
                              ? fmt::format("does not set `{}`", c.password_env)
                              : fmt::format("sets neither `{}` nor the matching setting of {}",
                                            c.password_env, ini->source->path);
      Finding& f = r.Report("OBS801", ServiceLoc(s),
               fmt::format("service \"{}\" {}, so {} starts with its default login{} "
                           "and the well-known default password",
                           s.name, unset, info->display, user),
               c.help.empty() ? fmt::format("set `{}` from a secret", c.password_env) : c.help);
      f.span_is_not_a_value = true;
    }
  }
}

}  // namespace obslint
