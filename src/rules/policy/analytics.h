// Shared by the analytics policy rules OBS901-OBS903 (private to src/rules/policy).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analysis/analysis.h"
#include "engine/reporter.h"
#include "knowledge/knowledge.h"
#include "model/project.h"

namespace obslint::policy {

inline Location ImageLocOf(const ComposeService& s) {
  return s.image.text.present ? s.image.text.loc : s.name_loc;
}
inline Location ImageLoc(const ComposeService& s) { return ImageLocOf(s); }

inline bool HasRole(const Analysis& a, const ComposeService& s, std::string_view role) {
  const ImageInfo* info = a.Image(s).Info();
  return info && std::find(info->roles.begin(), info->roles.end(), role) != info->roles.end();
}

// Services whose image has `role`, in file order: those that start under
// the active profiles (what the stack runs), or with `every` all of them
// (what the files say).
inline std::vector<const ComposeService*> ServicesWithRole(const Project& p, const Knowledge& k,
                                                           std::string_view role,
                                                           bool every = false) {
  const auto analysis = Analysis::Of(p, k);
  std::vector<const ComposeService*> out;
  for (const ComposeService& s : p.compose.services)
    if ((every || s.starts) && HasRole(*analysis, s, role)) out.push_back(&s);
  return out;
}

// Services of an image family ("posthog", "umami"), started or not.
inline std::vector<const ComposeService*> ServicesOfFamily(const Project& p, const Knowledge& k,
                                                           std::string_view family) {
  const auto analysis = Analysis::Of(p, k);
  std::vector<const ComposeService*> out;
  for (const ComposeService& s : p.compose.services)
    if (const ImageInfo* info = analysis->Image(s).Info(); info && info->family == family)
      out.push_back(&s);
  return out;
}

inline std::vector<const ComposeService*> Started(const std::vector<const ComposeService*>& services) {
  std::vector<const ComposeService*> out;
  for (const ComposeService* s : services)
    if (s->starts) out.push_back(s);
  return out;
}

inline bool HasProfile(const ComposeService& s, std::string_view profile) {
  return std::find(s.profiles.begin(), s.profiles.end(), profile) != s.profiles.end();
}

// "no profile is active" / "the active profiles are a, b (COMPOSE_PROFILES in .env)".
inline std::string ActiveProfiles(const Project& p) {
  std::string out;
  for (const std::string& name : p.compose.active_profiles) out += (out.empty() ? "" : ", ") + name;
  out = out.empty() ? "no profile is active" : "the active profiles are " + out;
  if (!p.compose.profiles_from.empty()) out += " (" + p.compose.profiles_from + ")";
  return out;
}

// The policy names `profile` for a type ("web", "product"): every service of
// the family must carry it, or it runs whatever the profiles say.
inline void CheckFamilyProfile(const std::vector<const ComposeService*>& family,
                               const Located<std::string>& profile, std::string_view type,
                               std::string_view display, std::string_view code, Reporter& r) {
  if (profile.value.empty()) return;
  for (const ComposeService* s : family) {
    if (HasProfile(*s, profile.value)) continue;
    Finding& f = r.Report(
        std::string(code), s->profiles_loc.HasPosition() ? s->profiles_loc : ImageLocOf(*s),
        fmt::format("{} service \"{}\" does not carry the profile \"{}\" that "
                    "`policy.analytics.profiles.{}` names, so the analytics policy does not "
                    "decide whether it runs",
                    display, s->name, profile.value, type),
        fmt::format("add `profiles: [{}]` to service \"{}\"", profile.value, s->name));
    if (profile.loc.HasPosition()) f.related.push_back({profile.loc, "the profile the policy names"});
  }
}

// The active profiles that start `s` ("profile \"analytics\""); "" when it
// has no profiles (it always starts).
inline std::string StartedBy(const Project& p, const ComposeService& s) {
  if (s.profiles.empty()) return {};
  const auto& active = p.compose.active_profiles;
  if (std::find(active.begin(), active.end(), "*") != active.end()) return "all profiles";
  std::string out;
  int n = 0;
  for (const std::string& name : s.profiles) {
    if (std::find(active.begin(), active.end(), name) == active.end()) continue;
    out += (out.empty() ? "" : ", ") + ("\"" + name + "\"");
    ++n;
  }
  return (n > 1 ? "profiles " : "profile ") + out;
}

// Why services that exist do not start: "profile \"x\" is not active (...)".
inline std::string NotStartedWhy(const Project& p, const std::vector<const ComposeService*>& services) {
  std::vector<std::string> profiles;
  for (const ComposeService* s : services)
    for (const std::string& name : s->profiles)
      if (std::find(profiles.begin(), profiles.end(), name) == profiles.end()) profiles.push_back(name);
  std::string list;
  for (size_t i = 0; i < profiles.size(); ++i)
    list += (i == 0 ? "" : i + 1 == profiles.size() ? " or " : ", ") + ("\"" + profiles[i] + "\"");
  return fmt::format("{} only with profile {} and {}", services.size() > 1 ? "they run" : "it runs",
                     list, ActiveProfiles(p));
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
        if (in_family(&other) || !other.starts) continue;
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


inline Location PolicyLoc(const Project& p) {
  if (p.policy.analytics.loc.HasPosition()) return p.policy.analytics.loc;
  return Location{p.policy.config_path, 0, 0};
}

constexpr const char* kDeclareHelp =
    "declare the analytics policy in .obslint.yaml (`obslint init` writes one):\n"
    "  policy:\n"
    "    analytics: {enabled: true, types: [web, product], provider: posthog, hosting: self-hosted}";

}  // namespace obslint::policy
