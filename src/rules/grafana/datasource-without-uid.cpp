// OBS505 datasource-without-uid: a provisioned datasource has no `uid`.
// Grafana then makes one up: a random uid on every start before 8.3, and
// since 8.3 "P" + a hash of the name (grafana/grafana#41769), which is opaque
// and changes when the datasource is renamed. Dashboards, alert rules and
// derived-field links reference datasources by uid, so they cannot name it
// reliably.
//
// Position: the first key of the datasource's list item (`- name:`), the same
// place for every datasource whatever keys it has.
#include <fmt/format.h>

#include <cctype>
#include <string>

#include "rules/rules.h"

namespace obslint {
namespace {

// A readable uid suggestion from the datasource name: "Victoria Metrics" ->
// "victoria-metrics" (Grafana allows letters, digits, - and _, up to 40).
std::string Suggest(const std::string& name) {
  std::string out;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      out += static_cast<char>(std::tolower(u));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 40) out.resize(40);
  return out;
}

}  // namespace

void CheckDatasourceWithoutUid(const Project& p, const Knowledge&, Reporter& r) {
  for (const GrafanaDatasourceFile& file : p.datasource_files) {
    for (const GrafanaDatasource& ds : file.datasources) {
      if (ds.uid.present && !ds.uid.value.empty()) continue;
      std::string suggestion = ds.name.present ? Suggest(ds.name.value) : std::string();
      if (suggestion.empty() || ds.name.value.find('$') != std::string::npos)
        suggestion = "<stable-id>";
      std::string what = ds.name.present ? fmt::format("datasource \"{}\"", ds.name.value)
                                         : std::string("datasource");
      r.Report("OBS505", ds.loc,
               fmt::format("{} has no uid; Grafana derives an opaque one (a hash of the name "
                           "since 8.3, random before), so dashboards, alerts and links cannot "
                           "reference it by a stable, readable uid",
                           what),
               fmt::format("add `uid: {}` (letters, digits, - and _, at most 40 characters)",
                           suggestion));
    }
  }
}

}  // namespace obslint
