// Prometheus scrape configuration, also read for vmagent's
// -promscrape.config (the same format): static scrape targets, remote_write
// URLs and Alertmanager targets, i.e. everything that names another service.
#include <fmt/format.h>

#include <string>
#include <string_view>

#include "parse/parsers.h"

namespace obslint {
namespace {

using yaml::Node;

class Reader {
 public:
  Reader(const std::string& file, std::vector<LoadFinding>& findings)
      : file_(file), findings_(findings) {}

  // The value under `key` when it has the `want` kind; nullptr when absent,
  // empty, or of another kind (reported).
  const Node* Get(const Node* map, std::string_view key, yaml::Kind want) {
    const Node* node = map ? map->Get(key) : nullptr;
    if (node == nullptr || node->IsNull()) return nullptr;
    if (node->kind == want) return node;
    ReportWrongType(node, file_, key, ExpectedName(want), findings_);
    return nullptr;
  }

  // Items of a list of mappings; other items are reported and skipped.
  std::vector<const Node*> MapItems(const Node* map, std::string_view key) {
    std::vector<const Node*> out;
    const Node* list = Get(map, key, yaml::Kind::kSequence);
    if (list == nullptr) return out;
    for (const Node* item : list->items) {
      if (item->IsMap()) {
        out.push_back(item);
      } else if (!item->IsNull()) {
        Report(item,
               fmt::format("items of \"{}\" must be mappings, not {}", key, item->KindName()));
      }
    }
    return out;
  }

  Located<std::string> Scalar(const Node* map, std::string_view key) {
    const Node* node = Get(map, key, yaml::Kind::kScalar);
    return node ? LocatedScalar(node, file_) : Located<std::string>();
  }

  // `targets: [a:1, b:2]` of every static_configs item.
  std::vector<Located<std::string>> StaticTargets(const Node* config) {
    std::vector<Located<std::string>> out;
    for (const Node* sc : MapItems(config, "static_configs")) {
      const Node* targets = Get(sc, "targets", yaml::Kind::kSequence);
      if (targets == nullptr) continue;
      for (const Node* t : targets->items) {
        if (t->IsScalar()) {
          out.push_back(LocatedScalar(t, file_));
        } else if (!t->IsNull()) {
          Report(t, fmt::format("items of \"targets\" must be \"host:port\" strings, not {}",
                                t->KindName()));
        }
      }
    }
    return out;
  }

  void Report(const Node* node, std::string message) {
    ReportInvalid(node, file_, std::move(message), findings_);
  }

 private:
  static std::string_view ExpectedName(yaml::Kind kind) {
    switch (kind) {
      case yaml::Kind::kScalar: return "a string";
      case yaml::Kind::kSequence: return "a list";
      case yaml::Kind::kMap: return "a mapping";
      case yaml::Kind::kNull: break;
    }
    return "empty";
  }

  const std::string& file_;
  std::vector<LoadFinding>& findings_;
};

}  // namespace

void ParsePrometheus(const SourceFile& file, PrometheusConfig& out,
                     std::vector<LoadFinding>& findings) {
  out.source = &file;
  const Node* root = file.yaml.root;
  if (root == nullptr || root->IsNull()) return;
  Reader r(file.path, findings);
  if (!root->IsMap()) {
    r.Report(root, fmt::format("a scrape configuration must be a mapping, not {}",
                               root->KindName()));
    return;
  }

  for (const Node* job : r.MapItems(root, "scrape_configs")) {
    Located<std::string> name = r.Scalar(job, "job_name");
    Located<std::string> scheme = r.Scalar(job, "scheme");
    Located<std::string> path = r.Scalar(job, "metrics_path");
    for (Located<std::string>& target : r.StaticTargets(job)) {
      ScrapeTarget t;
      t.target = std::move(target);
      t.job = name.value;
      if (scheme.present && !scheme.value.empty()) t.scheme = scheme.value;
      if (path.present && !path.value.empty()) t.metrics_path = path.value;
      out.targets.push_back(std::move(t));
    }
  }

  for (const Node* rw : r.MapItems(root, "remote_write")) {
    Located<std::string> url = r.Scalar(rw, "url");
    if (url.present) out.remote_write_urls.push_back(std::move(url));
  }

  if (const Node* alerting = r.Get(root, "alerting", yaml::Kind::kMap)) {
    for (const Node* am : r.MapItems(alerting, "alertmanagers")) {
      for (Located<std::string>& target : r.StaticTargets(am))
        out.alertmanager_targets.push_back(std::move(target));
    }
  }
}

}  // namespace obslint
