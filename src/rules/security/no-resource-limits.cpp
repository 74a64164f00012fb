// OBS808 no-resource-limits: nothing stops one service from starving the host.
#include <fmt/format.h>

#include "rules/rules.h"

namespace obslint {

void CheckNoResourceLimits(const Project& p, const Knowledge&, Reporter& r) {
  for (const ComposeService& s : p.compose.services) {
    if (s.has_memory_limit) continue;
    r.Report("OBS808", s.name_loc,
             fmt::format("service \"{}\" has no memory limit{}: a leak or a burst of telemetry can "
                         "starve every other service on the host",
                         s.name, s.has_cpu_limit ? "" : " (nor a CPU limit)"),
             "set `deploy.resources.limits.memory` (and `cpus`), or `mem_limit`");
  }
}

}  // namespace obslint
