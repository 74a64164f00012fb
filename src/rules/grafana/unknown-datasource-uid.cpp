// OBS503 unknown-datasource-uid: a `datasourceUid` in a datasource's jsonData
// (derivedFields, tracesToLogs(V2), tracesToMetrics, serviceMap,
// exemplarTraceIdDestinations...) names no datasource provisioned for the same
// Grafana service and organization. The link then silently leads nowhere.
//
// Grafana's frontend resolves the reference by uid and then by exact name
// (DatasourceSrv.getInstanceSettings: settingsMapByUid ?? settingsMapByName),
// so a reference equal to a datasource's name works and is not reported.
// Silent when the uid cannot be known from the files: a `$VAR` on either
// side, a built-in datasource (-- Grafana --, -- Mixed --, -- Dashboard --,
// expressions), or a "P<16 hex>" uid, which is what Grafana 8.3+ derives from
// the name of a datasource provisioned without uid (grafana/grafana#41769).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "rules/rules.h"

namespace obslint {
namespace {

// UIDs of datasources every Grafana has without provisioning
// (public/app/plugins/datasource/{grafana,mixed,dashboard}, expressions "__expr__").
constexpr std::string_view kBuiltinUids[] = {"grafana", "-- Grafana --", "-- Mixed --",
                                             "-- Dashboard --", "__expr__", "-100"};

bool LooksDerived(std::string_view uid) {
  if (uid.size() != 17 || uid[0] != 'P') return false;
  return std::all_of(uid.begin() + 1, uid.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'A' && c <= 'F');
  });
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

int OrgOf(const GrafanaDatasource& ds) { return ds.org_id.value == 0 ? 1 : ds.org_id.value; }

}  // namespace

void CheckUnknownDatasourceUid(const Project& p, const Knowledge&, Reporter& r) {
  std::set<std::string> services;
  for (const auto& f : p.datasource_files) services.insert(f.services.begin(), f.services.end());

  std::set<std::tuple<std::string, int, int>> reported;
  for (const std::string& service : services) {
    std::vector<const GrafanaDatasource*> all;
    for (const auto& file : p.datasource_files) {
      if (std::find(file.services.begin(), file.services.end(), service) == file.services.end())
        continue;
      for (const GrafanaDatasource& ds : file.datasources) all.push_back(&ds);
    }
    for (const GrafanaDatasource* ds : all) {
      int org = OrgOf(*ds);
      for (const Located<std::string>& ref : ds->referenced_uids) {
        std::string_view uid = ref.value;
        if (uid.find('$') != std::string_view::npos || LooksDerived(uid)) continue;
        if (std::find(std::begin(kBuiltinUids), std::end(kBuiltinUids), uid) !=
            std::end(kBuiltinUids))
          continue;
        bool found = false, unknowable = false;
        const GrafanaDatasource* candidate = nullptr;  // same name/type, other case or no uid
        std::vector<std::string> known;
        for (const GrafanaDatasource* other : all) {
          if (OrgOf(*other) != org) continue;
          bool has_uid = other->uid.present && !other->uid.value.empty();
          if ((has_uid && other->uid.value == uid) ||
              (other->name.present && other->name.value == uid))
            found = true;
          if ((has_uid && other->uid.value.find('$') != std::string::npos) ||
              (other->name.present && other->name.value.find('$') != std::string::npos))
            unknowable = true;
          if (candidate == nullptr &&
              ((other->name.present && EqualsIgnoreCase(other->name.value, uid)) ||
               (other->type.present && EqualsIgnoreCase(other->type.value, uid))))
            candidate = other;
          std::string quoted = has_uid ? fmt::format("\"{}\"", other->uid.value) : "";
          if (has_uid && std::find(known.begin(), known.end(), quoted) == known.end())
            known.push_back(std::move(quoted));
        }
        if (found || unknowable) continue;
        if (!reported.emplace(ref.loc.file, ref.loc.line, ref.loc.column).second) continue;

        std::string owner = ds->name.present ? fmt::format(" of datasource \"{}\"", ds->name.value)
                                             : std::string();
        std::string message = fmt::format(
            "datasourceUid \"{}\"{} matches the uid or name of no datasource provisioned for "
            "service \"{}\" in org {}",
            uid, owner, service, org);
        if (!known.empty()) {
          if (known.size() > 6) known.resize(6), known.push_back("...");
          std::string list;
          for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
          message += fmt::format(" (provisioned uids: {})", list);
        }
        std::string help;
        std::string cname = candidate && candidate->name.present ? candidate->name.value : "";
        if (candidate != nullptr && candidate->uid.present && !candidate->uid.value.empty()) {
          help = fmt::format("did you mean datasource \"{}\"? write `datasourceUid: {}`", cname,
                             candidate->uid.value);
        } else if (candidate != nullptr) {
          help = fmt::format(
              "datasource \"{}\" has no uid; add `uid: {}` to it",
              cname, uid);
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
