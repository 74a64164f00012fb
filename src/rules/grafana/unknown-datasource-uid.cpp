// OBS503 unknown-datasource-uid: a `datasourceUid` in a datasource's jsonData
// (derivedFields, tracesToLogs(V2), tracesToMetrics, serviceMap,
// exemplarTraceIdDestinations...) names no datasource provisioned for the same
// Grafana service and organization. The link then silently leads nowhere.
//
// Grafana's frontend resolves the reference by uid and then by exact name
// (DatasourceSrv.getInstanceSettings: settingsMapByUid ?? settingsMapByName),
// so a reference equal to a datasource's name works and is not reported.
// A datasource provisioned without uid is found by the uid Grafana 8.3+
// derives from its name (grafana/grafana#41769; analysis/grafana.h).
// Silent when the uid cannot be known from the files: a `$VAR` on either
// side, a built-in datasource (-- Grafana --, -- Mixed --, -- Dashboard --,
// expressions), or another "P<16 hex>" uid (derived from a datasource that
// was created by hand).
#include <fmt/format.h>

#include <set>
#include <string>
#include <tuple>

#include "analysis/grafana.h"
#include "rules/rules.h"

namespace obslint {

void CheckUnknownDatasourceUid(const Project& p, const Knowledge&, Reporter& r) {
  std::set<std::tuple<std::string, int, int>> reported;
  for (const std::string& service : GrafanaServices(p)) {
    GrafanaDatasources datasources(p, service);
    for (const GrafanaDatasource* ds : datasources.All()) {
      int org = GrafanaDatasources::OrgOf(*ds);
      for (const Located<std::string>& ref : ds->referenced_uids) {
        std::string_view uid = ref.value;
        if (uid.find('$') != std::string_view::npos || IsBuiltinDatasource(uid)) continue;
        if (datasources.Find(org, uid, GrafanaDatasources::By::kUidOrName) != nullptr ||
            datasources.Unknowable(org) || LooksLikeDerivedUid(uid))
          continue;
        if (!reported.emplace(ref.loc.file, ref.loc.line, ref.loc.column).second) continue;

        std::string owner = ds->name.present ? fmt::format(" of datasource \"{}\"", ds->name.value)
                                             : std::string();
        std::string message = fmt::format(
            "datasourceUid \"{}\"{} matches the uid or name of no datasource provisioned for "
            "service \"{}\" in org {}",
            uid, owner, service, org);
        if (std::string known = datasources.UidList(org); !known.empty())
          message += fmt::format(" (provisioned uids: {})", known);
        const GrafanaDatasource* candidate = datasources.Candidate(org, uid);
        std::string help;
        std::string cname = candidate && candidate->name.present ? candidate->name.value : "";
        if (candidate != nullptr && candidate->uid.present && !candidate->uid.value.empty()) {
          help = fmt::format("did you mean datasource \"{}\"? write `datasourceUid: {}`", cname,
                             candidate->uid.value);
        } else if (candidate != nullptr) {
          help = fmt::format("datasource \"{}\" has no uid; add `uid: {}` to it", cname, uid);
        } else {
          help =
              "set this uid on the datasource the link should open, or correct the reference; if "
              "that datasource is created in the Grafana UI instead, provision it too so the "
              "link does not depend on manual setup";
        }
        Finding& f = r.Report("OBS503", ref.loc, std::move(message), std::move(help));
        if (candidate != nullptr)
          f.related.push_back({candidate->loc, fmt::format("datasource \"{}\" is defined here", cname)});
      }
    }
  }
}

}  // namespace obslint
