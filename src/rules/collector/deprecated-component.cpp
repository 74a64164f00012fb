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
      if (!rt.official) continue;
      for (const CollectorComponent &comp : c.components) {
        std::optional<ComponentKind> kind = collector::KindOfSection(comp.kind);
        if (!kind) continue;
        const ComponentInfo *info = k.Component(*kind, comp.type);
        if (info == nullptr || !info->deprecated) continue;
        if (!info->InDistribution(rt.distribution)) continue;  // OBS303
        Judgement j = rt.Judge(*info->deprecated, info->removed);
        if (!j || reported.count({comp.loc.line, comp.loc.column})) continue;
        std::string message = fmt::format("{} \"{}\" is deprecated in {} (deprecated since {}",
                                          collector::Singular(comp.kind), comp.type,
                                          collector::kRuntime, info->deprecated->ToString());
        if (info->removed) message += fmt::format(", removed in {}", info->removed->ToString());
        message += ")";
        std::string help = info->replacement.empty()
                               ? std::string("plan a replacement before upgrading the image")
                               : fmt::format("use the {} instead", info->replacement);
        if (collector::ReportFor(r, "OBS304", j, rt, comp.loc, message, std::move(help)))
          reported.insert({comp.loc.line, comp.loc.column});
      }
    }
  }
}

}  // namespace obslint
