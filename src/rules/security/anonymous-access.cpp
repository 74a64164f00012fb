// OBS805 anonymous-access: Grafana serves dashboards without a login.
//
// source: https://grafana.com/docs/grafana/latest/setup-grafana/configure-security/configure-authentication/grafana/#anonymous-authentication
//   (auth.anonymous enabled, org_role default Viewer)
#include <fmt/format.h>

#include "analysis/analysis.h"
#include "analysis/grafana.h"
#include "rules/rules.h"
#include "rules/security/common.h"

namespace obslint {

// [auth.anonymous] enabled / org_role: GF_AUTH_ANONYMOUS_* or grafana.ini,
// merged as Grafana merges them (analysis/grafana.h).
void CheckAnonymousAccess(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  for (const ComposeService& s : p.compose.services) {
    if (security::FamilyOf(*analysis, s) != "grafana") continue;
    GrafanaSettingValue enabled = GrafanaSetting(p, s, "auth.anonymous", "enabled");
    bool on = false;
    if (!enabled.IsSet() || enabled.opaque || !ParseGoBool(enabled.value, on) || !on) continue;
    GrafanaSettingValue role = GrafanaSetting(p, s, "auth.anonymous", "org_role");
    if (role.opaque) continue;
    std::string role_name = role.IsSet() ? role.value : "Viewer";
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
    bool from_ini = enabled.from == GrafanaSettingValue::From::kIni;
    if (from_ini) message += fmt::format(" ({})", DescribeSetting(enabled));
    Finding& f = r.Report("OBS805", sev, enabled.loc, std::move(message),
                          from_ini ? "set `enabled = false` under [auth.anonymous], or keep it only "
                                     "behind a private network with `org_role = Viewer`"
                                   : "set GF_AUTH_ANONYMOUS_ENABLED=false, or keep it only behind a "
                                     "private network with GF_AUTH_ANONYMOUS_ORG_ROLE=Viewer");
    if (can_edit && role.IsSet()) f.related.push_back({role.loc, "the anonymous role is set here"});
  }
}

}  // namespace obslint
