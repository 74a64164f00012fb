// OBS701: the collector exports to a stack service it does not depends_on,
// so Compose may start the collector first and its first batches fail.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "analysis/endpoints.h"
#include "rules/link/common.h"
#include "rules/rules.h"

namespace obslint {
namespace {

// Whether `from` depends on `to`, directly or through other services.
bool WaitsFor(const Project& p, const ComposeService& from, const ComposeService& to) {
  std::vector<const ComposeService*> todo{&from};
  std::set<const ComposeService*> seen{&from};
  while (!todo.empty()) {
    const ComposeService* s = todo.back();
    todo.pop_back();
    for (const auto& d : s->depends_on) {
      const ComposeService* next = p.compose.Service(d.service.value);
      if (next == &to) return true;
      if (next != nullptr && seen.insert(next).second) todo.push_back(next);
    }
  }
  return false;
}

}  // namespace

void CheckExporterTargetWithoutDependsOn(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  const StackEndpoints& stack = analysis->Endpoints();
  std::set<std::pair<const ComposeService*, const ComposeService*>> reported;
  for (const Endpoint& e : stack.endpoints()) {
    if (e.origin != EndpointOrigin::kCollectorExporter) continue;
    if (e.resolution != HostResolution::kService || e.source == nullptr || e.target == nullptr ||
        e.target == e.source)
      continue;
    const ComposeService& src = *e.source;
    const ComposeService& dst = *e.target;
    bool listed = std::any_of(src.depends_on.begin(), src.depends_on.end(),
                              [&](const DependsOn& d) { return d.service.value == dst.name; });
    if (listed || !reported.insert({&src, &dst}).second) continue;
    // The target already waits for the collector: the advice would make a
    // depends_on cycle (OBS208), which Compose refuses.
    if (WaitsFor(p, dst, src)) continue;
    Finding& f = r.Report(
        "OBS701", e.value.loc,
        fmt::format("{} sends to service \"{}\", but the collector's service \"{}\" does not "
                    "list it in depends_on",
                    e.what, dst.name, src.name),
        fmt::format("add \"{}\" to depends_on of service \"{}\" (with condition: "
                    "service_healthy if it has a healthcheck) so Compose starts it first",
                    dst.name, src.name));
    f.related.push_back({link::ServiceKeyLoc(src, "depends_on"),
                         src.depends_on.empty()
                             ? fmt::format("service \"{}\" has no depends_on", src.name)
                             : fmt::format("depends_on of service \"{}\"", src.name)});
    f.related.push_back({dst.name_loc, fmt::format("service \"{}\" is defined here", dst.name)});
  }
}

}  // namespace obslint
