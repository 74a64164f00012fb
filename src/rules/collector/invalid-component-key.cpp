// OBS305 invalid-component-key: a setting a collector component does not
// accept at the releases the image may run. The collector refuses to start
// ("decoding failed ... has invalid keys: labels"). The key table
// (knowledge/keys/collector.yaml) says which settings each release accepts;
// settings removed before the table's first release come from
// `removed_settings` in knowledge/collector-components.yaml, with their help.
#include <fmt/format.h>

#include <set>
#include <utility>

#include "analysis/analysis.h"
#include "rules/collector/collector_common.h"
#include "rules/keys.h"
#include "rules/rules.h"

namespace obslint {
namespace {

struct Ctx {
  const CollectorComponent *comp;
  const ComponentInfo *info;
  const collector::Runtime *rt;
  const std::string *file;
  Reporter *r;
  std::set<std::pair<int, int>> *reported;
};

// Settings `removed_settings` names, at the releases of the runtime.
void Walk(const yaml::Node *map, const std::string &prefix, int depth, const Ctx &ctx) {
  if (map == nullptr || !map->IsMap() || depth > 16) return;
  for (const auto &[key, value] : map->entries) {
    if (!key->IsScalar()) continue;
    std::string path = prefix.empty() ? key->scalar : prefix + "." + key->scalar;
    const RemovedSetting *removed = nullptr;
    for (const RemovedSetting &s : ctx.info->removed_settings)
      if (s.key == path) removed = &s;
    if (removed != nullptr) {
      Judgement j = ctx.rt->Judge(removed->removed);
      Location loc = yaml::LocationOf(key, *ctx.file);
      if (j && ctx.reported->insert({loc.line, loc.column}).second)
        collector::ReportFor(*ctx.r, "OBS305", j, *ctx.rt, loc,
                             fmt::format("setting \"{}\" is not accepted by {} \"{}\" in {} "
                                         "(removed in {})",
                                         path, collector::Singular(ctx.comp->kind), ctx.comp->id,
                                         collector::kRuntime, removed->removed.ToString()),
                             removed->help);
      continue;
    }
    Walk(value, path, depth + 1, ctx);
  }
}

}  // namespace

void CheckInvalidComponentKey(const Project &p, const Knowledge &k, Reporter &r) {
  const auto analysis = Analysis::Of(p, k);
  for (const CollectorConfig &c : p.collectors) {
    if (c.source == nullptr) continue;
    std::set<std::pair<int, int>> reported;
    // Settings with a hand-written history first: their messages carry it.
    for (const collector::Runtime &rt : collector::RuntimesOf(p, k, c)) {
      if (!rt.official) continue;
      for (const CollectorComponent &comp : c.components) {
        std::optional<ComponentKind> kind = collector::KindOfSection(comp.kind);
        if (!kind || comp.config == nullptr) continue;
        const ComponentInfo *info = k.Component(*kind, comp.type);
        if (info == nullptr || info->removed_settings.empty()) continue;
        // A component missing from the image is OBS303; its settings do not
        // matter then.
        if (!info->InDistribution(rt.distribution)) continue;
        if (!rt.Judge(info->added, info->removed).Fully()) continue;
        Walk(comp.config, "", 0, Ctx{&comp, info, &rt, &c.source->path, &r, &reported});
      }
    }
    // Everything else the key table knows.
    for (const KeyFinding &f : analysis->KeyFindings()) {
      if (f.file != c.source || f.component_kind.empty() || f.issue.key == nullptr) continue;
      Location loc = keys::At(f);
      if (!reported.insert({loc.line, loc.column}).second) continue;
      keys::ReportKey(r, "OBS305", f);
    }
  }
}

}  // namespace obslint
