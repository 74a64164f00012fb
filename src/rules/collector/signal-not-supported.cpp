// OBS308 signal-not-supported: a component in a pipeline of a signal it does
// not handle (`prometheusremotewrite` in traces, `loki` in metrics). The
// collector refuses to start ("telemetry type is not supported"). Connectors
// are checked per side: what a pipeline sends into a connector must be
// something it can turn into the signal of a pipeline it feeds.
#include <fmt/format.h>

#include <algorithm>

#include "rules/collector/collector_common.h"
#include "rules/rules.h"

namespace obslint {
namespace {

bool Has(const std::vector<std::string> &list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string Join(const std::vector<std::string> &list) {
  std::string out;
  for (const std::string &s : list) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool Checkable(std::string_view signal) {
  return signal == "traces" || signal == "metrics" || signal == "logs";
}

void CheckPlain(const CollectorConfig &c, const Knowledge &k, const CollectorPipeline &pl,
                const ComponentRef &ref, std::string_view section, Reporter &r) {
  const CollectorComponent *comp = c.Find(section, ref.id);
  if (comp == nullptr) return;  // a connector, or undefined (OBS301)
  std::optional<ComponentKind> kind = collector::KindOfSection(section);
  const ComponentInfo *info = kind ? k.Component(*kind, ref.type) : nullptr;
  if (info == nullptr || info->signals.empty() || Has(info->signals, pl.signal)) return;
  std::string what = fmt::format("{} \"{}\"", collector::Singular(section), ref.id);
  Finding &f = r.Report(
      "OBS308", ref.loc,
      fmt::format("{} does not support {}, but pipeline \"{}\" uses "
                  "it (it supports: {})",
                  what, pl.signal, pl.id, Join(info->signals)),
      fmt::format("remove \"{}\" from pipeline \"{}\" and use it in a "
                  "{} pipeline, or use another {} "
                  "that handles {}",
                  ref.id, pl.id, Join(info->signals), collector::Singular(section), pl.signal));
  f.related.push_back({comp->loc, fmt::format("{} configured here", what)});
}

void CheckConnector(const CollectorConfig &c, const Knowledge &k, const CollectorComponent &conn,
                    Reporter &r) {
  const ComponentInfo *info = k.Component(ComponentKind::kConnector, conn.type);
  if (info == nullptr || info->signals.empty()) return;
  auto as_exporter = collector::UsesOf(c, conn.id, "exporters");
  auto as_receiver = collector::UsesOf(c, conn.id, "receivers");
  if (as_exporter.empty() || as_receiver.empty()) return;  // OBS310
  auto supports = [&](std::string_view from, std::string_view to) {
    return Has(info->signals, fmt::format("{}->{}", from, to));
  };
  for (const collector::Use &use : as_exporter) {
    std::string_view from = use.pipeline->signal;
    if (!Checkable(from)) continue;
    bool ok = false, checkable = false;
    for (const collector::Use &other : as_receiver) {
      if (!Checkable(other.pipeline->signal)) continue;
      checkable = true;
      ok |= supports(from, other.pipeline->signal);
    }
    if (ok || !checkable) continue;
    Finding &f = r.Report("OBS308", use.ref->loc,
                          fmt::format("connector \"{}\" cannot take {} from pipeline \"{}\": "
                                      "none of the pipelines "
                                      "it feeds receives what it makes from {} (it supports: {})",
                                      conn.id, from, use.pipeline->id, from, Join(info->signals)),
                          "use the connector as an exporter only in pipelines of a signal it "
                          "consumes, and as a "
                          "receiver in pipelines of the signal it produces");
    f.related.push_back({as_receiver.front().ref->loc, "used as a receiver here"});
  }
  for (const collector::Use &use : as_receiver) {
    std::string_view to = use.pipeline->signal;
    if (!Checkable(to)) continue;
    bool ok = false, checkable = false;
    for (const collector::Use &other : as_exporter) {
      if (!Checkable(other.pipeline->signal)) continue;
      checkable = true;
      ok |= supports(other.pipeline->signal, to);
    }
    if (ok || !checkable) continue;
    Finding &f = r.Report("OBS308", use.ref->loc,
                          fmt::format("connector \"{}\" cannot produce {} for pipeline \"{}\" "
                                      "from what the "
                                      "pipelines that export to it send (it supports: {})",
                                      conn.id, to, use.pipeline->id, Join(info->signals)),
                          "use the connector as a receiver only in pipelines of the signal it "
                          "produces");
    f.related.push_back({as_exporter.front().ref->loc, "used as an exporter here"});
  }
}

}  // namespace

void CheckSignalNotSupported(const Project &p, const Knowledge &k, Reporter &r) {
  for (const CollectorConfig &c : p.collectors) {
    for (const CollectorPipeline &pl : c.pipelines) {
      if (!Checkable(pl.signal)) continue;
      for (const ComponentRef &ref : pl.receivers) CheckPlain(c, k, pl, ref, "receivers", r);
      for (const ComponentRef &ref : pl.processors) CheckPlain(c, k, pl, ref, "processors", r);
      for (const ComponentRef &ref : pl.exporters) CheckPlain(c, k, pl, ref, "exporters", r);
    }
    for (const CollectorComponent &comp : c.components)
      if (comp.kind == "connectors") CheckConnector(c, k, comp, r);
  }
}

}  // namespace obslint
