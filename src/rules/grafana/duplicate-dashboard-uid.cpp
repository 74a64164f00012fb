// OBS510 duplicate-dashboard-uid: two dashboard files that one Grafana
// service provisions carry the same `uid` in one organization. A uid names
// one dashboard: every save of the second overwrites the first, so only one
// of them survives (whichever Grafana's file walk saves last), and Grafana
// logs "the same UID is used more than once"
// (pkg/services/provisioning/dashboards/file_reader.go usageTracker, dashboard.go).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "rules/rules.h"

namespace obslint {

void CheckDuplicateDashboardUid(const Project& p, const Knowledge&, Reporter& r) {
  // (service, org, uid) -> first dashboard, in file order.
  std::map<std::tuple<std::string, int, std::string>, const GrafanaDashboard*> first;
  std::set<std::tuple<std::string, int, int>> reported;
  std::vector<const GrafanaDashboard*> sorted;
  for (const GrafanaDashboard& d : p.dashboards) sorted.push_back(&d);
  std::stable_sort(sorted.begin(), sorted.end(), [](const GrafanaDashboard* a, const GrafanaDashboard* b) {
    return a->source->path < b->source->path;
  });
  for (const GrafanaDashboard* d : sorted) {
    if (!d->uid.present || d->uid.value.empty()) continue;  // Grafana generates one
    for (const std::string& service : d->services) {
      auto [it, inserted] = first.emplace(std::tuple{service, d->org_id, d->uid.value}, d);
      if (inserted || it->second->source == d->source) continue;
      const Location& loc = d->uid.loc;
      if (!reported.emplace(loc.file, loc.line, loc.column).second) continue;
      const GrafanaDashboard& other = *it->second;
      Finding& f = r.Report(
          "OBS510", loc,
          fmt::format("dashboard uid \"{}\" is also used by {}{}; service \"{}\" provisions both in "
                      "org {}, and only one of them survives (each save overwrites the other)",
                      d->uid.value, other.source->path,
                      other.title.present ? fmt::format(" (\"{}\")", other.title.value) : "",
                      service, d->org_id),
          "give every dashboard its own uid (letters, digits, - and _, at most 40 characters); a "
          "copy of a dashboard needs a new one");
      f.related.push_back({other.uid.loc, "the uid is first used here"});
    }
  }
}

}  // namespace obslint
