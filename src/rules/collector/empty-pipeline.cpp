// OBS309 empty-pipeline: a pipeline without receivers or without exporters.
// The collector refuses to start ("must have at least one receiver").
#include <fmt/format.h>

#include "rules/collector/collector_common.h"
#include "rules/rules.h"

namespace obslint {

void CheckEmptyPipeline(const Project &p, const Knowledge &, Reporter &r) {
  for (const CollectorConfig &c : p.collectors) {
    // Another file merged over this one may complete the pipeline.
    if (collector::IsMerged(p, c)) continue;
    for (const CollectorPipeline &pl : c.pipelines) {
      bool no_receivers = pl.receivers.empty();
      bool no_exporters = pl.exporters.empty();
      if (!no_receivers && !no_exporters) continue;
      std::string missing = no_receivers && no_exporters ? "receivers or exporters"
                            : no_receivers               ? "receivers"
                                                         : "exporters";
      r.Report(
          "OBS309", pl.loc,
          fmt::format("pipeline \"{}\" has no {}; the collector refuses to start", pl.id, missing),
          no_receivers && no_exporters ? std::string("list at least one receiver and one exporter, "
                                                     "or remove the "
                                                     "pipeline")
                                       : fmt::format("list at least one of the configured {} under "
                                                     "\"{}:\" of the "
                                                     "pipeline, or remove the pipeline",
                                                     missing, missing));
    }
  }
}

}  // namespace obslint
