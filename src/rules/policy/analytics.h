// Shared by the analytics policy rules OBS901-OBS903 (private to src/rules/policy).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "knowledge/knowledge.h"
#include "model/project.h"

namespace obslint::policy {

inline bool HasRole(const Knowledge& k, const ComposeService& s, std::string_view role) {
  if (s.image.text.value.empty()) return false;
  auto info = k.Image(s.image.text.value);
  return info && std::find(info->roles.begin(), info->roles.end(), role) != info->roles.end();
}

// Services whose image has `role`, in file order.
inline std::vector<const ComposeService*> ServicesWithRole(const Project& p, const Knowledge& k,
                                                           std::string_view role) {
  std::vector<const ComposeService*> out;
  for (const ComposeService& s : p.compose.services)
    if (HasRole(k, s, role)) out.push_back(&s);
  return out;
}

// The service that stands for a family: the one running the image's own
// command (the web process), else the first.
inline const ComposeService* Primary(const std::vector<const ComposeService*>& services) {
  for (const ComposeService* s : services)
    if (!s->command_present) return s;
  return services.empty() ? nullptr : services.front();
}

// Services only `family` depends on (its databases and caches).
inline std::vector<const ComposeService*> ExclusiveDependencies(
    const Project& p, const std::vector<const ComposeService*>& family) {
  auto in_family = [&](const ComposeService* s) {
    return std::find(family.begin(), family.end(), s) != family.end();
  };
  std::vector<const ComposeService*> out;
  for (const ComposeService* member : family) {
    for (const DependsOn& d : member->depends_on) {
      const ComposeService* dep = p.compose.Service(d.service.value);
      if (dep == nullptr || in_family(dep) ||
          std::find(out.begin(), out.end(), dep) != out.end())
        continue;
      bool shared = false;
      for (const ComposeService& other : p.compose.services) {
        if (in_family(&other)) continue;
        for (const DependsOn& od : other.depends_on)
          if (od.service.value == dep->name) shared = true;
      }
      if (!shared) out.push_back(dep);
    }
  }
  return out;
}

inline bool HasType(const AnalyticsPolicy& a, std::string_view type) {
  return std::find(a.types.begin(), a.types.end(), type) != a.types.end();
}

// hosting defaults to self-hosted: a provider declared without hosting is run here.
inline bool IsCloud(const AnalyticsPolicy& a) { return a.hosting == "cloud"; }

inline Location ImageLoc(const ComposeService& s) {
  return s.image.text.present ? s.image.text.loc : s.name_loc;
}

inline Location PolicyLoc(const Project& p) {
  if (p.policy.analytics.loc.HasPosition()) return p.policy.analytics.loc;
  return Location{p.policy.config_path, 0, 0};
}

constexpr const char* kDeclareHelp =
    "declare the analytics policy in .obslint.yaml (`obslint init` writes one):\n"
    "  policy:\n"
    "    analytics: {enabled: true, types: [web, product], provider: posthog, hosting: self-hosted}";

}  // namespace obslint::policy
