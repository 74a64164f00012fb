// OBS307 memory-limiter-not-first: memory_limiter must be the first processor
// of a pipeline, so it refuses data before other processors (batch above all)
// have buffered it; later in the chain it cannot protect the collector.
#include <fmt/format.h>

#include "rules/rules.h"

namespace obslint {

void CheckMemoryLimiterNotFirst(const Project &p, const Knowledge &, Reporter &r) {
  for (const CollectorConfig &c : p.collectors) {
    for (const CollectorPipeline &pl : c.pipelines) {
      for (size_t i = 1; i < pl.processors.size(); ++i) {
        const ComponentRef &ref = pl.processors[i];
        if (ref.type != "memory_limiter") continue;
        const ComponentRef &first = pl.processors.front();
        if (first.type == "memory_limiter") continue;  // another limiter already leads
        Finding &f = r.Report("OBS307", ref.loc,
                              fmt::format("processor \"{}\" is not the first processor "
                                          "of pipeline \"{}\" (\"{}\" "
                                          "runs before it)",
                                          ref.id, pl.id, first.id),
                              fmt::format("move \"{}\" to the front of the processors "
                                          "list, so it refuses data "
                                          "before other processors hold it in memory",
                                          ref.id));
        f.related.push_back({first.loc, "first processor of the pipeline"});
        break;
      }
    }
  }
}

}  // namespace obslint
