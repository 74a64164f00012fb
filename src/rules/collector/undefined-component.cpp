// OBS301 undefined-component: a pipeline or service.extensions names a
// component id that is not configured. The collector refuses to start
// ("references receiver "x" which is not configured").
#include <fmt/format.h>

#include <algorithm>

#include "rules/collector/collector_common.h"
#include "rules/rules.h"

namespace obslint {
namespace {

using collector::EditDistance;

// The configured id of `section` closest to `id`, for a "did you mean" hint.
std::string Closest(const CollectorConfig& c, std::string_view id,
                    std::initializer_list<std::string_view> sections) {
  std::string best;
  int best_distance = 3;  // only near misses
  for (const CollectorComponent& comp : c.components) {
    if (std::find(sections.begin(), sections.end(), comp.kind) == sections.end()) continue;
    int d = EditDistance(id, comp.id);
    if (d < best_distance) {
      best_distance = d;
      best = comp.id;
    }
  }
  return best;
}

// Which other section configures `id`, for "configured under exporters:, not receivers:".
std::string OtherSection(const CollectorConfig& c, std::string_view id) {
  for (const CollectorComponent& comp : c.components)
    if (comp.id == id) return comp.kind;
  return "";
}

void CheckRef(const CollectorConfig& c, const ComponentRef& ref, std::string_view side,
              const CollectorPipeline* pipeline, Reporter& r) {
  // Connectors sit on the receiver side of one pipeline and the exporter side of another.
  bool connector_side = side == "receivers" || side == "exporters";
  if (c.Find(side, ref.id) != nullptr) return;
  if (connector_side && c.Find("connectors", ref.id) != nullptr) return;

  std::string kind = collector::Singular(side);
  std::string where = pipeline ? fmt::format("pipeline \"{}\"", pipeline->id) : "service.extensions";
  std::string message = fmt::format("{} uses {} \"{}\", which is not configured under \"{}:\"",
                                    where, kind, ref.id, side);
  if (connector_side) message += " or \"connectors:\"";
  std::string help;
  std::string other = OtherSection(c, ref.id);
  std::string near = connector_side ? Closest(c, ref.id, {side, "connectors"})
                                    : Closest(c, ref.id, {side});
  if (!other.empty()) {
    help = fmt::format("\"{}\" is configured under \"{}:\"; a {} list only takes {}", ref.id,
                       other, side, connector_side ? fmt::format("{} and connectors", side)
                                                   : std::string(side));
  } else if (!near.empty()) {
    help = fmt::format("did you mean \"{}\"? Otherwise configure \"{}\" under \"{}:\" or remove "
                       "it from the list",
                       near, ref.id, side);
  } else {
    help = fmt::format("configure \"{}\" under \"{}:\" or remove it from the list; the collector "
                       "does not start while it is missing",
                       ref.id, side);
  }
  Finding& f = r.Report("OBS301", ref.loc, std::move(message), std::move(help));
  if (pipeline) f.related.push_back({pipeline->loc, fmt::format("pipeline \"{}\"", pipeline->id)});
}

}  // namespace

void CheckUndefinedComponent(const Project& p, const Knowledge&, Reporter& r) {
  for (const CollectorConfig& c : p.collectors) {
    // A fragment merged with other files may configure its components elsewhere.
    if (collector::IsMerged(p, c)) continue;
    for (const ComponentRef& ref : c.service_extensions) CheckRef(c, ref, "extensions", nullptr, r);
    for (const CollectorPipeline& pl : c.pipelines) {
      for (const ComponentRef& ref : pl.receivers) CheckRef(c, ref, "receivers", &pl, r);
      for (const ComponentRef& ref : pl.processors) CheckRef(c, ref, "processors", &pl, r);
      for (const ComponentRef& ref : pl.exporters) CheckRef(c, ref, "exporters", &pl, r);
    }
  }
}

}  // namespace obslint
