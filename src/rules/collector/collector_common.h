// Helpers shared by the collector rules (OBS301-OBS310): what runs a
// collector config (distribution, version) and how pipelines use components.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/analysis.h"
#include "engine/reporter.h"
#include "knowledge/knowledge.h"
#include "model/project.h"

namespace obslint::collector {

// One way a collector config is run: by a compose service with a known
// collector image, by an unknown image (custom build), or by nothing at all.
// Which releases that may be is the version model's answer (analysis/).
struct Runtime {
  std::string service;       // "" when no compose service runs the file
  bool official = false;     // image is an official collector distribution known to obslint
  std::string family;        // "otelcol-contrib" ("" when not official)
  std::string distribution;  // core | contrib | k8s | otlp ("" when not official)
  EffectiveVersion version;  // unknown when not official or not run at all
  const ServiceImage* image = nullptr;  // nullptr when no service runs the file

  // How far a fact that holds on [since, until) holds over the releases this
  // runtime may be: kYes on all of them, kPartly on some (never for an
  // unknown version), kNo otherwise.
  Judgement Judge(const Version& since, const std::optional<Version>& until = std::nullopt) const {
    return obslint::Judge(version, since, until);
  }
  // How far a fact that holds outside [since, until) holds.
  Judgement JudgeOutside(const Version& since, const std::optional<Version>& until) const;
  // "otelcol-contrib 0.92.0", "otelcol-contrib 0.159.0 (tag \"latest\": the
  // newest release obslint knows)", "an unknown collector release (no compose
  // service runs this file)".
  std::string Describe() const;
  // With a version range of a partial judgement: "otelcol-contrib 0.100.0–0.103.x".
  std::string DescribeAt(const VersionRange& where) const;
};

// Every distinct way `config` is run. Never empty: a config no service uses
// gets one Runtime of unknown version.
std::vector<Runtime> RuntimesOf(const Project &p, const Knowledge &k,
                                const CollectorConfig &config);

// Stands in a message for the runtime's description ("in otelcol-contrib
// 0.92.0"); ReportFor fills it in. Not a format placeholder, so user text in
// the message (`${env:X}`) is never reinterpreted.
inline constexpr std::string_view kRuntime = "\x01";

// Reports a finding whose fact is judged by `j`: at the rule's severity when
// it holds on every release of `rt`, as a note naming the releases otherwise.
Finding *ReportFor(Reporter &r, std::string_view code, const Judgement &j, const Runtime &rt,
                   Location loc, std::string message, std::string help);

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

bool IsKnownSignal(std::string_view signal);  // traces, metrics, logs, profiles

}  // namespace obslint::collector
