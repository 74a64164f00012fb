// OBS303 unknown-component-type: a component type the image's distribution
// does not ship at its version (`loki` in the core image, the `jaeger`
// exporter from v0.85, `logging` from v0.111). The collector refuses the whole
// config ("unknown type"), even for a component no pipeline uses.
//
// A type no release of any distribution ships (the component lists come from
// the distributions' manifests, 0.80.0 to the newest release known) is
// reported on official images whose releases obslint knows; on a custom
// build it may be anything, and a release newer than the knowledge may have
// added it (a note there).
#include <fmt/format.h>

#include <set>
#include <utility>

#include "analysis/keys.h"
#include "rules/collector/collector_common.h"
#include "rules/rules.h"

namespace obslint {
namespace {

// "otelcol-contrib" for "contrib": the image that ships the component.
std::string ImagesFor(const ComponentInfo &info) {
  std::string out;
  for (const std::string &d : info.distributions) {
    if (!out.empty()) out += ", ";
    out += d == "core" ? std::string("otelcol") : "otelcol-" + d;
  }
  return out;
}

// A type that is in no distribution's manifest of any release known.
Finding *ReportUnknownType(const Knowledge &k, ComponentKind kind, const CollectorComponent &comp,
                           const std::string &what, const collector::Runtime &rt, Reporter &r) {
  const Version &newest = k.Collector().newest;
  Judgement j = rt.Judge(Version{0, 80, 0, true},
                         Version{newest.major, newest.minor, newest.patch + 1, true});
  if (!j) return nullptr;
  std::vector<std::string> known;
  for (const ComponentInfo &c : k.Components())
    if (c.kind == kind) known.push_back(c.type);
  std::string closest = ClosestKey(comp.type, known);
  std::string section = collector::Singular(comp.kind);
  std::string help =
      closest.empty()
          ? fmt::format("use a {} type of the collector, or an image built with this component",
                        section)
          : fmt::format("did you mean \"{}\"? Otherwise use an image built with this component",
                        closest);
  if (section == "exporter" && comp.type == "telemetry")
    help = "the collector's own metrics and logs are configured under service.telemetry, not "
           "as an exporter";
  return collector::ReportFor(
      r, "OBS303", j, rt, comp.loc,
      fmt::format("{} is not a component type of {}; the collector rejects the config with "
                  "\"unknown type\"",
                  what, collector::kRuntime),
      std::move(help));
}

}  // namespace

void CheckUnknownComponentType(const Project &p, const Knowledge &k, Reporter &r) {
  for (const CollectorConfig &c : p.collectors) {
    std::set<std::pair<int, int>> reported;  // one finding per component, whatever runs it
    for (const collector::Runtime &rt : collector::RuntimesOf(p, k, c)) {
      if (!rt.official) continue;  // a custom build may ship anything
      for (const CollectorComponent &comp : c.components) {
        std::optional<ComponentKind> kind = collector::KindOfSection(comp.kind);
        if (!kind) continue;
        const ComponentInfo *info = k.Component(*kind, comp.type);
        if (reported.count({comp.loc.line, comp.loc.column})) continue;
        std::string what = fmt::format("{} \"{}\"", collector::Singular(comp.kind), comp.type);
        if (info == nullptr) {
          if (ReportUnknownType(k, *kind, comp, what, rt, r) != nullptr)
            reported.insert({comp.loc.line, comp.loc.column});
          continue;
        }
        Finding *f = nullptr;
        if (!info->InDistribution(rt.distribution)) {
          std::string help = fmt::format("use an image that ships it ({})", ImagesFor(*info));
          if (!info->replacement.empty()) help += fmt::format(", or the {}", info->replacement);
          f = collector::ReportFor(
              r, "OBS303", Judgement{Judgement::kYes, {}}, rt, comp.loc,
              fmt::format("{} is not part of {}; the collector rejects the config with "
                          "\"unknown type\"",
                          what, collector::kRuntime),
              std::move(help));
        } else if (Judgement j = info->removed ? rt.Judge(*info->removed) : Judgement{}) {
          f = collector::ReportFor(
              r, "OBS303", j, rt, comp.loc,
              fmt::format("{} was removed in {} and does not exist in {}", what,
                          info->removed->ToString(), collector::kRuntime),
              info->replacement.empty()
                  ? fmt::format("remove it, or pin an image older than {}", info->removed->ToString())
                  : fmt::format("use the {} instead", info->replacement));
        } else if (Judgement j = rt.Judge(Version{0, 0, 0, true}, info->added)) {
          if (info->added == Version{0, 0, 0, true}) continue;
          f = collector::ReportFor(
              r, "OBS303", j, rt, comp.loc,
              fmt::format("{} was added in {} and does not exist yet in {}", what,
                          info->added.ToString(), collector::kRuntime),
              fmt::format("upgrade the image to {} or newer", info->added.ToString()));
        }
        if (f != nullptr) reported.insert({comp.loc.line, comp.loc.column});
      }
    }
  }
}

}  // namespace obslint
