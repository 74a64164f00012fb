// OBS804 open-registration: anyone who reaches the UI can create an account.
//
// Which variable switches sign-up, what an unset one means and older
// switches still honoured are image knowledge (`sign_up` in
// knowledge/images/*.yaml: Grafana, GlitchTip).
#include <fmt/format.h>

#include "analysis/analysis.h"
#include "analysis/grafana.h"
#include "rules/rules.h"
#include "rules/security/common.h"

namespace obslint {

void CheckOpenRegistration(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  for (const ComposeService& s : p.compose.services) {
    const ImageInfo* info = analysis->Image(s).Info();
    if (info == nullptr || !info->sign_up) continue;
    const SignUp& su = *info->sign_up;
    // Only the web process serves sign-up; the worker and migrate steps run a command.
    if (su.web_only && (s.command_present || s.entrypoint_loc.HasPosition())) continue;
    if (info->config_kind == "grafana") {
      // Grafana: the GF_* variable or grafana.ini, merged as Grafana merges them.
      GrafanaSettingValue v = GrafanaSettingForEnv(p, s, su.env);
      bool open = su.default_open;
      if (v.IsSet() && (v.opaque || !ParseGoBool(v.value, open))) continue;
      if (!open) continue;
      if (v.from == GrafanaSettingValue::From::kIni) {
        r.Report("OBS804", v.loc,
                 fmt::format("{} lets anyone who reaches {} (service \"{}\") sign up",
                             DescribeSetting(v), info->display, s.name),
                 fmt::format("set `{} = false` there (or `{}=false` in the environment, which "
                             "wins) and invite users, or sign in through your identity provider",
                             v.ini->key, su.env));
      } else if (v.IsSet()) {
        r.Report("OBS804", v.loc,
                 fmt::format("`{}` lets anyone who reaches {} (service \"{}\") sign up", su.env,
                             info->display, s.name),
                 su.help);
      } else {
        r.Report("OBS804", s.image.text.present ? s.image.text.loc : s.name_loc,
                 fmt::format("service \"{}\" does not set {}, so anyone who reaches {} can sign up "
                             "(its default is True)",
                             s.name, su.env, info->display),
                 su.help);
      }
      continue;
    }
    const EnvVar* e = s.Env(su.env);
    // "KEY" alone takes its value from the shell: the default is what obslint can tell.
    const bool open = e != nullptr && e->has_value ? security::Truthy(e->value.resolved)
                                                   : su.default_open;
    const std::string unset_default = fmt::format("its default is {}", su.default_open ? "True" : "False");
    if (const EnvVar* legacy = su.legacy_env.empty() ? nullptr : security::TrueVar(s, su.legacy_env)) {
      r.Report("OBS804", legacy->value_loc,
               fmt::format("`{}` of {} (service \"{}\") {}{}", su.legacy_env, info->display, s.name,
                           su.legacy_meaning,
                           !open ? ""
                           : e   ? fmt::format(", and {} lets anyone sign up", su.env)
                                 : fmt::format(", and {} is unset, so anyone can sign up ({})",
                                               su.env, unset_default)),
               su.help);
    } else if (open && e != nullptr && e->has_value) {
      r.Report("OBS804", e->value_loc,
               fmt::format("`{}` lets anyone who reaches {} (service \"{}\") sign up", su.env,
                           info->display, s.name),
               su.help);
    } else if (open && e == nullptr) {
      r.Report("OBS804", s.image.text.present ? s.image.text.loc : s.name_loc,
               fmt::format("service \"{}\" does not set {}, so anyone who reaches {} can sign up "
                           "({})",
                           s.name, su.env, info->display, unset_default),
               su.help);
    }
  }
}

}  // namespace obslint
