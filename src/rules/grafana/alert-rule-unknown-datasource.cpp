// OBS512 alert-rule-unknown-datasource: a query of a provisioned alert rule
// has a `datasourceUid` that no datasource provisioned for the same Grafana
// service and organization has. Alert rules look datasources up by uid only
// (a datasource name does not work here, unlike in dashboards); a datasource
// provisioned without uid has the uid Grafana derives from its name. The
// rule cannot run its query: it never fires, and shows an error or NoData.
//
// Silent for expressions (`__expr__`, formerly `-100`), a `$VAR`, a
// "P<16 hex>" uid, and when the service provisions no datasource in that org
// (they are created by hand).
#include <fmt/format.h>

#include "analysis/grafana.h"
#include "rules/rules.h"

namespace obslint {

void CheckAlertRuleUnknownDatasource(const Project& p, const Knowledge&, Reporter& r) {
  for (const GrafanaAlertingFile& file : p.alerting_files) {
    for (const std::string& service : file.services) {
      GrafanaDatasources datasources(p, service);
      for (const GrafanaAlertRule& rule : file.rules) {
        int org = rule.org_id;
        if (!datasources.Any(org) || datasources.Unknowable(org)) continue;
        for (const GrafanaAlertQuery& q : rule.data) {
          const Located<std::string>& uid = q.datasource_uid;
          if (!uid.present || uid.value.empty() || uid.value.find('$') != std::string::npos ||
              IsBuiltinDatasource(uid.value) || LooksLikeDerivedUid(uid.value))
            continue;
          if (datasources.Find(org, uid.value, GrafanaDatasources::By::kUid) != nullptr) continue;
          std::string query = q.ref_id.present ? fmt::format("query {}", q.ref_id.value)
                                               : std::string("a query");
          std::string name = rule.title.present ? fmt::format("alert rule \"{}\"", rule.title.value)
                                                : std::string("an alert rule");
          std::string message = fmt::format(
              "{} of {} uses datasourceUid \"{}\", which no datasource provisioned for service "
              "\"{}\" in org {} has",
              query, name, uid.value, service, org);
          if (std::string known = datasources.UidList(org); !known.empty())
            message += fmt::format(" (provisioned uids: {})", known);
          message += "; the rule cannot run this query and never fires";
          std::string help;
          const GrafanaDatasource* by_name =
              datasources.Find(org, uid.value, GrafanaDatasources::By::kUidOrName);
          const GrafanaDatasource* hint = by_name ? by_name : datasources.Candidate(org, uid.value);
          std::string hint_uid = hint != nullptr ? GrafanaDatasources::UidOf(*hint) : "";
          std::string better = hint != nullptr && !hint->uid.present
                                   ? " (better: give the datasource an explicit uid and use it)"
                                   : "";
          if (by_name != nullptr && !hint_uid.empty()) {
            help = fmt::format(
                "alert rules find datasources by uid only, not by name; datasource \"{}\" has uid "
                "\"{}\": write `datasourceUid: {}`{}",
                hint->name.value, hint_uid, hint_uid, better);
          } else if (hint != nullptr && !hint_uid.empty()) {
            help = fmt::format("did you mean datasource \"{}\"? write `datasourceUid: {}`{}",
                               hint->name.value, hint_uid, better);
          } else {
            help = "write the uid of a provisioned datasource (`uid:` in its provisioning file), "
                   "or `__expr__` for a server-side expression";
          }
          Finding& f = r.Report("OBS512", uid.loc, std::move(message), std::move(help));
          if (hint != nullptr)
            f.related.push_back({hint->loc, fmt::format("datasource \"{}\" is defined here", hint->name.value)});
        }
      }
    }
  }
}

}  // namespace obslint
