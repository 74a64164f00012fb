// Loki configuration: the values the rules cross-check with Compose (ports,
// data directories, schema, ruler, retention).
//
// Loki decodes its YAML strictly (yaml.v2 UnmarshalStrict), so a block of the
// wrong kind stops it at startup: OBS103. Values holding `${VAR}` are left
// alone because `-config.expand-env=true` resolves them at runtime.
#include <fmt/format.h>

#include <charconv>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "parse/parsers.h"

namespace obslint {
namespace {

using yaml::Node;
using Path = std::vector<std::string_view>;

class Reader {
 public:
  Reader(const std::string& file, std::vector<LoadFinding>& findings)
      : file_(file), findings_(findings) {}

  // The node at `path` below `root`, or nullptr. Blocks on the way that are
  // not mappings are reported once each.
  const Node* At(const Node* root, const Path& path) {
    const Node* node = root;
    std::string dotted;
    for (std::string_view key : path) {
      if (node == nullptr || node->IsNull()) return nullptr;
      if (!node->IsMap()) {
        WrongType(node, dotted, "a mapping");
        return nullptr;
      }
      if (!dotted.empty()) dotted += '.';
      dotted += key;
      node = node->Get(key);
    }
    return node;
  }

  Located<std::string> String(const Node* root, const Path& path) {
    const Node* node = At(root, path);
    if (node == nullptr || node->IsNull()) return {};
    if (!node->IsScalar()) {
      WrongType(node, Dotted(path), "a string");
      return {};
    }
    return LocatedScalar(node, file_);
  }

  Located<int> Int(const Node* root, const Path& path) {
    const Node* node = At(root, path);
    if (node == nullptr || node->IsNull()) return {};
    if (!node->IsScalar()) {
      WrongType(node, Dotted(path), "an integer");
      return {};
    }
    std::string_view text = node->scalar;
    if (text.find('$') != std::string_view::npos) return {};
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
      Report(node, fmt::format("\"{}\" must be an integer, not \"{}\"", Dotted(path), text));
      return {};
    }
    return Located<int>(value, yaml::LocationOf(node, file_));
  }

  Located<bool> Bool(const Node* root, const Path& path) {
    const Node* node = At(root, path);
    if (node == nullptr || node->IsNull()) return {};
    if (!node->IsScalar()) {
      WrongType(node, Dotted(path), "true or false");
      return {};
    }
    std::string_view text = node->scalar;
    if (text.find('$') != std::string_view::npos) return {};
    static constexpr std::string_view kTrue[] = {"true", "True", "TRUE", "yes", "Yes", "YES",
                                                 "on", "On", "ON", "y", "Y"};
    static constexpr std::string_view kFalse[] = {"false", "False", "FALSE", "no", "No", "NO",
                                                  "off", "Off", "OFF", "n", "N"};
    for (std::string_view t : kTrue)
      if (text == t) return Located<bool>(true, yaml::LocationOf(node, file_));
    for (std::string_view f : kFalse)
      if (text == f) return Located<bool>(false, yaml::LocationOf(node, file_));
    Report(node, fmt::format("\"{}\" must be true or false, not \"{}\"", Dotted(path), text));
    return {};
  }

  void WrongType(const Node* node, const std::string& what, std::string_view expected) {
    if (!reported_.insert(node).second) return;
    ReportWrongType(node, file_, what, expected, findings_);
  }

  void Report(const Node* node, std::string message) {
    if (!reported_.insert(node).second) return;
    ReportInvalid(node, file_, std::move(message), findings_);
  }

  const std::string& file() const { return file_; }

 private:
  static std::string Dotted(const Path& path) {
    std::string out;
    for (std::string_view key : path) {
      if (!out.empty()) out += '.';
      out += key;
    }
    return out;
  }

  const std::string& file_;
  std::vector<LoadFinding>& findings_;
  std::set<const Node*> reported_;
};

}  // namespace

void ParseLoki(const SourceFile& file, LokiConfig& out, std::vector<LoadFinding>& findings) {
  out.source = &file;
  const Node* root = file.yaml.root;
  if (root == nullptr || root->IsNull()) return;
  Reader r(file.path, findings);
  if (!root->IsMap()) {
    r.Report(root, fmt::format("a Loki configuration must be a mapping, not {}", root->KindName()));
    return;
  }

  out.auth_enabled = r.Bool(root, {"auth_enabled"});
  out.http_listen_port = r.Int(root, {"server", "http_listen_port"});
  out.grpc_listen_port = r.Int(root, {"server", "grpc_listen_port"});
  out.path_prefix = r.String(root, {"common", "path_prefix"});

  const Path kDataPaths[] = {
      {"common", "storage", "filesystem", "chunks_directory"},
      {"common", "storage", "filesystem", "rules_directory"},
      {"storage_config", "boltdb_shipper", "active_index_directory"},
      {"storage_config", "boltdb_shipper", "cache_location"},
      {"storage_config", "tsdb_shipper", "active_index_directory"},
      {"storage_config", "tsdb_shipper", "cache_location"},
      {"storage_config", "filesystem", "directory"},
      {"compactor", "working_directory"},
      {"ruler", "rule_path"},
  };
  for (const auto& path : kDataPaths) {
    Located<std::string> dir = r.String(root, path);
    if (dir.present && !dir.value.empty()) out.data_paths.push_back(std::move(dir));
  }

  if (const Node* configs = r.At(root, {"schema_config", "configs"});
      configs != nullptr && !configs->IsNull()) {
    if (!configs->IsSequence()) {
      r.WrongType(configs, "schema_config.configs", "a list");
    } else {
      for (const Node* item : configs->items) {
        if (item->IsNull()) continue;
        if (!item->IsMap()) {
          r.Report(item, fmt::format("items of \"schema_config.configs\" must be mappings, not {}",
                                     item->KindName()));
          continue;
        }
        LokiSchema schema;
        schema.from = r.String(item, {"from"});
        schema.store = r.String(item, {"store"});
        schema.object_store = r.String(item, {"object_store"});
        schema.schema = r.String(item, {"schema"});
        out.schemas.push_back(std::move(schema));
      }
    }
  }

  out.alertmanager_url = r.String(root, {"ruler", "alertmanager_url"});
  out.retention_period = r.String(root, {"limits_config", "retention_period"});
  out.retention_enabled = r.Bool(root, {"compactor", "retention_enabled"});
}

}  // namespace obslint
