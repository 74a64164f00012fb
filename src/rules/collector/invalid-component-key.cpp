// OBS305 invalid-component-key: a setting the component no longer accepts at
// the image's version (the `loki` exporter's `labels`, removed in v0.76). The
// collector refuses to start: "decoding failed ... has invalid keys: labels".
#include <fmt/format.h>

#include <set>
#include <utility>

#include "rules/collector/collector_common.h"
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

void Walk(const yaml::Node *map, const std::string &prefix, int depth, const Ctx &ctx) {
  if (map == nullptr || !map->IsMap() || depth > 16) return;
  for (const auto &[key, value] : map->entries) {
    if (!key->IsScalar()) continue;
    std::string path = prefix.empty() ? key->scalar : prefix + "." + key->scalar;
    const RemovedSetting *removed = ctx.info->RemovedSettingAt(path, ctx.rt->version);
    // RemovedSettingAt also matches children of a removed key; report the key
    // itself.
    if (removed != nullptr && removed->key == path) {
      Location loc = yaml::LocationOf(key, *ctx.file);
      if (!ctx.reported->insert({loc.line, loc.column}).second) continue;
      ctx.r->Report("OBS305", loc,
                    fmt::format("setting \"{}\" is not accepted by {} \"{}\" "
                                "in {} (removed in {})",
                                path, collector::Singular(ctx.comp->kind), ctx.comp->id,
                                ctx.rt->Describe(), removed->removed.ToString()),
                    removed->help);
      continue;
    }
    Walk(value, path, depth + 1, ctx);
  }
}

}  // namespace

void CheckInvalidComponentKey(const Project &p, const Knowledge &k, Reporter &r) {
  for (const CollectorConfig &c : p.collectors) {
    if (c.source == nullptr) continue;
    std::set<std::pair<int, int>> reported;
    for (const collector::Runtime &rt : collector::RuntimesOf(p, k, c)) {
      if (!rt.version_usable) continue;
      for (const CollectorComponent &comp : c.components) {
        std::optional<ComponentKind> kind = collector::KindOfSection(comp.kind);
        if (!kind || comp.config == nullptr) continue;
        const ComponentInfo *info = k.Component(*kind, comp.type);
        if (info == nullptr || info->removed_settings.empty()) continue;
        // A component missing from the image is OBS303; its settings do not
        // matter then.
        if (!info->AvailableAt(rt.version)) continue;
        if (rt.official && !info->InDistribution(rt.distribution)) continue;
        Walk(comp.config, "", 0, Ctx{&comp, info, &rt, &c.source->path, &r, &reported});
      }
    }
  }
}

}  // namespace obslint
