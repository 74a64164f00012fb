// OBS805 anonymous-access: Grafana serves dashboards without a login.
//
// source: https://grafana.com/docs/grafana/latest/setup-grafana/configure-security/configure-authentication/grafana/#anonymous-authentication
//   (auth.anonymous enabled, org_role default Viewer)
#include <fmt/format.h>

#include "rules/rules.h"
#include "rules/security/common.h"

namespace obslint {

void CheckAnonymousAccess(const Project& p, const Knowledge& k, Reporter& r) {
  for (const ComposeService& s : p.compose.services) {
    if (security::FamilyOf(k, s) != "grafana") continue;
    const EnvVar* enabled = security::TrueVar(s, "GF_AUTH_ANONYMOUS_ENABLED");
    if (enabled == nullptr) continue;
    const EnvVar* role = s.Env("GF_AUTH_ANONYMOUS_ORG_ROLE");
    std::string role_name = role && role->has_value ? role->value.resolved : "Viewer";
    std::string lower = security::Lower(role_name);
    bool can_edit = lower == "admin" || lower == "editor";
    Severity sev = can_edit ? Severity::kError : Severity::kWarning;
    std::string message =
        can_edit ? fmt::format("Grafana (service \"{}\") lets anonymous visitors in with the `{}` "
                               "role: anyone who reaches it can change dashboards{}",
                               s.name, role_name, lower == "admin" ? ", datasources and users" : "")
                 : fmt::format("Grafana (service \"{}\") lets anonymous visitors see every "
                               "dashboard and query every datasource of the organization",
                               s.name);
    Finding& f = r.Report("OBS805", sev, enabled->value_loc, std::move(message),
                          "set GF_AUTH_ANONYMOUS_ENABLED=false, or keep it only behind a private "
                          "network with GF_AUTH_ANONYMOUS_ORG_ROLE=Viewer");
    if (can_edit && role) f.related.push_back({role->value_loc, "the anonymous role is set here"});
  }
}

}  // namespace obslint
