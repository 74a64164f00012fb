// OBS507 dashboard-unresolved-input: a provisioned dashboard still holds the
// placeholders of "Export for sharing externally": `__inputs` and datasource
// references such as `${DS_PROMETHEUS}`. Only the import dialog (and the
// import API) replaces them; file provisioning stores the JSON as it is, so
// the variable is never defined and every panel that uses it shows
// "Datasource ${DS_PROMETHEUS} was not found".
//
// A reference `${DS_X}` is fine when the dashboard defines a variable named
// DS_X (a common fix: turning the input into a datasource variable).
// One finding per dashboard, at the first unresolved reference.
#include <fmt/format.h>

#include <algorithm>

#include <set>
#include <string>
#include <vector>

#include "analysis/grafana.h"
#include "rules/rules.h"

namespace obslint {

void CheckDashboardUnresolvedInput(const Project& p, const Knowledge&, Reporter& r) {
  for (const GrafanaDashboard& dash : p.dashboards) {
    if (dash.services.empty()) continue;
    GrafanaDatasources datasources(p, dash.services.front());
    std::vector<const DashboardRefResult*> unresolved;
    std::vector<DashboardRefResult> results = ResolveDashboardRefs(datasources, dash);
    std::vector<std::string> names;
    int total = 0;
    for (const DashboardRefResult& res : results) {
      if (res.status != DashboardRefResult::Status::kUnresolvedInput) continue;
      unresolved.push_back(&res);
      total += res.ref->Count();
      if (std::find(names.begin(), names.end(), res.variable) == names.end())
        names.push_back(res.variable);
    }
    if (unresolved.empty()) continue;
    const DashboardRefResult& first = *unresolved.front();
    std::string title = dash.title.present ? fmt::format("dashboard \"{}\"", dash.title.value)
                                           : std::string("this dashboard");
    std::string list;
    for (size_t i = 0; i < names.size() && i < 4; ++i)
      list += (i == 0 ? "" : ", ") + fmt::format("${{{}}}", names[i]);
    if (names.size() > 4) list += ", ...";
    std::string count = total == 1 ? std::string("its datasource reference")
                                   : fmt::format("{} datasource references", total);
    std::string message;
    bool has_inputs = !dash.inputs.empty();
    if (has_inputs) {
      message = fmt::format(
          "{} was exported for sharing externally: {} use {} from its `__inputs`, which file "
          "provisioning never replaces, so those panels show \"Datasource {} was not found\"",
          title, count, list, fmt::format("${{{}}}", names.front()));
    } else {
      message = fmt::format(
          "{} references {} (in {}), an import placeholder that file provisioning never "
          "replaces, and the dashboard defines no variable of that name; those panels show "
          "\"Datasource {} was not found\"",
          title, list, first.ref->where, fmt::format("${{{}}}", names.front()));
    }
    // The datasource to write instead, when exactly one of the input's type exists.
    std::string suggestion;
    for (const GrafanaDashboardInput& in : dash.inputs) {
      if (in.name != names.front() || in.plugin_id.empty()) continue;
      const GrafanaDatasource* only = nullptr;
      int count_of_type = 0;
      for (const GrafanaDatasource* ds : datasources.All()) {
        if (GrafanaDatasources::OrgOf(*ds) != dash.org_id || !ds->type.present) continue;
        if (ds->type.value == in.plugin_id) {
          only = ds;
          ++count_of_type;
        }
      }
      if (count_of_type == 1 && !GrafanaDatasources::UidOf(*only).empty())
        suggestion = fmt::format(" (here: \"{}\", datasource \"{}\")", GrafanaDatasources::UidOf(*only),
                                 only->name.value);
    }
    std::string help = fmt::format(
        "replace {} with the uid of the provisioned datasource{}{}, or define a datasource "
        "variable named {} in templating.list",
        fmt::format("${{{}}}", names.front()), suggestion, has_inputs ? " and delete `__inputs`" : "",
        names.front());
    Finding& f = r.Report("OBS507", first.ref->uid.loc, std::move(message), std::move(help));
    if (has_inputs) f.related.push_back({dash.inputs_loc, "`__inputs` is here"});
  }
}

}  // namespace obslint
