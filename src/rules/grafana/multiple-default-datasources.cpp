// OBS501 multiple-default-datasources: more than one provisioned datasource
// with `isDefault: true` in one organization. Grafana counts them across all
// files of its provisioning directory and aborts provisioning, so the server
// does not start ("datasource.yaml config is invalid. Only one datasource per
// organization can be marked as default"; validateDefaultUniqueness in
// pkg/services/provisioning/datasources/config_reader.go).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "rules/rules.h"

namespace obslint {

void CheckMultipleDefaultDatasources(const Project& p, const Knowledge&, Reporter& r) {
  // Grafana services that read provisioned datasources, each judged on its own files.
  std::set<std::string> services;
  for (const auto& f : p.datasource_files) services.insert(f.services.begin(), f.services.end());

  std::set<std::tuple<std::string, int, int>> reported;  // a file shared by two services
  for (const std::string& service : services) {
    std::map<int, const GrafanaDatasource*> first_default;  // org -> first isDefault
    for (const auto& file : p.datasource_files) {
      if (std::find(file.services.begin(), file.services.end(), service) == file.services.end())
        continue;
      for (const GrafanaDatasource& ds : file.datasources) {
        if (!ds.is_default.present || !ds.is_default.value) continue;
        int org = ds.org_id.value == 0 ? 1 : ds.org_id.value;  // Grafana: orgId 0 means 1
        auto [it, inserted] = first_default.emplace(org, &ds);
        if (inserted) continue;
        const Location& loc = ds.is_default.loc;
        if (!reported.emplace(loc.file, loc.line, loc.column).second) continue;
        const GrafanaDatasource& first = *it->second;
        std::string name = ds.name.present ? fmt::format("datasource \"{}\"", ds.name.value)
                                           : std::string("this datasource");
        std::string other = first.name.present
                                ? fmt::format("datasource \"{}\"", first.name.value)
                                : std::string("another datasource");
        Finding& f = r.Report(
            "OBS501", loc,
            fmt::format("{} is marked `isDefault: true`, but {} already is the default of org {}; "
                        "Grafana refuses to provision more than one default per organization and "
                        "does not start",
                        name, other, org),
            "keep `isDefault: true` on one datasource per organization and remove it from the "
            "others");
        f.related.push_back(
            {first.is_default.loc, fmt::format("{} is marked default here", other)});
      }
    }
  }
}

}  // namespace obslint
