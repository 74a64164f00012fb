// OBS509 dashboard-datasource-type-mismatch: a dashboard reference
// `{"type": "prometheus", "uid": "logs"}` whose uid belongs to a provisioned
// datasource of another plugin (here Loki). Grafana resolves the uid and
// ignores the type, so the panel sends its PromQL to Loki and shows a query
// error. Only core plugin types are compared (prometheus, loki, tempo, ...,
// with their aliases): plugins such as VictoriaMetrics accept another
// plugin's queries and are never judged. One finding per dashboard,
// datasource and written type.
#include <fmt/format.h>

#include <map>
#include <set>
#include <string>
#include <tuple>

#include "analysis/grafana.h"
#include "rules/rules.h"

namespace obslint {

void CheckDashboardDatasourceTypeMismatch(const Project& p, const Knowledge&, Reporter& r) {
  std::set<std::tuple<std::string, int, int>> reported;
  for (const GrafanaDashboard& dash : p.dashboards) {
    for (const std::string& service : dash.services) {
      GrafanaDatasources datasources(p, service);
      std::map<std::pair<const GrafanaDatasource*, std::string>, size_t> seen;
      std::vector<DashboardRefResult> results = ResolveDashboardRefs(datasources, dash);
      std::vector<const DashboardRefResult*> firsts;
      for (const DashboardRefResult& res : results) {
        if (!res.type_mismatch) continue;
        auto [it, inserted] = seen.emplace(std::pair{res.datasource, res.ref->type.value}, 0);
        it->second += static_cast<size_t>(res.ref->Count());
        if (inserted) firsts.push_back(&res);
      }
      for (const DashboardRefResult* res : firsts) {
        const GrafanaDatasource& ds = *res->datasource;
        size_t count = seen[{res->datasource, res->ref->type.value}];
        const Location& loc = res->ref->type.loc;
        if (!reported.emplace(loc.file, loc.line, loc.column).second) continue;
        std::string more = count > 1 ? fmt::format(" (and {} more reference{} in this dashboard)",
                                                   count - 1, count == 2 ? "" : "s")
                                     : "";
        Finding& f = r.Report(
            "OBS509", loc,
            fmt::format("{}{} expects a \"{}\" datasource, but uid \"{}\" is datasource \"{}\" of "
                        "type \"{}\"; Grafana sends the {} queries to it, and it cannot run them",
                        res->ref->where, more, res->ref->type.value, res->ref->uid.value,
                        ds.name.value, ds.type.value, res->ref->type.value),
            fmt::format("point the reference at a \"{}\" datasource (its uid), or rewrite the "
                        "panel's queries for {} and set \"type\": \"{}\"",
                        res->ref->type.value, ds.type.value, ds.type.value));
        f.related.push_back({ds.loc, fmt::format("datasource \"{}\" is defined here", ds.name.value)});
      }
    }
  }
}

}  // namespace obslint
