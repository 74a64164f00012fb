// OBS502 duplicate-datasource: two provisioned datasources of one Grafana
// service share a `uid` or a `name` in the same organization.
//
// Grafana provisions datasources in file order, looking each up by name and
// org: a second entry with the same name silently overwrites the first, and a
// second entry with a new name but a taken uid fails to insert ("data source
// with the same uid already exists"), which stops provisioning. The uid is
// unique per organization (unique index on org_id, uid), so equal uids in
// different orgs are fine. `deleteDatasources` runs before any insert and
// does not change this.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "rules/rules.h"

namespace obslint {
namespace {

std::string Describe(const GrafanaDatasource& ds) {
  return ds.name.present ? fmt::format("datasource \"{}\"", ds.name.value)
                         : std::string("a datasource");
}

}  // namespace

void CheckDuplicateDatasource(const Project& p, const Knowledge&, Reporter& r) {
  std::set<std::string> services;
  for (const auto& f : p.datasource_files) services.insert(f.services.begin(), f.services.end());

  std::set<std::tuple<std::string, int, int>> reported;
  for (const std::string& service : services) {
    std::map<std::pair<int, std::string>, const GrafanaDatasource*> by_uid, by_name;
    for (const auto& file : p.datasource_files) {
      if (std::find(file.services.begin(), file.services.end(), service) == file.services.end())
        continue;
      for (const GrafanaDatasource& ds : file.datasources) {
        int org = ds.org_id.value == 0 ? 1 : ds.org_id.value;
        // Same name: the later entry replaces the earlier one.
        if (ds.name.present && !ds.name.value.empty()) {
          auto [it, inserted] = by_name.emplace(std::pair{org, ds.name.value}, &ds);
          if (!inserted &&
              reported.emplace(ds.name.loc.file, ds.name.loc.line, ds.name.loc.column).second) {
            Finding& f = r.Report(
                "OBS502", ds.name.loc,
                fmt::format("datasource \"{}\" is provisioned twice in org {}; Grafana updates the "
                            "first one with this entry, so only the last definition survives",
                            ds.name.value, org),
                "give each datasource its own name, or merge the two entries");
            f.related.push_back({it->second->name.loc, "first defined here"});
            continue;  // the uid of a replaced entry is not a second insert
          }
        }
        if (ds.uid.present && !ds.uid.value.empty()) {
          auto [it, inserted] = by_uid.emplace(std::pair{org, ds.uid.value}, &ds);
          if (!inserted &&
              reported.emplace(ds.uid.loc.file, ds.uid.loc.line, ds.uid.loc.column).second) {
            Finding& f = r.Report(
                "OBS502", ds.uid.loc,
                fmt::format("{} reuses uid \"{}\" of {} in org {}; Grafana fails to insert it "
                            "(\"data source with the same uid already exists\") and stops "
                            "provisioning",
                            Describe(ds), ds.uid.value, Describe(*it->second), org),
                "give each datasource a unique uid");
            f.related.push_back({it->second->uid.loc, "uid first used here"});
          }
        }
      }
    }
  }
}

}  // namespace obslint
