// Grafana provisioning: datasource files and dashboard provider files.
//
// Grafana reads scalar settings through its `values` package, which takes
// strings and numbers alike and expands $VAR afterwards, so only kinds are
// checked here (a list where a name is expected); the text of a scalar is
// never judged.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>
#include <string_view>
#include <unordered_set>

#include "parse/parsers.h"

#include "model/suggest.h"
#include "model/text.h"

namespace obslint {
namespace {

using yaml::Node;

Located<std::string> ScalarAt(const Node* map, std::string_view key, const std::string& file,
                              std::vector<LoadFinding>& findings) {
  const Node* node = map ? map->Get(key) : nullptr;
  if (node == nullptr || node->IsNull()) return {};
  if (!node->IsScalar()) {
    ReportWrongType(node, file, key, "a string", findings);
    return {};
  }
  return LocatedScalar(node, file);
}

// Items of a list that must be mappings; others are reported and skipped.
bool IsMapItem(const Node* item, std::string_view list, const std::string& file,
               std::vector<LoadFinding>& findings) {
  if (item->IsMap()) return true;
  if (!item->IsNull()) {
    ReportInvalid(item, file,
           fmt::format("items of \"{}\" must be mappings, not {}", list, item->KindName()),
           findings);
  }
  return false;
}

// Every `datasourceUid` below jsonData, wherever the plugin keeps it
// (derivedFields[], tracesToLogs, tracesToLogsV2, tracesToMetrics,
// tracesToProfiles, serviceMap, exemplarTraceIdDestinations[], lokiSearch...).
// Aliased nodes are visited once, so an alias bomb costs nothing.
void CollectUids(const Node* node, const std::string& file, std::unordered_set<const Node*>& seen,
                 std::vector<Located<std::string>>& out) {
  if (node == nullptr || !seen.insert(node).second) return;
  if (node->IsSequence()) {
    for (const Node* item : node->items) CollectUids(item, file, seen, out);
  } else if (node->IsMap()) {
    for (const auto& [key, value] : node->entries) {
      if (key->IsScalar() && key->scalar == "datasourceUid") {
        if (value->IsScalar() && !value->scalar.empty()) out.push_back(LocatedScalar(value, file));
      } else {
        CollectUids(value, file, seen, out);
      }
    }
  }
}

// Keys of a datasource in provisioning apiVersion 1, from Grafana's
// pkg/services/provisioning/datasources/types.go (upsertDataSourceFromConfigV1);
// `password` and `basicAuthPassword` were read until Grafana 9 and are kept so
// old stacks get no false alarm. `apiVersion` and `readOnly` are not read
// either, but Grafana's own examples put them there and they do no harm.
// Grafana ignores any other key silently.
constexpr std::string_view kDatasourceKeys[] = {
    "orgId",     "version",         "name",          "type",         "access",
    "url",       "user",            "database",      "basicAuth",    "basicAuthUser",
    "isDefault", "withCredentials", "correlations",  "jsonData",     "secureJsonData",
    "editable",  "uid",             "password",      "basicAuthPassword", "apiVersion",
    "readOnly"};

// OBS104 for datasource keys Grafana would drop without a word (`isdefault`,
// `jsondata`, a plugin setting outside jsonData).
void CheckDatasourceKeys(const Node* item, const Located<std::string>& name,
                         const std::string& file, std::vector<LoadFinding>& findings) {
  for (const auto& [key, value] : item->entries) {
    if (!key->IsScalar()) continue;
    std::string_view text = key->scalar;
    if (std::find(std::begin(kDatasourceKeys), std::end(kDatasourceKeys), text) != std::end(kDatasourceKeys))
      continue;
    const std::string suggestion =
        ClosestKey(text, std::vector<std::string_view>(std::begin(kDatasourceKeys), std::end(kDatasourceKeys)));
    const std::string did_you_mean = suggestion.empty() ? "" : fmt::format("; did you mean \"{}\"?", suggestion);
    LoadFinding f;
    f.code = "OBS104";
    f.loc = yaml::LocationOf(key, file);
    f.message = name.present
                    ? fmt::format("unknown key \"{}\" in datasource \"{}\"; Grafana ignores it{}",
                                  text, name.value, did_you_mean)
                    : fmt::format("unknown key \"{}\" in datasource; Grafana ignores it{}", text, did_you_mean);
    if (suggestion.empty()) f.help = "plugin settings belong under jsonData, secrets under secureJsonData";
    findings.push_back(std::move(f));
  }
}

void ReadDatasource(const Node* item, const std::string& file, bool check_keys,
                    GrafanaDatasource& ds, std::vector<LoadFinding>& findings) {
  ds.loc = yaml::LocationOf(item, file);
  ds.node = item;
  ds.name = ScalarAt(item, "name", file, findings);
  ds.type = ScalarAt(item, "type", file, findings);
  ds.uid = ScalarAt(item, "uid", file, findings);
  ds.url = ScalarAt(item, "url", file, findings);
  ds.access = ScalarAt(item, "access", file, findings);
  if (check_keys) CheckDatasourceKeys(item, ds.name, file, findings);

  // Grafana puts a datasource without orgId into the main org.
  ds.org_id.value = 1;
  ds.org_id.loc = ds.loc;
  if (Located<std::string> org = ScalarAt(item, "orgId", file, findings); org.present) {
    int value = 0;
    const char* end = org.value.data() + org.value.size();
    auto [ptr, ec] = std::from_chars(org.value.data(), end, value);
    if (ec == std::errc() && ptr == end) ds.org_id = Located<int>(value, org.loc);
  }
  if (Located<std::string> def = ScalarAt(item, "isDefault", file, findings); def.present) {
    bool value = false;
    if (ParseGoBool(def.value, value)) ds.is_default = Located<bool>(value, def.loc);
  }

  ds.json_data = MapAt(item, "jsonData", file, findings);
  ds.secure_json_data = MapAt(item, "secureJsonData", file, findings);
  ds.basic_auth_password = ScalarAt(ds.secure_json_data, "basicAuthPassword", file, findings);
  // Before Grafana 9 the password could also sit beside basicAuthUser.
  if (!ds.basic_auth_password.present)
    ds.basic_auth_password = ScalarAt(item, "basicAuthPassword", file, findings);

  std::unordered_set<const Node*> seen;
  CollectUids(ds.json_data, file, seen, ds.referenced_uids);
}

bool CheckRoot(const Node* root, const std::string& file, std::string_view what,
               std::vector<LoadFinding>& findings) {
  if (root == nullptr || root->IsNull()) return false;
  if (root->IsMap()) return true;
  ReportInvalid(root, file, fmt::format("a Grafana {} file must be a mapping, not {}", what,
                                 root->KindName()),
         findings);
  return false;
}

}  // namespace

void ParseGrafanaDatasources(const SourceFile& file, GrafanaDatasourceFile& out,
                             std::vector<LoadFinding>& findings) {
  out.source = &file;
  const Node* root = file.yaml.root;
  if (!CheckRoot(root, file.path, "datasource provisioning", findings)) return;
  // Without apiVersion Grafana reads the snake_case keys of version 0.
  const Node* api_version = root->Get("apiVersion");
  bool v1 = api_version != nullptr && api_version->IsScalar() && !api_version->scalar.empty() &&
            api_version->scalar != "0";

  if (const Node* list = ListAt(root, "datasources", file.path, findings)) {
    for (const Node* item : list->items) {
      if (!IsMapItem(item, "datasources", file.path, findings)) continue;
      GrafanaDatasource ds;
      ReadDatasource(item, file.path, v1, ds, findings);
      out.datasources.push_back(std::move(ds));
    }
  }
  if (const Node* list = ListAt(root, "deleteDatasources", file.path, findings)) {
    for (const Node* item : list->items) {
      if (!IsMapItem(item, "deleteDatasources", file.path, findings)) continue;
      Located<std::string> name = ScalarAt(item, "name", file.path, findings);
      if (name.present) out.delete_names.push_back(std::move(name));
    }
  }
}

void ParseGrafanaDashboards(const SourceFile& file, GrafanaDashboardFile& out,
                            std::vector<LoadFinding>& findings) {
  out.source = &file;
  const Node* root = file.yaml.root;
  if (!CheckRoot(root, file.path, "dashboard provisioning", findings)) return;

  const Node* list = ListAt(root, "providers", file.path, findings);
  if (list == nullptr) return;
  for (const Node* item : list->items) {
    if (!IsMapItem(item, "providers", file.path, findings)) continue;
    GrafanaDashboardProvider p;
    p.loc = yaml::LocationOf(item, file.path);
    p.name = ScalarAt(item, "name", file.path, findings);
    p.type = ScalarAt(item, "type", file.path, findings);
    const Node* options = MapAt(item, "options", file.path, findings);
    p.path = ScalarAt(options, "path", file.path, findings);
    p.folder = ScalarAt(item, "folder", file.path, findings);
    p.folder_uid = ScalarAt(item, "folderUid", file.path, findings);
    p.org_id.value = 1;
    if (Located<std::string> org = ScalarAt(item, "orgId", file.path, findings); org.present) {
      int value = 0;
      const char* end = org.value.data() + org.value.size();
      auto [ptr, ec] = std::from_chars(org.value.data(), end, value);
      if (ec == std::errc() && ptr == end && value > 0) p.org_id = Located<int>(value, org.loc);
    }
    if (Located<std::string> ffs = ScalarAt(options, "foldersFromFilesStructure", file.path, findings);
        ffs.present) {
      bool value = false;
      if (ParseGoBool(ffs.value, value)) p.folders_from_files_structure = Located<bool>(value, ffs.loc);
    }
    out.providers.push_back(std::move(p));
  }
}

}  // namespace obslint
