// OBS702: an endpoint names a host no service of the stack answers to.
#include <fmt/format.h>

#include "rules/link/common.h"
#include "rules/rules.h"

namespace obslint {

void CheckUnknownHost(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  const StackEndpoints& stack = analysis->Endpoints();
  for (const Endpoint& e : stack.endpoints()) {
    if (e.resolution != HostResolution::kUnknown || e.source == nullptr) continue;
    if (stack.HostMayResolveElsewhere(e.source, e.url.host)) continue;
    // The closest service name, for a likely typo.
    std::string names;
    int listed = 0;
    for (const auto& s : p.compose.services) {
      if (&s == e.source) continue;
      if (listed == 8) {
        names += ", ...";
        break;
      }
      names += (listed++ ? ", " : "") + s.name;
    }
    // A scrape target outside the stack is often an application from another
    // compose project on a shared network: a warning, not an error.
    bool weak = e.origin == EndpointOrigin::kScrapeTarget;
    r.Report("OBS702", weak ? Severity::kWarning : Severity::kError, e.value.loc,
             fmt::format("{} of service \"{}\" points at host \"{}\", which is not a service, "
                         "container_name, hostname or network alias in this stack{}",
                         e.what, e.source->name, e.url.host,
                         weak ? " (if it runs in another compose project, declare the shared "
                                "network external)"
                              : ""),
             names.empty()
                 ? std::string("use the name of the service to reach, or a fully qualified host "
                               "name for one outside the stack")
                 : fmt::format("use a service name ({}), or a fully qualified host name for a "
                               "host outside the stack",
                               names));
  }
}

}  // namespace obslint
