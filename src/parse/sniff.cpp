// Content sniffing: which config a YAML file is when no service's image and
// mount path say it. Only top-level keys are looked at. The neighbours that
// share key names are ruled out explicitly: Tempo and Mimir (ingester,
// compactor, server like Loki), promtail (scrape_configs like Prometheus),
// Alertmanager (receivers like the collector, but a list).
#include "parse/parsers.h"

namespace obslint {
namespace {

using yaml::Node;

bool Has(const Node* map, std::string_view key) { return map->KeyNode(key) != nullptr; }

bool IsCollector(const Node* root) {
  const Node* service = root->Get("service");
  if (service != nullptr && service->IsMap() && service->Get("pipelines") != nullptr) return true;
  const Node* receivers = root->Get("receivers");
  const Node* exporters = root->Get("exporters");
  return receivers != nullptr && receivers->IsMap() && exporters != nullptr && exporters->IsMap();
}

bool IsTempo(const Node* root) {
  const Node* storage = root->Get("storage");
  if (storage != nullptr && storage->Get("trace") != nullptr) return true;
  const Node* compactor = root->Get("compactor");
  if (compactor != nullptr && compactor->Get("compaction") != nullptr) return true;
  const Node* distributor = root->Get("distributor");
  if (distributor != nullptr && distributor->Get("receivers") != nullptr) return true;
  return Has(root, "metrics_generator") || Has(root, "stream_over_http_enabled") ||
         Has(root, "multi_tenancy_enabled");
}

bool IsMimir(const Node* root) {
  return Has(root, "blocks_storage") || Has(root, "multitenancy_enabled") ||
         Has(root, "ruler_storage") || Has(root, "alertmanager_storage") ||
         Has(root, "store_gateway") || (Has(root, "target") && Has(root, "limits"));
}

bool IsLoki(const Node* root) {
  // schema_config exists only in Loki; the rest are shared with Tempo/Mimir.
  if (Has(root, "schema_config")) return true;
  if (IsTempo(root) || IsMimir(root)) return false;
  return Has(root, "ingester") || (Has(root, "limits_config") && Has(root, "server")) ||
         (Has(root, "auth_enabled") && Has(root, "common"));
}

bool IsPrometheus(const Node* root) {
  // promtail: scrape_configs plus where to push (clients) and its positions file.
  if (Has(root, "clients") || Has(root, "positions") || Has(root, "client")) return false;
  const Node* scrape = root->Get("scrape_configs");
  if (scrape != nullptr && (scrape->IsSequence() || scrape->IsNull())) return true;
  const Node* remote_write = root->Get("remote_write");
  if (remote_write != nullptr && remote_write->IsSequence()) return true;
  return Has(root, "global") && Has(root, "rule_files");
}

bool IsList(const Node* node) { return node != nullptr && node->IsSequence(); }

}  // namespace

FileKind SniffKind(const yaml::Node* root) {
  if (root == nullptr || !root->IsMap()) return FileKind::kOther;
  if (IsCollector(root)) return FileKind::kCollector;
  if (IsList(root->Get("datasources")) || IsList(root->Get("deleteDatasources")))
    return FileKind::kGrafanaDatasources;
  if (IsList(root->Get("providers"))) return FileKind::kGrafanaDashboards;
  if (IsLoki(root)) return FileKind::kLoki;
  if (IsPrometheus(root)) return FileKind::kPrometheus;
  return FileKind::kOther;
}

}  // namespace obslint
