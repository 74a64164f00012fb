// Helpers shared by the collector rules (OBS301-OBS310): what runs a
// collector config (distribution, version) and how pipelines use components.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "knowledge/knowledge.h"
#include "model/project.h"

namespace obslint::collector {

// One way a collector config is run: by a compose service with a known
// collector image, by an unknown image (custom build), or by nothing at all.
struct Runtime {
  std::string service;       // "" when no compose service runs the file
  bool official = false;     // image is an official collector distribution known to obslint
  std::string family;        // "otelcol-contrib" ("" when not official)
  std::string distribution;  // core | contrib | k8s | otlp ("" when not official)
  Version version;           // known, or assumed (newest) when the tag pins none
  bool version_assumed = true;
  bool version_usable = false;  // false: unknown image, never reason about versions
  std::string tag;              // image tag as written

  // "otelcol-contrib 0.92.0", "otelcol-contrib 0.156.0 (tag \"latest\" assumed
  // to be the newest release known to obslint)", "the newest collector release
  // known to obslint (0.156.0; no compose service runs this file)".
  std::string Describe() const;
  // Same without the caveat, for short "in X" clauses inside one message.
  std::string Short() const;
};

// Every distinct way `config` is run. Never empty: a config no service uses
// gets one Runtime at the newest known version (version_assumed).
std::vector<Runtime> RuntimesOf(const Project &p, const Knowledge &k,
                                const CollectorConfig &config);

// True when a service runs this file together with other configuration
// (several --config flags, --set, or another collector file): the file is then
// a fragment, and rules that need the whole config must stay silent.
bool IsMerged(const Project &p, const CollectorConfig &config);

// "receivers" -> kReceiver ...
std::optional<ComponentKind> KindOfSection(std::string_view section);
// "receivers" -> "receiver".
std::string Singular(std::string_view section);

// Pipeline usage of a component id on each side.
struct Use {
  const CollectorPipeline *pipeline;
  const ComponentRef *ref;
  std::string_view side;  // receivers | processors | exporters
};
std::vector<Use> UsesOf(const CollectorConfig &config, std::string_view id, std::string_view side);

// Levenshtein distance, capped: used for "did you mean" hints.
int EditDistance(std::string_view a, std::string_view b);

bool IsKnownSignal(std::string_view signal);  // traces, metrics, logs, profiles

}  // namespace obslint::collector
