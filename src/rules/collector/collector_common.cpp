#include "rules/collector/collector_common.h"

#include <fmt/format.h>

#include <algorithm>

namespace obslint::collector {

std::string Runtime::Describe() const {
  if (service.empty())
    return "an unknown collector release (no compose service runs this file)";
  if (!official) return fmt::format("the image of service \"{}\"", service);
  return fmt::format("{} {}", family, version.Describe());
}

std::string Runtime::DescribeAt(const VersionRange &where) const {
  return fmt::format("{} {}", family.empty() ? std::string("collector") : family, where.Describe());
}

Judgement Runtime::JudgeOutside(const Version &since, const std::optional<Version> &until) const {
  Judgement before = obslint::Judge(version, Version{0, 0, 0, true}, since);
  Judgement after = until ? obslint::Judge(version, *until, std::nullopt) : Judgement{};
  if (before.Fully() || after.Fully()) return before.Fully() ? before : after;
  if (before) return before;
  return after;
}

std::vector<Runtime> RuntimesOf(const Project &p, const Knowledge &k,
                                const CollectorConfig &config) {
  const auto analysis = Analysis::Of(p, k);
  std::vector<Runtime> out;
  for (const std::string &name : config.services) {
    const ComposeService *s = p.compose.Service(name);
    if (s == nullptr) continue;
    const ServiceImage &image = analysis->Image(*s);
    const ImageInfo *info = image.Info();
    Runtime r;
    r.service = name;
    r.image = &image;
    // A `build:` service or an image obslint does not know may be any custom
    // collector build: its components and version are unknown.
    if (info && info->config_kind == "collector" && !info->distribution.empty() && !s->has_build) {
      r.official = true;
      r.family = info->family;
      r.distribution = info->distribution;
      r.version = image.version;
    }
    bool duplicate = std::any_of(out.begin(), out.end(), [&](const Runtime &o) {
      return o.official == r.official && o.distribution == r.distribution &&
             o.version.kind == r.version.kind && o.version.range == r.version.range;
    });
    if (!duplicate) out.push_back(std::move(r));
  }
  if (out.empty()) out.emplace_back();  // run by nothing: an unknown release
  return out;
}

Finding *ReportFor(Reporter &r, std::string_view code, const Judgement &j, const Runtime &rt,
                   Location loc, std::string message, std::string help) {
  auto fill = [&](const std::string &runtime) {
    std::string out = message;
    for (size_t at; (at = out.find(kRuntime)) != std::string::npos;) out.replace(at, kRuntime.size(), runtime);
    return out;
  };
  if (j.kind == Judgement::kYes) return &r.Report(code, loc, fill(rt.Describe()), std::move(help));
  if (j.kind != Judgement::kPartly) return nullptr;
  return &r.Report(code, Severity::kNote, loc,
                   fmt::format("{}; the image tag \"{}\" also allows releases where this is fine",
                               fill(rt.DescribeAt(j.where)), rt.version.tag),
                   std::move(help));
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

bool IsKnownSignal(std::string_view signal) {
  return signal == "traces" || signal == "metrics" || signal == "logs" || signal == "profiles";
}

}  // namespace obslint::collector
