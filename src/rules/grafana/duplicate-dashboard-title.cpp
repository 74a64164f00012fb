// OBS511 duplicate-dashboard-title: two dashboards that one Grafana service
// provisions into the same folder have the same title. Grafana keeps titles
// unique within a folder: the second save fails ("a dashboard with the same
// name in the folder already exists") and that dashboard is missing; Grafana
// logs "the same 'title' is used more than once"
// (pkg/services/provisioning/dashboards/file_reader.go: usageTracker keyed by
// folder and title).
//
// The folder is the provider's `folder` (or `folderUid`), or with
// `foldersFromFilesStructure` the name of the file's directory. Dashboards
// that share a uid are OBS510's (the second replaces the first).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "rules/rules.h"

namespace obslint {

void CheckDuplicateDashboardTitle(const Project& p, const Knowledge&, Reporter& r) {
  std::map<std::tuple<std::string, int, std::string, std::string>, const GrafanaDashboard*> first;
  std::set<std::tuple<std::string, int, int>> reported;
  std::vector<const GrafanaDashboard*> sorted;
  for (const GrafanaDashboard& d : p.dashboards) sorted.push_back(&d);
  std::stable_sort(sorted.begin(), sorted.end(), [](const GrafanaDashboard* a, const GrafanaDashboard* b) {
    return a->source->path < b->source->path;
  });
  for (const GrafanaDashboard* d : sorted) {
    if (!d->title.present || d->title.value.empty() || d->title.value.find('$') != std::string::npos)
      continue;
    std::string folder_key = d->folder_uid.empty() ? "title:" + d->folder : "uid:" + d->folder_uid;
    for (const std::string& service : d->services) {
      auto [it, inserted] =
          first.emplace(std::tuple{service, d->org_id, folder_key, d->title.value}, d);
      if (inserted || it->second->source == d->source) continue;
      const GrafanaDashboard& other = *it->second;
      if (d->uid.present && other.uid.present && d->uid.value == other.uid.value) continue;
      const Location& loc = d->title.loc;
      if (!reported.emplace(loc.file, loc.line, loc.column).second) continue;
      std::string folder = d->folder.empty() && d->folder_uid.empty()
                               ? std::string("the General folder")
                               : fmt::format("folder \"{}\"", d->folder.empty() ? d->folder_uid : d->folder);
      Finding& f = r.Report(
          "OBS511", loc,
          fmt::format("dashboard title \"{}\" is also used by {} in {} (service \"{}\", org {}); "
                      "Grafana refuses to save a second dashboard with the same title in a "
                      "folder, so one of them is missing",
                      d->title.value, other.source->path, folder, service, d->org_id),
          "rename one of the dashboards, or provision them into different folders");
      f.related.push_back({other.title.loc, "the title is first used here"});
    }
  }
}

}  // namespace obslint
