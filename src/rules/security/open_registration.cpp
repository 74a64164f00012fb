// OBS804 open-registration: anyone who reaches the UI can create an account.
//
// source: https://grafana.com/docs/grafana/latest/setup-grafana/configure-grafana/#allow_sign_up (users.allow_sign_up)
// source: GlitchTip 2.0.7 release notes (https://newreleases.io/project/gitlab/glitchtip/glitchtip-backend/release/v2.0.7):
//   ENABLE_USER_REGISTRATION (default true) replaces ENABLE_OPEN_USER_REGISTRATION, which is
//   deprecated and since read as ENABLE_ORGANIZATION_CREATION (glitchtip/settings.py:
//   `ENABLE_USER_REGISTRATION = env.bool("ENABLE_USER_REGISTRATION", True)`).
#include <fmt/format.h>

#include "rules/rules.h"
#include "rules/security/common_env.h"

namespace obslint {

void CheckOpenRegistration(const Project& p, const Knowledge& k, Reporter& r) {
  using security::TrueVar;
  for (const ComposeService& s : p.compose.services) {
    std::string family = security::FamilyOf(k, s);
    if (family == "grafana") {
      if (const EnvVar* e = TrueVar(s, "GF_USERS_ALLOW_SIGN_UP")) {
        r.Report("OBS804", e->value_loc,
                 fmt::format("`GF_USERS_ALLOW_SIGN_UP` lets anyone who reaches Grafana (service "
                             "\"{}\") create an account",
                             s.name),
                 "set GF_USERS_ALLOW_SIGN_UP=false and invite users, or sign in through your "
                 "identity provider");
      }
    } else if (family == "glitchtip") {
      // Only the web process serves sign-up; the worker and migrate steps run a command.
      if (s.command_present || s.entrypoint_loc.HasPosition()) continue;
      const EnvVar* user_reg = s.Env("ENABLE_USER_REGISTRATION");
      bool user_reg_open = user_reg == nullptr || !user_reg->has_value ||
                           security::Truthy(user_reg->value.resolved);
      const EnvVar* open = TrueVar(s, "ENABLE_OPEN_USER_REGISTRATION");
      std::string help =
          "set ENABLE_USER_REGISTRATION=False (the first user can still sign up; invite the rest) "
          "and drop ENABLE_OPEN_USER_REGISTRATION";
      if (open) {
        r.Report("OBS804", open->value_loc,
                 fmt::format("`ENABLE_OPEN_USER_REGISTRATION` lets every account of GlitchTip "
                             "(service \"{}\") create organizations{}",
                             s.name,
                             user_reg_open ? (user_reg ? ", and ENABLE_USER_REGISTRATION lets anyone sign up"
                                                       : ", and ENABLE_USER_REGISTRATION is unset, so "
                                                         "anyone can sign up (its default is True)")
                                           : ""),
                 help);
      } else if (user_reg && user_reg_open && user_reg->has_value) {
        r.Report("OBS804", user_reg->value_loc,
                 fmt::format("`ENABLE_USER_REGISTRATION` lets anyone who reaches GlitchTip "
                             "(service \"{}\") sign up",
                             s.name),
                 help);
      } else if (user_reg == nullptr) {
        r.Report("OBS804", s.image.text.present ? s.image.text.loc : s.name_loc,
                 fmt::format("service \"{}\" does not set ENABLE_USER_REGISTRATION, so anyone who "
                             "reaches GlitchTip can sign up (its default is True)",
                             s.name),
                 help);
      }
    }
  }
}

}  // namespace obslint
