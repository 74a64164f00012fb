// Grafana alerting provisioning files (provisioning/alerting/*.yaml, apiVersion
// 1): rule groups, contact points, notification policies, templates, mute
// timings and the delete lists. Grafana's reader is
// pkg/services/provisioning/alerting (rules_types.go, contact_point_types.go,
// notification_policy_types.go, ...): organisation ids default to 1, and the
// scalar fields are read through the provisioning `values` package, which
// expands $VAR (so a value with `$` is not judged by the rules).
//
// Only the parts the rules read are typed here; the YAML tree stays in the
// SourceFile, with positions, for the key tables (OBS104).
#include <fmt/format.h>

#include <charconv>
#include <string>

#include "parse/parsers.h"

namespace obslint {
namespace {

using yaml::Node;

Located<std::string> Scalar(const Node* map, std::string_view key, const std::string& file) {
  const Node* n = map != nullptr ? map->Get(key) : nullptr;
  if (n == nullptr || !n->IsScalar()) return {};
  return LocatedScalar(n, file);
}

// orgId: a number (or a string holding one); anything else leaves the default.
int OrgOf(const Node* map, std::string_view key = "orgId") {
  const Node* n = map != nullptr ? map->Get(key) : nullptr;
  if (n == nullptr || !n->IsScalar()) return 1;
  int value = 0;
  const std::string& s = n->scalar;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || value < 1) return 1;
  return value;
}

class AlertingReader {
 public:
  AlertingReader(const SourceFile& file, GrafanaAlertingFile& out, std::vector<LoadFinding>& findings)
      : file_(file), path_(file.path), out_(out), findings_(findings) {}

  void Run() {
    const Node* root = file_.yaml.root;
    if (root == nullptr || root->IsNull()) return;
    if (!root->IsMap()) {
      ReportInvalid(root, path_,
                    fmt::format("a Grafana alerting provisioning file must be a mapping, not {}",
                                root->KindName()),
                    findings_);
      return;
    }
    for (const Node* group : Items(root, "groups")) ReadGroup(group);
    for (const Node* cp : Items(root, "contactPoints")) ReadContactPoint(cp);
    for (const Node* policy : Items(root, "policies")) ReadRoute(policy, OrgOf(policy), 0);
    for (const Node* t : Items(root, "templates")) Name(t, "name", out_.templates);
    for (const Node* m : Items(root, "muteTimes")) Name(m, "name", out_.mute_times);
    for (const Node* d : Items(root, "deleteRules")) Name(d, "uid", out_.delete_rules);
    for (const Node* d : Items(root, "deleteContactPoints")) Name(d, "uid", out_.delete_contact_points);
    for (const Node* d : Items(root, "deleteTemplates")) Name(d, "name", out_.delete_templates);
    for (const Node* d : Items(root, "deleteMuteTimes")) Name(d, "name", out_.delete_mute_times);
    if (const Node* list = ListAt(root, "resetPolicies", path_, findings_)) {
      for (const Node* item : list->items) {
        if (!item->IsScalar()) continue;
        int org = 0;
        auto [ptr, ec] = std::from_chars(item->scalar.data(), item->scalar.data() + item->scalar.size(), org);
        if (ec == std::errc()) out_.reset_policies.push_back(Located<int>(org, yaml::LocationOf(item, path_)));
      }
    }
  }

 private:
  // Mapping items of list `key` (others reported, null items skipped).
  std::vector<const Node*> Items(const Node* parent, std::string_view key) {
    std::vector<const Node*> out;
    const Node* list = ListAt(parent, key, path_, findings_);
    if (list == nullptr) return out;
    for (const Node* item : list->items) {
      if (item->IsMap()) {
        out.push_back(item);
      } else if (!item->IsNull()) {
        ReportInvalid(item, path_,
                      fmt::format("items of \"{}\" must be mappings, not {}", key, item->KindName()),
                      findings_);
      }
    }
    return out;
  }

  void Name(const Node* item, std::string_view key, std::vector<Located<std::string>>& into) {
    Located<std::string> v = Scalar(item, key, path_);
    if (v.present) into.push_back(std::move(v));
  }

  void ReadGroup(const Node* group) {
    int org = OrgOf(group);
    std::string name = Scalar(group, "name", path_).value;
    std::string folder = Scalar(group, "folder", path_).value;
    for (const Node* item : Items(group, "rules")) {
      GrafanaAlertRule& rule = out_.rules.emplace_back();
      rule.loc = yaml::LocationOf(item, path_);
      rule.org_id = org;
      rule.group = name;
      rule.folder = folder;
      rule.uid = Scalar(item, "uid", path_);
      rule.title = Scalar(item, "title", path_);
      rule.condition = Scalar(item, "condition", path_);
      // A recording rule names the query it records instead of a condition.
      if (!rule.condition.present) {
        if (const Node* record = MapAt(item, "record", path_, findings_))
          rule.condition = Scalar(record, "from", path_);
      }
      for (const Node* q : Items(item, "data")) {
        GrafanaAlertQuery& query = rule.data.emplace_back();
        query.loc = yaml::LocationOf(q, path_);
        query.ref_id = Scalar(q, "refId", path_);
        query.datasource_uid = Scalar(q, "datasourceUid", path_);
        query.model = q->Get("model");
      }
      if (const Node* ns = MapAt(item, "notification_settings", path_, findings_))
        rule.receiver = Scalar(ns, "receiver", path_);
    }
  }

  void ReadContactPoint(const Node* item) {
    GrafanaContactPoint& cp = out_.contact_points.emplace_back();
    cp.loc = yaml::LocationOf(item, path_);
    cp.org_id = OrgOf(item);
    cp.name = Scalar(item, "name", path_);
    for (const Node* r : Items(item, "receivers")) {
      GrafanaContactPointReceiver& rec = cp.receivers.emplace_back();
      rec.loc = yaml::LocationOf(r, path_);
      rec.uid = Scalar(r, "uid", path_);
      rec.type = Scalar(r, "type", path_);
      const Node* settings = r->Get("settings");
      if (settings != nullptr && settings->IsMap()) rec.settings = settings;
    }
  }

  // A policy tree: the root and every nested route may name a receiver.
  void ReadRoute(const Node* route, int org, int depth) {
    if (depth > 64) return;
    Located<std::string> receiver = Scalar(route, "receiver", path_);
    if (receiver.present && !receiver.value.empty()) out_.policy_receivers.push_back({org, receiver});
    for (const Node* child : Items(route, "routes")) ReadRoute(child, org, depth + 1);
  }

  const SourceFile& file_;
  const std::string& path_;
  GrafanaAlertingFile& out_;
  std::vector<LoadFinding>& findings_;
};

}  // namespace

void ParseGrafanaAlerting(const SourceFile& file, GrafanaAlertingFile& out,
                          std::vector<LoadFinding>& findings) {
  out.source = &file;
  AlertingReader(file, out, findings).Run();
}

}  // namespace obslint
