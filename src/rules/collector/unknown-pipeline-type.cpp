// OBS310 unknown-pipeline-type: a pipeline id whose signal is not traces,
// metrics or logs (`trace`, `log/app`), or a connector used on one side only.
// The collector refuses both ("unknown type", "connector used as exporter in
// traces pipeline but not used in any supported receiver pipeline").
// `profiles` is accepted: newer collectors have it (behind a feature gate).
#include <fmt/format.h>

#include "model/suggest.h"
#include "rules/collector/collector_common.h"
#include "rules/rules.h"

namespace obslint {

void CheckUnknownPipelineType(const Project &p, const Knowledge &, Reporter &r) {
  for (const CollectorConfig &c : p.collectors) {
    for (const CollectorPipeline &pl : c.pipelines) {
      if (collector::IsKnownSignal(pl.signal)) continue;
      std::string help =
          "name the pipeline traces, metrics or logs, optionally followed by "
          "/name (e.g. \"traces/jaeger\")";
      for (std::string_view known : {"traces", "metrics", "logs"}) {
        if (KeyDistance(pl.signal, known) <= 2) {
          std::string name = pl.id.size() > pl.signal.size() ? pl.id.substr(pl.signal.size()) : "";
          help = fmt::format(
              "did you mean \"{}{}\"? A pipeline id is traces, "
              "metrics or logs, "
              "optionally followed by /name",
              known, name);
          break;
        }
      }
      r.Report("OBS310", pl.loc,
               fmt::format("pipeline \"{}\" has unknown signal type \"{}\"; "
                           "the collector refuses "
                           "to start",
                           pl.id, pl.signal),
               std::move(help));
    }
    if (collector::IsMerged(p, c)) continue;
    for (const CollectorComponent &comp : c.components) {
      if (comp.kind != "connectors") continue;
      auto as_exporter = collector::UsesOf(c, comp.id, "exporters");
      auto as_receiver = collector::UsesOf(c, comp.id, "receivers");
      if (as_exporter.empty() == as_receiver.empty()) continue;  // both sides, or unused (OBS302)
      const collector::Use &use = as_exporter.empty() ? as_receiver.front() : as_exporter.front();
      bool exporter_only = !as_exporter.empty();
      Finding &f = r.Report("OBS310", use.ref->loc,
                            exporter_only ? fmt::format("connector \"{}\" is used as an exporter "
                                                        "in pipeline \"{}\" but no "
                                                        "pipeline uses it as a receiver; the "
                                                        "collector refuses to start",
                                                        comp.id, use.pipeline->id)
                                          : fmt::format("connector \"{}\" is used as a receiver "
                                                        "in pipeline \"{}\" but no "
                                                        "pipeline uses it as an exporter; the "
                                                        "collector refuses to start",
                                                        comp.id, use.pipeline->id),
                            exporter_only ? fmt::format("add \"{}\" to the receivers of the "
                                                        "pipeline that should get its "
                                                        "output",
                                                        comp.id)
                                          : fmt::format("add \"{}\" to the exporters of the "
                                                        "pipeline that should feed it",
                                                        comp.id));
      f.related.push_back({comp.loc, "connector configured here"});
    }
  }
}

}  // namespace obslint
