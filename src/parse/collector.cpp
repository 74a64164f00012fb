// OpenTelemetry Collector configuration: components, pipelines, service.
//
// The collector decodes its YAML with mapstructure, so a value of the wrong
// kind (a list where a map is required) stops it at startup. Those are OBS103;
// everything else is read as far as it goes so the rules still see it.
#include <fmt/format.h>

#include <string>
#include <string_view>

#include "parse/parsers.h"

namespace obslint {
namespace {

using yaml::Kind;
using yaml::Node;

constexpr std::string_view kComponentKinds[] = {"receivers", "processors", "exporters",
                                                "extensions", "connectors"};

// "otlp/jaeger" -> type "otlp", name "jaeger"; the name may itself hold '/'.
void SplitId(std::string_view id, std::string& type, std::string& name) {
  size_t slash = id.find('/');
  type = std::string(id.substr(0, slash));
  name = slash == std::string_view::npos ? "" : std::string(id.substr(slash + 1));
}

ComponentRef MakeRef(const Node* item, const std::string& file) {
  ComponentRef ref;
  ref.id = item->scalar;
  SplitId(ref.id, ref.type, ref.name);
  ref.loc = yaml::LocationOf(item, file);
  return ref;
}

// A list of component ids (`exporters: [otlp, debug]`). A single scalar is
// taken as a one-item list rather than reported: mapstructure's weak decoding
// in some collector versions accepts it, and a false alarm is worse than a miss.
std::vector<ComponentRef> ReadRefs(const Node* node, std::string_view what,
                                   const std::string& file, std::vector<LoadFinding>& findings) {
  std::vector<ComponentRef> refs;
  if (node == nullptr || node->IsNull()) return refs;
  if (node->IsScalar()) {
    refs.push_back(MakeRef(node, file));
    return refs;
  }
  if (!node->IsSequence()) {
    ReportWrongType(node, file, what, "a list", findings);
    return refs;
  }
  for (const Node* item : node->items) {
    if (item->IsScalar()) {
      refs.push_back(MakeRef(item, file));
    } else if (!item->IsNull()) {
      ReportInvalid(item, file,
             fmt::format("items of \"{}\" must be component ids, not {}", what, item->KindName()),
             findings);
    }
  }
  return refs;
}

void ReadComponents(const Node* root, std::string_view kind, const std::string& file,
                    CollectorConfig& out, std::vector<LoadFinding>& findings) {
  const Node* map = MapAt(root, kind, file, findings);
  if (map == nullptr) return;
  for (const auto& [key, value] : map->entries) {
    if (!key->IsScalar()) continue;
    CollectorComponent c;
    c.kind = std::string(kind);
    c.id = key->scalar;
    SplitId(c.id, c.type, c.name);
    c.loc = yaml::LocationOf(key, file);
    // `otlp:` with nothing after it is the component with its defaults.
    if (value->IsMap() || value->IsNull()) {
      c.config = value;
    } else {
      ReportWrongType(value, file, c.id, "a mapping", findings);
    }
    out.components.push_back(std::move(c));
  }
}

void ReadPipelines(const Node* service, const std::string& file, CollectorConfig& out,
                   std::vector<LoadFinding>& findings) {
  const Node* pipelines = MapAt(service, "pipelines", file, findings);
  if (pipelines == nullptr) return;
  for (const auto& [key, value] : pipelines->entries) {
    if (!key->IsScalar()) continue;
    CollectorPipeline p;
    p.id = key->scalar;
    p.signal = p.id.substr(0, p.id.find('/'));
    p.loc = yaml::LocationOf(key, file);
    if (value->IsMap()) {
      p.has_receivers_key = value->KeyNode("receivers") != nullptr;
      p.has_exporters_key = value->KeyNode("exporters") != nullptr;
      p.receivers = ReadRefs(value->Get("receivers"), "receivers", file, findings);
      p.processors = ReadRefs(value->Get("processors"), "processors", file, findings);
      p.exporters = ReadRefs(value->Get("exporters"), "exporters", file, findings);
    } else if (!value->IsNull()) {
      ReportWrongType(value, file, p.id, "a mapping", findings);
    }
    out.pipelines.push_back(std::move(p));
  }
}

}  // namespace

const CollectorComponent* CollectorConfig::Find(std::string_view kind, std::string_view id) const {
  for (const CollectorComponent& c : components)
    if (c.kind == kind && c.id == id) return &c;
  return nullptr;
}

void ParseCollector(const SourceFile& file, CollectorConfig& out,
                    std::vector<LoadFinding>& findings) {
  out.source = &file;
  const Node* root = file.yaml.root;
  if (root == nullptr || root->IsNull()) return;
  if (!root->IsMap()) {
    ReportInvalid(root, file.path,
           fmt::format("a collector configuration must be a mapping, not {}", root->KindName()),
           findings);
    return;
  }
  for (std::string_view kind : kComponentKinds)
    ReadComponents(root, kind, file.path, out, findings);

  const Node* service = MapAt(root, "service", file.path, findings);
  if (service == nullptr) return;
  out.service_extensions = ReadRefs(service->Get("extensions"), "extensions", file.path, findings);
  ReadPipelines(service, file.path, out, findings);
  const Node* telemetry = service->Get("telemetry");
  if (telemetry != nullptr && !telemetry->IsNull()) {
    if (telemetry->IsMap()) {
      out.telemetry = telemetry;
    } else {
      ReportWrongType(telemetry, file.path, "telemetry", "a mapping", findings);
    }
  }
}

}  // namespace obslint
