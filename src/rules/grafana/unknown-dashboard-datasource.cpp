// OBS508 unknown-dashboard-datasource: a provisioned dashboard's panel,
// query, variable or annotation names a datasource the Grafana service does
// not provision, or a `$variable` the dashboard does not define, or a
// datasource variable lists a plugin type of which no datasource exists.
//
// Grafana's frontend looks a reference up by uid, then by exact
// (case-sensitive) name (DatasourceSrv.getInstanceSettings); a datasource
// provisioned without uid answers to the uid derived from its name. Anything
// else leaves the panel with "Datasource ... was not found".
//
// Silent when the references cannot be judged from the files: the service
// provisions no datasource in that org (they are created by hand), a `$` in a
// uid or name, a built-in datasource, a "P<16 hex>" uid or a numeric id.
// One finding per dashboard and missing datasource, at its first reference.
#include <fmt/format.h>

#include <map>
#include <set>
#include <string>
#include <tuple>

#include "analysis/grafana.h"
#include "rules/rules.h"

namespace obslint {
namespace {

std::string More(int count) {
  if (count <= 1) return "";
  return fmt::format(" (and {} more reference{} in this dashboard)", count - 1, count == 2 ? "" : "s");
}

}  // namespace

void CheckUnknownDashboardDatasource(const Project& p, const Knowledge&, Reporter& r) {
  using Status = DashboardRefResult::Status;
  std::set<std::tuple<std::string, int, int>> reported;
  for (const GrafanaDashboard& dash : p.dashboards) {
    for (const std::string& service : dash.services) {
      GrafanaDatasources datasources(p, service);
      std::vector<DashboardRefResult> results = ResolveDashboardRefs(datasources, dash);
      // Grouped by what is missing, in file order of the first reference.
      std::map<std::pair<Status, std::string>, std::vector<const DashboardRefResult*>> groups;
      std::vector<std::pair<Status, std::string>> order;
      for (const DashboardRefResult& res : results) {
        if (res.status != Status::kUnknown && res.status != Status::kUndefinedVariable) continue;
        auto key = std::pair{res.status, res.ref->uid.value};
        auto& list = groups[key];
        if (list.empty()) order.push_back(key);
        list.push_back(&res);
      }
      std::string title = dash.title.present ? fmt::format("dashboard \"{}\"", dash.title.value)
                                             : std::string("the dashboard");
      for (const auto& key : order) {
        const auto& list = groups[key];
        const DashboardRefResult& first = *list.front();
        int count = 0;
        for (const DashboardRefResult* res : list) count += res->ref->Count();
        const Location& loc = first.ref->uid.loc;
        if (!reported.emplace(loc.file, loc.line, loc.column).second) continue;
        if (key.first == Status::kUndefinedVariable) {
          r.Report("OBS508", loc,
                   fmt::format("datasource \"{}\" of {}{} names variable \"{}\", which {} does not "
                               "define; the panel shows \"Datasource {} was not found\"",
                               key.second, first.ref->where, More(count), first.variable,
                               title, key.second),
                   fmt::format("add a datasource variable named {} to templating.list, or write "
                               "the uid of a provisioned datasource here",
                               first.variable));
          continue;
        }
        std::string message = fmt::format(
            "datasource \"{}\" of {}{} matches the uid or name of no datasource provisioned for "
            "service \"{}\" in org {}",
            key.second, first.ref->where, More(count), service, dash.org_id);
        if (std::string known = datasources.UidList(dash.org_id); !known.empty())
          message += fmt::format(" (provisioned uids: {})", known);
        const GrafanaDatasource* candidate = datasources.Candidate(dash.org_id, key.second);
        std::string help;
        if (candidate != nullptr && candidate->name.present) {
          std::string uid = GrafanaDatasources::UidOf(*candidate);
          help = candidate->uid.present && !candidate->uid.value.empty()
                     ? fmt::format("did you mean datasource \"{}\"? write its uid \"{}\" (uids and "
                                   "names are case-sensitive)",
                                   candidate->name.value, uid)
                     : fmt::format("did you mean datasource \"{}\"? it has no uid: give it "
                                   "`uid: {}`, or write its exact name",
                                   candidate->name.value, key.second);
        } else {
          help = "give the datasource this uid (`uid:` in its provisioning file), or write the uid "
                 "of a provisioned datasource here; a datasource created by hand in the UI should "
                 "be provisioned too, so the dashboard does not depend on manual setup";
        }
        Finding& f = r.Report("OBS508", loc, std::move(message), std::move(help));
        if (candidate != nullptr)
          f.related.push_back({candidate->loc, fmt::format("datasource \"{}\" is defined here",
                                                           candidate->name.value)});
      }

      // Datasource variables offer the datasources of one plugin type.
      if (!datasources.Any(dash.org_id) || datasources.Unknowable(dash.org_id)) continue;
      for (const GrafanaDashboardVariable& v : dash.variables) {
        if (v.type != "datasource" || v.query.empty() || v.query.find('$') != std::string::npos)
          continue;
        if (datasources.HasType(dash.org_id, v.query)) continue;
        if (!reported.emplace(v.loc.file, v.loc.line, v.loc.column).second) continue;
        r.Report("OBS508", v.loc,
                 fmt::format("datasource variable \"{}\" of {} lists datasources of type \"{}\", "
                             "but service \"{}\" provisions none of that type in org {}; the "
                             "variable is empty and the panels that use it find no datasource",
                             v.name, title, v.query, service, dash.org_id),
                 fmt::format("provision a datasource of type \"{}\", or set the variable's query "
                             "to the type of a provisioned one",
                             v.query));
      }
    }
  }
}

}  // namespace obslint
