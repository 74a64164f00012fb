// OBS301 undefined-component: a pipeline or service.extensions names a
// component id that is not configured. The collector refuses to start
// ("references receiver "x" which is not configured").
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "analysis/analysis.h"
#include "model/suggest.h"
#include "rules/collector/collector_common.h"
#include "rules/keys.h"
#include "rules/rules.h"

namespace obslint {
namespace {

// The configured id of `section` closest to `id`, for a "did you mean" hint.
std::string Closest(const CollectorConfig &c, std::string_view id,
                    std::initializer_list<std::string_view> sections) {
  std::string best;
  int best_distance = 3;  // only near misses
  for (const CollectorComponent &comp : c.components) {
    if (std::find(sections.begin(), sections.end(), comp.kind) == sections.end()) continue;
    int d = KeyDistance(id, comp.id);
    if (d < best_distance) {
      best_distance = d;
      best = comp.id;
    }
  }
  return best;
}

// Which other section configures `id`, for "configured under exporters:, not
// receivers:".
std::string OtherSection(const CollectorConfig &c, std::string_view id) {
  for (const CollectorComponent &comp : c.components)
    if (comp.id == id) return comp.kind;
  return "";
}

void CheckRef(const CollectorConfig &c, const ComponentRef &ref, std::string_view side,
              const CollectorPipeline *pipeline, Reporter &r) {
  // Connectors sit on the receiver side of one pipeline and the exporter side
  // of another.
  bool connector_side = side == "receivers" || side == "exporters";
  if (c.Find(side, ref.id) != nullptr) return;
  if (connector_side && c.Find("connectors", ref.id) != nullptr) return;

  std::string kind = collector::Singular(side);
  std::string where =
      pipeline ? fmt::format("pipeline \"{}\"", pipeline->id) : "service.extensions";
  std::string message = fmt::format("{} uses {} \"{}\", which is not configured under \"{}:\"",
                                    where, kind, ref.id, side);
  if (connector_side) message += " or \"connectors:\"";
  std::string help;
  std::string other = OtherSection(c, ref.id);
  std::string near =
      connector_side ? Closest(c, ref.id, {side, "connectors"}) : Closest(c, ref.id, {side});
  if (!other.empty()) {
    help = fmt::format("\"{}\" is configured under \"{}:\"; a {} list only takes {}", ref.id, other,
                       side,
                       connector_side ? fmt::format("{} and connectors", side) : std::string(side));
  } else if (!near.empty()) {
    help = fmt::format(
        "did you mean \"{}\"? Otherwise configure \"{}\" under "
        "\"{}:\" or remove "
        "it from the list",
        near, ref.id, side);
  } else {
    help = fmt::format(
        "configure \"{}\" under \"{}:\" or remove it from the "
        "list; the collector "
        "does not start while it is missing",
        ref.id, side);
  }
  Finding &f = r.Report("OBS301", ref.loc, std::move(message), std::move(help));
  if (pipeline) f.related.push_back({pipeline->loc, fmt::format("pipeline \"{}\"", pipeline->id)});
}

// A top-level key that looks like a misspelling of `section` ("receiver:" for
// "receivers:"), when `section` itself is absent.
const yaml::Node *MisspelledSection(const CollectorConfig &c, std::string_view section) {
  const yaml::Node *root = c.source ? c.source->yaml.root : nullptr;
  if (root == nullptr || !root->IsMap() || root->KeyNode(section) != nullptr) return nullptr;
  static constexpr std::string_view kTopLevel[] = {"receivers",  "processors", "exporters",
                                                   "extensions", "connectors", "service"};
  for (const auto &[key, value] : root->entries) {
    if (!key->IsScalar()) continue;
    if (std::find(std::begin(kTopLevel), std::end(kTopLevel), key->scalar) != std::end(kTopLevel))
      continue;
    if (KeyDistance(key->scalar, section) <= 2) return key;
  }
  return nullptr;
}

using Positions = std::set<std::tuple<std::string, int, int>>;

// One finding at the misspelled section instead of one per pipeline entry.
// Returns true when `section` is misspelled (its references are then covered).
// A key OBS104 already reports (the collector's key table knows its release)
// is not reported twice.
bool ReportMisspelledSection(const CollectorConfig &c, std::string_view section,
                             const Positions &unknown_keys, Reporter &r) {
  const yaml::Node *key = MisspelledSection(c, section);
  if (key == nullptr) return false;
  const Location at = yaml::LocationOf(key, c.source->path);
  if (unknown_keys.count({at.file, at.line, at.column})) return true;
  std::vector<const ComponentRef *> refs;
  if (section == "extensions") {
    for (const ComponentRef &ref : c.service_extensions) refs.push_back(&ref);
  } else {
    for (const CollectorPipeline &pl : c.pipelines) {
      const auto &list = section == "receivers"    ? pl.receivers
                         : section == "processors" ? pl.processors
                                                   : pl.exporters;
      for (const ComponentRef &ref : list)
        if (c.Find(section, ref.id) == nullptr && c.Find("connectors", ref.id) == nullptr)
          refs.push_back(&ref);
    }
  }
  if (refs.empty()) return true;
  Finding &f =
      r.Report("OBS301", yaml::LocationOf(key, c.source->path),
               fmt::format("top-level key \"{}\" is not a collector section, "
                           "so the {} the pipelines use "
                           "(\"{}\"{}) are not configured",
                           key->scalar, section, refs.front()->id, refs.size() > 1 ? ", ..." : ""),
               fmt::format("rename \"{}:\" to \"{}:\"", key->scalar, section));
  f.related.push_back({refs.front()->loc, "first use"});
  return true;
}

}  // namespace

void CheckUndefinedComponent(const Project &p, const Knowledge &k, Reporter &r) {
  Positions unknown_keys;
  for (const KeyFinding &f : Analysis::Of(p, k)->KeyFindings())
    if (f.component_kind.empty() && f.issue.key != nullptr) {  // as OBS104 selects them
      const Location at = keys::At(f);
      unknown_keys.emplace(at.file, at.line, at.column);
    }
  for (const CollectorConfig &c : p.collectors) {
    // A fragment merged with other files may configure its components
    // elsewhere.
    if (collector::IsMerged(p, c)) continue;
    bool ext = ReportMisspelledSection(c, "extensions", unknown_keys, r);
    bool rec = ReportMisspelledSection(c, "receivers", unknown_keys, r);
    bool proc = ReportMisspelledSection(c, "processors", unknown_keys, r);
    bool exp = ReportMisspelledSection(c, "exporters", unknown_keys, r);
    if (!ext)
      for (const ComponentRef &ref : c.service_extensions)
        CheckRef(c, ref, "extensions", nullptr, r);
    for (const CollectorPipeline &pl : c.pipelines) {
      if (!rec)
        for (const ComponentRef &ref : pl.receivers) CheckRef(c, ref, "receivers", &pl, r);
      if (!proc)
        for (const ComponentRef &ref : pl.processors) CheckRef(c, ref, "processors", &pl, r);
      if (!exp)
        for (const ComponentRef &ref : pl.exporters) CheckRef(c, ref, "exporters", &pl, r);
    }
  }
}

}  // namespace obslint
