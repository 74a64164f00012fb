// OBS904 required-service-missing: `policy.require` names something the stack lacks.
#include <fmt/format.h>
#include <re2/re2.h>

#include "rules/policy/analytics.h"
#include "rules/rules.h"

namespace obslint {
namespace {

// The roles images have in knowledge/images/*.yaml; anything else in `require`
// is an RE2 pattern on image references.
bool IsKnownRole(std::string_view item) {
  static constexpr std::string_view kRoles[] = {
      "traces",   "metrics", "logs",       "errors",    "dashboards", "web-analytics",
      "product-analytics", "database", "cache", "collector", "alerting", "profiles",
      "queue",    "coordination", "metrics-exporter"};
  return std::find(std::begin(kRoles), std::end(kRoles), item) != std::end(kRoles);
}

}  // namespace

void CheckRequiredServiceMissing(const Project& p, const Knowledge& k, Reporter& r) {
  for (const Located<std::string>& item : p.policy.require) {
    if (item.value.empty()) continue;
    if (IsKnownRole(item.value)) {
      if (!policy::ServicesWithRole(p, k, item.value).empty()) continue;
      auto defined = policy::ServicesWithRole(p, k, item.value, /*every=*/true);
      if (!defined.empty()) {
        r.Report("OBS904", item.loc,
                 fmt::format("the policy requires a service with the role \"{}\"; service \"{}\" "
                             "provides it, but does not start: {}",
                             item.value, defined.front()->name, policy::NotStartedWhy(p, defined)),
                 "activate its profile (COMPOSE_PROFILES in .env, or --profile), or drop the "
                 "requirement from policy.require")
            .related.push_back({policy::ImageLoc(*defined.front()),
                                fmt::format("service \"{}\"", defined.front()->name)});
        continue;
      }
      r.Report("OBS904", item.loc,
               fmt::format("the policy requires a service with the role \"{}\", but no service of "
                           "the stack runs an image known for it",
                           item.value),
               "add the service, or drop the requirement from policy.require");
      continue;
    }
    re2::RE2 re(item.value, re2::RE2::Quiet);
    if (!re.ok()) continue;  // OBS002 reports it
    bool found = false;
    for (const ComposeService* s : p.compose.Running())
      if (!s->image.text.value.empty() && re2::RE2::PartialMatch(s->image.text.value, re)) found = true;
    if (found) continue;
    r.Report("OBS904", item.loc,
             fmt::format("the policy requires an image matching \"{}\", but no service uses one",
                         item.value),
             "add the service, or fix the pattern in policy.require");
  }
}

}  // namespace obslint
