// OBS402 no-retention: Loki deletes nothing unless the compactor runs with
// `retention_enabled: true` AND `limits_config.retention_period` (or a
// per-stream `retention_stream`) is non-zero; the default period 0 means
// "keep forever" (grafana.com/docs/loki/latest/operations/storage/retention/).
//
// The legacy table manager (`table_manager.retention_deletes_enabled`) and
// per-tenant overrides in a runtime config file can also set retention; when
// either is present obslint cannot see the whole picture and stays silent.
#include <fmt/format.h>

#include <string>
#include <string_view>

#include "rules/rules.h"

namespace obslint {
namespace {

using yaml::Node;

const Node* At(const Node* node, std::initializer_list<std::string_view> path) {
  for (std::string_view key : path) {
    if (node == nullptr || !node->IsMap()) return nullptr;
    node = node->Get(key);
  }
  return node;
}

bool HasVariable(const Node* node) {
  return node != nullptr && node->IsScalar() && node->scalar.find('$') != std::string::npos;
}

// Prometheus-style durations ("744h", "31d", "0s", "1w2d"): zero when every
// number in it is zero.
bool IsZeroDuration(std::string_view text) {
  bool digit = false;
  for (char c : text) {
    if (c >= '1' && c <= '9') return false;
    if (c == '0') digit = true;
  }
  return digit || text.empty();
}

}  // namespace

void CheckNoRetention(const Project& p, const Knowledge&, Reporter& r) {
  for (const LokiConfig& loki : p.lokis) {
    if (loki.source == nullptr) continue;
    const Node* root = loki.source->yaml.root;
    if (root == nullptr || !root->IsMap()) continue;
    const std::string& file = loki.source->path;

    // Retention decided elsewhere, or hidden behind variables: no claim.
    const Node* enabled = At(root, {"compactor", "retention_enabled"});
    const Node* period = At(root, {"limits_config", "retention_period"});
    if (HasVariable(enabled) || HasVariable(period)) continue;
    if (const Node* tm = At(root, {"table_manager", "retention_deletes_enabled"});
        tm != nullptr && (tm->IsTrue() || HasVariable(tm)))
      continue;
    if (At(root, {"runtime_config", "file"}) != nullptr) continue;

    bool is_enabled = loki.retention_enabled.present && loki.retention_enabled.value;
    const Node* streams = At(root, {"limits_config", "retention_stream"});
    bool has_streams = streams != nullptr && streams->IsSequence() && !streams->items.empty();
    bool has_period = loki.retention_period.present && !IsZeroDuration(loki.retention_period.value);

    const Node* limits_key = root->KeyNode("limits_config");
    Location fallback = limits_key ? yaml::LocationOf(limits_key, file) : Location{file, 1, 1};

    if (is_enabled && (has_period || has_streams)) continue;
    if (is_enabled) {
      Location loc = loki.retention_period.present ? loki.retention_period.loc
                     : limits_key != nullptr        ? fallback
                                                    : loki.retention_enabled.loc;
      r.Report("OBS402", loc,
               "compactor retention is enabled but limits_config.retention_period is 0 (the "
               "default), so Loki keeps logs forever and its storage grows without bound",
               "set `retention_period:` under limits_config, e.g. `retention_period: 744h` (31 "
               "days)");
    } else if (has_period || has_streams) {
      Location loc = has_period ? loki.retention_period.loc : yaml::LocationOf(streams, file);
      std::string set = has_period
                            ? fmt::format("retention_period is {}", loki.retention_period.value)
                            : std::string("retention_stream is set");
      r.Report("OBS402", loc,
               fmt::format("{} but compactor.retention_enabled is not true, so the compactor "
                           "never deletes logs and Loki's storage grows without bound",
                           set),
               "set `retention_enabled: true` under compactor (Loki 3 also needs "
               "`delete_request_store:` there, e.g. `filesystem`)");
    } else {
      r.Report("OBS402", fallback,
               "no retention is configured, so Loki keeps logs forever and its storage grows "
               "without bound",
               "set `retention_period:` under limits_config (e.g. `744h`) and "
               "`retention_enabled: true` under compactor");
    }
  }
}

}  // namespace obslint
