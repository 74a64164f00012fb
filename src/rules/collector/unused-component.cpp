// OBS302 unused-component: a configured receiver, processor, exporter or
// connector that no pipeline uses, or an extension missing from
// service.extensions. The collector never starts it, which is rarely what the
// author meant (a debug exporter left out, an auth extension never enabled).
#include <fmt/format.h>

#include "rules/collector/collector_common.h"
#include "rules/rules.h"

namespace obslint {

void CheckUnusedComponent(const Project &p, const Knowledge &k, Reporter &r) {
  for (const CollectorConfig &c : p.collectors) {
    // Without a service section (or when merged with other files) the file is
    // a fragment: its components may be used elsewhere.
    if (c.source == nullptr || c.source->yaml.root == nullptr ||
        c.source->yaml.root->Get("service") == nullptr || collector::IsMerged(p, c))
      continue;
    // On official images a type no release ships stops the collector
    // (OBS303): "never started" would understate it and mislead the fix.
    bool official = true;
    for (const collector::Runtime &rt : collector::RuntimesOf(p, k, c))
      official &= rt.official && rt.version.Known();
    for (const CollectorComponent &comp : c.components) {
      std::optional<ComponentKind> section = collector::KindOfSection(comp.kind);
      if (official && section && k.Component(*section, comp.type) == nullptr) continue;
      if (comp.kind == "extensions") {
        bool listed = false;
        for (const ComponentRef &ref : c.service_extensions) listed |= ref.id == comp.id;
        if (!listed) {
          r.Report("OBS302", comp.loc,
                   fmt::format("extension \"{}\" is configured but not listed in "
                               "service.extensions, so the collector never starts it",
                               comp.id),
                   fmt::format("add \"{}\" to service.extensions, or remove "
                               "its configuration",
                               comp.id));
        }
        continue;
      }
      bool used = false;
      for (std::string_view side : {"receivers", "processors", "exporters"}) {
        if (comp.kind == "connectors" && side == "processors") continue;
        if (comp.kind != "connectors" && comp.kind != side) continue;
        used |= !collector::UsesOf(c, comp.id, side).empty();
      }
      if (used) continue;
      std::string kind = collector::Singular(comp.kind);
      std::string help = comp.kind == "connectors"
                             ? fmt::format(
                                   "use \"{}\" as an exporter of one pipeline and a "
                                   "receiver of another, "
                                   "or remove its configuration",
                                   comp.id)
                             : fmt::format(
                                   "add \"{}\" to the {} of a pipeline under "
                                   "service.pipelines, or remove "
                                   "its configuration",
                                   comp.id, comp.kind);
      r.Report("OBS302", comp.loc,
               fmt::format("{} \"{}\" is configured but no pipeline uses it, "
                           "so the collector "
                           "never starts it",
                           kind, comp.id),
               std::move(help));
    }
  }
}

}  // namespace obslint
