// OBS304 deprecated-component: a component still present but deprecated at
// the image's version (`logging` -> `debug`, `loki` -> `otlphttp` to Loki's
// /otlp endpoint). It works today and breaks on a later upgrade.
#include <fmt/format.h>

#include <set>
#include <utility>

#include "rules/collector/collector_common.h"
#include "rules/rules.h"

namespace obslint {

void CheckDeprecatedComponent(const Project &p, const Knowledge &k, Reporter &r) {
  for (const CollectorConfig &c : p.collectors) {
    std::set<std::pair<int, int>> reported;
    for (const collector::Runtime &rt : collector::RuntimesOf(p, k, c)) {
      // A deprecation is only a warning: not worth a guess when no image tag
      // says which release runs the file (no service, or `latest`).
      if (!rt.version_usable || rt.version_assumed) continue;
      for (const CollectorComponent &comp : c.components) {
        std::optional<ComponentKind> kind = collector::KindOfSection(comp.kind);
        if (!kind) continue;
        const ComponentInfo *info = k.Component(*kind, comp.type);
        if (info == nullptr || !info->deprecated) continue;
        if (rt.official && !info->InDistribution(rt.distribution)) continue;  // OBS303
        if (!info->DeprecatedAt(rt.version) || !info->AvailableAt(rt.version)) continue;
        if (!reported.insert({comp.loc.line, comp.loc.column}).second) continue;
        std::string message = fmt::format("{} \"{}\" is deprecated in {} (deprecated since {}",
                                          collector::Singular(comp.kind), comp.type, rt.Describe(),
                                          info->deprecated->ToString());
        if (info->removed) message += fmt::format(", removed in {}", info->removed->ToString());
        message += ")";
        std::string help = info->replacement.empty()
                               ? std::string("plan a replacement before upgrading the image")
                               : fmt::format("use the {} instead", info->replacement);
        r.Report("OBS304", comp.loc, std::move(message), std::move(help));
      }
    }
  }
}

}  // namespace obslint
