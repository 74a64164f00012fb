#include "rules/collector/collector_common.h"

#include <fmt/format.h>

#include <algorithm>

namespace obslint::collector {

std::string Runtime::Short() const {
  if (service.empty()) return fmt::format("collector {}", version.ToString());
  return fmt::format("{} {}", family, version.ToString());
}

std::string Runtime::Describe() const {
  if (service.empty()) {
    return fmt::format(
        "the newest collector release known to obslint ({}; no "
        "compose service runs this file)",
        version.ToString());
  }
  if (version_assumed) {
    if (tag.empty()) {
      return fmt::format(
          "{} {} (the image has no version tag; assumed the "
          "newest release known "
          "to obslint)",
          family, version.ToString());
    }
    return fmt::format(
        "{} {} (the image tag \"{}\" pins no version; assumed "
        "the newest release "
        "known to obslint)",
        family, version.ToString(), tag);
  }
  return Short();
}

std::vector<Runtime> RuntimesOf(const Project &p, const Knowledge &k,
                                const CollectorConfig &config) {
  std::vector<Runtime> out;
  for (const std::string &name : config.services) {
    const ComposeService *s = p.compose.Service(name);
    if (s == nullptr) continue;
    Runtime r;
    r.service = name;
    r.tag = s->image.tag;
    std::shared_ptr<const ImageInfo> info;
    if (s->image.text.present && !s->image.text.value.empty()) info = k.Image(s->image.text.value);
    // A `build:` service or an image obslint does not know may be any custom
    // collector build: its components and version are unknown.
    if (info && info->config_kind == "collector" && !info->distribution.empty() && !s->has_build) {
      r.official = true;
      r.family = info->family;
      r.distribution = info->distribution;
      r.version = info->version;
      r.version_assumed = info->version_assumed;
      r.version_usable = info->version.known;
      // "image:repo:${UNSET}" resolves to an empty tag: the intended version
      // is unknown, which is not the same as "latest".
      if (r.tag.empty() && s->image.digest.empty() && s->image.text.value.ends_with(':'))
        r.version_usable = false;
    }
    bool duplicate = std::any_of(out.begin(), out.end(), [&](const Runtime &o) {
      return o.official == r.official && o.distribution == r.distribution &&
             o.version == r.version && o.version_assumed == r.version_assumed;
    });
    if (!duplicate) out.push_back(std::move(r));
  }
  if (out.empty()) {
    Runtime r;
    r.version = k.Collector().newest;
    r.version_assumed = true;
    r.version_usable = r.version.known;
    out.push_back(std::move(r));
  }
  return out;
}

bool IsMerged(const Project &p, const CollectorConfig &config) {
  for (const std::string &name : config.services) {
    for (const CollectorConfig &other : p.collectors) {
      if (&other == &config) continue;
      if (std::find(other.services.begin(), other.services.end(), name) != other.services.end())
        return true;
    }
    const ComposeService *s = p.compose.Service(name);
    if (s == nullptr) continue;
    int configs = 0;
    for (const Located<std::string> *arg : s->Args()) {
      std::string_view word = arg->value;
      if (word.starts_with("--config") || word.starts_with("-config")) ++configs;
      if (word.starts_with("--set") || word.starts_with("-set")) return true;
    }
    if (configs > 1) return true;
  }
  return false;
}

std::optional<ComponentKind> KindOfSection(std::string_view section) {
  if (section == "receivers") return ComponentKind::kReceiver;
  if (section == "processors") return ComponentKind::kProcessor;
  if (section == "exporters") return ComponentKind::kExporter;
  if (section == "extensions") return ComponentKind::kExtension;
  if (section == "connectors") return ComponentKind::kConnector;
  return std::nullopt;
}

std::string Singular(std::string_view section) {
  if (section.ends_with('s')) section.remove_suffix(1);
  return std::string(section);
}

std::vector<Use> UsesOf(const CollectorConfig &config, std::string_view id, std::string_view side) {
  std::vector<Use> uses;
  for (const CollectorPipeline &pl : config.pipelines) {
    const std::vector<ComponentRef> *refs = side == "receivers"    ? &pl.receivers
                                            : side == "processors" ? &pl.processors
                                                                   : &pl.exporters;
    for (const ComponentRef &ref : *refs)
      if (ref.id == id) uses.push_back({&pl, &ref, side});
  }
  return uses;
}

int EditDistance(std::string_view a, std::string_view b) {
  if (a.size() > 64 || b.size() > 64) return 99;
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

bool IsKnownSignal(std::string_view signal) {
  return signal == "traces" || signal == "metrics" || signal == "logs" || signal == "profiles";
}

}  // namespace obslint::collector
